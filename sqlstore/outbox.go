package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"portico"
)

// OutboxService implements portico.OutboxService.
type OutboxService DB

// enqueueEmail queues an email in this transaction, tied to the event that
// caused it; it leaves only if the transaction commits.
func (tx *Tx) enqueueEmail(e portico.Email, eventID int64) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	var ev any
	if eventID != 0 {
		ev = eventID
	}
	if _, err := tx.exec(tx.ctx, `INSERT INTO outbox (kind, status, payload, attempts, next_attempt_at, created_at, event_id)
		VALUES (?, ?, ?, 0, ?, ?, ?)`, string(portico.MessageEmail), string(portico.MessagePending), string(b), tx.now, tx.now, ev); err != nil {
		return err
	}
	tx.enqueued = true
	return nil
}

const messageColumns = `id, kind, status, payload, attempts, next_attempt_at, last_error, created_at, sent_at, event_id`

func scanMessage(sc interface{ Scan(...any) error }) (*portico.Message, error) {
	var m portico.Message
	var kind, status, payload string
	var sent sql.NullTime
	var event sql.NullInt64
	if err := sc.Scan(&m.ID, &kind, &status, &payload, &m.Attempts, &m.NextAttemptAt, &m.LastError, &m.CreatedAt, &sent, &event); err != nil {
		return nil, err
	}
	m.Kind, m.Status = portico.MessageKind(kind), portico.MessageStatus(status)
	m.NextAttemptAt, m.CreatedAt, m.SentAt, m.EventID = m.NextAttemptAt.UTC(), m.CreatedAt.UTC(), timePtr(sent), event.Int64
	if m.Kind == portico.MessageEmail {
		m.Email = new(portico.Email)
		if err := json.Unmarshal([]byte(payload), m.Email); err != nil {
			return nil, err
		}
	}
	return &m, nil
}

// FindMessages returns a page of messages, newest first.
func (s *OutboxService) FindMessages(ctx context.Context, f portico.MessageFilter) ([]*portico.Message, int, error) {
	if !portico.ActorFromContext(ctx).IsAdmin() {
		return nil, 0, portico.Errorf(portico.EFORBIDDEN, "Only admins can read the outbox.")
	}
	db := (*DB)(s)
	cond, args := "", []any{}
	if f.Kind != "" {
		cond, args = " WHERE kind = ?", append(args, string(f.Kind))
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM outbox`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := db.read().query(ctx, `SELECT `+messageColumns+` FROM outbox`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ms []*portico.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, 0, err
		}
		ms = append(ms, m)
	}
	return ms, total, rows.Err()
}

// FindMessageByID returns one message.
func (s *OutboxService) FindMessageByID(ctx context.Context, id int64) (*portico.Message, error) {
	if !portico.ActorFromContext(ctx).IsAdmin() {
		return nil, portico.Errorf(portico.EFORBIDDEN, "Only admins can read the outbox.")
	}
	m, err := scanMessage((*DB)(s).read().queryRow(ctx, `SELECT `+messageColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, portico.Errorf(portico.ENOTFOUND, "There is no such message.")
	}
	return m, err
}

// ClaimMessages leases up to n due messages. The lease is the claim: a
// message whose lease ran out (its worker died) is due again.
func (s *OutboxService) ClaimMessages(ctx context.Context, n int, lease time.Duration) ([]*portico.Message, error) {
	db := (*DB)(s)
	var ms []*portico.Message
	err := db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+messageColumns+` FROM outbox
			WHERE status = ? AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
			ORDER BY next_attempt_at, id LIMIT ?`+db.dialect.skipLocked(),
			string(portico.MessagePending), tx.now, tx.now, n)
		if err != nil {
			return err
		}
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				rows.Close()
				return err
			}
			ms = append(ms, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range ms {
			m.Attempts++
			if _, err := tx.exec(ctx, `UPDATE outbox SET locked_until = ?, attempts = ? WHERE id = ?`, tx.now.Add(lease), m.Attempts, m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return ms, err
}

// SettleMessage records the outcome of a delivery attempt.
func (s *OutboxService) SettleMessage(ctx context.Context, id int64, outcome portico.MessageStatus, deliveryErr error) error {
	db := (*DB)(s)
	return db.inTx(ctx, func(tx *Tx) error {
		var attempts int
		if err := tx.queryRow(ctx, `SELECT attempts FROM outbox WHERE id = ?`, id).Scan(&attempts); err != nil {
			return err
		}
		switch outcome {
		case portico.MessageSent, portico.MessageKept:
			_, err := tx.exec(ctx, `UPDATE outbox SET status = ?, sent_at = ?, locked_until = NULL, last_error = '' WHERE id = ?`, string(outcome), tx.now, id)
			return err
		default:
			msg := "unknown error"
			if deliveryErr != nil {
				msg = truncate(strings.TrimSpace(deliveryErr.Error()), 1000)
			}
			status := portico.MessagePending
			if attempts >= portico.MaxAttempts {
				status = portico.MessageFailed
			}
			_, err := tx.exec(ctx, `UPDATE outbox SET status = ?, next_attempt_at = ?, locked_until = NULL, last_error = ? WHERE id = ?`,
				string(status), tx.now.Add(portico.Backoff(attempts)), msg, id)
			return err
		}
	})
}
