package portico

import (
	"context"
	"time"
)

// The weekly report: each Monday, every connected portal contact who wants
// it gets an email covering the previous 7 days of their jobs, with the
// columns and client-facing names of their client's portal settings.

// WeeklyReport is one contact's report of one week.
type WeeklyReport struct {
	ContactID   int64
	ContactName string
	ClientName  string
	WeekStart   time.Time // Monday 00:00 in the agency's time zone, as UTC
	WeekEnd     time.Time // 7 days later
	Columns     []ReportColumn
	Jobs        []WeeklyReportJob // jobs with something to report; all are listed, quiet ones last
}

// WeeklyReportJob is one job's week.
type WeeklyReportJob struct {
	JobID         int64
	Title         string
	NewCandidates []string // names (or references) shared in the week
	StageChanges  []WeeklyReportLine
	Interviews    []WeeklyReportLine
	Feedback      []WeeklyReportLine
}

// WeeklyReportLine is one line of a column: when, about whom, what.
type WeeklyReportLine struct {
	At        time.Time
	Candidate string
	Text      string // client-facing: stage and activity names as mapped
}

// WeeklyReportService builds and sends the weekly reports.
type WeeklyReportService interface {
	// SendWeeklyReports queues the report of the last full week (Monday
	// to Monday in the agency's time zone) for every connected contact
	// who wants it: once per contact and week, however often it runs and
	// on however many instances. Returns how many were queued. System or
	// admin only.
	SendWeeklyReports(ctx context.Context) (int, error)
	// BuildWeeklyReport returns one contact's report of the week starting
	// at weekStart, for the console's preview and for tests.
	BuildWeeklyReport(ctx context.Context, contactID int64, weekStart time.Time) (*WeeklyReport, error)
	// SetWeeklyReport turns a contact's report on or off (an agency user,
	// or the contact themselves).
	SetWeeklyReport(ctx context.Context, contactID int64, on bool) error
	// Unsubscribe turns the report off with the token of a report's
	// unsubscribe link (one click, no sign-in). ENOTFOUND when unknown.
	Unsubscribe(ctx context.Context, token string) (*Contact, error)
	// CheckUnsubscribe returns whose link it is (with WeeklyReport as it
	// stands), changing nothing: for the page the link opens. ENOTFOUND
	// when unknown or expired.
	CheckUnsubscribe(ctx context.Context, token string) (*Contact, error)
}
