package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"portico"
)

// actionNotice is what a client action tells the job owner: the event's
// action and details, what the email says, and the task it makes, if any.
type actionNotice struct {
	action  string
	details map[string]string
	task    *actionTask

	Stars, Previous int      // a rating
	Body            string   // feedback
	Note            string   // with an interview request or a hire
	Times           []string // proposed interview times, in the agency's zone
	Reason          string   // a rejection's
	MovedTo         string   // the stage the candidate moved to (internal name: the email goes to the agency)
}

// actionTask is work a client action makes for the job owner.
type actionTask struct {
	kind    portico.TaskKind
	title   string
	details string
}

// tellOwner writes a client action's event and tells the job owner: an
// alert, an email, and the task the action calls for.
func (tx *Tx) tellOwner(t *actionTarget, n actionNotice) error {
	d := n.details
	d["candidate"], d["job"], d["client"], d["contact"] = t.CandidateName, t.JobTitle, t.clientName, t.contactName
	ev, err := tx.record(change{action: n.action, subjectType: "application", subjectID: t.ID,
		jobID: t.JobID, candidateID: t.CandidateID, clientID: t.clientID, details: d})
	if err != nil {
		return err
	}
	if err := tx.alert(t.ownerID, ev); err != nil {
		return err
	}
	if n.task != nil {
		if err := tx.actionTask(t, *n.task, ev); err != nil {
			return err
		}
	}
	if !t.ownerActive || t.ownerEmail == "" {
		return nil // a deactivated owner gets no mail; the alert and task wait for whoever takes the job over
	}
	agency := agencyName(tx.ctx, tx.conn)
	msg, err := tx.db.Mail.Compose("client_action", []string{t.ownerEmail}, map[string]any{
		"Action": strings.TrimPrefix(n.action, "portal."), "OwnerName": actionFirstName(t.ownerName),
		"Contact": t.contactName, "Client": t.clientName, "Candidate": t.CandidateName, "Job": t.JobTitle,
		"Stars": n.Stars, "StarLine": actionStars(n.Stars), "Previous": n.Previous,
		"Body": n.Body, "Note": n.Note, "Times": n.Times, "Reason": n.Reason, "MovedTo": n.MovedTo,
		"Task":   actionTaskTitle(n.task),
		"Path":   "/applications/" + strconv.FormatInt(t.ID, 10),
		"Agency": agency, "SiteName": agency,
	})
	if err != nil {
		return err
	}
	return tx.enqueueEmail(msg, ev)
}

// actionTask gives the job owner a task caused by a client's action, due
// today in the agency's time zone. Its own event gives the task a
// history; the action's alert is the owner's notice, so it has none.
func (tx *Tx) actionTask(t *actionTarget, pt actionTask, causeID int64) error {
	due := portico.DateOf(tx.now, tx.agencyZone())
	id, err := tx.insert(tx.ctx, `INSERT INTO tasks (title, details, kind, job_id, application_id, due_on, assignee_id, status, created_by, created_at, event_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, pt.title, pt.details, string(pt.kind), t.JobID, t.ID, string(due), t.ownerID,
		string(portico.TaskOpen), nil, tx.now, causeID)
	if err != nil {
		return err
	}
	_, err = tx.record(change{action: "task.created", subjectType: "task", subjectID: id, jobID: t.JobID, candidateID: t.CandidateID,
		details: map[string]string{"title": pt.title, "job": t.JobTitle, "candidate": t.CandidateName, "assignee": t.ownerName, "due_on": string(due)}})
	return err
}

func actionTaskTitle(pt *actionTask) string {
	if pt == nil {
		return ""
	}
	return pt.title
}

// interviewTaskText lists the proposed times and the note for the
// "Arrange interview" task.
func interviewTaskText(t *actionTarget, times []string, note string) string {
	var b strings.Builder
	b.WriteString(t.contactName + " (" + t.clientName + ") would like to interview " + t.CandidateName + " for " + t.JobTitle + ".\n\nProposed times:\n")
	for _, s := range times {
		b.WriteString("- " + s + "\n")
	}
	if note != "" {
		b.WriteString("\nTheir note:\n" + note + "\n")
	}
	b.WriteString("\nAgree a time with " + t.CandidateName + " and confirm it with " + t.contactName + ".")
	return b.String()
}

// hireTaskText says who is hiring whom for the "Process offer" task.
func hireTaskText(t *actionTarget, note string) string {
	s := t.contactName + " (" + t.clientName + ") wants to hire " + t.CandidateName + " for " + t.JobTitle + "."
	if note != "" {
		s += "\n\nTheir note:\n" + note
	}
	return s + "\n\nAgree the offer's terms with the client and the candidate."
}

// agencyZone is the agency's time zone, UTC before setup.
func (tx *Tx) agencyZone() *time.Location { return agencyZone(tx.ctx, tx.conn) }

// actionTimes writes interview times as people read them in the zone:
// "Tue 3 Mar 2026, 10:00 GMT".
func actionTimes(ts []time.Time, loc *time.Location) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
	}
	return out
}

// actionStars draws a rating: ★★★★☆.
func actionStars(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// actionFirstName is the first word of a name, for a greeting.
func actionFirstName(name string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	return first
}
