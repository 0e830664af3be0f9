package sqlstore

import (
	"context"
	"time"

	"portico"
)

// Housekeep deletes what has no use any more: ended sessions, sign-in
// attempts older than a day, used or expired reset links. The events table
// keeps the history of all of them.
func (db *DB) Housekeep(ctx context.Context) error {
	return db.inTx(ctx, func(tx *Tx) error {
		stmts := []struct {
			q    string
			args []any
		}{
			{`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, []any{tx.now, tx.now.Add(-portico.SessionIdle)}},
			{`DELETE FROM signin_attempts WHERE at <= ?`, []any{tx.now.Add(-24 * time.Hour)}},
			{`DELETE FROM password_resets WHERE expires_at <= ?`, []any{tx.now.Add(-24 * time.Hour)}},
			{`DELETE FROM setup_tokens WHERE created_at <= ?`, []any{tx.now.Add(-7 * 24 * time.Hour)}},
		}
		for _, s := range stmts {
			if _, err := tx.exec(ctx, s.q, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
}
