package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"portico"
)

// StageService implements portico.StageService.
type StageService DB

// stageService returns the service.
func (db *DB) stageService() portico.StageService { return (*StageService)(db) }

// seedStages gives a new agency the default pipeline.
func (tx *Tx) seedStages() error {
	for i, s := range portico.DefaultStages {
		if _, err := tx.exec(tx.ctx, `INSERT INTO stages (position, internal_name, client_name, kind, retired, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			i+1, s.InternalName, s.ClientName, string(s.Kind), false, tx.now); err != nil {
			return err
		}
	}
	return nil
}

const stageColumns = `id, position, internal_name, client_name, kind, retired`

// stageOrder puts active stages first, in their order; retired ones after.
const stageOrder = ` ORDER BY retired, position, id`

func scanStage(sc interface{ Scan(...any) error }, extra ...any) (*portico.Stage, error) {
	var st portico.Stage
	var kind string
	if err := sc.Scan(append([]any{&st.ID, &st.Position, &st.InternalName, &st.ClientName, &kind, &st.Retired}, extra...)...); err != nil {
		return nil, err
	}
	st.Kind = portico.StageKind(kind)
	return &st, nil
}

func findStage(ctx context.Context, c conn, id int64) (*portico.Stage, error) {
	st, err := scanStage(c.queryRow(ctx, `SELECT `+stageColumns+` FROM stages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("stage")
	}
	return st, err
}

// FindStages returns the stages with how many applications each holds:
// one grouped count over the applications_stage index.
func (s *StageService) FindStages(ctx context.Context, withRetired bool) ([]*portico.Stage, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	cond, args := "", []any{}
	if !withRetired {
		cond, args = ` WHERE s.retired = ?`, append(args, false)
	}
	rows, err := (*DB)(s).read().query(ctx, `SELECT s.id, s.position, s.internal_name, s.client_name, s.kind, s.retired, COALESCE(n.cnt, 0)
		FROM stages s LEFT JOIN (SELECT stage_id, COUNT(*) AS cnt FROM applications GROUP BY stage_id) n ON n.stage_id = s.id`+
		cond+` ORDER BY s.retired, s.position, s.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*portico.Stage
	for rows.Next() {
		var n int
		st, err := scanStage(rows, &n)
		if err != nil {
			return nil, err
		}
		st.InUse = n
		out = append(out, st)
	}
	return out, rows.Err()
}

// ListStages returns the stages in order without counting applications.
func (s *StageService) ListStages(ctx context.Context, withRetired bool) ([]*portico.Stage, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return listStages(ctx, (*DB)(s).read(), withRetired)
}

func listStages(ctx context.Context, c conn, withRetired bool) ([]*portico.Stage, error) {
	cond, args := "", []any{}
	if !withRetired {
		cond, args = ` WHERE retired = ?`, append(args, false)
	}
	rows, err := c.query(ctx, `SELECT `+stageColumns+` FROM stages`+cond+stageOrder, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*portico.Stage
	for rows.Next() {
		st, err := scanStage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// FindStageByID returns a stage, retired or not.
func (s *StageService) FindStageByID(ctx context.Context, id int64) (*portico.Stage, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findStage(ctx, (*DB)(s).read(), id)
}

// lockStages makes transactions that change the pipeline take turns, so
// that positions stay a clean 1…n and two admins can't both pass the
// duplicate-name or last-stage checks. Updating the agency's one row is a
// lock both engines understand, taken in one step, so two changes can't
// deadlock (SQLite's writers take turns anyway).
func (tx *Tx) lockStages() error {
	_, err := tx.exec(tx.ctx, `UPDATE agency SET name = name`)
	return err
}

// checkStageName returns a field error when another stage, active or
// retired, already has the internal name (case aside).
func (tx *Tx) checkStageName(name string, except int64) error {
	var id int64
	var retired bool
	err := tx.queryRow(tx.ctx, `SELECT id, retired FROM stages WHERE LOWER(internal_name) = LOWER(?) AND id <> ? ORDER BY retired LIMIT 1`, name, except).Scan(&id, &retired)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	msg := "There is a stage with this name already. Choose another name."
	if retired {
		msg = "A retired stage has this name. Restore it under Retired stages, or choose another name."
	}
	return &portico.Error{Code: portico.ECONFLICT, Message: "Please correct the highlighted fields.", Fields: map[string]string{"internal_name": msg}}
}

// activeStageIDs returns the active stages' IDs in order.
func (tx *Tx) activeStageIDs() ([]int64, error) {
	return tx.ids(tx.ctx, `SELECT id FROM stages WHERE retired = ? ORDER BY position, id`, false)
}

// renumber gives the active stages the positions 1…n in the given order.
func (tx *Tx) renumber(ids []int64) error {
	for i, id := range ids {
		if _, err := tx.exec(tx.ctx, `UPDATE stages SET position = ? WHERE id = ? AND position <> ?`, i+1, id, i+1); err != nil {
			return err
		}
	}
	return nil
}

// CreateStage adds a stage at the end of the pipeline.
func (s *StageService) CreateStage(ctx context.Context, in portico.StageInput) (*portico.Stage, error) {
	if _, err := admin(ctx, "change the pipeline"); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var st *portico.Stage
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockStages(); err != nil {
			return err
		}
		if err := tx.checkStageName(in.InternalName, 0); err != nil {
			return err
		}
		ids, err := tx.activeStageIDs()
		if err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO stages (position, internal_name, client_name, kind, retired, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			len(ids)+1, in.InternalName, in.ClientName, string(in.Kind), false, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.event("stage.created", "stage", id, map[string]string{
			"name": in.InternalName, "client_name": in.ClientName, "kind": string(in.Kind)}); err != nil {
			return err
		}
		st, err = findStage(ctx, tx.conn, id)
		return err
	})
	return st, err
}

// UpdateStage renames a stage or changes its kind.
func (s *StageService) UpdateStage(ctx context.Context, id int64, in portico.StageInput) (*portico.Stage, error) {
	if _, err := admin(ctx, "change the pipeline"); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var st *portico.Stage
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockStages(); err != nil {
			return err
		}
		old, err := findStage(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := tx.checkStageName(in.InternalName, id); err != nil {
			return err
		}
		if old.InternalName == in.InternalName && old.ClientName == in.ClientName && old.Kind == in.Kind {
			st = old
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE stages SET internal_name = ?, client_name = ?, kind = ? WHERE id = ?`,
			in.InternalName, in.ClientName, string(in.Kind), id); err != nil {
			return err
		}
		if _, err := tx.event("stage.renamed", "stage", id, map[string]string{
			"from": old.InternalName, "name": in.InternalName,
			"from_client_name": old.ClientName, "client_name": in.ClientName,
			"from_kind": string(old.Kind), "kind": string(in.Kind)}); err != nil {
			return err
		}
		st, err = findStage(ctx, tx.conn, id)
		return err
	})
	return st, err
}

// MoveStage puts an active stage at a 1-based position among the active
// stages; a position beyond either end means that end.
func (s *StageService) MoveStage(ctx context.Context, id int64, position int) error {
	if _, err := admin(ctx, "change the pipeline"); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockStages(); err != nil {
			return err
		}
		st, err := findStage(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if st.Retired {
			return portico.Errorf(portico.ECONFLICT, "The stage “%s” is retired. Restore it before moving it.", st.InternalName)
		}
		ids, err := tx.activeStageIDs()
		if err != nil {
			return err
		}
		from := 0
		rest := make([]int64, 0, len(ids))
		for i, x := range ids {
			if x == id {
				from = i + 1
			} else {
				rest = append(rest, x)
			}
		}
		to := min(max(position, 1), len(ids))
		if to == from {
			return nil
		}
		order := append(append(append(make([]int64, 0, len(ids)), rest[:to-1]...), id), rest[to-1:]...)
		if err := tx.renumber(order); err != nil {
			return err
		}
		_, err = tx.event("stage.moved", "stage", id, map[string]string{
			"name": st.InternalName, "from": strconv.Itoa(from), "to": strconv.Itoa(to)})
		return err
	})
}

// RetireStage retires a stage that holds applications and deletes an
// unused one. The last active stage stays: shortlists need somewhere to go.
func (s *StageService) RetireStage(ctx context.Context, id int64) error {
	if _, err := admin(ctx, "change the pipeline"); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockStages(); err != nil {
			return err
		}
		st, err := findStage(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if st.Retired {
			return portico.Errorf(portico.ECONFLICT, "The stage “%s” is retired already.", st.InternalName)
		}
		// Moves into the stage that are under way finish first, so the
		// check below sees them.
		if _, err := tx.lockStage(id); err != nil {
			return err
		}
		ids, err := tx.activeStageIDs()
		if err != nil {
			return err
		}
		if len(ids) <= 1 {
			return portico.Errorf(portico.ECONFLICT, "The stage “%s” is the last active stage, so it can't be retired. Add another stage first.", st.InternalName)
		}
		var used bool
		if err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE stage_id = ?)`, id).Scan(&used); err != nil {
			return err
		}
		action := "stage.deleted"
		if used {
			action = "stage.retired"
			_, err = tx.exec(ctx, `UPDATE stages SET retired = ? WHERE id = ?`, true, id)
		} else {
			_, err = tx.exec(ctx, `DELETE FROM stages WHERE id = ?`, id)
		}
		if err != nil {
			return err
		}
		rest := make([]int64, 0, len(ids))
		for _, x := range ids {
			if x != id {
				rest = append(rest, x)
			}
		}
		if err := tx.renumber(rest); err != nil {
			return err
		}
		_, err = tx.event(action, "stage", id, map[string]string{"name": st.InternalName})
		return err
	})
}

// RestoreStage brings a retired stage back at the end of the pipeline.
func (s *StageService) RestoreStage(ctx context.Context, id int64) error {
	if _, err := admin(ctx, "change the pipeline"); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockStages(); err != nil {
			return err
		}
		st, err := findStage(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !st.Retired {
			return portico.Errorf(portico.ECONFLICT, "The stage “%s” is in use already.", st.InternalName)
		}
		ids, err := tx.activeStageIDs()
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE stages SET retired = ?, position = ? WHERE id = ?`, false, len(ids)+1, id); err != nil {
			return err
		}
		_, err = tx.event("stage.restored", "stage", id, map[string]string{"name": st.InternalName})
		return err
	})
}
