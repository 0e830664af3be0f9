package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"portico"
)

// ApplicationService implements portico.ApplicationService.
type ApplicationService DB

// applicationService returns the service.
func (db *DB) applicationService() portico.ApplicationService { return (*ApplicationService)(db) }

// maxShortlistAdd bounds how many candidates one request may add: a page
// of search results is far fewer.
const maxShortlistAdd = 500

// applicationFrom joins what a card or a row shows: one query, however
// many applications.
const applicationFrom = ` FROM applications a
	JOIN jobs j ON j.id = a.job_id
	JOIN clients cl ON cl.id = j.client_id
	JOIN candidates c ON c.id = a.candidate_id
	JOIN stages s ON s.id = a.stage_id`

const applicationColumns = `a.id, a.job_id, j.title, cl.name, j.client_id, a.candidate_id, c.first_name, c.last_name, c.current_title, c.city,
	a.stage_id, s.internal_name, s.kind, a.added_by, a.created_at, a.stage_changed_at, a.shared_at`

// application is a row with what the store needs beyond the domain type.
type application struct {
	*portico.Application
	clientID int64
}

func scanApplication(sc interface{ Scan(...any) error }) (application, error) {
	var a portico.Application
	var clientID int64
	var first, last, kind string
	var addedBy sql.NullInt64
	var sharedAt sql.NullTime
	if err := sc.Scan(&a.ID, &a.JobID, &a.JobTitle, &a.ClientName, &clientID, &a.CandidateID, &first, &last, &a.CandidateTitle, &a.CandidateCity,
		&a.StageID, &a.StageName, &kind, &addedBy, &a.CreatedAt, &a.StageChangedAt, &sharedAt, &a.Notes); err != nil {
		return application{}, err
	}
	a.SharedAt = timePtr(sharedAt)
	a.CandidateName = strings.TrimSpace(first + " " + last)
	a.StageKind, a.AddedBy = portico.StageKind(kind), addedBy.Int64
	a.CreatedAt, a.StageChangedAt = a.CreatedAt.UTC(), a.StageChangedAt.UTC()
	return application{Application: &a, clientID: clientID}, nil
}

func findApplication(ctx context.Context, c conn, id int64) (application, error) {
	a, err := scanApplication(c.queryRow(ctx, `SELECT `+applicationColumns+`, (SELECT COUNT(*) FROM notes WHERE application_id = a.id)`+
		applicationFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("shortlisted candidate")
	}
	return a, err
}

// FindApplicationByID returns one application.
func (s *ApplicationService) FindApplicationByID(ctx context.Context, id int64) (*portico.Application, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	a, err := findApplication(ctx, (*DB)(s).read(), id)
	return a.Application, err
}

// FindApplications returns a page of a job's shortlist (in pipeline
// order) or of a candidate's jobs (newest first), and the total. The page
// is chosen first through the job's or candidate's index; the joins and
// the notes count then cover only that page.
func (s *ApplicationService) FindApplications(ctx context.Context, f portico.ApplicationFilter) ([]*portico.Application, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	var where []string
	var args []any
	if f.JobID != 0 {
		where, args = append(where, "a.job_id = ?"), append(args, f.JobID)
	}
	if f.CandidateID != 0 {
		where, args = append(where, "a.candidate_id = ?"), append(args, f.CandidateID)
	}
	if f.StageID != 0 {
		where, args = append(where, "a.stage_id = ?"), append(args, f.StageID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM applications a`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return nil, 0, nil
	}
	order := ` ORDER BY a.id DESC`
	if f.JobID != 0 {
		order = ` ORDER BY s.retired, s.position, a.id`
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := db.read().query(ctx, `WITH pg AS (
			SELECT a.id FROM applications a JOIN stages s ON s.id = a.stage_id`+cond+order+` LIMIT ? OFFSET ?
		)
		SELECT `+applicationColumns+`, COALESCE(n.cnt, 0)`+applicationFrom+`
		JOIN pg ON pg.id = a.id
		LEFT JOIN (SELECT application_id, COUNT(*) AS cnt FROM notes WHERE application_id IN (SELECT id FROM pg) GROUP BY application_id) n
			ON n.application_id = a.id`+order, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*portico.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a.Application)
	}
	return out, total, rows.Err()
}

// StageCounts returns how many of a job's applications are in each stage.
func (s *ApplicationService) StageCounts(ctx context.Context, jobID int64) ([]portico.StageCount, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	rows, err := (*DB)(s).read().query(ctx, `SELECT stage_id, COUNT(*) FROM applications WHERE job_id = ? GROUP BY stage_id ORDER BY stage_id`, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []portico.StageCount
	for rows.Next() {
		var c portico.StageCount
		if err := rows.Scan(&c.StageID, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddToShortlist puts candidates on a job in its first active stage,
// skipping those on it already. Unknown candidates stop the whole request:
// nothing is added, so the count reported is never wrong.
func (s *ApplicationService) AddToShortlist(ctx context.Context, jobID int64, candidateIDs []int64) (int, error) {
	a, err := staff(ctx)
	if err != nil {
		return 0, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, id := range candidateIDs {
		if id > 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return 0, &portico.Error{Code: portico.EINVALID, Message: "Choose at least one candidate to add to the shortlist.",
			Fields: map[string]string{"candidate_id": "Choose at least one candidate."}}
	}
	if len(ids) > maxShortlistAdd {
		return 0, portico.Errorf(portico.EINVALID, "Add up to %d candidates at a time.", maxShortlistAdd)
	}
	added := 0
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		var clientID int64
		var title string
		err := tx.queryRow(ctx, `SELECT client_id, title FROM jobs WHERE id = ?`, jobID).Scan(&clientID, &title)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("job")
		} else if err != nil {
			return err
		}
		stageID, stageName, err := tx.firstStage()
		if err != nil {
			return err
		}
		names, err := tx.candidateNames(ids)
		if err != nil {
			return err
		}
		if len(names) < len(ids) {
			return portico.Errorf(portico.ENOTFOUND, "One of the chosen candidates doesn't exist. Reload the page and choose again.")
		}
		for _, cid := range ids {
			id, err := tx.insert(ctx, `INSERT INTO applications (job_id, candidate_id, stage_id, added_by, created_at, stage_changed_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, candidate_id) DO NOTHING`,
				jobID, cid, stageID, nullID(userID(a)), tx.now, tx.now)
			if errors.Is(err, sql.ErrNoRows) {
				continue // on the shortlist already
			} else if err != nil {
				return err
			}
			added++
			if _, err := tx.record(change{action: "application.added", subjectType: "application", subjectID: id,
				jobID: jobID, candidateID: cid, clientID: clientID,
				details: map[string]string{"candidate": names[cid], "job": title, "stage": stageName}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// firstStage returns the first active stage, locked against being retired
// or deleted until the transaction ends.
func (tx *Tx) firstStage() (int64, string, error) {
	for range 3 {
		var id int64
		var name string
		err := tx.queryRow(tx.ctx, `SELECT id, internal_name FROM stages WHERE retired = ? ORDER BY position, id LIMIT 1`, false).Scan(&id, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, "", portico.Errorf(portico.ECONFLICT, "The pipeline has no active stage. An admin can add one under Stages.")
		} else if err != nil {
			return 0, "", err
		}
		if ok, err := tx.lockStage(id); err != nil || ok {
			return id, name, err
		}
		// Retired or deleted meanwhile: look again.
	}
	return 0, "", portico.Errorf(portico.ECONFLICT, "The pipeline is being changed right now. Try again in a moment.")
}

// lockStage locks an active stage's row, so that it can't be retired or
// deleted (RetireStage locks every stage) before this transaction ends.
// It reports false when the stage is gone or retired.
func (tx *Tx) lockStage(id int64) (bool, error) {
	res, err := tx.exec(tx.ctx, `UPDATE stages SET position = position WHERE id = ? AND retired = ?`, id, false)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// lockApplication locks an application's row, so that changes to it take
// turns: a move reads the stage it really leaves, and a note can't land on
// an application being removed.
func (tx *Tx) lockApplication(id int64) error {
	_, err := tx.exec(tx.ctx, `UPDATE applications SET stage_id = stage_id WHERE id = ?`, id)
	return err
}

// candidateNames returns the names of those of the candidates that exist.
func (tx *Tx) candidateNames(ids []int64) (map[int64]string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.query(tx.ctx, `SELECT id, first_name, last_name FROM candidates WHERE id IN (`+
		placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var first, last string
		if err := rows.Scan(&id, &first, &last); err != nil {
			return nil, err
		}
		names[id] = strings.TrimSpace(first + " " + last)
	}
	return names, rows.Err()
}

// userID is the acting user's ID, 0 for the system.
func userID(a portico.Actor) int64 {
	if a.Kind == portico.ActorUser {
		return a.ID
	}
	return 0
}

// recordApplication writes an application's event, naming its job, candidate and
// client so it shows in their histories and reaches their live pages.
func (tx *Tx) recordApplication(action string, a application, details map[string]string) error {
	if details == nil {
		details = map[string]string{}
	}
	details["candidate"], details["job"] = a.CandidateName, a.JobTitle
	_, err := tx.record(change{action: action, subjectType: "application", subjectID: a.ID,
		jobID: a.JobID, candidateID: a.CandidateID, clientID: a.clientID, details: details})
	return err
}

// MoveApplication puts an application in another active stage.
func (s *ApplicationService) MoveApplication(ctx context.Context, id, stageID int64) (*portico.Application, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	var out *portico.Application
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockApplication(id); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := tx.lockStage(stageID); err != nil {
			return err
		}
		to, err := findStage(ctx, tx.conn, stageID)
		if err != nil {
			return err
		}
		if to.Retired {
			return portico.Errorf(portico.ECONFLICT, "The stage “%s” is retired, so no one can move into it. Choose another stage.", to.InternalName)
		}
		if a.StageID == to.ID {
			out = a.Application
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE applications SET stage_id = ?, stage_changed_at = ? WHERE id = ?`, to.ID, tx.now, id); err != nil {
			return err
		}
		if err := tx.recordApplication("application.moved", a, map[string]string{
			"from": a.StageName, "to": to.InternalName,
			"from_id": strconv.FormatInt(a.StageID, 10), "to_id": strconv.FormatInt(to.ID, 10)}); err != nil {
			return err
		}
		moved, err := findApplication(ctx, tx.conn, id)
		out = moved.Application
		return err
	})
	return out, err
}

// RemoveApplication takes a candidate off a shortlist. Its notes go with
// it; its events stay, so the job's and the candidate's history still say
// what happened.
func (s *ApplicationService) RemoveApplication(ctx context.Context, id int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockApplication(id); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM applications WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.recordApplication("application.removed", a, map[string]string{"stage": a.StageName})
	})
}

// AddNote adds an internal note to an application. The note's text lives
// in the notes table only, never in the event.
func (s *ApplicationService) AddNote(ctx context.Context, applicationID int64, body string) (*portico.Note, error) {
	actor, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if actor.Kind != portico.ActorUser {
		return nil, portico.Errorf(portico.EFORBIDDEN, "Only agency users can write notes.")
	}
	body, err = portico.CheckNote(body)
	if err != nil {
		return nil, err
	}
	var n *portico.Note
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockApplication(applicationID); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx.conn, applicationID)
		if err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO notes (application_id, author_id, body, created_at) VALUES (?, ?, ?, ?)`,
			applicationID, actor.ID, body, tx.now)
		if err != nil {
			return err
		}
		if err := tx.recordApplication("application.noted", a, map[string]string{"note_id": strconv.FormatInt(id, 10)}); err != nil {
			return err
		}
		n, err = scanNote(tx.queryRow(ctx, `SELECT `+noteColumns+noteFrom+` WHERE n.id = ?`, id))
		return err
	})
	return n, err
}

const noteColumns = `n.id, n.application_id, n.author_id, u.name, n.body, n.created_at`
const noteFrom = ` FROM notes n JOIN users u ON u.id = n.author_id`

func scanNote(sc interface{ Scan(...any) error }) (*portico.Note, error) {
	var n portico.Note
	if err := sc.Scan(&n.ID, &n.ApplicationID, &n.AuthorID, &n.AuthorName, &n.Body, &n.CreatedAt); err != nil {
		return nil, err
	}
	n.CreatedAt = n.CreatedAt.UTC()
	return &n, nil
}

// FindNotes returns an application's notes, newest first.
func (s *ApplicationService) FindNotes(ctx context.Context, applicationID int64) ([]*portico.Note, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	rows, err := (*DB)(s).read().query(ctx, `SELECT `+noteColumns+noteFrom+` WHERE n.application_id = ? ORDER BY n.id DESC`, applicationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*portico.Note
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
