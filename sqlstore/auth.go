package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"portico"
)

// AuthService implements portico.AuthService.
type AuthService DB

var errBadCredentials = portico.Errorf(portico.EUNAUTHORIZED, "That email and password don't match an account. Check them and try again.")

var errTooMany = portico.Errorf(portico.ETOOMANY,
	"Too many failed sign-in attempts. Wait 15 minutes and try again, or reset your password.")

// SignIn checks the password and starts a session.
func (s *AuthService) SignIn(ctx context.Context, email, password string) (string, *portico.User, error) {
	db := (*DB)(s)
	email = portico.NormalizeEmail(email)
	ip := portico.ActorFromContext(ctx).IP
	// No address is longer than 254 characters (and PostgreSQL's index of
	// attempts holds none much longer): refuse before counting attempts.
	if email == "" || password == "" || len(email) > 254 {
		return "", nil, errBadCredentials
	}
	if err := checkAttempts(ctx, db.read(), db.now(), "console", email, ip); err != nil {
		return "", nil, err
	}
	var (
		id     int64
		hash   string
		active bool
	)
	err := db.read().queryRow(ctx, `SELECT id, password_hash, active FROM users WHERE email = ?`, email).Scan(&id, &hash, &active)
	if errors.Is(err, sql.ErrNoRows) {
		hash = dummyHash
	} else if err != nil {
		return "", nil, err
	}
	ok := checkPassword(hash, password) && id != 0 && active && len(password) <= 200

	var token string
	var u *portico.User
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO signin_attempts (email, ip, at, succeeded) VALUES (?, ?, ?, ?)`, email, ip, tx.now, ok); err != nil {
			return err
		}
		if !ok {
			if id != 0 {
				_, err := tx.event("user.sign_in_failed", "user", id, map[string]string{"email": email})
				return err
			}
			return nil
		}
		// Recorded before the user is read, so the returned user has it.
		if _, err := tx.exec(ctx, `UPDATE users SET last_sign_in_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		u0, err := findUser(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		u = u0
		// The session is the user's from here on; events name them.
		tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorUser, u.ID, u.Name, u.Role
		token, err = tx.startSession(u.ID)
		if err != nil {
			return err
		}
		_, err = tx.event("user.signed_in", "user", id, nil)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, errBadCredentials
	}
	return token, u, nil
}

// checkAttempts refuses a sign-in to an area ("console" or "portal") when
// the account or the address has had too many failures there in the
// window. An account's count restarts at its last successful sign-in.
func checkAttempts(ctx context.Context, c conn, now time.Time, area, email, ip string) error {
	since := now.Add(-portico.SignInWindow)
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM signin_attempts a WHERE a.email = ? AND a.area = ? AND a.at > ? AND NOT a.succeeded
		AND NOT EXISTS (SELECT 1 FROM signin_attempts b WHERE b.email = a.email AND b.area = a.area AND b.succeeded AND b.at > a.at)`, email, area, since).Scan(&n)
	if err != nil {
		return err
	}
	if n >= portico.SignInFailuresAccount {
		return errTooMany
	}
	if ip == "" {
		return nil
	}
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM signin_attempts WHERE ip = ? AND area = ? AND at > ? AND NOT succeeded`, ip, area, since).Scan(&n); err != nil {
		return err
	}
	if n >= portico.SignInFailuresAddress {
		return errTooMany
	}
	return nil
}

// startSession stores a new session for the user and returns its token.
func (tx *Tx) startSession(userID int64) (string, error) {
	token, hash := newToken()
	_, err := tx.exec(tx.ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		hash, userID, tx.now, tx.now, tx.now.Add(portico.SessionMaxAge), tx.actor.IP, truncate(tx.actor.UserAgent, 500))
	return token, err
}

var errNoSession = portico.Errorf(portico.EUNAUTHORIZED, "Your session has ended. Please sign in again.")

// Authenticate returns the session's user, extending its idle expiry.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*portico.User, *portico.Session, error) {
	db := (*DB)(s)
	if token == "" {
		return nil, nil, errNoSession
	}
	var ss portico.Session
	row := db.read().queryRow(ctx, `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent
		FROM sessions s WHERE s.token_hash = ?`, hashToken(token))
	if err := row.Scan(&ss.ID, &ss.UserID, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt, &ss.IP, &ss.UserAgent); errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoSession
	} else if err != nil {
		return nil, nil, err
	}
	now := db.now()
	if !now.Before(ss.ExpiresAt) || !now.Before(ss.LastSeenAt.Add(portico.SessionIdle)) {
		return nil, nil, errNoSession
	}
	u, err := findUser(ctx, db.read(), ss.UserID)
	if err != nil || !u.Active {
		return nil, nil, errNoSession
	}
	// Write at most once a minute, not on every request.
	if now.Sub(ss.LastSeenAt) > time.Minute {
		if _, err := db.read().exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, ss.ID); err != nil {
			return nil, nil, err
		}
		ss.LastSeenAt = now
	}
	return u, &ss, nil
}

// SignOut ends a session.
func (s *AuthService) SignOut(ctx context.Context, token string) error {
	db := (*DB)(s)
	return db.inTx(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.queryRow(ctx, `DELETE FROM sessions WHERE token_hash = ? RETURNING user_id`, hashToken(token)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		// The token proves who is signing out.
		if u, err := findUser(ctx, tx.conn, userID); err == nil {
			tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorUser, u.ID, u.Name, u.Role
		}
		_, err = tx.event("user.signed_out", "user", userID, nil)
		return err
	})
}
