package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"portico"
)

// PortalService implements portico.PortalViewer: the one door through
// which a client contact sees anything. Each method loads the acting
// contact's scope first (portal_access.go) and every query it runs is
// bounded by it: the contact's client, the jobs their access allows,
// shared applications only. Candidates' details are cut down to the visible
// fields here, so nothing else ever reaches a portal page.
type PortalService DB

// portalService returns the service.
func (db *DB) portalService() portico.PortalViewer { return (*PortalService)(db) }

// portalJobColumns are read from jobs j LEFT JOIN locations l JOIN users u
// (the job's owner: the recruiter the client deals with).
const portalJobColumns = `j.id, j.title, j.description, COALESCE(l.name, ''), j.type, j.openings, j.status, j.start_date, u.name, u.email, u.phone`

const portalJobFrom = ` FROM jobs j LEFT JOIN locations l ON l.id = j.location_id JOIN users u ON u.id = j.owner_id`

func scanPortalJob(sc interface{ Scan(...any) error }, extra ...any) (*portico.PortalJob, error) {
	var j portico.PortalJob
	var typ, status, start string
	if err := sc.Scan(append([]any{&j.ID, &j.Title, &j.Description, &j.LocationName, &typ, &j.Openings, &status, &start,
		&j.OwnerName, &j.OwnerEmail, &j.OwnerPhone}, extra...)...); err != nil {
		return nil, err
	}
	j.Type, j.Status, j.StartDate = portico.JobType(typ), portico.JobStatus(status), portico.Date(start)
	return &j, nil
}

// freshCase counts an application (aliased a) as new when it was shared
// after the previous visit; on a first visit everything shared is new.
func freshCase(since *time.Time) (string, []any) {
	if since == nil {
		return `1`, nil
	}
	return `CASE WHEN a.shared_at > ? THEN 1 ELSE 0 END`, []any{since.UTC()}
}

// Home returns the contact's start page: their open jobs with shared
// candidates, who is new since their previous visit, and the last 7 days.
func (s *PortalService) Home(ctx context.Context) (*portico.PortalHome, error) {
	db := (*DB)(s)
	c := db.read()
	sc, err := loadScope(ctx, c)
	if err != nil {
		return nil, err
	}
	set, p, err := clientView(ctx, c, sc)
	if err != nil {
		return nil, err
	}
	h := &portico.PortalHome{ContactName: sc.name, ClientName: sc.clientName, PreviousVisit: sc.previousVisit,
		Jobs: []*portico.PortalJob{}, NewCandidates: []*portico.PortalCandidate{}}
	if err := s.homeJobs(ctx, c, sc, set, p, h); err != nil {
		return nil, err
	}
	if err := s.homeNew(ctx, c, sc, p, h); err != nil {
		return nil, err
	}
	week, err := s.activity(ctx, c, sc, p, db.now().Add(-7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	week.Items = append([]portico.SummaryItem{}, set.Summary...)
	h.Week = week
	return h, nil
}

// homeJobs fills the open jobs that have a shared candidate, those with the
// latest shares first, each with its counts per client stage.
func (s *PortalService) homeJobs(ctx context.Context, c conn, sc portalScope, set *portico.PortalSettings, p *pipeline, h *portico.PortalHome) error {
	cond, args := sc.jobs()
	openJobs := `SELECT j.id FROM jobs j WHERE j.status = ? AND ` + cond
	openArgs := append([]any{string(portico.JobOpen)}, args...)
	fresh, freshArgs := freshCase(sc.previousVisit)
	perJob := `SELECT a.job_id, COUNT(*) AS n, SUM(` + fresh + `) AS fresh, MAX(a.shared_at) AS latest FROM applications a
		WHERE a.shared_at IS NOT NULL AND a.job_id IN (` + openJobs + `) GROUP BY a.job_id`
	perArgs := append(append([]any{}, freshArgs...), openArgs...)

	rows, err := c.query(ctx, `SELECT `+portalJobColumns+`, sc.n, sc.fresh`+portalJobFrom+`
		JOIN (`+perJob+`) sc ON sc.job_id = j.id ORDER BY sc.latest DESC, j.id DESC LIMIT ?`, append(perArgs, portico.HomeJobs)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var shared, fresh int
		j, err := scanPortalJob(rows, &shared, &fresh)
		if err != nil {
			return err
		}
		j.Shared, j.NewSince = shared, fresh
		h.Jobs = append(h.Jobs, j)
		ids = append(ids, j.ID)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	// A full page may not be all of them: count them. Most contacts have
	// fewer jobs than a page, and then the page is the count.
	h.OpenJobs = len(h.Jobs)
	if h.OpenJobs == portico.HomeJobs {
		if err := c.queryRow(ctx, `SELECT COUNT(*) FROM (`+perJob+`) x`, perArgs...).Scan(&h.OpenJobs); err != nil {
			return err
		}
	}
	if h.OpenJobs == 0 {
		return nil
	}
	counts, err := stageCounts(ctx, c, ids, set.CountSharedOnly)
	if err != nil {
		return err
	}
	for _, j := range h.Jobs {
		j.Stages = p.counts(counts[j.ID], set.CountStageIDs...)
	}
	return nil
}

// stageCounts returns the applications of jobs per agency stage: the
// shared ones, or all of them when the settings count every candidate
// (only ever as numbers: no unshared candidate is named).
func stageCounts(ctx context.Context, c conn, jobIDs []any, sharedOnly bool) (map[int64]map[int64]int, error) {
	out := map[int64]map[int64]int{}
	if len(jobIDs) == 0 {
		return out, nil
	}
	shared := ``
	if sharedOnly {
		shared = `a.shared_at IS NOT NULL AND `
	}
	rows, err := c.query(ctx, `SELECT a.job_id, a.stage_id, COUNT(*) FROM applications a
		WHERE `+shared+`a.job_id IN (`+placeholders(len(jobIDs))+`) GROUP BY a.job_id, a.stage_id`, jobIDs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var job, stage int64
		var n int
		if err := rows.Scan(&job, &stage, &n); err != nil {
			return nil, err
		}
		if out[job] == nil {
			out[job] = map[int64]int{}
		}
		out[job][stage] = n
	}
	return out, rows.Err()
}

// homeNew fills the candidates shared since the previous visit, on any
// job the contact may see, newest first.
func (s *PortalService) homeNew(ctx context.Context, c conn, sc portalScope, p *pipeline, h *portico.PortalHome) error {
	cond, args := sc.jobs()
	where := ` WHERE a.shared_at IS NOT NULL AND a.job_id IN (SELECT j.id FROM jobs j WHERE ` + cond + `)`
	if sc.previousVisit != nil {
		where += ` AND a.shared_at > ?`
		args = append(args, sc.previousVisit.UTC())
	}
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM applications a`+where, args...).Scan(&h.NewTotal); err != nil {
		return err
	}
	if h.NewTotal == 0 {
		return nil
	}
	list, err := s.portalCandidates(ctx, c, sc, p, "", where+` ORDER BY a.shared_at DESC, a.id DESC LIMIT ?`, append(args, portico.HomeNew))
	if err != nil {
		return err
	}
	h.NewCandidates = list
	return nil
}

// activity counts, on the jobs the contact may see, the candidates shared
// since a moment and still shared, those of them moved into a submitted
// stage since then (from the events of their moves), and the interview
// requests and feedback the client's contacts gave on shared candidates.
func (s *PortalService) activity(ctx context.Context, c conn, sc portalScope, p *pipeline, since time.Time) (portico.ActivitySummary, error) {
	var out portico.ActivitySummary
	cond, args := sc.jobs()
	jobs := `SELECT j.id FROM jobs j WHERE ` + cond
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM applications a WHERE a.shared_at IS NOT NULL AND a.shared_at >= ? AND a.job_id IN (`+jobs+`)`,
		append([]any{since}, args...)...).Scan(&out.NewCandidates); err != nil {
		return out, err
	}
	for _, x := range []struct {
		table string
		n     *int
	}{{"interview_requests", &out.Interviews}, {"feedback", &out.Feedback}} {
		// Semi-joins, not joins: a join lets PostgreSQL's planner, short
		// of statistics on a small table, pair every row with every other.
		if err := c.queryRow(ctx, `SELECT COUNT(*) FROM `+x.table+` x
			WHERE x.created_at >= ? AND x.contact_id IN (SELECT k.id FROM contacts k WHERE k.client_id = ?)
			AND x.application_id IN (SELECT a.id FROM applications a WHERE a.shared_at IS NOT NULL AND a.job_id IN (`+jobs+`))`,
			append([]any{since, sc.clientID}, args...)...).Scan(x.n); err != nil {
			return out, err
		}
	}
	// The moves of the period, read through the moves of the contact's
	// jobs from the period's first event on (events_job_moves is (job_id,
	// id) of moves alone), not through every event of every shared
	// candidate: a busy job's history is years long, its week is short, and
	// most of a job's events are not moves. Events are numbered in
	// time order, so the first event at or after since bounds the IDs; the
	// time is checked again for the odd event a clock step put out of order.
	// MATERIALIZED makes both engines take the week's moves first; left to
	// itself, PostgreSQL's planner starts from the shared candidates and
	// reads the job's events once for each.
	rows, err := c.query(ctx, `WITH moves AS MATERIALIZED (SELECT e.subject_id, e.job_id, e.details FROM events e
		WHERE e.job_id IN (`+jobs+`) AND e.id >= (SELECT id FROM events WHERE at >= ? ORDER BY at LIMIT 1)
		AND e.subject_type = 'application' AND e.action = 'application.moved' AND e.at >= ?)
		SELECT m.subject_id, m.details FROM moves m JOIN applications a ON a.id = m.subject_id AND a.job_id = m.job_id
		WHERE a.shared_at IS NOT NULL`, append(append(append([]any{}, args...), since), since)...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var details string
		if err := rows.Scan(&id, &details); err != nil {
			return out, err
		}
		d := decodeDetails(details)
		if to, ok := parseID(d["to_id"]); ok && p.kindOf(to) == portico.KindSubmitted && !seen[id] {
			seen[id] = true
			out.Submitted++
		}
	}
	return out, rows.Err()
}

// Job returns a job the contact may see, with its recruiter and its
// progress: the shared candidates per client stage.
func (s *PortalService) Job(ctx context.Context, jobID int64) (*portico.PortalJob, error) {
	c := (*DB)(s).read()
	sc, err := loadScope(ctx, c)
	if err != nil {
		return nil, err
	}
	cond, args := sc.jobs()
	j, err := scanPortalJob(c.queryRow(ctx, `SELECT `+portalJobColumns+portalJobFrom+` WHERE j.id = ? AND `+cond, append([]any{jobID}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("job")
	} else if err != nil {
		return nil, err
	}
	set, p, err := clientView(ctx, c, sc)
	if err != nil {
		return nil, err
	}
	// One pass over the job's applications: the shared ones always, the
	// others too when the settings count them (as numbers only).
	fresh, freshArgs := freshCase(sc.previousVisit)
	shared := ` AND a.shared_at IS NOT NULL`
	if !set.CountSharedOnly {
		shared = ``
	}
	rows, err := c.query(ctx, `SELECT a.stage_id, COUNT(*), SUM(CASE WHEN a.shared_at IS NULL THEN 0 ELSE 1 END),
		SUM(CASE WHEN a.shared_at IS NULL THEN 0 ELSE `+fresh+` END) FROM applications a
		WHERE a.job_id = ?`+shared+` GROUP BY a.stage_id`, append(freshArgs, jobID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	per := map[int64]int{}
	for rows.Next() {
		var stage int64
		var n, sh, f int
		if err := rows.Scan(&stage, &n, &sh, &f); err != nil {
			return nil, err
		}
		per[stage] = n
		j.Shared += sh
		j.NewSince += f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	j.Stages = p.counts(per, set.CountStageIDs...)
	if j.Recruiters, err = jobRecruiters(ctx, c, jobID); err != nil {
		return nil, err
	}
	vis, err := loadVisibilities(ctx, c, sc.clientID, []int64{jobID})
	if err != nil {
		return nil, err
	}
	j.Visibility = vis.of(jobID)
	return j, nil
}

// DefaultColumns are the list's columns until a contact picks their own.
var DefaultColumns = []portico.CandidateField{portico.FieldCurrentTitle, portico.FieldCity, portico.FieldAvailability, portico.FieldNoticePeriod}

// Columns returns the contact's list columns.
func (s *PortalService) Columns(ctx context.Context) ([]portico.CandidateField, error) {
	sc, err := loadScope(ctx, (*DB)(s).read())
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(sc.columns) == "" {
		return append([]portico.CandidateField(nil), DefaultColumns...), nil
	}
	if sc.columns == noColumns {
		return []portico.CandidateField{}, nil
	}
	return decodeFields(sc.columns), nil
}

// noColumns is stored when a contact chose no columns at all (only names),
// since an empty list means "not chosen yet".
const noColumns = "-"

// SetColumns remembers the contact's list columns. EINVALID for a field
// Portico doesn't know.
func (s *PortalService) SetColumns(ctx context.Context, fields []portico.CandidateField) error {
	if a, err := contactActor(ctx); err != nil {
		return err
	} else if a.PreviewBy != 0 {
		return errPreview // the contact's own choice: a preview leaves it alone
	}
	if len(fields) > len(portico.CandidateFields)*2 {
		return portico.FieldError("field", "Choose up to "+itoa(len(portico.CandidateFields))+" columns.")
	}
	for _, f := range fields {
		if !f.Valid() {
			return portico.FieldError("field", "One of the chosen columns isn't one the portal knows. Reload the page and choose again.")
		}
	}
	cols := encodeFields(fields)
	if cols == "" {
		cols = noColumns
	}
	db := (*DB)(s)
	return db.inTx(ctx, func(tx *Tx) error {
		sc, err := loadScope(ctx, tx.conn)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE contacts SET list_columns = ? WHERE id = ?`, cols, sc.contactID)
		return err
	})
}
