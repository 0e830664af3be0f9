package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"portico"
)

// PortalActionService implements portico.PortalActionService: what a
// client contact does with a shared candidate. Each action is one
// transaction holding the change, its event, an alert and an email to the
// job owner, and for interviews and hires a task for them.
type PortalActionService DB

// portalActionService returns the service.
func (db *DB) portalActionService() portico.PortalActionService { return (*PortalActionService)(db) }

// Bounds of what a contact writes.
const (
	maxClientText     = 5000 // characters of feedback, a reason or a note
	maxInterviewAhead = 366 * 24 * time.Hour
)

// clientActions says what a contact may do with a candidate in a stage of
// the kind: rate and give feedback always; interview, approve, hire and
// reject while the candidate is still in the running (not hired, rejected
// or withdrawn). The portal shows the same choices
// (PortalCandidateDetail.Actions), less those the settings turn off.
func clientActions(kind portico.StageKind) portico.PortalActions {
	open := kind.InRunning()
	return portico.PortalActions{Rate: true, Feedback: true, Interview: open, Approve: open, Hire: open, Reject: open}
}

// allowedActions is what a contact may do with a candidate in a stage of
// the kind under the client's portal settings.
func allowedActions(kind portico.StageKind, allow portico.PortalPermissions) portico.PortalActions {
	a := clientActions(kind)
	return portico.PortalActions{Rate: a.Rate && allow.Rate, Feedback: a.Feedback && allow.Feedback, Interview: a.Interview && allow.Interview,
		Approve: a.Approve && allow.Approve, Hire: a.Hire && allow.Hire, Reject: a.Reject && allow.Reject}
}

// Why an action is refused before anything else is looked at.
var (
	errTurnedOff = portico.Errorf(portico.EFORBIDDEN, "Your agency has turned this off.")
	errPreview   = portico.Errorf(portico.EFORBIDDEN, "This is a preview: nothing can be changed.")
)

// actionTarget is a shared application the acting contact may act on,
// with what the action's event, alert, email and task need.
type actionTarget struct {
	application
	settings        *portico.PortalSettings // the client's effective portal settings
	contactName     string
	clientName      string
	stageClientName string
	ownerID         int64
	ownerName       string
	ownerEmail      string
	ownerActive     bool
}

// actionTarget locks the application and checks, through the portal's
// scope (portal_access.go), that the acting contact may act on it: their
// client owns the job, their access allows the job and the application is
// shared (else ENOTFOUND, exactly like an application that doesn't exist),
// and their account is in use (else EUNAUTHORIZED, as for the portal's
// reads).
func (tx *Tx) actionTarget(jobID, applicationID int64) (*actionTarget, error) {
	sc, err := loadScope(tx.ctx, tx.conn)
	if err != nil {
		return nil, err
	}
	if jobID <= 0 || applicationID <= 0 {
		return nil, notFound("candidate")
	}
	if err := tx.lockApplication(applicationID); err != nil {
		return nil, err
	}
	if _, err := sc.sharedApplication(tx.ctx, tx.conn, jobID, applicationID); err != nil {
		return nil, err
	}
	t := &actionTarget{contactName: sc.name, clientName: sc.clientName}
	if t.application, err = findApplication(tx.ctx, tx.conn, applicationID); err != nil {
		return nil, err
	}
	if t.settings, err = settingsFor(tx.ctx, tx.conn, sc.clientID); err != nil {
		return nil, err
	}
	err = tx.queryRow(tx.ctx, `SELECT s.client_name, u.id, u.name, u.email, u.active FROM applications a
		JOIN stages s ON s.id = a.stage_id JOIN jobs j ON j.id = a.job_id JOIN users u ON u.id = j.owner_id WHERE a.id = ?`, applicationID).
		Scan(&t.stageClientName, &t.ownerID, &t.ownerName, &t.ownerEmail, &t.ownerActive)
	t.stageClientName = t.clientStage(t.StageID, t.stageClientName, t.StageKind)
	return t, err
}

// clientStage is a stage's name as this client reads it: the settings'
// name for it, else the stage's own client name.
func (t *actionTarget) clientStage(stageID int64, name string, kind portico.StageKind) string {
	if n := t.settings.StageNames[stageID]; n != "" {
		return n
	}
	return clientStageName(name, kind)
}

// clientStageName is a stage's name as clients read it: never the
// internal name, the kind's label when the stage has no client name.
func clientStageName(name string, kind portico.StageKind) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return kind.Label()
}

// act runs one action: it finds the target as the acting contact, checks
// that the client's portal settings allow the action, and hands the target
// to fn inside the transaction. A preview changes nothing.
func (s *PortalActionService) act(ctx context.Context, jobID, applicationID int64, allowed func(portico.PortalPermissions) bool,
	fn func(tx *Tx, t *actionTarget) error) error {
	a, err := contactActor(ctx)
	if err != nil {
		return err
	}
	if a.PreviewBy != 0 {
		return errPreview
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		t, err := tx.actionTarget(jobID, applicationID)
		if err != nil {
			return err
		}
		if !allowed(t.settings.Allow) {
			return errTurnedOff
		}
		return fn(tx, t)
	})
}

// Which permission each action needs.
func mayRate(p portico.PortalPermissions) bool      { return p.Rate }
func mayFeedback(p portico.PortalPermissions) bool  { return p.Feedback }
func mayInterview(p portico.PortalPermissions) bool { return p.Interview }
func mayApprove(p portico.PortalPermissions) bool   { return p.Approve }
func mayHire(p portico.PortalPermissions) bool      { return p.Hire }
func mayReject(p portico.PortalPermissions) bool    { return p.Reject }

// actionText trims a contact's text and normalises its line ends.
func actionText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}

// checkActionText checks a contact's text for a field: required or not, and at
// most maxClientText characters.
func checkActionText(v *portico.Validation, field, text string, required bool, missing string) {
	v.Check(!required || text != "", field, missing)
	v.Check(utf8.RuneCountInString(text) <= maxClientText, field, "Keep it under 5,000 characters.")
}

// Rate sets the contact's 1–5 star rating of a candidate (changing their
// earlier rating, if any).
func (s *PortalActionService) Rate(ctx context.Context, jobID, applicationID int64, stars int) error {
	if stars < 1 || stars > 5 {
		return portico.FieldError("stars", "Choose from 1 to 5 stars.")
	}
	return s.act(ctx, jobID, applicationID, mayRate, func(tx *Tx, t *actionTarget) error {
		var old int
		err := tx.queryRow(tx.ctx, `SELECT stars FROM ratings WHERE application_id = ? AND contact_id = ?`, t.ID, tx.actor.ID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old == stars {
			return nil // the same rating again: nothing changed, nothing to tell
		}
		if _, err := tx.exec(tx.ctx, `INSERT INTO ratings (application_id, contact_id, stars, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (application_id, contact_id) DO UPDATE SET stars = excluded.stars, updated_at = excluded.updated_at`,
			t.ID, tx.actor.ID, stars, tx.now, tx.now); err != nil {
			return err
		}
		d := map[string]string{"stars": strconv.Itoa(stars)}
		if old != 0 {
			d["previous"] = strconv.Itoa(old)
		}
		return tx.tellOwner(t, actionNotice{action: "portal.rated", details: d, Stars: stars, Previous: old})
	})
}

// Feedback records the contact's written feedback on a candidate.
func (s *PortalActionService) Feedback(ctx context.Context, jobID, applicationID int64, body string) error {
	body = actionText(body)
	v := portico.Validation{}
	checkActionText(&v, "body", body, true, "Write your feedback before sending it.")
	if err := v.Err(); err != nil {
		return err
	}
	return s.act(ctx, jobID, applicationID, mayFeedback, func(tx *Tx, t *actionTarget) error {
		id, err := tx.insert(tx.ctx, `INSERT INTO feedback (application_id, contact_id, body, created_at) VALUES (?, ?, ?, ?)`,
			t.ID, tx.actor.ID, body, tx.now)
		if err != nil {
			return err
		}
		d := map[string]string{"feedback_id": strconv.FormatInt(id, 10), "excerpt": actionExcerpt(body, 300)}
		return tx.tellOwner(t, actionNotice{action: "portal.feedback", details: d, Body: body})
	})
}

// checkInterviewSlots checks proposed interview times against the clock: one to
// MaxInterviewSlots of them, each in the future (within a year) and none
// twice. Messages go to slot_1, slot_2… in the order given.
func checkInterviewSlots(slots []time.Time, now time.Time) error {
	v := portico.Validation{}
	if len(slots) == 0 {
		v.Check(false, "slot_1", "Propose at least one date and time for the interview.")
		return v.Err()
	}
	if len(slots) > portico.MaxInterviewSlots {
		v.Check(false, "slot_1", "Propose up to "+strconv.Itoa(portico.MaxInterviewSlots)+" dates and times.")
		return v.Err()
	}
	for i, t := range slots {
		f := "slot_" + strconv.Itoa(i+1)
		v.Check(!t.IsZero(), f, "Enter a date and a time.")
		v.Check(t.IsZero() || t.After(now), f, "Choose a time in the future.")
		v.Check(t.IsZero() || t.Before(now.Add(maxInterviewAhead)), f, "Choose a time within the next year.")
		for _, u := range slots[:i] {
			v.Check(t.IsZero() || !t.Equal(u), f, "You proposed this time already. Choose another, or leave it empty.")
		}
	}
	return v.Err()
}

// RequestInterview records the contact's request to interview a candidate
// at one of the proposed times. The stage stays as it is: the agency
// arranges the interview, helped by an "Arrange interview" task.
func (s *PortalActionService) RequestInterview(ctx context.Context, jobID, applicationID int64, in portico.InterviewInput) error {
	slots := make([]time.Time, len(in.Slots))
	for i, t := range in.Slots {
		slots[i] = t.UTC().Truncate(time.Minute)
	}
	note := actionText(in.Note)
	if err := checkInterviewSlots(slots, (*DB)(s).now()); err != nil {
		return err
	}
	v := portico.Validation{}
	checkActionText(&v, "note", note, false, "")
	if err := v.Err(); err != nil {
		return err
	}
	slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
	return s.act(ctx, jobID, applicationID, mayInterview, func(tx *Tx, t *actionTarget) error {
		if err := checkStillInRunning(t, clientActions(t.StageKind).Interview); err != nil {
			return err
		}
		id, err := tx.insert(tx.ctx, `INSERT INTO interview_requests (application_id, contact_id, note, status, created_at) VALUES (?, ?, ?, ?, ?)`,
			t.ID, tx.actor.ID, note, "requested", tx.now)
		if err != nil {
			return err
		}
		for _, at := range slots {
			if _, err := tx.exec(tx.ctx, `INSERT INTO interview_slots (request_id, starts_at) VALUES (?, ?)`, id, at); err != nil {
				return err
			}
		}
		loc := tx.agencyZone()
		stamps := make([]string, len(slots))
		for i, at := range slots {
			stamps[i] = at.Format(time.RFC3339)
		}
		times := actionTimes(slots, loc)
		d := map[string]string{"request_id": strconv.FormatInt(id, 10), "slots": strings.Join(stamps, ","), "times": strings.Join(times, "; ")}
		if note != "" {
			d["note"] = actionExcerpt(note, 300)
		}
		return tx.tellOwner(t, actionNotice{action: "portal.interview_requested", details: d, Note: note, Times: times,
			task: &actionTask{kind: portico.TaskArrangeInterview, title: "Arrange interview", details: interviewTaskText(t, times, note)}})
	})
}

// Hire records the contact's decision to hire a candidate and moves them
// to the agency's first hired stage; the job owner gets a "Process offer"
// task.
func (s *PortalActionService) Hire(ctx context.Context, jobID, applicationID int64, note string) error {
	note = actionText(note)
	v := portico.Validation{}
	checkActionText(&v, "note", note, false, "")
	if err := v.Err(); err != nil {
		return err
	}
	return s.act(ctx, jobID, applicationID, mayHire, func(tx *Tx, t *actionTarget) error {
		return tx.decide(t, "hire", note, 0, portico.KindHired)
	})
}

// Approve records the contact's approval of a candidate and moves them to
// the settings' approval stage (by default the agency's first interview
// stage); the job owner gets a task to take the candidate on.
func (s *PortalActionService) Approve(ctx context.Context, jobID, applicationID int64, note string) error {
	note = actionText(note)
	v := portico.Validation{}
	checkActionText(&v, "note", note, false, "")
	if err := v.Err(); err != nil {
		return err
	}
	return s.act(ctx, jobID, applicationID, mayApprove, func(tx *Tx, t *actionTarget) error {
		return tx.decide(t, "approve", note, t.settings.ApproveStageID, portico.KindInterview)
	})
}

// Reject records the contact's rejection with its reason and moves the
// candidate at once to the settings' rejection stage (by default the
// agency's first rejected-by-client stage).
func (s *PortalActionService) Reject(ctx context.Context, jobID, applicationID int64, reason string) error {
	reason = actionText(reason)
	v := portico.Validation{}
	checkActionText(&v, "reason", reason, true, "Say why, so the agency can find you better candidates.")
	if err := v.Err(); err != nil {
		return err
	}
	return s.act(ctx, jobID, applicationID, mayReject, func(tx *Tx, t *actionTarget) error {
		return tx.decide(t, "reject", reason, t.settings.RejectStageID, portico.KindRejectedByClient)
	})
}

// checkStillInRunning is ECONFLICT when the candidate's stage rules the action
// out (hired, rejected or withdrawn already).
func checkStillInRunning(t *actionTarget, allowed bool) error {
	if allowed {
		return nil
	}
	if t.StageKind == portico.KindHired {
		return portico.Errorf(portico.ECONFLICT, "This candidate has been hired already (%s).", t.stageClientName)
	}
	return portico.Errorf(portico.ECONFLICT, "This candidate is no longer in the running for the job (%s). Ask the agency if you'd like to reconsider.", t.stageClientName)
}

// decide writes an approve, hire or reject decision and moves the
// application to the chosen stage, or when none is chosen (or it has been
// retired since) to the first active stage of the kind. When the pipeline
// has no such stage the decision still stands and the owner is told; the
// stage stays.
func (tx *Tx) decide(t *actionTarget, kind, text string, chosen int64, to portico.StageKind) error {
	acts := clientActions(t.StageKind)
	if err := checkStillInRunning(t, (kind == "hire" && acts.Hire) || (kind == "reject" && acts.Reject) || (kind == "approve" && acts.Approve)); err != nil {
		return err
	}
	id, err := tx.insert(tx.ctx, `INSERT INTO decisions (application_id, contact_id, kind, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
		t.ID, tx.actor.ID, kind, text, tx.now)
	if err != nil {
		return err
	}
	d := map[string]string{"decision_id": strconv.FormatInt(id, 10)}
	n := actionNotice{details: d}
	stageID, internal, client, stageKind, err := tx.decisionStage(chosen, to)
	if err != nil {
		return err
	}
	if kind == "approve" && stageID != 0 {
		// An approval moves a candidate on, never back: one in an offer
		// or a later interview stays where they are.
		if ahead, err := tx.stageAhead(stageID, t.StageID); err != nil || !ahead {
			stageID = 0
			if err != nil {
				return err
			}
		}
	}
	if stageID != 0 && stageID != t.StageID {
		if _, err := tx.exec(tx.ctx, `UPDATE applications SET stage_id = ?, stage_changed_at = ? WHERE id = ?`, stageID, tx.now, t.ID); err != nil {
			return err
		}
		d["stage"], d["stage_id"] = t.clientStage(stageID, client, stageKind), strconv.FormatInt(stageID, 10)
		n.MovedTo = internal
	}
	switch kind {
	case "hire":
		n.action, n.Note = "portal.hired", text
		if text != "" {
			d["note"] = actionExcerpt(text, 300)
		}
		n.task = &actionTask{kind: portico.TaskProcessOffer, title: "Process offer", details: hireTaskText(t, text)}
	case "approve":
		n.action, n.Note = "portal.approved", text
		if text != "" {
			d["note"] = actionExcerpt(text, 300)
		}
		n.task = &actionTask{kind: portico.TaskFollowUp, title: "Follow up approval", details: approveTaskText(t, text, n.MovedTo)}
	default:
		n.action, n.Reason = "portal.rejected", text
		d["reason"] = actionExcerpt(text, 300)
	}
	return tx.tellOwner(t, n)
}

// decisionStage returns the stage a decision moves to, locked against
// being retired: the chosen one while it is active, else the first active
// stage of the kind (0 when there is none).
func (tx *Tx) decisionStage(chosen int64, kind portico.StageKind) (int64, string, string, portico.StageKind, error) {
	if chosen != 0 {
		var internal, client, k string
		err := tx.queryRow(tx.ctx, `SELECT internal_name, client_name, kind FROM stages WHERE id = ? AND retired = ?`, chosen, false).
			Scan(&internal, &client, &k)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, "", "", "", err
		}
		if err == nil {
			if ok, err := tx.lockStage(chosen); err != nil || ok {
				return chosen, internal, client, portico.StageKind(k), err
			}
		}
	}
	id, internal, client, err := tx.firstStageOfKind(kind)
	return id, internal, client, kind, err
}

// stageAhead reports whether stage a comes after stage b in the pipeline.
func (tx *Tx) stageAhead(a, b int64) (bool, error) {
	var n int
	err := tx.queryRow(tx.ctx, `SELECT COUNT(*) FROM stages x JOIN stages y ON y.id = ? WHERE x.id = ? AND (x.position > y.position OR (x.position = y.position AND x.id > y.id))`,
		b, a).Scan(&n)
	return n > 0, err
}

// approveTaskText says who approved whom, and where they are now, for the
// "Follow up approval" task.
func approveTaskText(t *actionTarget, note, movedTo string) string {
	s := t.contactName + " (" + t.clientName + ") approved " + t.CandidateName + " for " + t.JobTitle + "."
	if movedTo != "" {
		s += " The candidate is now in \"" + movedTo + "\"."
	}
	if note != "" {
		s += "\n\nTheir note:\n" + note
	}
	return s + "\n\nAgree the next step with " + t.contactName + " and the candidate."
}

// firstStageOfKind returns the first active stage of a kind, locked
// against being retired until the transaction ends; 0 when there is none.
func (tx *Tx) firstStageOfKind(kind portico.StageKind) (int64, string, string, error) {
	for range 3 {
		var id int64
		var internal, client string
		err := tx.queryRow(tx.ctx, `SELECT id, internal_name, client_name FROM stages WHERE kind = ? AND retired = ? ORDER BY position, id LIMIT 1`,
			string(kind), false).Scan(&id, &internal, &client)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, "", "", nil
		} else if err != nil {
			return 0, "", "", err
		}
		if ok, err := tx.lockStage(id); err != nil || ok {
			return id, internal, client, err
		}
	}
	return 0, "", "", portico.Errorf(portico.ECONFLICT, "The agency is changing its pipeline right now. Try again in a moment.")
}

// actionExcerpt shortens text to at most n characters for an event's details.
func actionExcerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
