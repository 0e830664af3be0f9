package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"portico"
)

// portalCandidateColumns are read from applications a JOIN jobs j JOIN
// candidates c. Every detail is read, and cut down to the visible fields
// by toPortal before anything leaves the store.
const portalCandidateColumns = `a.id, a.job_id, j.title, a.stage_id, a.shared_at,
	c.id, c.first_name, c.last_name, c.email, c.phone, c.city, c.current_title, c.current_employer, c.skills, c.summary,
	c.salary_expectation, c.notice_period, c.availability`

const portalCandidateFrom = ` FROM applications a JOIN jobs j ON j.id = a.job_id JOIN candidates c ON c.id = a.candidate_id`

// ratingColumns read the ratings CTE r joined to the application.
const ratingColumns = `, COALESCE(r.avg_stars, 0), COALESCE(r.n, 0), COALESCE(r.mine, 0)`

// sharedRow is a shared application as read, before the visible fields
// are applied.
type sharedRow struct {
	appID, jobID, stageID int64
	jobTitle              string
	sharedAt              time.Time
	cand                  portico.Candidate
	avg                   float64
	ratings, mine         int
}

func scanShared(sc interface{ Scan(...any) error }, withRatings bool, extra ...any) (*sharedRow, error) {
	var r sharedRow
	c := &r.cand
	dest := []any{&r.appID, &r.jobID, &r.jobTitle, &r.stageID, &r.sharedAt,
		&c.ID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.City, &c.CurrentTitle, &c.CurrentEmployer, &c.Skills, &c.Summary,
		&c.SalaryExpectation, &c.NoticePeriod, &c.Availability}
	if withRatings {
		dest = append(dest, &r.avg, &r.ratings, &r.mine)
	}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	r.sharedAt = r.sharedAt.UTC()
	return &r, nil
}

// toPortal is the candidate as the client may see them: the name or, for
// an anonymous profile, the reference; the visible fields; the client's
// stage name. Nothing else is copied.
func (r *sharedRow) toPortal(v portico.Visibility, p *pipeline) *portico.PortalCandidate {
	stage := p.stageOf(r.stageID)
	out := &portico.PortalCandidate{
		ApplicationID: r.appID, JobID: r.jobID, JobTitle: r.jobTitle,
		Anonymous: v.Anonymous, StageName: stage.name, StageKind: stage.kind, SharedAt: r.sharedAt,
		MyRating: r.mine, AvgRating: r.avg, Ratings: r.ratings, Fields: []portico.FieldValue{},
	}
	if v.Anonymous {
		out.Name = portico.Reference(r.cand.ID)
	} else {
		out.Name = r.cand.Name()
	}
	for _, f := range v.Fields {
		out.Fields = append(out.Fields, portico.FieldValue{Field: f, Label: f.Label(), Value: f.Value(&r.cand)})
	}
	return out
}

// ratingsCTE is a WITH clause naming r: per shared application of a job,
// the average stars of the client's contacts, how many rated, and the
// acting contact's own stars. One grouped query for a whole page.
func ratingsCTE(sc portalScope, jobID int64) (string, []any) {
	return `WITH r AS (SELECT rt.application_id, AVG(CAST(rt.stars AS DOUBLE PRECISION)) AS avg_stars, COUNT(*) AS n,
			MAX(CASE WHEN rt.contact_id = ? THEN rt.stars ELSE 0 END) AS mine
		FROM ratings rt JOIN applications ra ON ra.id = rt.application_id JOIN contacts rk ON rk.id = rt.contact_id
		WHERE ra.job_id = ? AND ra.shared_at IS NOT NULL AND rk.client_id = ?
		GROUP BY rt.application_id) `, []any{sc.contactID, jobID, sc.clientID}
}

// portalCandidates reads shared applications (the query's tail is its
// WHERE, ORDER BY and LIMIT) and applies each job's visible fields. With
// the ratings CTE (with, whose arguments come first), each has its ratings.
func (s *PortalService) portalCandidates(ctx context.Context, c conn, sc portalScope, p *pipeline, with, tail string, args []any) ([]*portico.PortalCandidate, error) {
	withRatings := with != ""
	q := with + `SELECT ` + portalCandidateColumns
	if withRatings {
		q += ratingColumns
	}
	q += portalCandidateFrom
	if withRatings {
		q += ` LEFT JOIN r ON r.application_id = a.id`
	}
	rows, err := c.query(ctx, q+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var raw []*sharedRow
	jobs := map[int64]bool{}
	var jobIDs []int64
	for rows.Next() {
		r, err := scanShared(rows, withRatings)
		if err != nil {
			return nil, err
		}
		raw = append(raw, r)
		if !jobs[r.jobID] {
			jobs[r.jobID] = true
			jobIDs = append(jobIDs, r.jobID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	vis, err := loadVisibilities(ctx, c, sc.clientID, jobIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*portico.PortalCandidate, 0, len(raw))
	for _, r := range raw {
		out = append(out, r.toPortal(vis.of(r.jobID), p))
	}
	return out, nil
}

// Candidates returns a page of a job's shared candidates in board order,
// filtered by client stage and by the least average rating, and the total.
func (s *PortalService) Candidates(ctx context.Context, jobID int64, f portico.PortalCandidateFilter) ([]*portico.PortalCandidate, int, error) {
	if f.MinRating < 0 || f.MinRating > 5 {
		return nil, 0, portico.FieldError("rating", "Choose a rating from 1 to 5 stars, or any rating.")
	}
	c := (*DB)(s).read()
	sc, err := loadScope(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	if err := sc.checkJob(ctx, c, jobID); err != nil {
		return nil, 0, err
	}
	_, p, err := clientView(ctx, c, sc)
	if err != nil {
		return nil, 0, err
	}
	with, withArgs := ratingsCTE(sc, jobID)
	where := ` WHERE a.job_id = ? AND a.shared_at IS NOT NULL`
	args := []any{jobID}
	if f.Stage != "" {
		cs := p.named(f.Stage)
		if cs == nil {
			return []*portico.PortalCandidate{}, 0, nil // no such stage: no one in it
		}
		where += ` AND a.stage_id IN (` + placeholders(len(cs.ids)) + `)`
		for _, id := range cs.ids {
			args = append(args, id)
		}
	}
	if f.MinRating > 0 {
		where += ` AND COALESCE(r.avg_stars, 0) >= ?`
		args = append(args, float64(f.MinRating))
	}
	var total int
	count, countArgs := `SELECT COUNT(*) FROM applications a`+where, args
	if f.MinRating > 0 {
		count = with + `SELECT COUNT(*) FROM applications a LEFT JOIN r ON r.application_id = a.id` + where
		countArgs = append(append([]any{}, withArgs...), args...)
	}
	if err := c.queryRow(ctx, count, countArgs...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return []*portico.PortalCandidate{}, 0, nil
	}
	offset, limit := page(f.Offset, f.Limit)
	list, err := s.portalCandidates(ctx, c, sc, p, with, where+` ORDER BY `+p.orderBy()+` LIMIT ? OFFSET ?`,
		append(append(append([]any{}, withArgs...), args...), limit, offset))
	return list, total, err
}

// Candidate returns everything the candidate page shows of a shared
// candidate of a job the contact may see.
func (s *PortalService) Candidate(ctx context.Context, jobID, applicationID int64) (*portico.PortalCandidateDetail, error) {
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
	cond, scopeArgs := sc.jobs()
	with, withArgs := ratingsCTE(sc, jobID)
	var profile, videoURL string
	var resumeID sql.NullInt64
	var shareVideo bool
	r, err := scanShared(c.queryRow(ctx, with+`SELECT `+portalCandidateColumns+ratingColumns+`, a.shared_profile, a.shared_resume_id, a.share_video, c.video_url`+
		portalCandidateFrom+` LEFT JOIN r ON r.application_id = a.id
		WHERE a.id = ? AND a.job_id = ? AND a.shared_at IS NOT NULL AND `+cond,
		append(append(withArgs, applicationID, jobID), scopeArgs...)...), true, &profile, &resumeID, &shareVideo, &videoURL)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("candidate")
	} else if err != nil {
		return nil, err
	}
	vis, err := loadVisibilities(ctx, c, sc.clientID, []int64{jobID})
	if err != nil {
		return nil, err
	}
	d := &portico.PortalCandidateDetail{PortalCandidate: *r.toPortal(vis.of(jobID), p), Profile: profile,
		History: []portico.PortalEvent{}, Feedback: []portico.PortalFeedback{}, Interviews: []portico.PortalInterview{},
		Documents: []portico.PortalDocument{}, Actions: allowedActions(p.kindOf(r.stageID), set.Allow)}
	if shareVideo {
		d.VideoURL = videoURL
	}
	if resumeID.Valid {
		var contentType string
		err := c.queryRow(ctx, `SELECT id, filename, content_type FROM documents WHERE id = ? AND candidate_id = ? AND kind IN (?, ?)`,
			resumeID.Int64, r.cand.ID, string(portico.DocResume), string(portico.DocFormattedResume)).Scan(&d.ResumeID, &d.ResumeName, &contentType)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		d.ResumeIsPDF = d.ResumeID != 0 && contentType == "application/pdf"
		if d.Anonymous && d.ResumeID != 0 {
			d.ResumeName = anonymousFilename(r.cand.ID, portico.DocResume, d.ResumeName)
		}
	}
	if d.Documents, err = sharedDocuments(ctx, c, applicationID, r.cand.ID, d.ResumeID, d.Anonymous); err != nil {
		return nil, err
	}
	if d.History, err = s.history(ctx, c, sc, set, p, applicationID); err != nil {
		return nil, err
	}
	if d.Feedback, err = feedbackOf(ctx, c, sc, applicationID); err != nil {
		return nil, err
	}
	if d.Interviews, err = interviewsOf(ctx, c, sc, applicationID); err != nil {
		return nil, err
	}
	if d.PrevID, d.NextID, err = neighbours(ctx, c, p, jobID, applicationID); err != nil {
		return nil, err
	}
	return d, nil
}

// neighbours returns the shared applications before and after one, in
// board order.
func neighbours(ctx context.Context, c conn, p *pipeline, jobID, applicationID int64) (prev, next int64, err error) {
	rows, err := c.query(ctx, `SELECT a.id FROM applications a WHERE a.job_id = ? AND a.shared_at IS NOT NULL ORDER BY `+p.orderBy(), jobID)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, 0, err
		}
		switch {
		case id == applicationID:
			found = true
		case found:
			return prev, id, nil
		default:
			prev = id
		}
	}
	if !found {
		prev = 0
	}
	return prev, 0, rows.Err()
}

// feedbackOf returns the feedback the client's contacts gave, newest first.
func feedbackOf(ctx context.Context, c conn, sc portalScope, applicationID int64) ([]portico.PortalFeedback, error) {
	rows, err := c.query(ctx, `SELECT k.name, f.body, f.created_at FROM feedback f JOIN contacts k ON k.id = f.contact_id
		WHERE f.application_id = ? AND k.client_id = ? ORDER BY f.id DESC LIMIT 200`, applicationID, sc.clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []portico.PortalFeedback{}
	for rows.Next() {
		var f portico.PortalFeedback
		if err := rows.Scan(&f.ContactName, &f.Body, &f.At); err != nil {
			return nil, err
		}
		f.At = f.At.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

// interviewsOf returns the interview requests of the client's contacts,
// newest first, each with its proposed times in order.
func interviewsOf(ctx context.Context, c conn, sc portalScope, applicationID int64) ([]portico.PortalInterview, error) {
	rows, err := c.query(ctx, `SELECT ir.id, k.name, ir.note, ir.status, ir.created_at FROM interview_requests ir JOIN contacts k ON k.id = ir.contact_id
		WHERE ir.application_id = ? AND k.client_id = ? ORDER BY ir.id DESC LIMIT 100`, applicationID, sc.clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []portico.PortalInterview{}
	at := map[int64]int{}
	for rows.Next() {
		var iv portico.PortalInterview
		if err := rows.Scan(&iv.ID, &iv.ContactName, &iv.Note, &iv.Status, &iv.At); err != nil {
			return nil, err
		}
		iv.At = iv.At.UTC()
		at[iv.ID] = len(out)
		out = append(out, iv)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows.Close()
	slots, err := c.query(ctx, `SELECT s.request_id, s.starts_at FROM interview_slots s JOIN interview_requests ir ON ir.id = s.request_id
		WHERE ir.application_id = ? ORDER BY s.starts_at, s.id`, applicationID)
	if err != nil {
		return nil, err
	}
	defer slots.Close()
	for slots.Next() {
		var id int64
		var t time.Time
		if err := slots.Scan(&id, &t); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Slots = append(out[i].Slots, t.UTC())
		}
	}
	return out, slots.Err()
}

// Resume returns the résumé shared with a shared candidate of a job the
// contact may see: ENOTFOUND when none is shared.
func (s *PortalService) Resume(ctx context.Context, jobID, applicationID int64) (*portico.Document, []byte, error) {
	c := (*DB)(s).read()
	sc, err := loadScope(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if _, err := sc.sharedApplication(ctx, c, jobID, applicationID); err != nil {
		return nil, nil, err
	}
	var content []byte
	d, err := scanDocument(c.queryRow(ctx, `SELECT `+documentColumns+`, d.content`+documentFrom+`
		JOIN applications a ON a.shared_resume_id = d.id AND a.candidate_id = d.candidate_id
		WHERE a.id = ? AND d.kind IN (?, ?)`, applicationID, string(portico.DocResume), string(portico.DocFormattedResume)), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("résumé")
	} else if err != nil {
		return nil, nil, err
	}
	// Who at the agency uploaded it is the agency's business.
	d.UploadedBy, d.UploaderName = 0, ""
	if err := anonymize(ctx, c, sc, jobID, d); err != nil {
		return nil, nil, err
	}
	return d, content, nil
}
