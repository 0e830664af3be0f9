package portico

import (
	"context"
	"strings"
	"time"
)

// The portal's one door. Everything a client contact sees comes through
// PortalViewer, scoped to the contact acting in the context: their client,
// the jobs their access allows, shared candidates only, visible fields
// only, client-facing stage names only. The types below hold nothing else,
// so no page can show an internal note, an internal stage name or another
// client's record: it never reaches the web layer.

// PortalStageCount is how many shared candidates are in a client-facing
// stage of a job.
type PortalStageCount struct {
	Name  string
	Kind  StageKind
	Count int
}

// PortalJob is a job as a client contact sees it.
type PortalJob struct {
	ID           int64
	Title        string
	Description  string
	LocationName string
	Type         JobType
	Openings     int
	Status       JobStatus
	StartDate    Date
	OwnerName    string // the recruiter who owns the job
	OwnerEmail   string
	OwnerPhone   string
	Recruiters   []JobRecruiter // who the client deals with (the owner when none are set)
	Shared       int            // shared candidates
	NewSince     int            // shared since the contact's previous visit
	Stages       []PortalStageCount
	Visibility   Visibility // what the client sees of the job's candidates, for list columns and exports
}

// FieldValue is one visible detail of a candidate.
type FieldValue struct {
	Field CandidateField
	Label string
	Value string
}

// PortalCandidate is a shared candidate as the client sees them.
type PortalCandidate struct {
	ApplicationID int64
	JobID         int64
	JobTitle      string
	Name          string // the reference when anonymous
	Anonymous     bool
	Fields        []FieldValue
	StageName     string // client-facing
	StageKind     StageKind
	SharedAt      time.Time
	MyRating      int     // this contact's stars, 0 for none
	AvgRating     float64 // all of the client's contacts
	Ratings       int
}

// Field returns a visible field's value, "" when hidden or empty.
func (c *PortalCandidate) Field(f CandidateField) string {
	for _, v := range c.Fields {
		if v.Field == f {
			return v.Value
		}
	}
	return ""
}

// PortalEvent is a client-facing line of a candidate's history.
type PortalEvent struct {
	At   time.Time
	Who  string
	Text string
	// Activity is the client-facing name of what happened (a
	// ClientActivities name, or the agency's own for it), "" for a line
	// that isn't one of those activities.
	Activity string
	// Renamed lines read the agency's name for the activity as their Text
	// ("Scored: 4 of 5 stars"), so pages show it first and who did it after.
	Renamed bool
}

// PortalFeedback is feedback a contact of the client gave.
type PortalFeedback struct {
	ContactName string
	Body        string
	At          time.Time
}

// PortalInterview is an interview request and its proposed times.
type PortalInterview struct {
	ID          int64
	ContactName string
	Note        string
	Slots       []time.Time
	Status      string
	At          time.Time
}

// PortalCandidateDetail is everything the candidate page shows.
type PortalCandidateDetail struct {
	PortalCandidate
	Profile     string // the recruiter's client-facing profile
	ResumeID    int64  // 0 when no résumé is shared
	ResumeName  string
	ResumeIsPDF bool
	Documents   []PortalDocument // other documents shared with the candidate
	VideoURL    string           // "" unless the video is shared
	History     []PortalEvent
	Feedback    []PortalFeedback
	Interviews  []PortalInterview
	PrevID      int64 // neighbouring shared applications of the job, 0 at the ends
	NextID      int64
	Actions     PortalActions
}

// PortalActions are what the contact may do with a candidate now.
type PortalActions struct {
	Rate, Feedback, Interview, Approve, Hire, Reject bool
}

// PortalDocument is a document shared with a candidate.
type PortalDocument struct {
	ID    int64
	Name  string
	Kind  DocumentKind
	IsPDF bool
}

// ActivitySummary counts a job's or a contact's recent activity.
type ActivitySummary struct {
	Items         []SummaryItem // the items the portal settings show, in order
	NewCandidates int           // shared in the period
	Submitted     int           // moved to a submitted-kind stage in the period
	Interviews    int           // interview requests made in the period
	Feedback      int           // feedback given in the period
}

// Shows reports whether the summary shows the item.
func (a ActivitySummary) Shows(item SummaryItem) bool {
	for _, x := range a.Items {
		if x == item {
			return true
		}
	}
	return false
}

// PortalHome is the contact's start page.
type PortalHome struct {
	ContactName   string
	ClientName    string
	PreviousVisit *time.Time
	Jobs          []*PortalJob       // open jobs with at least one shared candidate (the first HomeJobs)
	OpenJobs      int                // how many such jobs there are
	NewCandidates []*PortalCandidate // the newest HomeNew of those shared since the previous visit
	NewTotal      int                // how many were shared since the previous visit (all, on a first visit)
	Week          ActivitySummary
}

// How many jobs and new candidates the home page lists; the counts above
// them are of all.
const (
	HomeJobs = 100
	HomeNew  = 10
)

// FirstName is the contact's first name, for the greeting.
func (h *PortalHome) FirstName() string {
	first, _, _ := strings.Cut(strings.TrimSpace(h.ContactName), " ")
	return first
}

// PortalCandidateFilter selects a job's shared candidates.
type PortalCandidateFilter struct {
	Stage     string // a client-facing stage name; "" for all
	MinRating int    // 1–5; 0 for any
	Offset    int
	Limit     int
}

// PortalViewer is the one door for client-facing reads. ENOTFOUND for any
// job or candidate the contact may not see, exactly as for one that
// doesn't exist.
type PortalViewer interface {
	Home(ctx context.Context) (*PortalHome, error)
	Job(ctx context.Context, jobID int64) (*PortalJob, error)
	Candidates(ctx context.Context, jobID int64, f PortalCandidateFilter) ([]*PortalCandidate, int, error)
	Candidate(ctx context.Context, jobID, applicationID int64) (*PortalCandidateDetail, error)
	// Resume returns the shared résumé of a candidate.
	Resume(ctx context.Context, jobID, applicationID int64) (*Document, []byte, error)
	// Document returns another shared document of a candidate.
	Document(ctx context.Context, jobID, applicationID, documentID int64) (*Document, []byte, error)
	// Columns and SetColumns remember the contact's list columns.
	Columns(ctx context.Context) ([]CandidateField, error)
	SetColumns(ctx context.Context, fields []CandidateField) error
}

// InterviewInput is an interview request: proposed times and a note.
type InterviewInput struct {
	Slots []time.Time
	Note  string
}

// MaxInterviewSlots bounds the proposed times of one request.
const MaxInterviewSlots = 5

// PortalActionService is what a contact does with a shared candidate. Each
// action is one transaction: the change, its event, an alert and an email
// to the job owner, and for interviews and hires a task for them. An
// action the client's portal settings don't allow is EFORBIDDEN; so is
// any action in a preview.
type PortalActionService interface {
	Rate(ctx context.Context, jobID, applicationID int64, stars int) error
	Feedback(ctx context.Context, jobID, applicationID int64, body string) error
	RequestInterview(ctx context.Context, jobID, applicationID int64, in InterviewInput) error
	// Approve moves the application to the settings' approval stage.
	Approve(ctx context.Context, jobID, applicationID int64, note string) error
	Hire(ctx context.Context, jobID, applicationID int64, note string) error
	// Reject needs a reason; it moves the application at once to the
	// agency's rejected-by-client stage.
	Reject(ctx context.Context, jobID, applicationID int64, reason string) error
}
