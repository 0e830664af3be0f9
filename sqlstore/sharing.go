package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"portico"
)

// SharingService implements portico.SharingService.
type SharingService DB

// sharingService returns the service.
func (db *DB) sharingService() portico.SharingService { return (*SharingService)(db) }

// maxProfile bounds a client-facing profile.
const maxProfile = 20000

// maxShareBatch bounds how many applications one bulk request may share.
const maxShareBatch = 500

// shareRow is an application's sharing columns with what checks need.
type shareRow struct {
	portico.Share
	videoURL string
}

func findShare(ctx context.Context, c conn, applicationID int64) (shareRow, error) {
	var r shareRow
	var at sql.NullTime
	var by, resume sql.NullInt64
	err := c.queryRow(ctx, `SELECT a.shared_at, a.shared_by, a.shared_resume_id, a.share_video, a.shared_profile, c.video_url
		FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?`, applicationID).
		Scan(&at, &by, &resume, &r.ShareVideo, &r.Profile, &r.videoURL)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("shortlisted candidate")
	}
	if err != nil {
		return r, err
	}
	r.SharedAt, r.SharedBy, r.ResumeID = timePtr(at), by.Int64, resume.Int64
	r.DocumentIDs, err = shareDocumentIDs(ctx, c, applicationID)
	return r, err
}

// FindShare returns an application's share; SharedAt is nil when it is not
// shared (the résumé, video and profile chosen last time stay, so sharing
// again starts from them).
func (s *SharingService) FindShare(ctx context.Context, applicationID int64) (*portico.Share, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	r, err := findShare(ctx, (*DB)(s).read(), applicationID)
	if err != nil {
		return nil, err
	}
	return &r.Share, nil
}

// checkShareInput validates and normalises the share form's input.
func checkShareInput(in *portico.ShareInput) error {
	in.Profile = strings.TrimSpace(strings.ReplaceAll(in.Profile, "\r\n", "\n"))
	v := portico.Validation{}
	v.Check(in.ResumeID >= 0, "resume_id", "Choose one of the candidate's résumés, or none.")
	v.Check(len(in.Profile) <= maxProfile, "profile", "Keep the profile under 20,000 characters.")
	v.Check(len(in.DocumentIDs) <= maxShareDocuments, "document_ids", "Choose up to 50 documents.")
	ids := in.DocumentIDs[:0:0]
	for _, id := range in.DocumentIDs {
		v.Check(id > 0, "document_ids", "Choose from the candidate's documents listed.")
		if id > 0 && id != in.ResumeID && !slices.Contains(ids, id) {
			ids = append(ids, id) // the résumé is shared as such, not again
		}
	}
	slices.Sort(ids)
	in.DocumentIDs = ids
	return v.Err()
}

// maxShareDocuments bounds the documents shared with one candidate.
const maxShareDocuments = 50

// Share shares an application, or updates what is shared with it. The
// stage stays as it is.
func (s *SharingService) Share(ctx context.Context, applicationID int64, in portico.ShareInput) (*portico.Share, error) {
	actor, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkShareInput(&in); err != nil {
		return nil, err
	}
	var out *portico.Share
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockApplication(applicationID); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx.conn, applicationID)
		if err != nil {
			return err
		}
		old, err := findShare(ctx, tx.conn, applicationID)
		if err != nil {
			return err
		}
		if in.ResumeID != 0 {
			if err := tx.checkResume(a.CandidateID, in.ResumeID); err != nil {
				return err
			}
		}
		if in.ShareVideo && old.videoURL == "" {
			return portico.FieldError("share_video", "This candidate has no video résumé link. Add one on the candidate's page first.")
		}
		if err := tx.checkDocuments(a.CandidateID, in.DocumentIDs); err != nil {
			return err
		}
		action := "application.shared"
		sharedAt, sharedBy := tx.now, nullID(userID(actor))
		if old.SharedAt != nil {
			if old.ResumeID == in.ResumeID && old.ShareVideo == in.ShareVideo && old.Profile == in.Profile && slices.Equal(old.DocumentIDs, in.DocumentIDs) {
				out = &old.Share
				return nil // nothing changed: nothing to record
			}
			action = "application.share_updated"
			sharedAt, sharedBy = *old.SharedAt, nullID(old.SharedBy)
		}
		if _, err := tx.exec(ctx, `UPDATE applications SET shared_at = ?, shared_by = ?, shared_resume_id = ?, share_video = ?, shared_profile = ? WHERE id = ?`,
			sharedAt, sharedBy, nullID(in.ResumeID), in.ShareVideo, in.Profile, applicationID); err != nil {
			return err
		}
		if err := tx.setShareDocuments(applicationID, in.DocumentIDs); err != nil {
			return err
		}
		if err := tx.recordApplication(action, a, shareDetails(in.ResumeID, in.ShareVideo, in.DocumentIDs)); err != nil {
			return err
		}
		r, err := findShare(ctx, tx.conn, applicationID)
		out = &r.Share
		return err
	})
	return out, err
}

// shareDetails is what a share event records: which résumé, whether the
// video goes with it, and which other documents. The profile's text stays
// in its column.
func shareDetails(resumeID int64, video bool, documentIDs []int64) map[string]string {
	d := map[string]string{"resume_id": "", "video": "no"}
	if resumeID != 0 {
		d["resume_id"] = strconv.FormatInt(resumeID, 10)
	}
	if video {
		d["video"] = "yes"
	}
	if len(documentIDs) > 0 {
		ids := make([]string, len(documentIDs))
		for i, id := range documentIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		d["document_ids"] = strings.Join(ids, ",")
	}
	return d
}

// checkResume reports EINVALID unless the document is one of the
// candidate's résumés.
func (tx *Tx) checkResume(candidateID, documentID int64) error {
	var kind string
	err := tx.queryRow(tx.ctx, `SELECT kind FROM documents WHERE id = ? AND candidate_id = ?`, documentID, candidateID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return portico.FieldError("resume_id", "That document isn't one of this candidate's. Choose one of the résumés listed, or none.")
	} else if err != nil {
		return err
	}
	if k := portico.DocumentKind(kind); k != portico.DocResume && k != portico.DocFormattedResume {
		return portico.FieldError("resume_id", "Only a résumé or a formatted résumé can be shared. Choose one of the résumés listed, or none.")
	}
	return nil
}

// Unshare hides an application from the client. Its stage stays, and so
// do the résumé, video and profile chosen, for sharing again.
func (s *SharingService) Unshare(ctx context.Context, applicationID int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockApplication(applicationID); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx.conn, applicationID)
		if err != nil {
			return err
		}
		_, err = tx.unshare(a)
		return err
	})
}

// unshare hides one application and records it; it reports false when it
// wasn't shared.
func (tx *Tx) unshare(a application) (bool, error) {
	res, err := tx.exec(tx.ctx, `UPDATE applications SET shared_at = NULL, shared_by = NULL WHERE id = ? AND shared_at IS NOT NULL`, a.ID)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	return true, tx.recordApplication("application.unshared", a, map[string]string{"stage": a.StageName})
}

// shareDefault shares one application that isn't shared yet with what it
// had last time, or else what the client's portal settings attach by
// default (kinds, the newest document of each kind the candidate has; the
// first résumé among them as the résumé) and, when there is one, the
// video. On an anonymous profile nothing is attached by default: a
// candidate's own résumé, files and video name them; the recruiter chooses
// what to share (an anonymised résumé) on the share form. It reports false
// when it was shared already.
func (tx *Tx) shareDefault(a application, by int64, kinds []portico.DocumentKind, anonymous bool) (bool, error) {
	old, err := findShare(tx.ctx, tx.conn, a.ID)
	if err != nil || old.SharedAt != nil {
		return false, err
	}
	resumeID, docs := old.ResumeID, old.DocumentIDs
	video := old.ShareVideo && old.videoURL != ""
	if !anonymous && (resumeID == 0 || len(docs) == 0) {
		defResume, defDocs, err := tx.defaultDocuments(a.CandidateID, kinds)
		if err != nil {
			return false, err
		}
		if resumeID == 0 {
			resumeID, video = defResume, old.videoURL != ""
		}
		if len(docs) == 0 {
			docs = slices.DeleteFunc(defDocs, func(id int64) bool { return id == resumeID })
		}
	}
	if _, err := tx.exec(tx.ctx, `UPDATE applications SET shared_at = ?, shared_by = ?, shared_resume_id = ?, share_video = ? WHERE id = ?`,
		tx.now, nullID(by), nullID(resumeID), video, a.ID); err != nil {
		return false, err
	}
	if err := tx.setShareDocuments(a.ID, docs); err != nil {
		return false, err
	}
	return true, tx.recordApplication("application.shared", a, shareDetails(resumeID, video, docs))
}

// SetShared shares or unshares several applications of one job. An ID that
// isn't on the job stops the whole request, so the count is never wrong.
func (s *SharingService) SetShared(ctx context.Context, jobID int64, applicationIDs []int64, shared bool) (int, error) {
	actor, err := staff(ctx)
	if err != nil {
		return 0, err
	}
	ids, err := distinctIDs(applicationIDs, "application_id", "Choose at least one candidate.", maxShareBatch)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		clientID, _, err := tx.jobClient(jobID)
		if err != nil {
			return err
		}
		kinds, err := tx.shareKinds(clientID)
		if err != nil {
			return err
		}
		vis, err := visibilityFor(ctx, tx.conn, jobID)
		if err != nil {
			return err
		}
		apps, err := tx.jobApplications(jobID, ids)
		if err != nil {
			return err
		}
		for _, a := range apps {
			var ok bool
			if shared {
				ok, err = tx.shareDefault(a, userID(actor), kinds, vis.Anonymous)
			} else {
				ok, err = tx.unshare(a)
			}
			if err != nil {
				return err
			}
			if ok {
				changed++
			}
		}
		return nil
	})
	return changed, err
}

// distinctIDs drops duplicates and non-positive IDs, and requires between
// one and limit of them.
func distinctIDs(in []int64, field, msg string, limit int) ([]int64, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, id := range in {
		if id > 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, portico.FieldError(field, msg)
	}
	if len(ids) > limit {
		return nil, portico.FieldError(field, "Choose up to "+strconv.Itoa(limit)+" at a time.")
	}
	return ids, nil
}

// jobClient returns a job's client and title, ENOTFOUND when there is no
// such job.
func (tx *Tx) jobClient(jobID int64) (int64, string, error) {
	var clientID int64
	var title string
	err := tx.queryRow(tx.ctx, `SELECT client_id, title FROM jobs WHERE id = ?`, jobID).Scan(&clientID, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", notFound("job")
	}
	return clientID, title, err
}

// jobApplications locks and returns the applications of a job with the
// given IDs, in shortlist order; ENOTFOUND when one isn't on the job.
func (tx *Tx) jobApplications(jobID int64, ids []int64) ([]application, error) {
	args := []any{jobID}
	for _, id := range ids {
		args = append(args, id)
	}
	in := placeholders(len(ids))
	if _, err := tx.exec(tx.ctx, `UPDATE applications SET stage_id = stage_id WHERE job_id = ? AND id IN (`+in+`)`, args...); err != nil {
		return nil, err
	}
	rows, err := tx.query(tx.ctx, `SELECT `+applicationColumns+`, 0`+applicationFrom+
		` WHERE a.job_id = ? AND a.id IN (`+in+`) ORDER BY s.retired, s.position, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) < len(ids) {
		return nil, portico.Errorf(portico.ENOTFOUND, "One of the chosen candidates isn't on this job's shortlist any more. Reload the page and choose again.")
	}
	return out, nil
}

// maxMessage bounds the recruiter's message in a "send résumés" email.
const maxMessage = 5000

// SendResumes shares the chosen applications of a job and emails each chosen
// contact of the job's client the message, the candidates' names (or
// references, when profiles are anonymous) and a link to the job's portal
// page. One transaction: the shares, the event and the emails.
func (s *SharingService) SendResumes(ctx context.Context, jobID int64, applicationIDs, contactIDs []int64, message string) error {
	actor, err := staff(ctx)
	if err != nil {
		return err
	}
	message = strings.TrimSpace(strings.ReplaceAll(message, "\r\n", "\n"))
	v := portico.Validation{}
	appIDs, aerr := distinctIDs(applicationIDs, "application_id", "Choose at least one candidate to send.", maxShareBatch)
	if aerr != nil {
		v.Check(false, "application_id", portico.ErrorFields(aerr)["application_id"])
	}
	contacts, cerr := distinctIDs(contactIDs, "contact_id", "Choose at least one contact to send them to.", 100)
	if cerr != nil {
		v.Check(false, "contact_id", portico.ErrorFields(cerr)["contact_id"])
	}
	v.Check(message != "", "message", "Write a short message to go with the résumés.")
	v.Check(len(message) <= maxMessage, "message", "Keep the message under 5,000 characters.")
	if err := v.Err(); err != nil {
		return err
	}
	db := (*DB)(s)
	return db.inTx(ctx, func(tx *Tx) error {
		clientID, title, err := tx.jobClient(jobID)
		if err != nil {
			return err
		}
		apps, err := tx.jobApplications(jobID, appIDs)
		if err != nil {
			return err
		}
		recipients, err := tx.clientContacts(clientID, contacts)
		if err != nil {
			return err
		}
		vis, err := visibilityFor(ctx, tx.conn, jobID)
		if err != nil {
			return err
		}
		kinds, err := tx.shareKinds(clientID)
		if err != nil {
			return err
		}
		var names []string
		for _, a := range apps {
			if _, err := tx.shareDefault(a, userID(actor), kinds, vis.Anonymous); err != nil {
				return err
			}
			if vis.Anonymous {
				names = append(names, portico.Reference(a.CandidateID))
			} else {
				names = append(names, a.CandidateName)
			}
		}
		var to []string
		for _, k := range recipients {
			to = append(to, k.Name)
		}
		eventID, err := tx.record(change{action: "job.resumes_sent", subjectType: "job", subjectID: jobID, jobID: jobID, clientID: clientID,
			details: map[string]string{"job": title, "candidates": strconv.Itoa(len(apps)), "contacts": strings.Join(to, ", ")}})
		if err != nil {
			return err
		}
		if db.Mail == nil {
			return nil
		}
		brand, err := brandFor(ctx, tx.conn, clientID)
		if err != nil {
			return err
		}
		for _, k := range recipients {
			msg, err := db.Mail.Compose("resumes_shared", []string{k.Email}, map[string]any{
				"Name": k.Name, "Sender": actor.Name, "Job": title, "Message": message,
				"Paragraphs": paragraphs(message), "Candidates": names, "Path": "/portal/jobs/" + strconv.FormatInt(jobID, 10),
				"Brand": brand,
			})
			if err != nil {
				return err
			}
			if err := tx.enqueueEmail(msg, eventID); err != nil {
				return err
			}
		}
		return nil
	})
}

// recipient is a contact an email goes to.
type recipient struct {
	ID          int64
	Name, Email string
}

// clientContacts returns the chosen contacts of a client: ENOTFOUND when
// one isn't the client's, EINVALID when one has no email address.
func (tx *Tx) clientContacts(clientID int64, ids []int64) ([]recipient, error) {
	args := []any{clientID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := tx.query(tx.ctx, `SELECT id, name, email FROM contacts WHERE client_id = ? AND id IN (`+
		placeholders(len(ids))+`) ORDER BY name, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.ID, &r.Name, &r.Email); err != nil {
			return nil, err
		}
		if r.Email == "" {
			return nil, portico.FieldError("contact_id", r.Name+" has no email address. Add one on their contact page, or leave them out.")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) < len(ids) {
		return nil, portico.Errorf(portico.ENOTFOUND, "One of the chosen contacts isn't at this job's client. Reload the page and choose again.")
	}
	return out, nil
}

// paragraphs splits a message into its non-empty lines, for an HTML email.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// CountShared returns how many of a job's applications are shared.
func (s *SharingService) CountShared(ctx context.Context, jobID int64) (int, error) {
	if _, err := staff(ctx); err != nil {
		return 0, err
	}
	var n int
	err := (*DB)(s).read().queryRow(ctx, `SELECT COUNT(*) FROM applications WHERE job_id = ? AND shared_at IS NOT NULL`, jobID).Scan(&n)
	return n, err
}
