package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"portico"
)

// JobService implements portico.JobService.
type JobService DB

// jobService returns the service.
func (db *DB) jobService() portico.JobService { return (*JobService)(db) }

const jobColumns = `j.id, j.client_id, c.name, COALESCE(j.location_id, 0), COALESCE(l.name, ''), j.owner_id, u.name,
	j.title, j.description, j.type, j.openings, j.status, j.start_date, j.close_date, j.created_at, j.updated_at`

// jobJoins brings in the names a job row shows.
const jobJoins = ` JOIN clients c ON c.id = j.client_id
	LEFT JOIN locations l ON l.id = j.location_id
	JOIN users u ON u.id = j.owner_id`

func scanJob(sc interface{ Scan(...any) error }) (*portico.Job, error) {
	var j portico.Job
	var typ, status, start, end string
	if err := sc.Scan(&j.ID, &j.ClientID, &j.ClientName, &j.LocationID, &j.LocationName, &j.OwnerID, &j.OwnerName,
		&j.Title, &j.Description, &typ, &j.Openings, &status, &start, &end, &j.CreatedAt, &j.UpdatedAt, &j.Applications); err != nil {
		return nil, err
	}
	j.Type, j.Status, j.StartDate, j.CloseDate = portico.JobType(typ), portico.JobStatus(status), portico.Date(start), portico.Date(end)
	j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
	return &j, nil
}

func findJob(ctx context.Context, c conn, id int64) (*portico.Job, error) {
	j, err := scanJob(c.queryRow(ctx, `SELECT `+jobColumns+`, (SELECT COUNT(*) FROM applications a WHERE a.job_id = j.id) FROM jobs j`+jobJoins+` WHERE j.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("job")
	}
	return j, err
}

// FindJobs returns a page of jobs, newest first, each with the number of
// candidates on its shortlist.
func (s *JobService) FindJobs(ctx context.Context, f portico.JobFilter) ([]*portico.Job, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	// Every condition is on the jobs table alone, so the count and the
	// page's IDs come from its indexes (jobs_status, jobs_client,
	// jobs_owner) without touching the joined tables.
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "j.status = ?"), append(args, string(f.Status))
	}
	if f.ClientID != 0 {
		where, args = append(where, "j.client_id = ?"), append(args, f.ClientID)
	}
	if f.OwnerID != 0 {
		where, args = append(where, "j.owner_id = ?"), append(args, f.OwnerID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, db.dialect.containsFold("j.title")), append(args, likeAnywhere(q))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	total := -1
	if !f.NoTotal {
		if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM jobs j`+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	offset, limit := page(f.Offset, f.Limit)
	if f.NamesOnly {
		return findJobNames(ctx, db.read(), cond, append(args, limit, offset), total)
	}
	// The page's IDs first; then its rows with their names and, in one
	// grouped pass over the applications index, their shortlist counts.
	rows, err := db.read().query(ctx, `WITH pg AS (SELECT j.id FROM jobs j`+cond+` ORDER BY j.id DESC LIMIT ? OFFSET ?),
		counts AS (SELECT a.job_id, COUNT(*) AS n FROM applications a WHERE a.job_id IN (SELECT id FROM pg) GROUP BY a.job_id)
		SELECT `+jobColumns+`, COALESCE(n.n, 0) FROM pg JOIN jobs j ON j.id = pg.id`+jobJoins+`
		LEFT JOIN counts n ON n.job_id = j.id
		ORDER BY j.id DESC`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var js []*portico.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, 0, err
		}
		js = append(js, j)
	}
	return js, total, rows.Err()
}

// findJobNames returns the page of FindJobs with JobFilter.NamesOnly.
func findJobNames(ctx context.Context, c conn, cond string, args []any, total int) ([]*portico.Job, int, error) {
	rows, err := c.query(ctx, `SELECT j.id, j.client_id, c.name, COALESCE(l.name, ''), j.title, j.status
		FROM jobs j JOIN clients c ON c.id = j.client_id LEFT JOIN locations l ON l.id = j.location_id`+
		cond+` ORDER BY j.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var js []*portico.Job
	for rows.Next() {
		var j portico.Job
		var status string
		if err := rows.Scan(&j.ID, &j.ClientID, &j.ClientName, &j.LocationName, &j.Title, &status); err != nil {
			return nil, 0, err
		}
		j.Status = portico.JobStatus(status)
		js = append(js, &j)
	}
	return js, total, rows.Err()
}

// FindJobByID returns a job with its shortlist count.
func (s *JobService) FindJobByID(ctx context.Context, id int64) (*portico.Job, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findJob(ctx, (*DB)(s).read(), id)
}

// CreateJob opens a job for a client.
func (s *JobService) CreateJob(ctx context.Context, in portico.JobInput) (*portico.Job, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var j *portico.Job
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		client, err := tx.checkJobInput(in, nil)
		if err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO jobs (client_id, location_id, owner_id, title, description, type, openings, status, start_date, close_date, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ClientID, nullID(in.LocationID), in.OwnerID, in.Title, in.Description, string(in.Type), in.Openings, string(in.Status),
			string(in.StartDate), string(in.CloseDate), tx.now, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "job.created", subjectType: "job", subjectID: id, jobID: id, clientID: in.ClientID,
			details: map[string]string{"title": in.Title, "client": client.Name}}); err != nil {
			return err
		}
		j, err = findJob(ctx, tx.conn, id)
		return err
	})
	return j, err
}

// UpdateJob changes a job. A change of status alone is recorded as
// job.status_changed; any other change as job.updated.
func (s *JobService) UpdateJob(ctx context.Context, id int64, in portico.JobInput) (*portico.Job, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var j *portico.Job
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findJob(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := tx.checkJobInput(in, old); err != nil {
			return err
		}
		changed := changedList(
			changedField{"client", old.ClientID != in.ClientID}, changedField{"location", old.LocationID != in.LocationID},
			changedField{"owner", old.OwnerID != in.OwnerID}, changedField{"title", old.Title != in.Title},
			changedField{"description", old.Description != in.Description}, changedField{"type", old.Type != in.Type},
			changedField{"openings", old.Openings != in.Openings}, changedField{"status", old.Status != in.Status},
			changedField{"start date", old.StartDate != in.StartDate}, changedField{"closing date", old.CloseDate != in.CloseDate})
		if changed == "" {
			j = old
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE jobs SET client_id = ?, location_id = ?, owner_id = ?, title = ?, description = ?, type = ?, openings = ?,
			status = ?, start_date = ?, close_date = ?, updated_at = ? WHERE id = ?`,
			in.ClientID, nullID(in.LocationID), in.OwnerID, in.Title, in.Description, string(in.Type), in.Openings,
			string(in.Status), string(in.StartDate), string(in.CloseDate), tx.now, id); err != nil {
			return err
		}
		action, d := "job.updated", map[string]string{"title": in.Title, "changed": changed}
		if old.Status != in.Status {
			d["from"], d["to"] = string(old.Status), string(in.Status)
			if changed == "status" {
				action = "job.status_changed"
			}
		}
		if _, err := tx.record(change{action: action, subjectType: "job", subjectID: id, jobID: id, clientID: in.ClientID, details: d}); err != nil {
			return err
		}
		j, err = findJob(ctx, tx.conn, id)
		return err
	})
	return j, err
}

// checkJobInput checks that a job's client, location and owner exist and
// belong together, returning the client. old is the job being changed,
// nil for a new one: what it has already may stay (a client since made
// inactive, an owner since deactivated).
func (tx *Tx) checkJobInput(in portico.JobInput, old *portico.Job) (*portico.Client, error) {
	v := portico.Validation{}
	client, err := findClient(tx.ctx, tx.conn, in.ClientID)
	if portico.ErrorCode(err) == portico.ENOTFOUND {
		v.Check(false, "client_id", "Choose the client.")
	} else if err != nil {
		return nil, err
	} else if client.Status != portico.ClientActive && (old == nil || old.ClientID != in.ClientID) {
		v.Check(false, "client_id", client.Name+" is inactive. Make the client active before opening a job for them.")
	}
	if in.LocationID != 0 {
		var clientID int64
		err := tx.queryRow(tx.ctx, `SELECT client_id FROM locations WHERE id = ?`, in.LocationID).Scan(&clientID)
		if errors.Is(err, sql.ErrNoRows) {
			v.Check(false, "location_id", "Choose one of the client's locations, or none.")
		} else if err != nil {
			return nil, err
		} else if clientID != in.ClientID {
			v.Check(false, "location_id", "That location belongs to another client. Choose one of this client's locations, or none.")
		}
	}
	var keep int64
	if old != nil {
		keep = old.OwnerID
	}
	if err := tx.checkOwner(in.OwnerID, keep, "owner_id"); err != nil {
		if f := portico.ErrorFields(err); f != nil {
			v.Check(false, "owner_id", f["owner_id"])
		} else {
			return nil, err
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return client, nil
}
