package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"portico"
)

// PortalAccountService implements portico.PortalAccountService.
type PortalAccountService DB

// portalAccountService returns the service.
func (db *DB) portalAccountService() portico.PortalAccountService { return (*PortalAccountService)(db) }

// maxAccessJobs bounds the chosen jobs of one contact (a form's checkboxes).
const maxAccessJobs = 1000

// findAccount reads a contact's portal account.
func findAccount(ctx context.Context, c conn, contactID int64) (*portico.PortalAccount, error) {
	var a portico.PortalAccount
	var status string
	var invited, activated, visit sql.NullTime
	err := c.queryRow(ctx, `SELECT id, portal_status, all_jobs, invited_at, activated_at, last_visit_at FROM contacts WHERE id = ?`, contactID).
		Scan(&a.ContactID, &status, &a.AllJobs, &invited, &activated, &visit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("contact")
	} else if err != nil {
		return nil, err
	}
	a.Status, a.InvitedAt, a.ActivatedAt, a.LastVisitAt = portico.PortalStatus(status), timePtr(invited), timePtr(activated), timePtr(visit)
	if !a.AllJobs {
		var err error
		if a.JobIDs, err = c.ids(ctx, `SELECT job_id FROM contact_jobs WHERE contact_id = ? ORDER BY job_id`, contactID); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// FindAccount returns a contact's portal account.
func (s *PortalAccountService) FindAccount(ctx context.Context, contactID int64) (*portico.PortalAccount, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findAccount(ctx, (*DB)(s).read(), contactID)
}

// ClientAccounts returns every contact's account of a client in two
// queries, however many contacts the client has.
func (s *PortalAccountService) ClientAccounts(ctx context.Context, clientID int64) (map[int64]*portico.PortalAccount, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	c := (*DB)(s).read()
	rows, err := c.query(ctx, `SELECT id, portal_status, all_jobs, invited_at, activated_at, last_visit_at FROM contacts WHERE client_id = ?`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*portico.PortalAccount{}
	for rows.Next() {
		var a portico.PortalAccount
		var status string
		var invited, activated, visit sql.NullTime
		if err := rows.Scan(&a.ContactID, &status, &a.AllJobs, &invited, &activated, &visit); err != nil {
			return nil, err
		}
		a.Status, a.InvitedAt, a.ActivatedAt, a.LastVisitAt = portico.PortalStatus(status), timePtr(invited), timePtr(activated), timePtr(visit)
		out[a.ContactID] = &a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	rows, err = c.query(ctx, `SELECT cj.contact_id, cj.job_id FROM contact_jobs cj JOIN contacts k ON k.id = cj.contact_id
		WHERE k.client_id = ? AND NOT k.all_jobs ORDER BY cj.contact_id, cj.job_id`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var contact, job int64
		if err := rows.Scan(&contact, &job); err != nil {
			return nil, err
		}
		if a := out[contact]; a != nil {
			a.JobIDs = append(a.JobIDs, job)
		}
	}
	return out, rows.Err()
}

// Invite emails the contact a fresh activation link, ending older ones, and
// marks them Pending activation (a Connected contact stays Connected: the
// link lets them choose a new password). It enables a disabled contact.
func (s *PortalAccountService) Invite(ctx context.Context, contactID int64) error {
	a, err := staff(ctx)
	if err != nil {
		return err
	}
	db := (*DB)(s)
	return db.inTx(ctx, func(tx *Tx) error {
		k, err := findContact(ctx, tx.conn, contactID)
		if err != nil {
			return err
		}
		if k.Email == "" {
			return portico.FieldError("email", "Add an email address to "+k.Name+" before inviting them: it is their portal sign-in.")
		}
		status := portico.PortalPending
		if k.PortalStatus == portico.PortalConnected {
			status = portico.PortalConnected
		}
		if _, err := tx.exec(ctx, `UPDATE contacts SET portal_status = ?, invited_at = ?, updated_at = ? WHERE id = ?`,
			string(status), tx.now, tx.now, k.ID); err != nil {
			return err
		}
		if err := tx.endContactTokens(k.ID, purposeActivation); err != nil {
			return err
		}
		token, err := tx.issueContactToken(k.ID, purposeActivation, portico.ActivationTTL, "")
		if err != nil {
			return err
		}
		details := map[string]string{"name": k.Name, "email": k.Email}
		if k.PortalStatus != portico.PortalNotRegistered {
			details["again"] = "true"
		}
		if k.PortalStatus == portico.PortalDisabled {
			details["enabled"] = "true"
		}
		ev, err := tx.record(change{action: "contact.invited", subjectType: "contact", subjectID: k.ID, clientID: k.ClientID, details: details})
		if err != nil {
			return err
		}
		agency := agencyName(ctx, tx.conn)
		brand, err := brandFor(ctx, tx.conn, k.ClientID)
		if err != nil {
			return err
		}
		inviter := a.Name
		if a.Kind != portico.ActorUser || inviter == "" {
			inviter = agency
		}
		msg, err := db.Mail.Compose("portal_invite", []string{k.Email}, map[string]any{
			"Name": k.Name, "ClientName": k.ClientName, "Agency": agency, "SiteName": agency, "Inviter": inviter,
			"Path": "/portal/activate/" + token, "Days": int(portico.ActivationTTL.Hours() / 24), "Brand": brand,
		})
		if err != nil {
			return err
		}
		return tx.enqueueEmail(msg, ev)
	})
}

// Disable ends the contact's portal sessions and links at once and stops
// them signing in, until Invite enables them again.
func (s *PortalAccountService) Disable(ctx context.Context, contactID int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		k, err := findContact(ctx, tx.conn, contactID)
		if err != nil {
			return err
		}
		if k.PortalStatus == portico.PortalDisabled {
			return nil
		}
		if k.PortalStatus == portico.PortalNotRegistered {
			return portico.Errorf(portico.ECONFLICT, "%s has no portal account to disable.", k.Name)
		}
		if _, err := tx.exec(ctx, `UPDATE contacts SET portal_status = ?, updated_at = ? WHERE id = ?`, string(portico.PortalDisabled), tx.now, k.ID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM portal_sessions WHERE contact_id = ?`, k.ID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if err := tx.endContactTokens(k.ID, ""); err != nil {
			return err
		}
		_, err = tx.record(change{action: "contact.disabled", subjectType: "contact", subjectID: k.ID, clientID: k.ClientID,
			details: map[string]string{"name": k.Name, "sessions_ended": strconv.FormatInt(n, 10)}})
		return err
	})
}

// SetAccess gives the contact all of their client's jobs, or chosen ones.
func (s *PortalAccountService) SetAccess(ctx context.Context, contactID int64, allJobs bool, jobIDs []int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	ids := slices.Clone(jobIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if allJobs {
		ids = nil
	} else if len(ids) == 0 {
		return portico.FieldError("jobs", "Choose at least one job, or give access to all of the client's jobs.")
	} else if len(ids) > maxAccessJobs || ids[0] <= 0 {
		return portico.FieldError("jobs", "Choose jobs from the list.")
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		k, err := findContact(ctx, tx.conn, contactID)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			args := []any{k.ClientID}
			for _, id := range ids {
				args = append(args, id)
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM jobs WHERE client_id = ? AND id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...).Scan(&n); err != nil {
				return err
			}
			if n != len(ids) {
				return portico.FieldError("jobs", "Choose only jobs of "+k.ClientName+".")
			}
		}
		old, err := findAccount(ctx, tx.conn, k.ID)
		if err != nil {
			return err
		}
		if old.AllJobs == allJobs && slices.Equal(old.JobIDs, ids) {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE contacts SET all_jobs = ?, updated_at = ? WHERE id = ?`, allJobs, tx.now, k.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM contact_jobs WHERE contact_id = ?`, k.ID); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.exec(ctx, `INSERT INTO contact_jobs (contact_id, job_id) VALUES (?, ?)`, k.ID, id); err != nil {
				return err
			}
		}
		details := map[string]string{"name": k.Name, "all_jobs": strconv.FormatBool(allJobs), "jobs": strconv.Itoa(len(ids))}
		_, err = tx.record(change{action: "contact.access_changed", subjectType: "contact", subjectID: k.ID, clientID: k.ClientID, details: details})
		return err
	})
}
