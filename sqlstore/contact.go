package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"portico"
)

const contactColumns = `k.id, k.client_id, c.name, k.name, k.title, k.email, k.phone, k.portal_status, k.weekly_report, k.created_at`

const contactFrom = ` FROM contacts k JOIN clients c ON c.id = k.client_id`

func scanContact(sc interface{ Scan(...any) error }) (*portico.Contact, error) {
	var k portico.Contact
	var status string
	if err := sc.Scan(&k.ID, &k.ClientID, &k.ClientName, &k.Name, &k.Title, &k.Email, &k.Phone, &status, &k.WeeklyReport, &k.CreatedAt); err != nil {
		return nil, err
	}
	k.PortalStatus, k.CreatedAt = portico.PortalStatus(status), k.CreatedAt.UTC()
	return &k, nil
}

func findContact(ctx context.Context, c conn, id int64) (*portico.Contact, error) {
	k, err := scanContact(c.queryRow(ctx, `SELECT `+contactColumns+contactFrom+` WHERE k.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("contact")
	}
	return k, err
}

// FindContacts returns a page of a client's contacts by name.
func (s *ClientService) FindContacts(ctx context.Context, clientID int64, offset, limit int) ([]*portico.Contact, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE client_id = ?`, clientID).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit = page(offset, limit)
	rows, err := db.read().query(ctx, `SELECT `+contactColumns+contactFrom+` WHERE k.client_id = ? ORDER BY k.name, k.id LIMIT ? OFFSET ?`, clientID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ks []*portico.Contact
	for rows.Next() {
		k, err := scanContact(rows)
		if err != nil {
			return nil, 0, err
		}
		ks = append(ks, k)
	}
	return ks, total, rows.Err()
}

// FindContactByID returns a contact with their client's name.
func (s *ClientService) FindContactByID(ctx context.Context, id int64) (*portico.Contact, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findContact(ctx, (*DB)(s).read(), id)
}

// emailTaken is the error for a contact email another contact has.
func emailTaken() error {
	return &portico.Error{Code: portico.ECONFLICT, Message: "Please correct the highlighted fields.",
		Fields: map[string]string{"email": "Another contact has this email address already: it is their portal sign-in. Use a different address."}}
}

// CreateContact adds a contact to a client.
func (s *ClientService) CreateContact(ctx context.Context, clientID int64, in portico.ContactInput) (*portico.Contact, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var k *portico.Contact
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if _, err := findClient(ctx, tx.conn, clientID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO contacts (client_id, name, title, email, phone, portal_status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			clientID, in.Name, in.Title, in.Email, in.Phone, string(portico.PortalNotRegistered), tx.now, tx.now)
		if tx.d.isUnique(err) {
			return emailTaken()
		} else if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "contact.created", subjectType: "contact", subjectID: id, clientID: clientID,
			details: map[string]string{"name": in.Name}}); err != nil {
			return err
		}
		k, err = findContact(ctx, tx.conn, id)
		return err
	})
	return k, err
}

// UpdateContact changes a contact's details.
func (s *ClientService) UpdateContact(ctx context.Context, id int64, in portico.ContactInput) (*portico.Contact, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var k *portico.Contact
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findContact(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		changed := changedList(changedField{"name", old.Name != in.Name}, changedField{"title", old.Title != in.Title},
			changedField{"email", old.Email != in.Email}, changedField{"phone", old.Phone != in.Phone})
		if changed == "" {
			k = old
			return nil
		}
		_, err = tx.exec(ctx, `UPDATE contacts SET name = ?, title = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Title, in.Email, in.Phone, tx.now, id)
		if tx.d.isUnique(err) {
			return emailTaken()
		} else if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "contact.updated", subjectType: "contact", subjectID: id, clientID: old.ClientID,
			details: map[string]string{"name": in.Name, "changed": changed}}); err != nil {
			return err
		}
		k, err = findContact(ctx, tx.conn, id)
		return err
	})
	return k, err
}
