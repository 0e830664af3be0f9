package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"portico"
)

// Share links: a token for one contact that opens a job's tracker (or their
// whole portal) without a password, until a date or a number of uses. Only
// the token's hash is stored; every use is logged. This file creates, lists
// and revokes them (agency users); link_open.go opens and renews them.

// LinkService implements portico.LinkService: share links.
type LinkService DB

func (db *DB) linkService() portico.LinkService { return (*LinkService)(db) }

// maxLinkPeople bounds the people one share reaches.
const maxLinkPeople = 50

const linkColumns = `l.id, l.contact_id, k.name, k.email, k.client_id, COALESCE(l.job_id, 0), COALESCE(j.title, ''), l.sent_to,
	l.created_by, COALESCE(u.name, ''), l.created_at, l.expires_at, l.max_uses, l.uses, l.last_used_at, l.last_ip, l.revoked_at`

const linkFrom = ` FROM portal_links l JOIN contacts k ON k.id = l.contact_id LEFT JOIN jobs j ON j.id = l.job_id LEFT JOIN users u ON u.id = l.created_by`

func scanLink(sc interface{ Scan(...any) error }, now time.Time) (*portico.Link, error) {
	var l portico.Link
	var expires, lastUsed, revoked sql.NullTime
	if err := sc.Scan(&l.ID, &l.ContactID, &l.ContactName, &l.ContactEmail, &l.ClientID, &l.JobID, &l.JobTitle, &l.SentTo,
		&l.CreatedBy, &l.CreatedName, &l.CreatedAt, &expires, &l.MaxUses, &l.Uses, &lastUsed, &l.LastIP, &revoked); err != nil {
		return nil, err
	}
	l.CreatedAt, l.ExpiresAt, l.LastUsedAt, l.RevokedAt = l.CreatedAt.UTC(), timePtr(expires), timePtr(lastUsed), timePtr(revoked)
	l.Status = linkStatus(&l, now)
	return &l, nil
}

// linkStatus is a link's state at now: revoked, or expired once its date
// has come or its uses are spent.
func linkStatus(l *portico.Link, now time.Time) portico.LinkStatus {
	switch {
	case l.RevokedAt != nil:
		return portico.LinkRevoked
	case l.ExpiresAt != nil && !now.Before(*l.ExpiresAt):
		return portico.LinkExpired
	case l.MaxUses > 0 && l.Uses >= l.MaxUses:
		return portico.LinkExpired
	}
	return portico.LinkActive
}

func findLink(ctx context.Context, c conn, id int64, now time.Time) (*portico.Link, error) {
	l, err := scanLink(c.queryRow(ctx, `SELECT `+linkColumns+linkFrom+` WHERE l.id = ?`, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("link")
	}
	return l, err
}

// newLinkToken returns a share link's token (32 random bytes, URL-safe)
// and the hash stored in its place.
func newLinkToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

// issueLink stores a new link for a contact and returns its token.
func (tx *Tx) issueLink(contactID, jobID int64, days, uses int, sentTo string, by, renewedFrom int64) (string, *portico.Link, error) {
	token, hash := newLinkToken()
	var expires *time.Time
	if days > 0 {
		t := tx.now.Add(time.Duration(days) * 24 * time.Hour)
		expires = &t
	}
	id, err := tx.insert(tx.ctx, `INSERT INTO portal_links (token_hash, contact_id, job_id, sent_to, created_by, created_at, expires_at, max_uses, renewed_from)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, hash, contactID, nullID(jobID), sentTo, by, tx.now, nullTime(expires), uses, nullID(renewedFrom))
	if err != nil {
		return "", nil, err
	}
	l, err := findLink(tx.ctx, tx.conn, id, tx.now)
	return token, l, err
}

// linkPerson is someone a share makes a link for.
type linkPerson struct {
	id          int64
	name, email string
	allJobs     bool
}

// checkLinkInput validates the share form's own values and returns the
// other addresses, normalised and without repeats.
func checkLinkInput(in *portico.LinkInput) ([]string, []int64, error) {
	in.Message = strings.TrimSpace(strings.ReplaceAll(in.Message, "\r\n", "\n"))
	var v portico.Validation
	v.Check(in.JobID > 0 || in.ClientID > 0, "job_id", "Choose a job, or a client for a link to their whole portal.")
	v.Check(in.Days >= 0 && in.Days <= portico.MaxLinkDays, "days", "Choose from 0 to 365 days.")
	v.Check(in.Uses >= 0 && in.Uses <= portico.MaxLinkUses, "uses", "Choose from 0 to 1,000 uses.")
	v.Check(len(in.Message) <= maxMessage, "message", "Keep the message under 5,000 characters.")
	var emails []string
	seen := map[string]bool{}
	for _, e := range in.Emails {
		e = portico.NormalizeEmail(e)
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		if !portico.ValidEmail(e) {
			v.Check(false, "emails", "“"+truncate(e, 80)+"” isn't an email address. Enter one address a line, like name@example.com.")
			continue
		}
		emails = append(emails, e)
	}
	var ids []int64
	seenID := map[int64]bool{}
	for _, id := range in.ContactIDs {
		if id > 0 && !seenID[id] {
			seenID[id] = true
			ids = append(ids, id)
		}
	}
	v.Check(len(ids)+len(emails) > 0, "contact_id", "Choose at least one contact, or enter an email address.")
	v.Check(len(ids)+len(emails) <= maxLinkPeople, "contact_id", "Share with up to 50 people at a time.")
	return emails, ids, v.Err()
}

// CreateLinks makes a link for each chosen contact and other address, and
// emails each their own when in.Send. One transaction: the links, any new
// contacts, the events and the emails.
func (s *LinkService) CreateLinks(ctx context.Context, in portico.LinkInput) ([]portico.NewLink, error) {
	actor, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	emails, ids, err := checkLinkInput(&in)
	if err != nil {
		return nil, err
	}
	db := (*DB)(s)
	var out []portico.NewLink
	err = db.inTx(ctx, func(tx *Tx) error {
		clientID, title := in.ClientID, ""
		if in.JobID != 0 {
			var err error
			if clientID, title, err = tx.jobClient(in.JobID); err != nil {
				return err
			}
		} else if _, err := findClient(ctx, tx.conn, clientID); err != nil {
			return err
		}
		days, uses := in.Days, in.Uses
		if days == 0 && uses == 0 {
			st, err := settingsFor(ctx, tx.conn, clientID)
			if err != nil {
				return err
			}
			days, uses = linkDefaults(st)
		}
		people, err := tx.linkPeople(clientID, ids, emails, in.Send)
		if err != nil {
			return err
		}
		for _, p := range people {
			sentTo := ""
			if in.Send {
				sentTo = p.email
			}
			token, l, err := tx.issueLink(p.id, in.JobID, days, uses, sentTo, userID(actor), 0)
			if err != nil {
				return err
			}
			details := map[string]string{"link": strconv.FormatInt(l.ID, 10), "name": p.name, "job": title, "sent_to": sentTo,
				"days": strconv.Itoa(days), "uses": strconv.Itoa(uses)}
			if in.JobID != 0 && !p.allJobs {
				// A contact who sees chosen jobs only is given this one:
				// sharing its tracker with them means they may see it.
				res, err := tx.exec(ctx, `INSERT INTO contact_jobs (contact_id, job_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, p.id, in.JobID)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n > 0 {
					details["access"] = "added"
				}
			}
			eventID, err := tx.record(change{action: "link.created", subjectType: "contact", subjectID: p.id, jobID: in.JobID, clientID: clientID, details: details})
			if err != nil {
				return err
			}
			if in.Send {
				if err := tx.emailShareLink(l, p.name, p.email, token, in.Message, actor.Name, false, eventID); err != nil {
					return err
				}
			}
			out = append(out, portico.NewLink{Link: l, Token: token})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// linkDefaults is the expiry of a link whose sender chose none.
func linkDefaults(st *portico.PortalSettings) (days, uses int) {
	if st.LinkDays == 0 && st.LinkUses == 0 {
		d := portico.DefaultPortalSettings()
		return d.LinkDays, d.LinkUses
	}
	return st.LinkDays, st.LinkUses
}

// linkPeople returns the people a share reaches: the chosen contacts, who
// must be the client's, and for each other address the client's contact
// with it or a new contact named from it. An address of another client's
// contact is refused: a link never crosses clients.
func (tx *Tx) linkPeople(clientID int64, ids []int64, emails []string, send bool) ([]linkPerson, error) {
	ctx := tx.ctx
	var out []linkPerson
	seen := map[int64]bool{}
	add := func(p linkPerson, status portico.PortalStatus, field string) error {
		if status == portico.PortalDisabled {
			return portico.FieldError(field, p.name+"’s portal access is disabled, so a link wouldn't work for them. Turn it on again on their page, or leave them out.")
		}
		if send && p.email == "" {
			return portico.FieldError(field, p.name+" has no email address. Add one on their contact page, or leave them out.")
		}
		if !seen[p.id] {
			seen[p.id] = true
			out = append(out, p)
		}
		return nil
	}
	if len(ids) > 0 {
		args := []any{}
		for _, id := range ids {
			args = append(args, id)
		}
		rows, err := tx.query(ctx, `SELECT id, client_id, name, email, portal_status, all_jobs FROM contacts WHERE id IN (`+placeholders(len(ids))+`) ORDER BY name, id`, args...)
		if err != nil {
			return nil, err
		}
		type row struct {
			p      linkPerson
			client int64
			status string
		}
		var found []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.p.id, &r.client, &r.p.name, &r.p.email, &r.status, &r.p.allJobs); err != nil {
				rows.Close()
				return nil, err
			}
			found = append(found, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(found) < len(ids) {
			return nil, portico.FieldError("contact_id", "One of the chosen contacts no longer exists. Reload the page and choose again.")
		}
		for _, r := range found {
			if r.client != clientID {
				return nil, portico.FieldError("contact_id", r.p.name+" isn't a contact of this client. Choose from the contacts listed.")
			}
			if err := add(r.p, portico.PortalStatus(r.status), "contact_id"); err != nil {
				return nil, err
			}
		}
	}
	for _, e := range emails {
		var p linkPerson
		var client int64
		var status string
		err := tx.queryRow(ctx, `SELECT id, client_id, name, email, portal_status, all_jobs FROM contacts WHERE email = ?`, e).
			Scan(&p.id, &client, &p.name, &p.email, &status, &p.allJobs)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if p, err = tx.linkContact(clientID, e); err != nil {
				return nil, err
			}
			status = string(portico.PortalNotRegistered)
		case err != nil:
			return nil, err
		case client != clientID:
			return nil, portico.FieldError("emails", e+" belongs to a contact of another client. Links go only to this client's people: leave it out.")
		}
		if err := add(p, portico.PortalStatus(status), "emails"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// linkContact adds a contact for an address a link was shared with, named
// from the address until someone edits it: what they do is theirs.
func (tx *Tx) linkContact(clientID int64, email string) (linkPerson, error) {
	name := nameFromEmail(email)
	id, err := tx.insert(tx.ctx, `INSERT INTO contacts (client_id, name, title, email, phone, portal_status, created_at, updated_at) VALUES (?, ?, '', ?, '', ?, ?, ?)`,
		clientID, name, email, string(portico.PortalNotRegistered), tx.now, tx.now)
	if tx.d.isUnique(err) {
		return linkPerson{}, portico.FieldError("emails", email+" was just added as someone else's contact. Reload the page and try again.")
	} else if err != nil {
		return linkPerson{}, err
	}
	if _, err := tx.record(change{action: "contact.created", subjectType: "contact", subjectID: id, clientID: clientID,
		details: map[string]string{"name": name, "via": "share link"}}); err != nil {
		return linkPerson{}, err
	}
	return linkPerson{id: id, name: name, email: email, allJobs: true}, nil
}

// nameFromEmail makes a name of an address's local part: "jane.doe" is
// "Jane Doe".
func nameFromEmail(email string) string {
	local, _, _ := strings.Cut(email, "@")
	local, _, _ = strings.Cut(local, "+")
	words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	for i, w := range words {
		r := []rune(w)
		words[i] = string(unicode.ToUpper(r[0])) + string(r[1:])
	}
	if name := strings.Join(words, " "); name != "" {
		return truncate(name, 200)
	}
	return truncate(email, 200)
}

// FindLinks returns a page of links, newest first. Agency users only.
func (s *LinkService) FindLinks(ctx context.Context, f portico.LinkFilter) ([]*portico.Link, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	var where []string
	var args []any
	if f.ContactID != 0 {
		where, args = append(where, "l.contact_id = ?"), append(args, f.ContactID)
	}
	if f.JobID != 0 {
		where, args = append(where, "l.job_id = ?"), append(args, f.JobID)
	}
	// A link's client is its contact's: the count joins contacts only then.
	countFrom := ` FROM portal_links l`
	if f.ClientID != 0 {
		where, args = append(where, "k.client_id = ?"), append(args, f.ClientID)
		countFrom += ` JOIN contacts k ON k.id = l.contact_id`
	}
	if f.WholePortal {
		where = append(where, "l.job_id IS NULL")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*)`+countFrom+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := db.read().query(ctx, `SELECT `+linkColumns+linkFrom+cond+` ORDER BY l.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	now := db.now()
	var out []*portico.Link
	for rows.Next() {
		l, err := scanLink(rows, now)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}

// maxLinkUses bounds the use log LinkUses returns.
const maxLinkUses = 200

// LinkUses returns a link's newest uses. Agency users only.
func (s *LinkService) LinkUses(ctx context.Context, linkID int64) ([]portico.LinkUse, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	db := (*DB)(s)
	if _, err := findLink(ctx, db.read(), linkID, db.now()); err != nil {
		return nil, err
	}
	rows, err := db.read().query(ctx, `SELECT at, ip, user_agent FROM portal_link_uses WHERE link_id = ? ORDER BY id DESC LIMIT ?`, linkID, maxLinkUses)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []portico.LinkUse
	for rows.Next() {
		var u portico.LinkUse
		if err := rows.Scan(&u.At, &u.IP, &u.UserAgent); err != nil {
			return nil, err
		}
		u.At = u.At.UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// RevokeLink ends a link at once, and the portal sessions it opened. Any
// agency user may: whoever notices a link in the wrong hands should be
// able to stop it, and the audit says who did. Revoking a revoked link
// does nothing.
func (s *LinkService) RevokeLink(ctx context.Context, linkID int64) error {
	actor, err := staff(ctx)
	if err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE portal_links SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`, tx.now, nullID(userID(actor)), linkID)
		if err != nil {
			return err
		}
		l, err := findLink(ctx, tx.conn, linkID, tx.now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // revoked already
		}
		if _, err := tx.exec(ctx, `DELETE FROM portal_sessions WHERE link_id = ?`, linkID); err != nil {
			return err
		}
		_, err = tx.record(change{action: "link.revoked", subjectType: "contact", subjectID: l.ContactID, jobID: l.JobID, clientID: l.ClientID,
			details: map[string]string{"link": strconv.FormatInt(l.ID, 10), "name": l.ContactName, "job": l.JobTitle, "sent_to": l.SentTo}})
		return err
	})
}
