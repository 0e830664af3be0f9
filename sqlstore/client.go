package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"portico"
)

// ClientService implements portico.ClientService.
type ClientService DB

// clientService returns the service.
func (db *DB) clientService() portico.ClientService { return (*ClientService)(db) }

const clientColumns = `c.id, c.name, c.status, COALESCE(c.owner_id, 0), COALESCE(u.name, ''), c.website, c.phone, c.notes, COALESCE(c.portal_key, ''), c.created_at, c.updated_at`

// clientFrom joins what a client row shows: its owner's name.
const clientFrom = ` FROM clients c LEFT JOIN users u ON u.id = c.owner_id`

func scanClient(sc interface{ Scan(...any) error }, extra ...any) (*portico.Client, error) {
	var c portico.Client
	var status string
	dest := append([]any{&c.ID, &c.Name, &status, &c.OwnerID, &c.OwnerName, &c.Website, &c.Phone, &c.Notes, &c.PortalKey, &c.CreatedAt, &c.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	c.Status, c.CreatedAt, c.UpdatedAt = portico.ClientStatus(status), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func findClient(ctx context.Context, c conn, id int64) (*portico.Client, error) {
	var open int
	cl, err := scanClient(c.queryRow(ctx, `SELECT `+clientColumns+`, (SELECT COUNT(*) FROM jobs j WHERE j.client_id = c.id AND j.status = ?)`+clientFrom+` WHERE c.id = ?`, string(portico.JobOpen), id), &open)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("client")
	} else if err != nil {
		return nil, err
	}
	cl.OpenJobs = open
	return cl, nil
}

// FindClients returns a page of clients by name, each with its number of
// open jobs.
func (s *ClientService) FindClients(ctx context.Context, f portico.ClientFilter) ([]*portico.Client, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	var where []string
	var args []any
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, `LOWER(c.name) LIKE LOWER(?) ESCAPE '\'`), append(args, likeAnywhere(q))
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
	}
	if f.OwnerID != 0 {
		where, args = append(where, "c.owner_id = ?"), append(args, f.OwnerID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM clients c`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	// The open-job count is a correlated count on the jobs_client index
	// (client_id, status, id): one index range per client on the page.
	rows, err := db.read().query(ctx, `SELECT `+clientColumns+`, (SELECT COUNT(*) FROM jobs j WHERE j.client_id = c.id AND j.status = ?)`+clientFrom+cond+
		` ORDER BY c.name, c.id LIMIT ? OFFSET ?`, append(append([]any{string(portico.JobOpen)}, args...), limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var cs []*portico.Client
	for rows.Next() {
		var open int
		c, err := scanClient(rows, &open)
		if err != nil {
			return nil, 0, err
		}
		c.OpenJobs = open
		cs = append(cs, c)
	}
	return cs, total, rows.Err()
}

// FindClientByID returns a client with its number of open jobs.
func (s *ClientService) FindClientByID(ctx context.Context, id int64) (*portico.Client, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findClient(ctx, (*DB)(s).read(), id)
}

// CreateClient adds a client.
func (s *ClientService) CreateClient(ctx context.Context, in portico.ClientInput) (*portico.Client, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var c *portico.Client
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.checkOwner(in.OwnerID, 0, "owner_id"); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO clients (name, status, owner_id, website, phone, notes, portal_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.Name, string(in.Status), nullID(in.OwnerID), in.Website, in.Phone, in.Notes, newPortalKey(), tx.now, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "client.created", subjectType: "client", subjectID: id, clientID: id,
			details: map[string]string{"name": in.Name}}); err != nil {
			return err
		}
		c, err = findClient(ctx, tx.conn, id)
		return err
	})
	return c, err
}

// UpdateClient changes a client.
func (s *ClientService) UpdateClient(ctx context.Context, id int64, in portico.ClientInput) (*portico.Client, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var c *portico.Client
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findClient(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := tx.checkOwner(in.OwnerID, old.OwnerID, "owner_id"); err != nil {
			return err
		}
		changed := changedList(
			changedField{"name", old.Name != in.Name}, changedField{"status", old.Status != in.Status}, changedField{"owner", old.OwnerID != in.OwnerID},
			changedField{"website", old.Website != in.Website}, changedField{"phone", old.Phone != in.Phone}, changedField{"notes", old.Notes != in.Notes})
		if changed == "" {
			c = old
			return nil // nothing to record
		}
		if _, err := tx.exec(ctx, `UPDATE clients SET name = ?, status = ?, owner_id = ?, website = ?, phone = ?, notes = ?, updated_at = ? WHERE id = ?`,
			in.Name, string(in.Status), nullID(in.OwnerID), in.Website, in.Phone, in.Notes, tx.now, id); err != nil {
			return err
		}
		d := map[string]string{"name": in.Name, "changed": changed}
		if old.Status != in.Status {
			d["status"] = string(in.Status)
		}
		if _, err := tx.record(change{action: "client.updated", subjectType: "client", subjectID: id, clientID: id, details: d}); err != nil {
			return err
		}
		c, err = findClient(ctx, tx.conn, id)
		return err
	})
	return c, err
}

// checkOwner checks that a chosen owner is an active agency user. keep is
// the record's current owner, who may stay even if since deactivated.
func (tx *Tx) checkOwner(ownerID, keep int64, fieldName string) error {
	if ownerID == 0 || ownerID == keep {
		return nil
	}
	var active bool
	err := tx.queryRow(tx.ctx, `SELECT active FROM users WHERE id = ?`, ownerID).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return invalidField(fieldName, "Choose an active member of the agency.")
	}
	return err
}

// invalidField is an EINVALID error with one field's message.
func invalidField(fieldName, msg string) error {
	return &portico.Error{Code: portico.EINVALID, Message: "Please correct the highlighted fields.", Fields: map[string]string{fieldName: msg}}
}

// changedField is one field of a record that an update may have changed.
type changedField struct {
	name    string
	changed bool
}

// changedList lists the changed fields' names, comma-separated, for an
// event's details; "" when none changed.
func changedList(fs ...changedField) string {
	var names []string
	for _, f := range fs {
		if f.changed {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, ", ")
}

// likeAnywhere is a LIKE pattern (with ESCAPE '\') that matches s
// anywhere, with s's own wildcards taken literally.
func likeAnywhere(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// newPortalKey returns a random key naming a client's branded sign-in
// page: 64 bits, enough that keys can't be guessed or collide in practice.
func newPortalKey() string { return randomHex(8) }

// ensurePortalKey gives a client without a portal key (bulk-loaded before
// keys existed) one, and returns the client's key.
func (tx *Tx) ensurePortalKey(clientID int64) (string, error) {
	var key sql.NullString
	err := tx.queryRow(tx.ctx, `SELECT portal_key FROM clients WHERE id = ?`, clientID).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("client")
	} else if err != nil || key.String != "" {
		return key.String, err
	}
	k := newPortalKey()
	_, err = tx.exec(tx.ctx, `UPDATE clients SET portal_key = ? WHERE id = ?`, k, clientID)
	return k, err
}
