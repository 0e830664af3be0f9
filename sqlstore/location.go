package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"portico"
)

const locationColumns = `id, client_id, name, address, time_zone, created_at`

func scanLocation(sc interface{ Scan(...any) error }) (*portico.Location, error) {
	var l portico.Location
	if err := sc.Scan(&l.ID, &l.ClientID, &l.Name, &l.Address, &l.TimeZone, &l.CreatedAt); err != nil {
		return nil, err
	}
	l.CreatedAt = l.CreatedAt.UTC()
	return &l, nil
}

func findLocation(ctx context.Context, c conn, id int64) (*portico.Location, error) {
	l, err := scanLocation(c.queryRow(ctx, `SELECT `+locationColumns+` FROM locations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("location")
	}
	return l, err
}

// maxLocations bounds one client's locations list: a client has a handful
// of sites, and the list is never paged.
const maxLocations = 1000

// FindLocations returns a client's locations by name.
func (s *ClientService) FindLocations(ctx context.Context, clientID int64) ([]*portico.Location, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	rows, err := (*DB)(s).read().query(ctx, `SELECT `+locationColumns+` FROM locations WHERE client_id = ? ORDER BY name, id LIMIT ?`, clientID, maxLocations)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ls []*portico.Location
	for rows.Next() {
		l, err := scanLocation(rows)
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	return ls, rows.Err()
}

// FindLocationByID returns a location.
func (s *ClientService) FindLocationByID(ctx context.Context, id int64) (*portico.Location, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findLocation(ctx, (*DB)(s).read(), id)
}

// CreateLocation adds a location to a client.
func (s *ClientService) CreateLocation(ctx context.Context, clientID int64, in portico.LocationInput) (*portico.Location, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var l *portico.Location
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if _, err := findClient(ctx, tx.conn, clientID); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM locations WHERE client_id = ?`, clientID).Scan(&n); err != nil {
			return err
		}
		if n >= maxLocations {
			return portico.Errorf(portico.ECONFLICT, "A client can have at most %d locations.", maxLocations)
		}
		id, err := tx.insert(ctx, `INSERT INTO locations (client_id, name, address, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			clientID, in.Name, in.Address, in.TimeZone, tx.now, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "location.created", subjectType: "location", subjectID: id, clientID: clientID,
			details: map[string]string{"name": in.Name}}); err != nil {
			return err
		}
		l, err = findLocation(ctx, tx.conn, id)
		return err
	})
	return l, err
}

// UpdateLocation changes a location.
func (s *ClientService) UpdateLocation(ctx context.Context, id int64, in portico.LocationInput) (*portico.Location, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var l *portico.Location
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findLocation(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		changed := changedList(changedField{"name", old.Name != in.Name}, changedField{"address", old.Address != in.Address},
			changedField{"time zone", old.TimeZone != in.TimeZone})
		if changed == "" {
			l = old
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE locations SET name = ?, address = ?, time_zone = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Address, in.TimeZone, tx.now, id); err != nil {
			return err
		}
		if _, err := tx.record(change{action: "location.updated", subjectType: "location", subjectID: id, clientID: old.ClientID,
			details: map[string]string{"name": in.Name, "changed": changed}}); err != nil {
			return err
		}
		l, err = findLocation(ctx, tx.conn, id)
		return err
	})
	return l, err
}
