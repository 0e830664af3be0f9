package portico

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is an agency user's role.
type Role string

const (
	RoleAdmin     Role = "admin"     // sets up the agency, its users and the portal
	RoleRecruiter Role = "recruiter" // keeps jobs, candidates and shortlists
)

// Roles lists the roles in the order forms show them.
var Roles = []Role{RoleRecruiter, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleRecruiter }

// Label is the role's name as people read it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleRecruiter:
		return "Recruiter"
	}
	return string(r)
}

// User is a member of the agency's staff who signs in to the console.
type User struct {
	ID           int64
	Name         string
	Email        string
	Phone        string
	Role         Role
	Active       bool
	CreatedAt    time.Time
	LastSignInAt *time.Time
}

// MinPasswordLength follows NIST SP 800-63B: length over composition rules.
const MinPasswordLength = 10

// maxPasswordLength bounds the work argon2 does for one request.
const maxPasswordLength = 200

// NewUser is the input for adding an agency user.
type NewUser struct {
	Name     string
	Email    string
	Phone    string
	Role     Role
	Password string
}

// Validate checks and normalises the input.
func (u *NewUser) Validate() error {
	var v Validation
	u.check(&v)
	return v.Err()
}

func (u *NewUser) check(v *Validation) {
	u.Name = strings.TrimSpace(u.Name)
	u.Phone = strings.TrimSpace(u.Phone)
	u.Email = NormalizeEmail(u.Email)
	v.Check(u.Name != "", "name", "Enter a name.")
	v.Check(len(u.Name) <= 200, "name", "Keep the name under 200 characters.")
	v.Check(ValidEmail(u.Email), "email", "Enter an email address like name@example.com.")
	v.Check(u.Role.Valid(), "role", "Choose a role.")
	v.Check(len(u.Phone) <= 50, "phone", "Keep the phone number under 50 characters.")
	CheckPassword(v, "password", u.Password)
}

// CheckPassword records a message for field when password is too weak.
func CheckPassword(v *Validation, field, password string) {
	n := utf8.RuneCountInString(password)
	v.Check(n >= MinPasswordLength, field, "Use at least 10 characters.")
	v.Check(len(password) <= maxPasswordLength, field, "Use at most 200 characters.")
}

// NormalizeEmail trims and lower-cases an address so it compares and
// indexes the same however it was typed.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a single bare address.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// UserUpdate changes a user's role or active flag; nil leaves a field alone.
type UserUpdate struct {
	Role   *Role
	Active *bool
}

// UserFilter selects a page of users.
type UserFilter struct {
	Active *bool
	Offset int
	Limit  int
}

// UserService keeps the agency's users.
type UserService interface {
	// FindUserByID returns a user; ENOTFOUND if there is none.
	FindUserByID(ctx context.Context, id int64) (*User, error)

	// FindUserByEmail returns the user with the address; ENOTFOUND if none.
	FindUserByEmail(ctx context.Context, email string) (*User, error)

	// FindUsers returns a page of users by name, and the total.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)

	// CreateUser adds a user. Admins only (EFORBIDDEN); ECONFLICT when the
	// email is taken; EINVALID for bad input.
	CreateUser(ctx context.Context, u NewUser) (*User, error)

	// UpdateUser changes a user's role or deactivates them, which ends their
	// sessions at once. Admins only; an admin can't demote or deactivate
	// themselves, and the last active admin stays (ECONFLICT).
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)

	// SetPassword replaces a user's password and ends their sessions. For
	// the command line (system actor) and admins.
	SetPassword(ctx context.Context, id int64, password string) error
}
