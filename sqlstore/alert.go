package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"portico"
)

// AlertService implements portico.AlertService.
type AlertService DB

// alertService returns the service.
func (db *DB) alertService() portico.AlertService { return (*AlertService)(db) }

// alert tells an agency user about an event written in this transaction,
// so the alert exists exactly when the change does. Deactivated users are
// skipped, and nobody is alerted about their own action. Call it once per
// user and event.
func (tx *Tx) alert(userID, eventID int64) error {
	if userID == 0 || eventID == 0 {
		return nil
	}
	if tx.actor.Kind == portico.ActorUser && tx.actor.ID == userID {
		return nil
	}
	var active bool
	err := tx.queryRow(tx.ctx, `SELECT active FROM users WHERE id = ?`, userID).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return nil
	} else if err != nil {
		return err
	}
	_, err = tx.exec(tx.ctx, `INSERT INTO alerts (user_id, event_id, created_at) VALUES (?, ?, ?)`, userID, eventID, tx.now)
	return err
}

// inboxOwner returns the signed-in agency user whose inbox a call is
// about: alerts belong to one person, so the system actor has none.
func inboxOwner(ctx context.Context) (portico.Actor, error) {
	a := portico.ActorFromContext(ctx)
	if a.Kind != portico.ActorUser || a.ID == 0 {
		return a, portico.Errorf(portico.EUNAUTHORIZED, "Sign in to the console to see your alerts.")
	}
	return a, nil
}

const alertColumns = `a.id, a.user_id, a.read_at, a.created_at, e.id, e.at, e.actor_kind, e.actor_id, e.actor_name, e.action, e.subject_type, e.subject_id,
	e.job_id, e.candidate_id, e.client_id, e.ip, e.user_agent, e.details`

func scanAlert(sc interface{ Scan(...any) error }) (*portico.Alert, error) {
	var al portico.Alert
	var read sql.NullTime
	ev, err := scanEvent(prefixed{sc, []any{&al.ID, &al.UserID, &read, &al.CreatedAt}})
	if err != nil {
		return nil, err
	}
	al.ReadAt, al.CreatedAt, al.Event = timePtr(read), al.CreatedAt.UTC(), ev
	return &al, nil
}

// prefixed scans a row whose first columns go to pre and the rest to
// whoever calls Scan, so a joined row can reuse another record's scanner.
type prefixed struct {
	sc  interface{ Scan(...any) error }
	pre []any
}

func (p prefixed) Scan(dest ...any) error {
	return p.sc.Scan(append(p.pre[:len(p.pre):len(p.pre)], dest...)...)
}

// FindAlerts returns a page of the signed-in user's alerts, newest first,
// each with its event, and how many there are.
func (s *AlertService) FindAlerts(ctx context.Context, f portico.AlertFilter) ([]*portico.Alert, int, error) {
	a, err := inboxOwner(ctx)
	if err != nil {
		return nil, 0, err
	}
	c := (*DB)(s).read()
	cond := ` WHERE a.user_id = ?`
	if f.Unread {
		cond += ` AND a.read_at IS NULL` // the partial index alerts_unread
	}
	var total int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM alerts a`+cond, a.ID).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := c.query(ctx, `SELECT `+alertColumns+` FROM alerts a JOIN events e ON e.id = a.event_id`+cond+
		` ORDER BY a.id DESC LIMIT ? OFFSET ?`, a.ID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var as []*portico.Alert
	for rows.Next() {
		al, err := scanAlert(rows)
		if err != nil {
			return nil, 0, err
		}
		as = append(as, al)
	}
	return as, total, rows.Err()
}

// CountUnread returns how many unread alerts the signed-in user has.
func (s *AlertService) CountUnread(ctx context.Context) (int, error) {
	a, err := inboxOwner(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = (*DB)(s).read().queryRow(ctx, `SELECT COUNT(*) FROM alerts WHERE user_id = ? AND read_at IS NULL`, a.ID).Scan(&n)
	return n, err
}

// MarkRead marks one of the signed-in user's alerts read. Someone else's
// alert is ENOTFOUND, like one that doesn't exist; one read already stays
// as it was.
func (s *AlertService) MarkRead(ctx context.Context, id int64) error {
	a, err := inboxOwner(ctx)
	if err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		var read sql.NullTime
		var eventID int64
		err := tx.queryRow(ctx, `SELECT read_at, event_id FROM alerts WHERE id = ? AND user_id = ?`, id, a.ID).Scan(&read, &eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("alert")
		} else if err != nil || read.Valid {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE alerts SET read_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		_, err = tx.event("alert.read", "alert", id, map[string]string{"event": strconv.FormatInt(eventID, 10)})
		return err
	})
}

// MarkAllRead marks all of the signed-in user's unread alerts read.
func (s *AlertService) MarkAllRead(ctx context.Context) error {
	a, err := inboxOwner(ctx)
	if err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE alerts SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.now, a.ID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		_, err = tx.event("alert.read_all", "user", a.ID, map[string]string{"count": strconv.FormatInt(n, 10)})
		return err
	})
}

// UnreadCounts returns the unread alerts per user, in one query through
// the partial index alerts_unread.
func (s *AlertService) UnreadCounts(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	if a := portico.ActorFromContext(ctx); a.Kind != portico.ActorSystem {
		return nil, portico.Errorf(portico.EFORBIDDEN, "Only Portico itself can count everyone's alerts.")
	}
	counts := map[int64]int{}
	for len(userIDs) > 0 {
		batch := userIDs[:min(len(userIDs), 500)]
		userIDs = userIDs[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := (*DB)(s).read().query(ctx, `SELECT user_id, COUNT(*) FROM alerts WHERE read_at IS NULL AND user_id IN (?`+
			strings.Repeat(", ?", len(batch)-1)+`) GROUP BY user_id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			counts[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return counts, nil
}
