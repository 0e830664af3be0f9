package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"portico"
)

// Opening a share link (anyone holding its token), and renewing one that
// has run out. A GET only looks (CheckLink): mail scanners open links, so
// only a POST counts a use.

// renewalsPerDay bounds the fresh links one old link can ask for in a day,
// so its page can't be used to flood the contact's inbox.
const renewalsPerDay = 3

var errLinkUnknown = portico.Errorf(portico.ENOTFOUND,
	"We don't know this link. It may have been copied only in part. Ask for a sign-in link below, or ask your recruiter to send the link again.")

// linkByToken returns the link of a token with its status at now.
func linkByToken(ctx context.Context, c conn, token string, now time.Time) (*portico.Link, error) {
	if token == "" || len(token) > 200 {
		return nil, errLinkUnknown
	}
	l, err := scanLink(c.queryRow(ctx, `SELECT `+linkColumns+linkFrom+` WHERE l.token_hash = ?`, hashToken(token)), now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLinkUnknown
	}
	return l, err
}

// linkGone is the error for a link that can no longer be opened.
func linkGone(ctx context.Context, c conn, l *portico.Link) error {
	if l.Status == portico.LinkRevoked {
		return portico.Errorf(portico.EFORBIDDEN, "This link has been turned off by %s.", agencyName(ctx, c))
	}
	if l.MaxUses > 0 && l.Uses >= l.MaxUses {
		return portico.Errorf(portico.EFORBIDDEN, "This link has expired: it has been used as many times as it allows.")
	}
	return portico.Errorf(portico.EFORBIDDEN, "This link has expired.")
}

// CheckLink returns the link of a token and its status. Nothing is
// counted: a GET shows the page, and only a POST opens the link.
func (s *LinkService) CheckLink(ctx context.Context, token string) (*portico.Link, error) {
	db := (*DB)(s)
	return linkByToken(ctx, db.read(), token, db.now())
}

// OpenLink uses a link: one transaction counts the use, logs it, starts a
// portal session scoped to the link and records the visit as the
// contact's. An expired or revoked link is EFORBIDDEN, and the attempt is
// recorded; an unknown token is ENOTFOUND.
func (s *LinkService) OpenLink(ctx context.Context, token string) (*portico.LinkVisit, error) {
	db := (*DB)(s)
	if token == "" || len(token) > 200 {
		return nil, errLinkUnknown
	}
	var visit *portico.LinkVisit
	var refused error
	err := db.inTx(ctx, func(tx *Tx) error {
		ip, agent := truncate(tx.actor.IP, 100), truncate(tx.actor.UserAgent, 500)
		// One write decides: of two visitors opening a link's last use at
		// once, one gets it (PostgreSQL makes the other wait for the row,
		// then finds it spent).
		var id int64
		err := tx.queryRow(ctx, `UPDATE portal_links SET uses = uses + 1, last_used_at = ?, last_ip = ?
			WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) AND (max_uses = 0 OR uses < max_uses)
			RETURNING id`, tx.now, ip, hashToken(token), tx.now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			l, err := linkByToken(ctx, tx.conn, token, tx.now)
			if err != nil {
				return err
			}
			refused = linkGone(ctx, tx.conn, l)
			_, err = tx.record(change{action: "link.refused", subjectType: "contact", subjectID: l.ContactID, jobID: l.JobID, clientID: l.ClientID,
				details: map[string]string{"link": strconv.FormatInt(l.ID, 10), "name": l.ContactName, "job": l.JobTitle, "status": string(l.Status)}})
			return err
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO portal_link_uses (link_id, at, ip, user_agent) VALUES (?, ?, ?, ?)`, id, tx.now, ip, agent); err != nil {
			return err
		}
		l, err := findLink(ctx, tx.conn, id, tx.now)
		if err != nil {
			return err
		}
		// The link is the invitation of a contact without a password, but
		// never lets in one whose access was turned off.
		res, err := tx.exec(ctx, `UPDATE contacts SET previous_visit_at = last_visit_at, last_visit_at = ?, updated_at = ? WHERE id = ? AND portal_status <> ?`,
			tx.now, tx.now, l.ContactID, string(portico.PortalDisabled))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return disabledError(ctx, tx.conn)
		}
		k, err := findContact(ctx, tx.conn, l.ContactID)
		if err != nil {
			return err
		}
		// Holding the link proves who this is: from here the contact acts.
		tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorContact, k.ID, k.Name, ""
		tx.actor.LinkID, tx.actor.LinkJobID = l.ID, l.JobID
		expires := tx.now.Add(portico.PortalSessionMaxAge)
		if l.ExpiresAt != nil && l.ExpiresAt.Before(expires) {
			expires = *l.ExpiresAt
		}
		session, hash := newToken()
		if _, err := tx.exec(ctx, `INSERT INTO portal_sessions (token_hash, contact_id, created_at, last_seen_at, expires_at, ip, user_agent, link_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hash, k.ID, tx.now, tx.now, expires, ip, agent, l.ID); err != nil {
			return err
		}
		uses := strconv.Itoa(l.Uses)
		if l.MaxUses > 0 {
			uses += " of " + strconv.Itoa(l.MaxUses)
		}
		if _, err := tx.record(change{action: "link.used", subjectType: "contact", subjectID: k.ID, jobID: l.JobID, clientID: l.ClientID,
			details: map[string]string{"link": strconv.FormatInt(l.ID, 10), "name": k.Name, "job": l.JobTitle, "uses": uses}}); err != nil {
			return err
		}
		visit = &portico.LinkVisit{Link: l, Contact: k, SessionToken: session}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return visit, nil
}

// RenewLink emails the contact of an expired or revoked link a fresh one
// like it (same contact and job, the client's default expiry) at their
// address on file. It answers the same whatever happened, so a stranger
// learns nothing from it: an unknown token, a link still working, a
// contact without an address or with access turned off, and too many
// renewals in a day all quietly send nothing.
func (s *LinkService) RenewLink(ctx context.Context, token string) error {
	db := (*DB)(s)
	if token == "" || len(token) > 200 {
		return nil
	}
	return db.inTx(ctx, func(tx *Tx) error {
		old, err := linkByToken(ctx, tx.conn, token, tx.now)
		if portico.ErrorCode(err) == portico.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		// A working link needs no renewal; one the agency turned off is
		// theirs to issue again, not the visitor's.
		if old.Status != portico.LinkExpired {
			return nil
		}
		k, err := findContact(ctx, tx.conn, old.ContactID)
		if err != nil {
			return err
		}
		if k.Email == "" || k.PortalStatus == portico.PortalDisabled {
			return nil
		}
		var recent int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM portal_links WHERE renewed_from = ? AND created_at > ?`,
			old.ID, tx.now.Add(-24*time.Hour)).Scan(&recent); err != nil {
			return err
		}
		if recent >= renewalsPerDay {
			return nil
		}
		st, err := settingsFor(ctx, tx.conn, old.ClientID)
		if err != nil {
			return err
		}
		days, uses := linkDefaults(st)
		fresh, l, err := tx.issueLink(k.ID, old.JobID, days, uses, k.Email, 0, old.ID)
		if err != nil {
			return err
		}
		eventID, err := tx.record(change{action: "link.renewed", subjectType: "contact", subjectID: k.ID, jobID: l.JobID, clientID: l.ClientID,
			details: map[string]string{"link": strconv.FormatInt(l.ID, 10), "from": strconv.FormatInt(old.ID, 10), "name": k.Name, "job": l.JobTitle, "sent_to": k.Email}})
		if err != nil {
			return err
		}
		return tx.emailShareLink(l, k.Name, k.Email, fresh, "", "", true, eventID)
	})
}

// emailShareLink queues the email that carries a link: the sender's
// message, the job, the button and when the link stops working, in the
// client's branding.
func (tx *Tx) emailShareLink(l *portico.Link, name, email, token, message, sender string, renewed bool, eventID int64) error {
	if tx.db.Mail == nil {
		return nil
	}
	ctx := tx.ctx
	brand, err := brandFor(ctx, tx.conn, l.ClientID)
	if err != nil {
		return err
	}
	agency := agencyName(ctx, tx.conn)
	msg, err := tx.db.Mail.Compose("share_link", []string{email}, map[string]any{
		"Name": name, "Agency": agency, "SiteName": agency, "Sender": sender, "Job": l.JobTitle,
		"Message": message, "Paragraphs": paragraphs(message), "Path": "/portal/l/" + token,
		"Expiry": l.Expiry(tx.agencyZone()), "Renewed": renewed, "Brand": brand,
	})
	if err != nil {
		return err
	}
	return tx.enqueueEmail(msg, eventID)
}
