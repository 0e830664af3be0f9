package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"portico"
)

// UserService implements portico.UserService.
type UserService DB

const userColumns = `id, name, email, phone, role, active, created_at, last_sign_in_at`

func scanUser(sc interface{ Scan(...any) error }) (*portico.User, error) {
	var u portico.User
	var role string
	var last sql.NullTime
	if err := sc.Scan(&u.ID, &u.Name, &u.Email, &u.Phone, &role, &u.Active, &u.CreatedAt, &last); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt, u.LastSignInAt = portico.Role(role), u.CreatedAt.UTC(), timePtr(last)
	return &u, nil
}

func findUser(ctx context.Context, c conn, id int64) (*portico.User, error) {
	u, err := scanUser(c.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, portico.Errorf(portico.ENOTFOUND, "There is no such user.")
	}
	return u, err
}

// FindUserByID returns a user.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*portico.User, error) {
	return findUser(ctx, (*DB)(s).read(), id)
}

// FindUserByEmail returns the user with the address.
func (s *UserService) FindUserByEmail(ctx context.Context, email string) (*portico.User, error) {
	u, err := scanUser((*DB)(s).read().queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, portico.NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, portico.Errorf(portico.ENOTFOUND, "No user has the email address %s.", portico.NormalizeEmail(email))
	}
	return u, err
}

// FindUsers returns a page of users by name.
func (s *UserService) FindUsers(ctx context.Context, f portico.UserFilter) ([]*portico.User, int, error) {
	db := (*DB)(s)
	cond, args := "", []any{}
	if f.Active != nil {
		cond, args = " WHERE active = ?", append(args, *f.Active)
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM users`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	rows, err := db.read().query(ctx, `SELECT `+userColumns+` FROM users`+cond+` ORDER BY active DESC, name, id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var us []*portico.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		us = append(us, u)
	}
	return us, total, rows.Err()
}

// CreateUser adds a user.
func (s *UserService) CreateUser(ctx context.Context, in portico.NewUser) (*portico.User, error) {
	if _, err := admin(ctx, "add users"); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash := hashPassword(in.Password)
	var u *portico.User
	err := (*DB)(s).inTx(ctx, func(tx *Tx) (err error) {
		u, err = tx.createUser(in, hash)
		return err
	})
	return u, err
}

// createUser inserts a validated user with a password hash.
func (tx *Tx) createUser(in portico.NewUser, hash string) (*portico.User, error) {
	id, err := tx.insert(tx.ctx, `INSERT INTO users (name, email, phone, role, active, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		in.Name, in.Email, in.Phone, string(in.Role), true, hash, tx.now)
	if tx.d.isUnique(err) {
		return nil, &portico.Error{Code: portico.ECONFLICT, Message: "Please correct the highlighted fields.",
			Fields: map[string]string{"email": "A user with this email address exists already."}}
	} else if err != nil {
		return nil, err
	}
	if _, err := tx.event("user.created", "user", id, map[string]string{"name": in.Name, "email": in.Email, "role": string(in.Role)}); err != nil {
		return nil, err
	}
	return findUser(tx.ctx, tx.conn, id)
}

// lockUsers makes transactions that change who is an admin take turns
// (see dialect.lockUsers).
func (tx *Tx) lockUsers() error {
	if lock := tx.d.lockUsers(); lock != "" {
		_, err := tx.exec(tx.ctx, lock)
		return err
	}
	return nil
}

// UpdateUser changes a user's role or active flag.
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd portico.UserUpdate) (*portico.User, error) {
	a, err := admin(ctx, "change users")
	if err != nil {
		return nil, err
	}
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, &portico.Error{Code: portico.EINVALID, Message: "Choose a role.", Fields: map[string]string{"role": "Choose a role."}}
	}
	var u *portico.User
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if err := tx.lockUsers(); err != nil {
			return err
		}
		old, err := findUser(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		role, active := old.Role, old.Active
		if upd.Role != nil {
			role = *upd.Role
		}
		if upd.Active != nil {
			active = *upd.Active
		}
		losesAdmin := old.Role == portico.RoleAdmin && old.Active && (role != portico.RoleAdmin || !active)
		if losesAdmin && a.Kind == portico.ActorUser && a.ID == id {
			return portico.Errorf(portico.ECONFLICT, "You can't remove your own admin access. Ask another admin.")
		}
		if losesAdmin {
			var admins int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND active = ?`, string(portico.RoleAdmin), true).Scan(&admins); err != nil {
				return err
			}
			if admins <= 1 {
				return portico.Errorf(portico.ECONFLICT, "The agency needs at least one active admin.")
			}
		}
		if _, err := tx.exec(ctx, `UPDATE users SET role = ?, active = ? WHERE id = ?`, string(role), active, id); err != nil {
			return err
		}
		if role != old.Role {
			if _, err := tx.event("user.role_changed", "user", id, map[string]string{"from": string(old.Role), "to": string(role)}); err != nil {
				return err
			}
		}
		if active != old.Active {
			action := "user.reactivated"
			if !active {
				action = "user.deactivated"
				// Their sessions end now, on every instance.
				if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
					return err
				}
			}
			if _, err := tx.event(action, "user", id, nil); err != nil {
				return err
			}
		}
		u, err = findUser(ctx, tx.conn, id)
		return err
	})
	return u, err
}

// SetPassword replaces a user's password and ends their sessions.
func (s *UserService) SetPassword(ctx context.Context, id int64, password string) error {
	if _, err := admin(ctx, "set passwords"); err != nil {
		return err
	}
	var v portico.Validation
	portico.CheckPassword(&v, "password", password)
	if err := v.Err(); err != nil {
		return err
	}
	hash := hashPassword(password)
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx.conn, id); err != nil {
			return err
		}
		return tx.setPassword(id, hash, "user.password_set")
	})
}

func (tx *Tx) setPassword(userID int64, hash, action string) error {
	if _, err := tx.exec(tx.ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
		return err
	}
	res, err := tx.exec(tx.ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	_, err = tx.event(action, "user", userID, map[string]string{"sessions_ended": strconv.FormatInt(n, 10)})
	return err
}
