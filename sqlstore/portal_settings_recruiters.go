package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"portico"
)

// defaultRecruiterRole is how the job's owner shows when no one is chosen.
const defaultRecruiterRole = "Recruiter"

// maxRecruiterRole bounds a client-facing role.
const maxRecruiterRole = 60

// JobRecruiters returns the people a client sees on a job, for the
// console's form. Agency users only.
func (s *PortalSettingsService) JobRecruiters(ctx context.Context, jobID int64) ([]portico.JobRecruiter, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	c := (*DB)(s).read()
	var id int64
	if err := c.queryRow(ctx, `SELECT id FROM jobs WHERE id = ?`, jobID).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("job")
	} else if err != nil {
		return nil, err
	}
	return jobRecruiters(ctx, c, jobID)
}

// jobRecruiters returns the active agency users chosen for a job, in
// order; when none are (or none of them is active any more), the job's
// owner alone as its recruiter. No permission check: the portal's job page
// calls it once the job is known to be the contact's.
func jobRecruiters(ctx context.Context, c conn, jobID int64) ([]portico.JobRecruiter, error) {
	rows, err := c.query(ctx, `SELECT u.id, u.name, r.role, u.email, u.phone FROM job_recruiters r JOIN users u ON u.id = r.user_id
		WHERE r.job_id = ? AND u.active = ? ORDER BY r.position, u.id`, jobID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []portico.JobRecruiter{}
	for rows.Next() {
		var r portico.JobRecruiter
		if err := rows.Scan(&r.UserID, &r.Name, &r.Role, &r.Email, &r.Phone); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil || len(out) > 0 {
		return out, err
	}
	rows.Close()
	r := portico.JobRecruiter{Role: defaultRecruiterRole}
	err = c.queryRow(ctx, `SELECT u.id, u.name, u.email, u.phone FROM jobs j JOIN users u ON u.id = j.owner_id WHERE j.id = ?`, jobID).
		Scan(&r.UserID, &r.Name, &r.Email, &r.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	return append(out, r), nil
}

// SetJobRecruiters replaces the people a client sees on a job, in the
// order given (none: the job's owner again). Any agency user may; each
// person must be an active agency user, listed once.
func (s *PortalSettingsService) SetJobRecruiters(ctx context.Context, jobID int64, rs []portico.JobRecruiter) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	var v portico.Validation
	v.Check(len(rs) <= portico.MaxJobRecruiters, "recruiters", "Choose up to "+strconv.Itoa(portico.MaxJobRecruiters)+" people.")
	seen := map[int64]bool{}
	for i := range rs {
		rs[i].Role = strings.Join(strings.Fields(rs[i].Role), " ")
		if rs[i].Role == "" {
			rs[i].Role = defaultRecruiterRole
		}
		v.Check(rs[i].UserID > 0, "recruiters", "Choose a person for each line, or remove the line.")
		v.Check(!seen[rs[i].UserID], "recruiters", "Each person can be listed once.")
		v.Check(utf8.RuneCountInString(rs[i].Role) <= maxRecruiterRole, "recruiters", "Keep each role under 60 characters.")
		seen[rs[i].UserID] = true
	}
	if err := v.Err(); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		clientID, title, err := tx.jobClient(jobID)
		if err != nil {
			return err
		}
		var names []string
		for _, r := range rs {
			var name string
			var active bool
			err := tx.queryRow(ctx, `SELECT name, active FROM users WHERE id = ?`, r.UserID).Scan(&name, &active)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
				return portico.FieldError("recruiters", "One of the chosen people isn't an active user of the agency. Reload the page and choose again.")
			} else if err != nil {
				return err
			}
			names = append(names, name+" ("+r.Role+")")
		}
		if _, err := tx.exec(ctx, `DELETE FROM job_recruiters WHERE job_id = ?`, jobID); err != nil {
			return err
		}
		for i, r := range rs {
			if _, err := tx.exec(ctx, `INSERT INTO job_recruiters (job_id, user_id, role, position) VALUES (?, ?, ?, ?)`,
				jobID, r.UserID, r.Role, i); err != nil {
				return err
			}
		}
		_, err = tx.record(change{action: "job.recruiters_set", subjectType: "job", subjectID: jobID, jobID: jobID, clientID: clientID,
			details: map[string]string{"job": title, "recruiters": strings.Join(names, ", ")}})
		return err
	})
}
