package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"portico"
)

// The weekly report: once a week, each connected portal contact who wants
// it gets an email about the previous week on their jobs. What it says is
// built in weekly_report_build.go and worded in weekly_report_mail.go.

// WeeklyReportService implements portico.WeeklyReportService.
type WeeklyReportService DB

func (db *DB) weeklyReportService() portico.WeeklyReportService { return (*WeeklyReportService)(db) }

const (
	purposeUnsubscribe = "unsubscribe"
	// unsubscribeTTL is how long a report's unsubscribe link works: long
	// enough for an old email found in an inbox.
	unsubscribeTTL = 90 * 24 * time.Hour
)

var errUnsubscribeLink = portico.Errorf(portico.ENOTFOUND,
	"This unsubscribe link has expired or isn't one we sent. To stop the weekly report, use the link in a recent report, or ask your recruiter.")

// lastWeek returns the last full week before now in the zone: Monday 00:00
// to the next Monday 00:00, as UTC.
func lastWeek(now time.Time, loc *time.Location) (time.Time, time.Time) {
	t := now.In(loc)
	sinceMonday := (int(t.Weekday()) + 6) % 7
	monday := time.Date(t.Year(), t.Month(), t.Day()-sinceMonday, 0, 0, 0, 0, loc)
	return monday.AddDate(0, 0, -7).UTC(), monday.UTC()
}

// weekEnd is a week's end: the same time a week later in the zone (a
// calendar week, so 167 or 169 hours when the clocks change).
func weekEnd(start time.Time, loc *time.Location) time.Time {
	return start.In(loc).AddDate(0, 0, 7).UTC()
}

// agencyZone is the agency's time zone, UTC before setup.
func agencyZone(ctx context.Context, c conn) *time.Location {
	var tz string
	if err := c.queryRow(ctx, `SELECT time_zone FROM agency ORDER BY id LIMIT 1`).Scan(&tz); err != nil {
		return time.UTC
	}
	return (&portico.Agency{TimeZone: tz}).Location()
}

// errNoReport rolls back a claimed week when the contact has nothing to be
// told about (no job they may see is open or had news).
var errNoReport = errors.New("no report")

// reportBatch is how many contacts one read lists. A pass reads batch
// after batch by ID: contacts with nothing to hear about aren't claimed
// (a job opened later in the week still gets them a report), so they are
// listed again every pass, and a single bounded list would let enough of
// them keep everyone after them from ever being reached.
var reportBatch = 5000

// SendWeeklyReports queues last week's report for every connected contact
// who wants it and hasn't had it. Each contact is one transaction that
// first claims the week in weekly_reports: a second instance (or a second
// run) finds the row there and sends nothing.
func (s *WeeklyReportService) SendWeeklyReports(ctx context.Context) (int, error) {
	if _, err := admin(ctx, "send the weekly reports"); err != nil {
		return 0, err
	}
	db := (*DB)(s)
	if ok, err := agencyExists(ctx, db.read()); err != nil || !ok {
		return 0, err
	}
	loc := agencyZone(ctx, db.read())
	start, end := lastWeek(db.now(), loc)
	sent := 0
	for after := int64(0); ; {
		ids, err := db.read().ids(ctx, `SELECT k.id FROM contacts k
			WHERE k.id > ? AND k.weekly_report = ? AND k.portal_status = ? AND k.email <> ''
			AND NOT EXISTS (SELECT 1 FROM weekly_reports w WHERE w.contact_id = k.id AND w.week_start = ?)
			ORDER BY k.id LIMIT ?`, after, true, string(portico.PortalConnected), start, reportBatch)
		if err != nil || len(ids) == 0 {
			return sent, err
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return sent, err
			}
			ok, err := s.sendReport(ctx, id, start, end, loc)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		after = ids[len(ids)-1]
	}
}

// sendReport claims the week for one contact and queues their report, in
// one transaction. It reports false when another run claimed it first or
// the contact has nothing to hear about.
func (s *WeeklyReportService) sendReport(ctx context.Context, contactID int64, start, end time.Time, loc *time.Location) (bool, error) {
	db := (*DB)(s)
	claimed := false
	err := db.inTx(ctx, func(tx *Tx) error {
		// Checked again inside: they may have unsubscribed since the list
		// was read.
		res, err := tx.exec(ctx, `INSERT INTO weekly_reports (contact_id, week_start, sent_at)
			SELECT k.id, ?, ? FROM contacts k WHERE k.id = ? AND k.weekly_report = ? AND k.portal_status = ? AND k.email <> ''
			ON CONFLICT (contact_id, week_start) DO NOTHING`,
			start, tx.now, contactID, true, string(portico.PortalConnected))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		b, err := buildReport(ctx, db, tx.conn, contactID, start, end)
		if err != nil {
			return err
		}
		if len(b.report.Jobs) == 0 {
			return errNoReport
		}
		if err := tx.queueReport(b, loc); err != nil {
			return err
		}
		claimed = true
		return nil
	})
	if errors.Is(err, errNoReport) {
		return false, nil
	}
	return claimed, err
}

// BuildWeeklyReport returns a contact's report of the week starting at
// weekStart, as it would be sent.
func (s *WeeklyReportService) BuildWeeklyReport(ctx context.Context, contactID int64, weekStart time.Time) (*portico.WeeklyReport, error) {
	a := portico.ActorFromContext(ctx)
	if !(a.Kind == portico.ActorContact && a.ID == contactID) {
		if _, err := staff(ctx); err != nil {
			return nil, err
		}
	}
	c := (*DB)(s).read()
	k, err := findContact(ctx, c, contactID)
	if err != nil {
		return nil, err
	}
	if !mayUsePortal(k.PortalStatus) {
		return nil, portico.Errorf(portico.ECONFLICT, "%s has no portal account, so gets no weekly report.", k.Name)
	}
	b, err := buildReport(ctx, (*DB)(s), c, contactID, weekStart.UTC(), weekEnd(weekStart, agencyZone(ctx, c)))
	if err != nil {
		return nil, err
	}
	return b.report, nil
}

// SetWeeklyReport turns a contact's report on or off: an agency user, or
// the contact themselves on the portal (not a preview).
func (s *WeeklyReportService) SetWeeklyReport(ctx context.Context, contactID int64, on bool) error {
	a := portico.ActorFromContext(ctx)
	if !(a.Kind == portico.ActorContact && a.ID == contactID && a.PreviewBy == 0) {
		if _, err := staff(ctx); err != nil {
			return err
		}
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		k, err := findContact(ctx, tx.conn, contactID)
		if err != nil {
			return err
		}
		action := "contact.weekly_report_off"
		if on {
			action = "contact.weekly_report_on"
		}
		_, err = tx.setWeeklyReport(k, on, action)
		return err
	})
}

// setWeeklyReport stores the choice and records it; nothing when it was
// so already. It reports whether it changed.
func (tx *Tx) setWeeklyReport(k *portico.Contact, on bool, action string) (bool, error) {
	res, err := tx.exec(tx.ctx, `UPDATE contacts SET weekly_report = ?, updated_at = ? WHERE id = ? AND weekly_report <> ?`, on, tx.now, k.ID, on)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	_, err = tx.record(change{action: action, subjectType: "contact", subjectID: k.ID, clientID: k.ClientID,
		details: map[string]string{"name": k.Name, "email": k.Email}})
	return err == nil, err
}

// unsubscriber returns the contact whose unsubscribe link the token is.
func unsubscriber(ctx context.Context, c conn, token string, now time.Time) (*portico.Contact, error) {
	if token == "" || len(token) > 200 {
		return nil, errUnsubscribeLink
	}
	var id int64
	err := c.queryRow(ctx, `SELECT contact_id FROM contact_tokens WHERE token_hash = ? AND purpose = ? AND expires_at > ?`,
		hashToken(token), purposeUnsubscribe, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnsubscribeLink
	} else if err != nil {
		return nil, err
	}
	return findContact(ctx, c, id)
}

// CheckUnsubscribe returns whose unsubscribe link the token is.
func (s *WeeklyReportService) CheckUnsubscribe(ctx context.Context, token string) (*portico.Contact, error) {
	db := (*DB)(s)
	return unsubscriber(ctx, db.read(), token, db.now())
}

// Unsubscribe turns the report off with a report's link. The link works
// as often as it is used until it expires (one-click unsubscribe may be
// clicked twice, or by a mail client and then by hand); it acts as the
// contact, whose inbox it reached.
func (s *WeeklyReportService) Unsubscribe(ctx context.Context, token string) (*portico.Contact, error) {
	var k *portico.Contact
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		var err error
		if k, err = unsubscriber(ctx, tx.conn, token, tx.now); err != nil {
			return err
		}
		tx.actor.Kind, tx.actor.ID, tx.actor.Name, tx.actor.Role = portico.ActorContact, k.ID, k.Name, ""
		_, err = tx.setWeeklyReport(k, false, "contact.unsubscribed")
		k.WeeklyReport = false
		return err
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// unsubscribeLink issues a report's unsubscribe token, clearing the
// contact's expired ones so they don't pile up a year at a time.
func (tx *Tx) unsubscribeLink(contactID int64) (string, error) {
	if _, err := tx.exec(tx.ctx, `DELETE FROM contact_tokens WHERE contact_id = ? AND purpose = ? AND expires_at <= ?`,
		contactID, purposeUnsubscribe, tx.now); err != nil {
		return "", err
	}
	token, err := tx.issueContactToken(contactID, purposeUnsubscribe, unsubscribeTTL, "")
	return "/portal/unsubscribe/" + token, err
}
