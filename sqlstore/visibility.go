package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"portico"
)

// Visible fields are stored per scope: the agency's default (scope
// 'agency', id 0), a client's override and a job's override. The most
// specific one set applies.

// encodeFields stores fields as a comma-separated list in the order pages
// show them.
func encodeFields(fs []portico.CandidateField) string {
	var out []string
	for _, f := range portico.CandidateFields {
		for _, x := range fs {
			if x == f {
				out = append(out, string(f))
				break
			}
		}
	}
	return strings.Join(out, ",")
}

// decodeFields reads a stored list, skipping fields Portico no longer knows.
func decodeFields(s string) []portico.CandidateField {
	set := map[portico.CandidateField]bool{}
	for _, x := range strings.Split(s, ",") {
		set[portico.CandidateField(strings.TrimSpace(x))] = true
	}
	out := []portico.CandidateField{}
	for _, f := range portico.CandidateFields {
		if set[f] {
			out = append(out, f)
		}
	}
	return out
}

// defaultVisibility returns a copy of the built-in default, so no caller can
// change the shared value.
func defaultVisibility() portico.Visibility {
	return portico.Visibility{Fields: append([]portico.CandidateField(nil), portico.DefaultVisibility.Fields...), Anonymous: portico.DefaultVisibility.Anonymous}
}

// visibilityFor returns what applies to a job: its own setting, else its
// client's, else the agency's, else Portico's default. One query. ENOTFOUND
// when there is no such job. The portal's viewer uses it too.
func visibilityFor(ctx context.Context, c conn, jobID int64) (portico.Visibility, error) {
	var clientID int64
	err := c.queryRow(ctx, `SELECT client_id FROM jobs WHERE id = ?`, jobID).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return portico.Visibility{}, notFound("job")
	} else if err != nil {
		return portico.Visibility{}, err
	}
	return visibilityChain(ctx, c, clientID, jobID)
}

// visibilityChain returns the most specific setting among the agency's, a
// client's and (when jobID isn't 0) a job's.
func visibilityChain(ctx context.Context, c conn, clientID, jobID int64) (portico.Visibility, error) {
	rows, err := c.query(ctx, `SELECT scope, fields, anonymous FROM visibility
		WHERE (scope = ? AND scope_id = 0) OR (scope = ? AND scope_id = ?) OR (scope = ? AND scope_id = ?)`,
		string(portico.ScopeAgency), string(portico.ScopeClient), clientID, string(portico.ScopeJob), jobID)
	if err != nil {
		return portico.Visibility{}, err
	}
	defer rows.Close()
	rank := map[portico.VisibilityScope]int{portico.ScopeAgency: 1, portico.ScopeClient: 2, portico.ScopeJob: 3}
	best, v := 0, defaultVisibility()
	for rows.Next() {
		var scope, fields string
		var anon bool
		if err := rows.Scan(&scope, &fields, &anon); err != nil {
			return portico.Visibility{}, err
		}
		if r := rank[portico.VisibilityScope(scope)]; r > best {
			best, v = r, portico.Visibility{Fields: decodeFields(fields), Anonymous: anon}
		}
	}
	return v, rows.Err()
}

// scopeOwner checks a scope and returns the client (and job) it belongs
// to: EINVALID for an unknown scope, ENOTFOUND for an unknown record.
func scopeOwner(ctx context.Context, c conn, scope portico.VisibilityScope, id int64) (clientID, jobID int64, name string, err error) {
	switch scope {
	case portico.ScopeAgency:
		if id != 0 {
			return 0, 0, "", notFound("setting")
		}
		return 0, 0, "", nil
	case portico.ScopeClient:
		err = c.queryRow(ctx, `SELECT id, name FROM clients WHERE id = ?`, id).Scan(&clientID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			err = notFound("client")
		}
		return clientID, 0, name, err
	case portico.ScopeJob:
		err = c.queryRow(ctx, `SELECT client_id, id, title FROM jobs WHERE id = ?`, id).Scan(&clientID, &jobID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			err = notFound("job")
		}
		return clientID, jobID, name, err
	}
	return 0, 0, "", portico.Errorf(portico.EINVALID, "Choose where the setting applies: the agency, a client or a job.")
}

// Visibility returns one scope's own setting and true, or, when it has
// none, what it inherits and false (so a form starts from what applies).
func (s *SharingService) Visibility(ctx context.Context, scope portico.VisibilityScope, id int64) (portico.Visibility, bool, error) {
	if _, err := staff(ctx); err != nil {
		return portico.Visibility{}, false, err
	}
	c := (*DB)(s).read()
	clientID, _, _, err := scopeOwner(ctx, c, scope, id)
	if err != nil {
		return portico.Visibility{}, false, err
	}
	var fields string
	var anon bool
	err = c.queryRow(ctx, `SELECT fields, anonymous FROM visibility WHERE scope = ? AND scope_id = ?`, string(scope), id).Scan(&fields, &anon)
	if err == nil {
		return portico.Visibility{Fields: decodeFields(fields), Anonymous: anon}, true, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return portico.Visibility{}, false, err
	}
	switch scope {
	case portico.ScopeJob:
		v, err := visibilityChain(ctx, c, clientID, 0)
		return v, false, err
	case portico.ScopeClient:
		v, err := visibilityChain(ctx, c, -1, 0)
		return v, false, err
	}
	return defaultVisibility(), false, nil
}

// EffectiveVisibility returns what applies to a job.
func (s *SharingService) EffectiveVisibility(ctx context.Context, jobID int64) (portico.Visibility, error) {
	a := portico.ActorFromContext(ctx)
	if a.Kind != portico.ActorUser && a.Kind != portico.ActorSystem && a.Kind != portico.ActorContact {
		return portico.Visibility{}, portico.Errorf(portico.EUNAUTHORIZED, "Sign in to do this.")
	}
	return visibilityFor(ctx, (*DB)(s).read(), jobID)
}

// checkScopeActor allows admins to set the agency's default, and any
// agency user a client's or a job's.
func checkScopeActor(ctx context.Context, scope portico.VisibilityScope) error {
	if scope == portico.ScopeAgency {
		_, err := admin(ctx, "choose which fields clients see by default")
		return err
	}
	_, err := staff(ctx)
	return err
}

// SetVisibility sets a scope's visible fields.
func (s *SharingService) SetVisibility(ctx context.Context, scope portico.VisibilityScope, id int64, v portico.Visibility) error {
	if err := checkScopeActor(ctx, scope); err != nil {
		return err
	}
	for _, f := range v.Fields {
		if !f.Valid() {
			return portico.FieldError("fields", "One of the chosen fields isn't one Portico knows. Reload the page and choose again.")
		}
	}
	fields := encodeFields(v.Fields)
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		clientID, jobID, name, err := scopeOwner(ctx, tx.conn, scope, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO visibility (scope, scope_id, fields, anonymous, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (scope, scope_id) DO UPDATE SET fields = excluded.fields, anonymous = excluded.anonymous, updated_at = excluded.updated_at`,
			string(scope), id, fields, v.Anonymous, tx.now); err != nil {
			return err
		}
		return tx.recordVisibility(scope, id, clientID, jobID, name, map[string]string{
			"fields": fields, "anonymous": strconv.FormatBool(v.Anonymous)})
	})
}

// ClearVisibility removes a client's or a job's own setting, so it uses
// what it inherits again.
func (s *SharingService) ClearVisibility(ctx context.Context, scope portico.VisibilityScope, id int64) error {
	if scope == portico.ScopeAgency {
		return portico.Errorf(portico.EINVALID, "The agency's default can be changed but not removed.")
	}
	if err := checkScopeActor(ctx, scope); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		clientID, jobID, name, err := scopeOwner(ctx, tx.conn, scope, id)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM visibility WHERE scope = ? AND scope_id = ?`, string(scope), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // using the default already: nothing to record
		}
		return tx.recordVisibility(scope, id, clientID, jobID, name, map[string]string{"default": "true"})
	})
}

// recordVisibility writes a visibility.changed event on the client or the
// job (or the agency), so it shows in their histories.
func (tx *Tx) recordVisibility(scope portico.VisibilityScope, id, clientID, jobID int64, name string, details map[string]string) error {
	details["scope"], details["name"] = string(scope), name
	subject := string(scope)
	_, err := tx.record(change{action: "visibility.changed", subjectType: subject, subjectID: id, clientID: clientID, jobID: jobID, details: details})
	return err
}
