package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"portico"
)

// PortalAuthService implements portico.PortalAuthService.
type PortalAuthService DB

// portalAuthService returns the service.
func (db *DB) portalAuthService() portico.PortalAuthService { return (*PortalAuthService)(db) }

var errPortalCredentials = portico.Errorf(portico.EUNAUTHORIZED,
	"That email and password don't match a portal account. Check them and try again, or email yourself a sign-in link.")

var errPortalTooMany = portico.Errorf(portico.ETOOMANY,
	"Too many failed sign-in attempts. Wait 15 minutes and try again, or email yourself a sign-in link.")

var errNoPortalSession = portico.Errorf(portico.EUNAUTHORIZED, "Your session has ended. Please sign in again.")

// portalAccount is what sign-in needs to know about a contact.
type portalAccount struct {
	id, clientID int64
	name         string
	hash         string
	status       portico.PortalStatus
}

// contactByEmail returns the contact with the address (id 0 when none).
func contactByEmail(ctx context.Context, c conn, email string) (portalAccount, error) {
	var a portalAccount
	var status string
	err := c.queryRow(ctx, `SELECT id, client_id, name, password_hash, portal_status FROM contacts WHERE email = ? AND email <> ''`, email).
		Scan(&a.id, &a.clientID, &a.name, &a.hash, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return portalAccount{}, nil
	}
	a.status = portico.PortalStatus(status)
	return a, err
}

// mayUsePortal reports whether a contact's account lets them in: invited
// (pending) or connected, never not registered or disabled.
func mayUsePortal(s portico.PortalStatus) bool {
	return s == portico.PortalPending || s == portico.PortalConnected
}

// agencyName is the agency's name for messages, "the agency" before setup.
func agencyName(ctx context.Context, c conn) string {
	var name string
	if err := c.queryRow(ctx, `SELECT name FROM agency ORDER BY id LIMIT 1`).Scan(&name); err != nil || name == "" {
		return "the agency"
	}
	return name
}

// disabledError is what a disabled contact is told once their password
// is right (never before: that would tell strangers who has an account).
func disabledError(ctx context.Context, c conn) error {
	return portico.Errorf(portico.EFORBIDDEN, "Your access to this portal has been turned off. Contact %s if you need it back.", agencyName(ctx, c))
}

// SignIn checks a contact's password and starts a portal session.
func (s *PortalAuthService) SignIn(ctx context.Context, email, password string) (string, *portico.Contact, error) {
	db := (*DB)(s)
	email = portico.NormalizeEmail(email)
	ip := portico.ActorFromContext(ctx).IP
	// No address is longer than 254 characters (and PostgreSQL's index of
	// attempts holds none much longer): refuse before counting attempts.
	if email == "" || password == "" || len(email) > 254 {
		return "", nil, errPortalCredentials
	}
	if err := checkAttempts(ctx, db.read(), db.now(), "portal", email, ip); err != nil {
		if portico.ErrorCode(err) == portico.ETOOMANY {
			return "", nil, errPortalTooMany
		}
		return "", nil, err
	}
	acct, err := contactByEmail(ctx, db.read(), email)
	if err != nil {
		return "", nil, err
	}
	hash := acct.hash
	if hash == "" {
		hash = dummyHash // as long either way, so timing tells nothing
	}
	ok := checkPassword(hash, password) && acct.hash != "" && len(password) <= 200
	disabled := ok && !mayUsePortal(acct.status)

	var token string
	var k *portico.Contact
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO signin_attempts (email, ip, at, succeeded, area) VALUES (?, ?, ?, ?, ?)`,
			email, ip, tx.now, ok && !disabled, "portal"); err != nil {
			return err
		}
		if !ok || disabled {
			if acct.id == 0 {
				return nil
			}
			details := map[string]string{"email": email}
			if disabled {
				details["reason"] = "disabled"
			}
			_, err := tx.record(change{action: "contact.sign_in_failed", subjectType: "contact", subjectID: acct.id, clientID: acct.clientID, details: details})
			return err
		}
		var err error
		token, k, err = tx.startPortalSession(acct.id, "password")
		return err
	})
	switch {
	case err != nil:
		return "", nil, err
	case disabled:
		return "", nil, disabledError(ctx, db.read())
	case !ok:
		return "", nil, errPortalCredentials
	}
	return token, k, nil
}

// startPortalSession signs a contact in: a new session, their visit
// stamped (the previous one kept for "new since your last visit"), their
// account Connected, and the event. From here on the contact acts.
func (tx *Tx) startPortalSession(contactID int64, method string) (string, *portico.Contact, error) {
	ctx := tx.ctx
	// Only while the account is open: a Disable that commits first wins.
	res, err := tx.exec(ctx, `UPDATE contacts SET previous_visit_at = last_visit_at, last_visit_at = ?, portal_status = ?, updated_at = ?
		WHERE id = ? AND portal_status IN (?, ?)`,
		tx.now, string(portico.PortalConnected), tx.now, contactID, string(portico.PortalPending), string(portico.PortalConnected))
	if err != nil {
		return "", nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", nil, err
	} else if n == 0 {
		return "", nil, disabledError(ctx, tx.conn)
	}
	k, err := findContact(ctx, tx.conn, contactID)
	if err != nil {
		return "", nil, err
	}
	tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorContact, k.ID, k.Name, ""
	token, hash := newToken()
	if _, err := tx.exec(ctx, `INSERT INTO portal_sessions (token_hash, contact_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		hash, k.ID, tx.now, tx.now, tx.now.Add(portico.PortalSessionMaxAge), tx.actor.IP, truncate(tx.actor.UserAgent, 500)); err != nil {
		return "", nil, err
	}
	if _, err := tx.record(change{action: "contact.signed_in", subjectType: "contact", subjectID: k.ID, clientID: k.ClientID,
		details: map[string]string{"method": method}}); err != nil {
		return "", nil, err
	}
	return token, k, nil
}

// Authenticate returns the contact of a portal session, extending its idle
// expiry. Disabled contacts have no sessions. A share link's session lasts
// only while its link does (revoked or past its date, it ends at once) and
// lets in a contact who has no password yet; a preview's carries the agency
// user who opened it.
func (s *PortalAuthService) Authenticate(ctx context.Context, token string) (*portico.Contact, *portico.PortalSession, error) {
	db := (*DB)(s)
	if token == "" || len(token) > 200 {
		return nil, nil, errNoPortalSession
	}
	var ss portico.PortalSession
	var lastSeen time.Time
	var linkID, linkJob, previewBy sql.NullInt64
	var linkRevoked, linkExpires sql.NullTime
	err := db.read().queryRow(ctx, `SELECT s.id, s.contact_id, s.created_at, s.last_seen_at, s.expires_at, s.link_id, s.preview_by, l.job_id, l.revoked_at, l.expires_at
		FROM portal_sessions s LEFT JOIN portal_links l ON l.id = s.link_id WHERE s.token_hash = ?`, hashToken(token)).
		Scan(&ss.ID, &ss.ContactID, &ss.CreatedAt, &lastSeen, &ss.ExpiresAt, &linkID, &previewBy, &linkJob, &linkRevoked, &linkExpires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoPortalSession
	} else if err != nil {
		return nil, nil, err
	}
	ss.CreatedAt, ss.ExpiresAt, lastSeen = ss.CreatedAt.UTC(), ss.ExpiresAt.UTC(), lastSeen.UTC()
	ss.LinkID, ss.LinkJobID, ss.PreviewBy = linkID.Int64, linkJob.Int64, previewBy.Int64
	now := db.now()
	if !now.Before(ss.ExpiresAt) || !now.Before(lastSeen.Add(portico.PortalSessionIdle)) {
		return nil, nil, errNoPortalSession
	}
	if ss.LinkID != 0 && (linkRevoked.Valid || (linkExpires.Valid && !now.Before(linkExpires.Time.UTC()))) {
		return nil, nil, errNoPortalSession
	}
	k, err := findContact(ctx, db.read(), ss.ContactID)
	if portico.ErrorCode(err) == portico.ENOTFOUND {
		return nil, nil, errNoPortalSession
	} else if err != nil {
		return nil, nil, err
	}
	admitted := mayUsePortal(k.PortalStatus)
	if ss.LinkID != 0 {
		admitted = k.PortalStatus != portico.PortalDisabled
	}
	if !admitted {
		return nil, nil, errNoPortalSession
	}
	// Write at most once a minute, not on every request.
	if now.Sub(lastSeen) > time.Minute {
		if _, err := db.read().exec(ctx, `UPDATE portal_sessions SET last_seen_at = ? WHERE id = ?`, now, ss.ID); err != nil {
			return nil, nil, err
		}
	}
	return k, &ss, nil
}

// SignOut ends a portal session. Unknown tokens are ignored.
func (s *PortalAuthService) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		var contactID int64
		var previewBy sql.NullInt64
		err := tx.queryRow(ctx, `DELETE FROM portal_sessions WHERE token_hash = ? RETURNING contact_id, preview_by`, hashToken(token)).Scan(&contactID, &previewBy)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if previewBy.Valid {
			return nil // the end of a preview: the contact didn't sign out
		}
		k, err := findContact(ctx, tx.conn, contactID)
		if err != nil {
			return err
		}
		// The token proves who is signing out.
		tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorContact, k.ID, k.Name, ""
		_, err = tx.record(change{action: "contact.signed_out", subjectType: "contact", subjectID: k.ID, clientID: k.ClientID})
		return err
	})
}
