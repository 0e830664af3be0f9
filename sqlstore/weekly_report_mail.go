package sqlstore

import (
	"strconv"
	"time"

	"portico"
)

// The weekly report's email: a section per job with news, in the chosen
// columns, the quiet jobs named at the end, a button to the portal and a
// one-click unsubscribe link (also in the List-Unsubscribe headers, so mail
// clients can offer their own button).

// reportHeadings are the columns' headings in the email.
var reportHeadings = map[portico.ReportColumn]string{
	portico.ReportNewCandidates: "New candidates",
	portico.ReportStageChanges:  "Stage changes",
	portico.ReportInterviews:    "Interview requests",
	portico.ReportFeedback:      "Feedback",
}

// reportMailJob is a job's section of the email.
type reportMailJob struct {
	Title    string
	Sections []reportMailSection
}

type reportMailSection struct {
	Heading string
	Lines   []string
}

// siteURL makes absolute addresses, for the List-Unsubscribe header; the
// mail package's composer does.
type siteURL interface{ URL(path string) string }

// queueReport records the report's event and queues its email.
func (tx *Tx) queueReport(b *reportBuild, loc *time.Location) error {
	r := b.report
	news, jobs, quiet := reportMail(r, loc)
	ev, err := tx.record(change{action: "contact.weekly_report_sent", subjectType: "contact", subjectID: r.ContactID, clientID: b.scope.clientID,
		details: map[string]string{"name": r.ContactName, "email": b.email, "week": r.WeekStart.In(loc).Format(time.DateOnly),
			"new_candidates": strconv.Itoa(news), "jobs": strconv.Itoa(len(r.Jobs))}})
	if err != nil {
		return err
	}
	unsubscribe, err := tx.unsubscribeLink(r.ContactID)
	if err != nil {
		return err
	}
	brand, err := brandFor(tx.ctx, tx.conn, b.scope.clientID)
	if err != nil {
		return err
	}
	agency := agencyName(tx.ctx, tx.conn)
	showNew := false
	for _, c := range r.Columns {
		showNew = showNew || c == portico.ReportNewCandidates
	}
	msg, err := tx.db.Mail.Compose("weekly_report", []string{b.email}, map[string]any{
		"Name": r.ContactName, "Agency": agency, "SiteName": agency, "Brand": brand, "Client": r.ClientName,
		"Week": weekText(r.WeekStart, r.WeekEnd, loc), "ShowNew": showNew, "NewCandidates": news,
		"Jobs": jobs, "Quiet": quiet, "Path": "/portal", "Unsubscribe": unsubscribe,
	})
	if err != nil {
		return err
	}
	if u, ok := tx.db.Mail.(siteURL); ok {
		msg.Headers = map[string]string{
			"List-Unsubscribe":      "<" + u.URL(unsubscribe) + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	}
	return tx.enqueueEmail(msg, ev)
}

// reportMail words the report's jobs for the email: the count of new
// candidates, the sections of the jobs with news, the titles of the rest.
func reportMail(r *portico.WeeklyReport, loc *time.Location) (int, []reportMailJob, []string) {
	news := 0
	jobs := []reportMailJob{}
	quiet := []string{}
	for _, j := range r.Jobs {
		news += len(j.NewCandidates)
		mj := reportMailJob{Title: j.Title}
		for _, col := range r.Columns {
			sec := reportMailSection{Heading: reportHeadings[col]}
			switch col {
			case portico.ReportNewCandidates:
				sec.Lines = j.NewCandidates
			case portico.ReportStageChanges:
				sec.Lines = reportLines(j.StageChanges, loc)
			case portico.ReportInterviews:
				sec.Lines = reportLines(j.Interviews, loc)
			case portico.ReportFeedback:
				sec.Lines = reportLines(j.Feedback, loc)
			}
			if len(sec.Lines) > 0 {
				mj.Sections = append(mj.Sections, sec)
			}
		}
		if len(mj.Sections) == 0 {
			quiet = append(quiet, j.Title)
		} else {
			jobs = append(jobs, mj)
		}
	}
	return news, jobs, quiet
}

// reportLines words lines as "Alex Smith — Stage changed: Submitted →
// Interview (Tue 3 Mar)".
func reportLines(ls []portico.WeeklyReportLine, loc *time.Location) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Candidate + " — " + l.Text + " (" + l.At.In(loc).Format("Mon 2 Jan") + ")"
	}
	return out
}

// weekText is a week as people say it: "23 February – 1 March 2026", the
// last day being the Sunday before end.
func weekText(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc).AddDate(0, 0, -1)
	switch {
	case s.Year() != e.Year():
		return s.Format("2 January 2006") + " – " + e.Format("2 January 2006")
	case s.Month() != e.Month():
		return s.Format("2 January") + " – " + e.Format("2 January 2006")
	}
	return s.Format("2") + " – " + e.Format("2 January 2006")
}
