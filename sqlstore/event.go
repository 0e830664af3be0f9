package sqlstore

import (
	"context"
	"encoding/json"
	"strings"

	"portico"
)

// EventService implements portico.EventService.
type EventService DB

// event records a change made in this transaction by the context's actor.
func (tx *Tx) event(action, subjectType string, subjectID int64, details map[string]string) (int64, error) {
	if details == nil {
		details = map[string]string{}
	}
	b, err := json.Marshal(details)
	if err != nil {
		return 0, err
	}
	a := tx.actor
	return tx.insert(tx.ctx, `INSERT INTO events (at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, ip, user_agent, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.now, string(a.Kind), a.ID, a.Name, action, subjectType, subjectID, a.IP, truncate(a.UserAgent, 500), string(b))
}

// FindEvents returns a page of events, newest first.
func (s *EventService) FindEvents(ctx context.Context, f portico.EventFilter) ([]*portico.Event, int, error) {
	db := (*DB)(s)
	var where []string
	var args []any
	if f.SubjectType != "" {
		where, args = append(where, "subject_type = ? AND subject_id = ?"), append(args, f.SubjectType, f.SubjectID)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM events`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := db.read().query(ctx, `SELECT id, at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, ip, user_agent, details
		FROM events`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var evs []*portico.Event
	for rows.Next() {
		var e portico.Event
		var kind, details string
		if err := rows.Scan(&e.ID, &e.At, &kind, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID, &e.IP, &e.UserAgent, &details); err != nil {
			return nil, 0, err
		}
		e.ActorKind = portico.ActorKind(kind)
		e.At = e.At.UTC()
		_ = json.Unmarshal([]byte(details), &e.Details)
		evs = append(evs, &e)
	}
	return evs, total, rows.Err()
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
