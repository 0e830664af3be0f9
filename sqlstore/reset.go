package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"portico"
)

var errResetLink = portico.Errorf(portico.EUNAUTHORIZED,
	"This reset link has expired or has been used already. Ask for a new one below.")

// RequestPasswordReset emails a reset link if the address has an account.
func (s *AuthService) RequestPasswordReset(ctx context.Context, email string) error {
	db := (*DB)(s)
	email = portico.NormalizeEmail(email)
	if !portico.ValidEmail(email) {
		return &portico.Error{Code: portico.EINVALID, Message: "Please correct the highlighted fields.",
			Fields: map[string]string{"email": "Enter an email address like name@example.com."}}
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var (
			id     int64
			name   string
			active bool
		)
		err := tx.queryRow(ctx, `SELECT id, name, active FROM users WHERE email = ?`, email).Scan(&id, &name, &active)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
			return nil // say nothing: the page reads the same either way
		} else if err != nil {
			return err
		}
		token, hash := newToken()
		if _, err := tx.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hash, id, tx.now, tx.now.Add(portico.PasswordResetTTL)); err != nil {
			return err
		}
		ev, err := tx.event("user.password_reset_requested", "user", id, map[string]string{"email": email})
		if err != nil {
			return err
		}
		msg, err := db.Mail.Compose("password_reset", []string{email}, map[string]any{
			"Name": name, "Path": "/reset/" + token, "Minutes": int(portico.PasswordResetTTL.Minutes()),
		})
		if err != nil {
			return err
		}
		return tx.enqueueEmail(msg, ev)
	})
}

// findReset returns the user ID of a usable reset token.
func findReset(ctx context.Context, c conn, token string, now any) (int64, error) {
	var id int64
	err := c.queryRow(ctx, `SELECT user_id FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.active = ?`, hashToken(token), now, true).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errResetLink
	}
	return id, err
}

// CheckPasswordReset reports whether a reset token can be used.
func (s *AuthService) CheckPasswordReset(ctx context.Context, token string) (*portico.User, error) {
	db := (*DB)(s)
	id, err := findReset(ctx, db.read(), token, db.now())
	if err != nil {
		return nil, err
	}
	return findUser(ctx, db.read(), id)
}

// ResetPassword sets a new password with a reset token.
func (s *AuthService) ResetPassword(ctx context.Context, token, password string) (*portico.User, error) {
	db := (*DB)(s)
	var v portico.Validation
	portico.CheckPassword(&v, "password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash := hashPassword(password)
	var u *portico.User
	err := db.inTx(ctx, func(tx *Tx) error {
		id, err := findReset(ctx, tx.conn, token, tx.now)
		if err != nil {
			return err
		}
		// Use the link up first, by a write that only one of several
		// requests with it at once can make (on PostgreSQL the others wait
		// for this row, then find it used).
		res, err := tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, tx.now, hashToken(token))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errResetLink
		}
		// Every outstanding link for the user is used up, not just this one.
		if _, err := tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.now, id); err != nil {
			return err
		}
		// Holding the emailed link proves who this is.
		if u, err = findUser(ctx, tx.conn, id); err != nil {
			return err
		}
		tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorUser, u.ID, u.Name, u.Role
		return tx.setPassword(id, hash, "user.password_reset")
	})
	return u, err
}
