package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"portico"
)

// TaskService implements portico.TaskService.
type TaskService DB

// taskService returns the service.
func (db *DB) taskService() portico.TaskService { return (*TaskService)(db) }

const taskColumns = `t.id, t.title, t.details, t.kind, COALESCE(t.job_id, 0), COALESCE(j.title, ''), COALESCE(t.application_id, 0),
	COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), t.due_on, t.assignee_id, u.name, t.status, COALESCE(t.created_by, 0),
	t.created_at, t.completed_at, COALESCE(t.event_id, 0)`

// taskJoins brings in the names a task shows: its job, its application's
// candidate and its assignee.
const taskJoins = ` JOIN users u ON u.id = t.assignee_id
	LEFT JOIN jobs j ON j.id = t.job_id
	LEFT JOIN applications ap ON ap.id = t.application_id
	LEFT JOIN candidates c ON c.id = ap.candidate_id`

func scanTask(sc interface{ Scan(...any) error }) (*portico.Task, error) {
	var t portico.Task
	var kind, due, status, first, last string
	var done sql.NullTime
	if err := sc.Scan(&t.ID, &t.Title, &t.Details, &kind, &t.JobID, &t.JobTitle, &t.ApplicationID, &first, &last, &due,
		&t.AssigneeID, &t.AssigneeName, &status, &t.CreatedBy, &t.CreatedAt, &done, &t.EventID); err != nil {
		return nil, err
	}
	t.Kind, t.DueOn, t.Status = portico.TaskKind(kind), portico.Date(due), portico.TaskStatus(status)
	t.CandidateName = strings.TrimSpace(first + " " + last)
	t.CreatedAt, t.CompletedAt = t.CreatedAt.UTC(), timePtr(done)
	return &t, nil
}

func findTask(ctx context.Context, c conn, id int64) (*portico.Task, error) {
	t, err := scanTask(c.queryRow(ctx, `SELECT `+taskColumns+` FROM tasks t`+taskJoins+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("task")
	}
	return t, err
}

// FindTasks returns a page of tasks and how many match: open ones first,
// soonest due first (those without a date after them), then the closed
// ones, most recently closed first.
func (s *TaskService) FindTasks(ctx context.Context, f portico.TaskFilter) ([]*portico.Task, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	// Every condition is on the tasks table, so the count comes from its
	// indexes (tasks_assignee, tasks_job) without the joined tables.
	var where []string
	var args []any
	if f.AssigneeID != 0 {
		where, args = append(where, "t.assignee_id = ?"), append(args, f.AssigneeID)
	}
	if f.Status != "" {
		where, args = append(where, "t.status = ?"), append(args, string(f.Status))
	}
	if f.JobID != 0 {
		where, args = append(where, "t.job_id = ?"), append(args, f.JobID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	c := (*DB)(s).read()
	var total int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM tasks t`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := c.query(ctx, `SELECT `+taskColumns+` FROM tasks t`+taskJoins+cond+`
		ORDER BY CASE WHEN t.status = 'open' THEN 0 ELSE 1 END,
			CASE WHEN t.status <> 'open' THEN '' WHEN t.due_on = '' THEN '9999-12-31' ELSE t.due_on END,
			COALESCE(t.completed_at, t.created_at) DESC, t.id DESC
		LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ts []*portico.Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, 0, err
		}
		ts = append(ts, t)
	}
	return ts, total, rows.Err()
}

// FindTaskByID returns a task.
func (s *TaskService) FindTaskByID(ctx context.Context, id int64) (*portico.Task, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findTask(ctx, (*DB)(s).read(), id)
}

// taskRefs is what a task input points at, checked in the transaction.
type taskRefs struct {
	jobTitle      string
	candidateID   int64
	candidateName string
	assigneeName  string
}

// checkTaskInput checks that the job, the application and the assignee
// exist and fit together, filling the job in from the application. old is
// the task being changed (nil for a new one): its assignee may stay even
// if since deactivated, and its job even if since closed.
func (tx *Tx) checkTaskInput(in *portico.TaskInput, old *portico.Task) (taskRefs, error) {
	var refs taskRefs
	v := portico.Validation{}
	if in.ApplicationID != 0 {
		var jobID int64
		var first, last string
		err := tx.queryRow(tx.ctx, `SELECT a.job_id, a.candidate_id, c.first_name, c.last_name FROM applications a
			JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?`, in.ApplicationID).Scan(&jobID, &refs.candidateID, &first, &last)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Check(false, "application_id", "That candidate is no longer on the shortlist. Leave the task without one.")
		case err != nil:
			return refs, err
		case in.JobID == 0:
			in.JobID = jobID
		case in.JobID != jobID:
			v.Check(false, "job_id", "The candidate is on another job's shortlist. Choose that job, or none.")
		}
		refs.candidateName = strings.TrimSpace(first + " " + last)
	}
	if in.JobID != 0 {
		err := tx.queryRow(tx.ctx, `SELECT title FROM jobs WHERE id = ?`, in.JobID).Scan(&refs.jobTitle)
		if errors.Is(err, sql.ErrNoRows) {
			v.Check(false, "job_id", "Choose a job from the list, or none.")
		} else if err != nil {
			return refs, err
		}
	}
	var active bool
	err := tx.queryRow(tx.ctx, `SELECT name, active FROM users WHERE id = ?`, in.AssigneeID).Scan(&refs.assigneeName, &active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active && (old == nil || old.AssigneeID != in.AssigneeID)) {
		v.Check(false, "assignee_id", "Choose an active member of the agency.")
	} else if err != nil {
		return refs, err
	}
	return refs, v.Err()
}

// CreateTask adds a task; assigning it to someone else alerts them.
func (s *TaskService) CreateTask(ctx context.Context, in portico.TaskInput) (*portico.Task, error) {
	a, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *portico.Task
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		refs, err := tx.checkTaskInput(&in, nil)
		if err != nil {
			return err
		}
		var createdBy int64
		if a.Kind == portico.ActorUser {
			createdBy = a.ID
		}
		id, err := tx.insert(ctx, `INSERT INTO tasks (title, details, kind, job_id, application_id, due_on, assignee_id, status, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Title, in.Details, string(in.Kind), nullID(in.JobID), nullID(in.ApplicationID),
			string(in.DueOn), in.AssigneeID, string(portico.TaskOpen), nullID(createdBy), tx.now)
		if err != nil {
			return err
		}
		d := taskDetails(in.Title, refs)
		d["assignee"] = refs.assigneeName
		if in.DueOn != "" {
			d["due_on"] = string(in.DueOn)
		}
		ev, err := tx.record(change{action: "task.created", subjectType: "task", subjectID: id, jobID: in.JobID, candidateID: refs.candidateID, details: d})
		if err != nil {
			return err
		}
		if err := tx.alert(in.AssigneeID, ev); err != nil {
			return err
		}
		t, err = findTask(ctx, tx.conn, id)
		return err
	})
	return t, err
}

// taskDetails starts a task event's details: what its text needs.
func taskDetails(title string, refs taskRefs) map[string]string {
	d := map[string]string{"title": title}
	if refs.jobTitle != "" {
		d["job"] = refs.jobTitle
	}
	if refs.candidateName != "" {
		d["candidate"] = refs.candidateName
	}
	return d
}

// UpdateTask changes a task. A new assignee is alerted, with a
// task.reassigned event; other changes write task.updated.
func (s *TaskService) UpdateTask(ctx context.Context, id int64, in portico.TaskInput) (*portico.Task, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *portico.Task
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findTask(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		refs, err := tx.checkTaskInput(&in, old)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE tasks SET title = ?, details = ?, kind = ?, job_id = ?, application_id = ?, due_on = ?, assignee_id = ? WHERE id = ?`,
			in.Title, in.Details, string(in.Kind), nullID(in.JobID), nullID(in.ApplicationID), string(in.DueOn), in.AssigneeID, id); err != nil {
			return err
		}
		c := change{subjectType: "task", subjectID: id, jobID: in.JobID, candidateID: refs.candidateID}
		var changes []string
		for _, f := range []struct {
			name    string
			changed bool
		}{
			{"title", in.Title != old.Title},
			{"details", in.Details != old.Details},
			{"kind", in.Kind != old.Kind},
			{"job", in.JobID != old.JobID || in.ApplicationID != old.ApplicationID},
			{"due date", in.DueOn != old.DueOn},
		} {
			if f.changed {
				changes = append(changes, f.name)
			}
		}
		changed := strings.Join(changes, ", ")
		if changed != "" {
			c.action, c.details = "task.updated", taskDetails(in.Title, refs)
			c.details["changed"] = changed
			if in.DueOn != old.DueOn {
				c.details["due_on"] = string(in.DueOn)
			}
			if _, err := tx.record(c); err != nil {
				return err
			}
		}
		if in.AssigneeID != old.AssigneeID {
			c.action, c.details = "task.reassigned", taskDetails(in.Title, refs)
			c.details["from"], c.details["to"] = old.AssigneeName, refs.assigneeName
			ev, err := tx.record(c)
			if err != nil {
				return err
			}
			if err := tx.alert(in.AssigneeID, ev); err != nil {
				return err
			}
		}
		t, err = findTask(ctx, tx.conn, id)
		return err
	})
	return t, err
}

// SetTaskStatus completes, cancels or reopens a task. Asking for the
// status it has already changes nothing. When someone other than the
// assignee does it, the assignee is alerted; so is whoever set the task.
func (s *TaskService) SetTaskStatus(ctx context.Context, id int64, status portico.TaskStatus) (*portico.Task, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	var action string
	switch status {
	case portico.TaskDone:
		action = "task.completed"
	case portico.TaskCancelled:
		action = "task.cancelled"
	case portico.TaskOpen:
		action = "task.reopened"
	default:
		return nil, &portico.Error{Code: portico.EINVALID, Message: "Choose done, cancelled or open.",
			Fields: map[string]string{"status": "Choose done, cancelled or open."}}
	}
	var t *portico.Task
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findTask(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if old.Status == status {
			t = old
			return nil
		}
		var closedAt any
		if status != portico.TaskOpen {
			closedAt = tx.now
		}
		if _, err := tx.exec(ctx, `UPDATE tasks SET status = ?, completed_at = ? WHERE id = ?`, string(status), closedAt, id); err != nil {
			return err
		}
		var candidateID int64
		if old.ApplicationID != 0 {
			if err := tx.queryRow(ctx, `SELECT candidate_id FROM applications WHERE id = ?`, old.ApplicationID).Scan(&candidateID); err != nil {
				return err
			}
		}
		d := taskDetails(old.Title, taskRefs{jobTitle: old.JobTitle, candidateName: old.CandidateName})
		d["from"] = string(old.Status)
		ev, err := tx.record(change{action: action, subjectType: "task", subjectID: id, jobID: old.JobID, candidateID: candidateID, details: d})
		if err != nil {
			return err
		}
		if err := tx.alert(old.AssigneeID, ev); err != nil {
			return err
		}
		if old.CreatedBy != old.AssigneeID {
			if err := tx.alert(old.CreatedBy, ev); err != nil {
				return err
			}
		}
		t, err = findTask(ctx, tx.conn, id)
		return err
	})
	return t, err
}
