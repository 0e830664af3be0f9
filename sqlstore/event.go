package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"portico"
)

// EventService implements portico.EventService.
type EventService DB

// change is what an event records; the IDs of related records make it
// show in their histories and reach their live pages.
type change struct {
	action      string
	subjectType string
	subjectID   int64
	jobID       int64
	candidateID int64
	clientID    int64
	details     map[string]string
}

// event records a change to one record made in this transaction by the
// context's actor.
func (tx *Tx) event(action, subjectType string, subjectID int64, details map[string]string) (int64, error) {
	return tx.record(change{action: action, subjectType: subjectType, subjectID: subjectID, details: details})
}

// record writes the event of a change, with its related records.
func (tx *Tx) record(c change) (int64, error) {
	if c.details == nil {
		c.details = map[string]string{}
	}
	a := tx.actor
	// What a share link's visitor does is theirs, and the audit also says
	// which link let them in.
	if a.LinkID != 0 {
		c.details["link"] = strconv.FormatInt(a.LinkID, 10)
	}
	b, err := json.Marshal(c.details)
	if err != nil {
		return 0, err
	}
	return tx.insert(tx.ctx, `INSERT INTO events (at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, job_id, candidate_id, client_id, ip, user_agent, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.now, string(a.Kind), a.ID, a.Name, c.action, c.subjectType, c.subjectID, nullID(c.jobID), nullID(c.candidateID), nullID(c.clientID),
		a.IP, truncate(a.UserAgent, 500), string(b))
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const eventColumns = `id, at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, job_id, candidate_id, client_id, ip, user_agent, details`

func scanEvent(sc interface{ Scan(...any) error }) (*portico.Event, error) {
	var e portico.Event
	var kind, details string
	var job, cand, client sql.NullInt64
	if err := sc.Scan(&e.ID, &e.At, &kind, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID, &job, &cand, &client, &e.IP, &e.UserAgent, &details); err != nil {
		return nil, err
	}
	e.ActorKind, e.At = portico.ActorKind(kind), e.At.UTC()
	e.JobID, e.CandidateID, e.ClientID = job.Int64, cand.Int64, client.Int64
	_ = json.Unmarshal([]byte(details), &e.Details)
	return &e, nil
}

// FindEvents returns a page of events, newest first.
func (s *EventService) FindEvents(ctx context.Context, f portico.EventFilter) ([]*portico.Event, int, error) {
	db := (*DB)(s)
	var where []string
	var args []any
	if f.SubjectType != "" {
		where, args = append(where, "subject_type = ? AND subject_id = ?"), append(args, f.SubjectType, f.SubjectID)
	}
	for _, rel := range []struct {
		col string
		id  int64
	}{{"job_id", f.JobID}, {"candidate_id", f.CandidateID}, {"client_id", f.ClientID}} {
		if rel.id != 0 {
			where, args = append(where, rel.col+" = ?"), append(args, rel.id)
		}
	}
	if f.Work {
		where = append(where, "subject_type <> 'user' AND action NOT LIKE 'alert.%'")
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	// A contact's actions: portal and share-link visits both act as the
	// contact (index events_actor).
	if f.ContactID != 0 {
		where, args = append(where, "actor_kind = ? AND actor_id = ?"), append(args, string(portico.ActorContact), f.ContactID)
	} else if f.ActorKind != "" {
		where, args = append(where, "actor_kind = ?"), append(args, string(f.ActorKind))
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	if f.BeforeID != 0 {
		where, args = append(where, "id < ?"), append(args, f.BeforeID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	total := -1
	if !f.NoTotal {
		if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM events`+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := db.read().query(ctx, `SELECT `+eventColumns+` FROM events`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	evs, err := scanEvents(rows)
	return evs, total, err
}

func scanEvents(rows *sql.Rows) ([]*portico.Event, error) {
	defer rows.Close()
	var evs []*portico.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	return evs, rows.Err()
}

// EventsSince returns events after an ID, oldest first.
func (s *EventService) EventsSince(ctx context.Context, afterID int64, limit int) ([]*portico.Event, error) {
	rows, err := (*DB)(s).read().query(ctx, `SELECT `+eventColumns+` FROM events WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// LatestEventID returns the newest event's ID, 0 when there is none.
func (s *EventService) LatestEventID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := (*DB)(s).read().queryRow(ctx, `SELECT MAX(id) FROM events`).Scan(&id)
	return id.Int64, err
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
