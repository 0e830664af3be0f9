package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"portico"
)

// Emailed portal links: activation (from an invitation), one-time sign-in
// and password reset. Each is a row of contact_tokens holding only the
// token's hash; a link works once, until it expires, and only while the
// contact may use the portal.

const (
	purposeActivation = "activation"
	purposeSignIn     = "signin"
	purposeReset      = "reset"
)

// linkRequestLimit bounds the links one contact can be sent per purpose in
// SignInWindow, so the sign-in page can't be used to flood their inbox.
const linkRequestLimit = 5

var (
	errActivationLink = portico.Errorf(portico.EUNAUTHORIZED,
		"This invitation link has expired or has been replaced by a newer one. Enter your email below and we'll send you a link to set your password.")
	errSignInLink = portico.Errorf(portico.EUNAUTHORIZED,
		"This sign-in link has expired or has been used already. Enter your email below and we'll send you a fresh one.")
	errPortalResetLink = portico.Errorf(portico.EUNAUTHORIZED,
		"This reset link has expired or has been used already. Enter your email below and we'll send you a fresh one.")
)

func linkError(purpose string) error {
	switch purpose {
	case purposeActivation:
		return errActivationLink
	case purposeSignIn:
		return errSignInLink
	}
	return errPortalResetLink
}

// portalNext keeps a link's destination only when it is a page of the
// portal on this site.
func portalNext(next string) string {
	if len(next) > 500 || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	if next == "/portal" || strings.HasPrefix(next, "/portal/") || strings.HasPrefix(next, "/portal?") {
		return next
	}
	return ""
}

// issueContactToken stores a new link token for a contact and returns it.
func (tx *Tx) issueContactToken(contactID int64, purpose string, ttl time.Duration, next string) (string, error) {
	token, hash := newToken()
	_, err := tx.exec(tx.ctx, `INSERT INTO contact_tokens (contact_id, purpose, token_hash, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		contactID, purpose, hash, next, tx.now, tx.now.Add(ttl))
	return token, err
}

// endContactTokens uses up a contact's outstanding links of a purpose (all
// purposes when purpose is "").
func (tx *Tx) endContactTokens(contactID int64, purpose string) error {
	q, args := `UPDATE contact_tokens SET used_at = ? WHERE contact_id = ? AND used_at IS NULL`, []any{tx.now, contactID}
	if purpose != "" {
		q, args = q+` AND purpose = ?`, append(args, purpose)
	}
	_, err := tx.exec(tx.ctx, q, args...)
	return err
}

// findContactToken returns the contact ID and destination of a usable link.
func findContactToken(ctx context.Context, c conn, token, purpose string, now time.Time) (int64, string, error) {
	if token == "" || len(token) > 200 {
		return 0, "", linkError(purpose)
	}
	var id int64
	var next string
	err := c.queryRow(ctx, `SELECT t.contact_id, t.next FROM contact_tokens t JOIN contacts k ON k.id = t.contact_id
		WHERE t.token_hash = ? AND t.purpose = ? AND t.used_at IS NULL AND t.expires_at > ? AND k.portal_status IN (?, ?)`,
		hashToken(token), purpose, now, string(portico.PortalPending), string(portico.PortalConnected)).Scan(&id, &next)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", linkError(purpose)
	}
	return id, next, err
}

// useContactToken checks a link and uses it up, by a write only one of
// several requests with it at once can make (on PostgreSQL the others wait
// for the row, then find it used).
func (tx *Tx) useContactToken(token, purpose string) (int64, string, error) {
	id, next, err := findContactToken(tx.ctx, tx.conn, token, purpose, tx.now)
	if err != nil {
		return 0, "", err
	}
	res, err := tx.exec(tx.ctx, `UPDATE contact_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, tx.now, hashToken(token))
	if err != nil {
		return 0, "", err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, "", err
	} else if n == 0 {
		return 0, "", linkError(purpose)
	}
	return id, next, nil
}

// checkToken is CheckActivation, CheckSignInLink and CheckPasswordReset.
func (s *PortalAuthService) checkToken(ctx context.Context, token, purpose string) (*portico.Contact, error) {
	db := (*DB)(s)
	id, _, err := findContactToken(ctx, db.read(), token, purpose, db.now())
	if err != nil {
		return nil, err
	}
	k, err := findContact(ctx, db.read(), id)
	if portico.ErrorCode(err) == portico.ENOTFOUND {
		return nil, linkError(purpose)
	}
	return k, err
}

// CheckActivation reports whether an invitation's link can be used.
func (s *PortalAuthService) CheckActivation(ctx context.Context, token string) (*portico.Contact, error) {
	return s.checkToken(ctx, token, purposeActivation)
}

// CheckSignInLink reports whether a one-time sign-in link can be used.
func (s *PortalAuthService) CheckSignInLink(ctx context.Context, token string) (*portico.Contact, error) {
	return s.checkToken(ctx, token, purposeSignIn)
}

// CheckPasswordReset reports whether a contact's reset link can be used.
func (s *PortalAuthService) CheckPasswordReset(ctx context.Context, token string) (*portico.Contact, error) {
	return s.checkToken(ctx, token, purposeReset)
}

func checkNewPassword(password string) error {
	var v portico.Validation
	portico.CheckPassword(&v, "password", password)
	return v.Err()
}

// setContactPassword stores a new password's hash, ends the contact's sessions and
// uses up their other password links. The contact is the actor from here.
func (tx *Tx) setContactPassword(contactID int64, hash string) (*portico.Contact, error) {
	ctx := tx.ctx
	if _, err := tx.exec(ctx, `UPDATE contacts SET password_hash = ?, activated_at = COALESCE(activated_at, ?), updated_at = ? WHERE id = ?`,
		hash, tx.now, tx.now, contactID); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM portal_sessions WHERE contact_id = ?`, contactID); err != nil {
		return nil, err
	}
	for _, p := range []string{purposeActivation, purposeReset} {
		if err := tx.endContactTokens(contactID, p); err != nil {
			return nil, err
		}
	}
	k, err := findContact(ctx, tx.conn, contactID)
	if err != nil {
		return nil, err
	}
	// Holding the emailed link proves who this is.
	tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorContact, k.ID, k.Name, ""
	return k, nil
}

// Activate sets the contact's password with their invitation's link and
// signs them in: they are Connected.
func (s *PortalAuthService) Activate(ctx context.Context, token, password string) (string, *portico.Contact, error) {
	if err := checkNewPassword(password); err != nil {
		return "", nil, err
	}
	hash := hashPassword(password) // slow on purpose: outside the transaction
	var session string
	var k *portico.Contact
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		id, _, err := tx.useContactToken(token, purposeActivation)
		if err != nil {
			return err
		}
		k0, err := tx.setContactPassword(id, hash)
		if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "contact.activated", subjectType: "contact", subjectID: id, clientID: k0.ClientID}); err != nil {
			return err
		}
		session, k, err = tx.startPortalSession(id, "activation")
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return session, k, nil
}

// UseSignInLink signs in with a one-time link and returns where it leads.
func (s *PortalAuthService) UseSignInLink(ctx context.Context, token string) (string, *portico.Contact, string, error) {
	var session, next string
	var k *portico.Contact
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		id, n, err := tx.useContactToken(token, purposeSignIn)
		if err != nil {
			return err
		}
		next = portalNext(n)
		session, k, err = tx.startPortalSession(id, "link")
		return err
	})
	if err != nil {
		return "", nil, "", err
	}
	return session, k, next, nil
}

// ResetPassword sets a contact's new password with a reset link, ending
// their sessions. It doesn't sign them in: they sign in with it next.
func (s *PortalAuthService) ResetPassword(ctx context.Context, token, password string) (*portico.Contact, error) {
	if err := checkNewPassword(password); err != nil {
		return nil, err
	}
	hash := hashPassword(password) // slow on purpose: outside the transaction
	var k *portico.Contact
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		id, _, err := tx.useContactToken(token, purposeReset)
		if err != nil {
			return err
		}
		if k, err = tx.setContactPassword(id, hash); err != nil {
			return err
		}
		_, err = tx.record(change{action: "contact.password_reset", subjectType: "contact", subjectID: id, clientID: k.ClientID})
		return err
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// RequestSignInLink emails a one-time sign-in link, if the address belongs
// to a contact who may use the portal.
func (s *PortalAuthService) RequestSignInLink(ctx context.Context, email, next string) error {
	return s.emailLink(ctx, email, purposeSignIn, portico.SignInLinkTTL, portalNext(next))
}

// RequestPasswordReset emails a reset link, if the address belongs to a
// contact who may use the portal.
func (s *PortalAuthService) RequestPasswordReset(ctx context.Context, email string) error {
	return s.emailLink(ctx, email, purposeReset, portico.PasswordResetTTL, "")
}

// emailLink sends a sign-in or reset link. It says nothing about whether
// there was an account: the page reads the same either way.
func (s *PortalAuthService) emailLink(ctx context.Context, email, purpose string, ttl time.Duration, next string) error {
	db := (*DB)(s)
	email = portico.NormalizeEmail(email)
	if !portico.ValidEmail(email) {
		return portico.FieldError("email", "Enter an email address like name@example.com.")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		acct, err := contactByEmail(ctx, tx.conn, email)
		if err != nil || acct.id == 0 || !mayUsePortal(acct.status) {
			return err
		}
		var recent int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contact_tokens WHERE contact_id = ? AND purpose = ? AND created_at > ?`,
			acct.id, purpose, tx.now.Add(-portico.SignInWindow)).Scan(&recent); err != nil {
			return err
		}
		if recent >= linkRequestLimit {
			return nil // enough is on its way already
		}
		token, err := tx.issueContactToken(acct.id, purpose, ttl, next)
		if err != nil {
			return err
		}
		action, tmpl, path := "contact.sign_in_link_sent", "portal_signin_link", "/portal/link/"
		if purpose == purposeReset {
			action, tmpl, path = "contact.password_reset_requested", "portal_reset", "/portal/reset/"
		}
		ev, err := tx.record(change{action: action, subjectType: "contact", subjectID: acct.id, clientID: acct.clientID,
			details: map[string]string{"email": email}})
		if err != nil {
			return err
		}
		agency := agencyName(ctx, tx.conn)
		brand, err := brandFor(ctx, tx.conn, acct.clientID)
		if err != nil {
			return err
		}
		msg, err := db.Mail.Compose(tmpl, []string{email}, map[string]any{
			"Name": acct.name, "Agency": agency, "SiteName": agency, "Path": path + token, "Minutes": int(ttl.Minutes()),
			"Brand": brand,
		})
		if err != nil {
			return err
		}
		return tx.enqueueEmail(msg, ev)
	})
}
