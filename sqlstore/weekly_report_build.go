package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"portico"
)

// What a weekly report says. It is read through the portal's own scope, as
// the contact: their client's jobs, all or the chosen ones; shared
// candidates only, named as the job's visible fields allow (a reference
// for an anonymous profile); stages by the client's names, with the
// client's own renaming; activities by the client's names. Internal notes,
// internal stage names and unshared candidates never reach it, as the
// event details that hold them are never copied.

// maxReportEvents bounds the events one report reads; maxReportJobs the
// jobs it lists.
const (
	maxReportEvents = 2000
	maxReportJobs   = 200
)

// reportBuild is a report with what its email needs.
type reportBuild struct {
	report   *portico.WeeklyReport
	scope    portalScope
	email    string
	settings *portico.PortalSettings
}

// reportActions are the events each column reads.
var reportActions = map[portico.ReportColumn]string{
	portico.ReportNewCandidates: "application.shared",
	portico.ReportStageChanges:  "application.moved",
	portico.ReportInterviews:    "portal.interview_requested",
	portico.ReportFeedback:      "portal.feedback",
}

// buildReport reads a contact's week, from start (inclusive) to end.
func buildReport(ctx context.Context, db *DB, c conn, contactID int64, start, end time.Time) (*reportBuild, error) {
	// The portal's scope answers to the contact acting: the report reads
	// exactly what they would read signed in.
	asContact := portico.NewContextWithActor(ctx, portico.Actor{Kind: portico.ActorContact, ID: contactID})
	sc, err := loadScope(asContact, c)
	if err != nil {
		return nil, err
	}
	settings, err := settingsFor(ctx, c, sc.clientID)
	if err != nil {
		return nil, err
	}
	p, err := loadClientPipeline(ctx, c, settings)
	if err != nil {
		return nil, err
	}
	b := &reportBuild{scope: sc, settings: settings, report: &portico.WeeklyReport{
		ContactID: sc.contactID, ContactName: sc.name, ClientName: sc.clientName,
		WeekStart: start.UTC(), WeekEnd: end.UTC(), Columns: reportColumns(settings), Jobs: []portico.WeeklyReportJob{},
	}}
	if err := c.queryRow(ctx, `SELECT email FROM contacts WHERE id = ?`, contactID).Scan(&b.email); err != nil {
		return nil, err
	}
	byJob, err := reportEvents(ctx, (*PortalService)(db), c, sc, p, settings, b.report)
	if err != nil {
		return nil, err
	}
	if err := reportJobs(ctx, c, sc, b.report, byJob); err != nil {
		return nil, err
	}
	return b, nil
}

// reportColumns are the settings' columns in report order.
func reportColumns(s *portico.PortalSettings) []portico.ReportColumn {
	out := []portico.ReportColumn{}
	for _, col := range portico.ReportColumns {
		if slices.Contains(s.ReportColumns, col) {
			out = append(out, col)
		}
	}
	return out
}

// reportEvent is an event of the week as read, before names are known.
type reportEvent struct {
	at            time.Time
	action        string
	applicationID int64
	jobID         int64
	actorKind     string
	actorID       int64
	actorName     string
	details       map[string]string
}

// reportEvents reads the week's events of the chosen columns on shared
// candidates of the contact's jobs and words them, by job.
func reportEvents(ctx context.Context, v *PortalService, c conn, sc portalScope, p *pipeline, s *portico.PortalSettings, r *portico.WeeklyReport) (map[int64]*portico.WeeklyReportJob, error) {
	byJob := map[int64]*portico.WeeklyReportJob{}
	var actions []any
	for _, col := range r.Columns {
		actions = append(actions, reportActions[col])
	}
	if len(actions) == 0 {
		return byJob, nil
	}
	cond, jobArgs := sc.jobs()
	// Only what happened while the candidate was shared: a move before
	// they were shared is the agency's business.
	// Other clients' people's actions (on a job since moved to this
	// client) stay theirs.
	args := append(append(append([]any{}, jobArgs...), actions...), r.WeekStart, r.WeekEnd, sc.clientID, maxReportEvents)
	rows, err := c.query(ctx, `SELECT e.at, e.action, e.subject_id, e.job_id, e.actor_kind, e.actor_id, e.actor_name, e.details
		FROM events e JOIN applications a ON a.id = e.subject_id
		WHERE e.job_id IN (SELECT j.id FROM jobs j WHERE `+cond+`) AND e.subject_type = 'application'
		AND e.action IN (`+placeholders(len(actions))+`) AND e.at >= ? AND e.at < ?
		AND a.job_id = e.job_id AND a.shared_at IS NOT NULL AND e.at >= a.shared_at
		AND (e.actor_kind <> 'contact' OR e.actor_id IN (SELECT k.id FROM contacts k WHERE k.client_id = ?))
		ORDER BY e.id LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []reportEvent
	apps := map[int64]bool{}
	var appIDs []any
	for rows.Next() {
		var e reportEvent
		var details string
		if err := rows.Scan(&e.at, &e.action, &e.applicationID, &e.jobID, &e.actorKind, &e.actorID, &e.actorName, &details); err != nil {
			return nil, err
		}
		e.at, e.details = e.at.UTC(), decodeDetails(details)
		evs = append(evs, e)
		if !apps[e.applicationID] {
			apps[e.applicationID] = true
			appIDs = append(appIDs, e.applicationID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	names, err := reportNames(ctx, v, c, sc, p, appIDs)
	if err != nil {
		return nil, err
	}
	shared := map[int64]bool{}
	for _, e := range evs {
		name, ok := names[e.applicationID]
		if !ok {
			continue // not shared any more
		}
		j := byJob[e.jobID]
		if j == nil {
			j = &portico.WeeklyReportJob{JobID: e.jobID}
			byJob[e.jobID] = j
		}
		line := portico.WeeklyReportLine{At: e.at, Candidate: name}
		switch e.action {
		case "application.shared":
			if !shared[e.applicationID] {
				shared[e.applicationID] = true
				j.NewCandidates = append(j.NewCandidates, name)
			}
		case "application.moved":
			if line.Text = stageChangeText(e.details, p, s); line.Text != "" {
				j.StageChanges = append(j.StageChanges, line)
			}
		case "portal.interview_requested":
			line.Text = s.ActivityName("application.interview_requested") + " by " + reportWho(e, sc)
			if t := strings.TrimSpace(e.details["times"]); t != "" {
				line.Text += ": " + t
			}
			j.Interviews = append(j.Interviews, line)
		case "portal.feedback":
			line.Text = s.ActivityName("application.feedback") + " from " + reportWho(e, sc)
			if x := strings.TrimSpace(e.details["excerpt"]); x != "" {
				line.Text += ": “" + x + "”"
			}
			j.Feedback = append(j.Feedback, line)
		}
	}
	for id, j := range byJob {
		if len(j.NewCandidates)+len(j.StageChanges)+len(j.Interviews)+len(j.Feedback) == 0 {
			delete(byJob, id)
		}
	}
	return byJob, nil
}

// reportNames returns the client-facing name of each application that is
// still shared on a job the contact may see, through the viewer's own
// reading of shared candidates (visible fields, anonymous references).
func reportNames(ctx context.Context, v *PortalService, c conn, sc portalScope, p *pipeline, appIDs []any) (map[int64]string, error) {
	names := map[int64]string{}
	if len(appIDs) == 0 {
		return names, nil
	}
	cond, args := sc.jobs()
	list, err := v.portalCandidates(ctx, c, sc, p, "",
		` WHERE a.id IN (`+placeholders(len(appIDs))+`) AND a.shared_at IS NOT NULL AND `+cond, append(append([]any{}, appIDs...), args...))
	if err != nil {
		return nil, err
	}
	for _, pc := range list {
		names[pc.ApplicationID] = pc.Name
	}
	return names, nil
}

// stageChangeText words a move in the client's stage names, "" for a move
// between stages the client sees as one.
func stageChangeText(d map[string]string, p *pipeline, s *portico.PortalSettings) string {
	to, ok := parseID(d["to_id"])
	if !ok {
		return ""
	}
	dest := p.stageOf(to)
	text := s.ActivityName("application.moved") + ": "
	if from, ok := parseID(d["from_id"]); ok {
		src := p.stageOf(from)
		if src == dest {
			return ""
		}
		text += src.name + " → "
	}
	return text + dest.name
}

// reportWho names the client's person who acted: "you" for the reader.
func reportWho(e reportEvent, sc portalScope) string {
	if e.actorKind == string(portico.ActorContact) && e.actorID == sc.contactID {
		return "you"
	}
	if e.actorName == "" {
		return "your team"
	}
	return e.actorName
}

// reportJobs lists the jobs of the report: those with news first, then the
// open ones that had none, each by title.
func reportJobs(ctx context.Context, c conn, sc portalScope, r *portico.WeeklyReport, byJob map[int64]*portico.WeeklyReportJob) error {
	cond, args := sc.jobs()
	var busy []any
	for id := range byJob {
		busy = append(busy, id)
	}
	if len(busy) > 0 {
		err := reportJobTitles(ctx, c, `SELECT j.id, j.title FROM jobs j WHERE j.id IN (`+placeholders(len(busy))+`) AND `+cond+` ORDER BY j.title, j.id`,
			append(busy, args...), func(id int64, title string) {
				j := byJob[id]
				j.Title = title
				r.Jobs = append(r.Jobs, *j)
			})
		if err != nil {
			return err
		}
	}
	q := `SELECT j.id, j.title FROM jobs j WHERE j.status = ? AND ` + cond
	qargs := append([]any{string(portico.JobOpen)}, args...)
	if len(busy) > 0 {
		q += ` AND j.id NOT IN (` + placeholders(len(busy)) + `)`
		qargs = append(qargs, busy...)
	}
	return reportJobTitles(ctx, c, q+` ORDER BY j.title, j.id LIMIT ?`, append(qargs, maxReportJobs), func(id int64, title string) {
		r.Jobs = append(r.Jobs, portico.WeeklyReportJob{JobID: id, Title: title})
	})
}

// reportJobTitles runs a query of job IDs and titles.
func reportJobTitles(ctx context.Context, c conn, q string, args []any, fn func(id int64, title string)) error {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return err
		}
		fn(id, title)
	}
	return rows.Err()
}
