package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"portico"
)

// AgencyService implements portico.AgencyService.
type AgencyService DB

// Agency returns the agency.
func (s *AgencyService) Agency(ctx context.Context) (*portico.Agency, error) {
	var a portico.Agency
	err := (*DB)(s).read().queryRow(ctx, `SELECT id, name, time_zone, created_at FROM agency ORDER BY id LIMIT 1`).
		Scan(&a.ID, &a.Name, &a.TimeZone, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, portico.Errorf(portico.ENOTFOUND, "Portico has not been set up yet.")
	}
	return &a, err
}

func agencyExists(ctx context.Context, c conn) (bool, error) {
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM agency`).Scan(&n)
	return n > 0, err
}

// SetupToken makes a one-time setup token while no agency exists.
func (s *AgencyService) SetupToken(ctx context.Context) (string, error) {
	db := (*DB)(s)
	var token string
	err := db.inTx(ctx, func(tx *Tx) error {
		if ok, err := agencyExists(ctx, tx.conn); err != nil {
			return err
		} else if ok {
			return portico.Errorf(portico.ECONFLICT, "Portico is set up already.")
		}
		var hash string
		token, hash = newToken()
		_, err := tx.exec(ctx, `INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)`, hash, tx.now)
		return err
	})
	return token, err
}

// CompleteSetup creates the agency and its first admin.
func (s *AgencyService) CompleteSetup(ctx context.Context, token string, in portico.Setup) (*portico.User, error) {
	db := (*DB)(s)
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash := hashPassword(in.Password) // slow: outside the transaction
	var u *portico.User
	err := db.inTx(ctx, func(tx *Tx) error {
		// Setups from two browsers take turns, so the second finds the
		// agency made; without it, on PostgreSQL each deleted its own
		// token and then waited for the other's to delete them all, a
		// deadlock. Setup makes the first admin: the users' lock fits.
		if err := tx.lockUsers(); err != nil {
			return err
		}
		if ok, err := agencyExists(ctx, tx.conn); err != nil {
			return err
		} else if ok {
			return portico.Errorf(portico.ECONFLICT, "Portico is set up already. Sign in instead.")
		}
		res, err := tx.exec(ctx, `DELETE FROM setup_tokens WHERE token_hash = ?`, hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portico.Errorf(portico.EUNAUTHORIZED, "This setup link is not valid. Use the link Portico printed when it started.")
		}
		if _, err := tx.exec(ctx, `DELETE FROM setup_tokens`); err != nil {
			return err
		}
		agencyID, err := tx.insert(ctx, `INSERT INTO agency (name, time_zone, created_at) VALUES (?, ?, ?)`, in.AgencyName, in.TimeZone, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.event("agency.created", "agency", agencyID, map[string]string{"name": in.AgencyName}); err != nil {
			return err
		}
		if err := tx.seedStages(); err != nil {
			return err
		}
		u, err = tx.createUser(portico.NewUser{Name: in.AdminName, Email: in.AdminEmail, Role: portico.RoleAdmin}, hash)
		return err
	})
	return u, err
}
