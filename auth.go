package portico

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only the SHA-256 hash of its token is
// stored, so a copy of the database can't be used to sign in.
type Session struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute expiry
	IP         string
	UserAgent  string
}

// Session lifetimes: a session ends after SessionIdle without use, and in
// any case SessionMaxAge after sign-in.
const (
	SessionIdle   = 12 * time.Hour
	SessionMaxAge = 14 * 24 * time.Hour
)

// Sign-in limits: failures counted in SignInWindow per account and per
// address; past the limit, sign-in is refused with ETOOMANY until the window
// moves on.
const (
	SignInWindow          = 15 * time.Minute
	SignInFailuresAccount = 5
	SignInFailuresAddress = 30
)

// PasswordResetTTL is how long an emailed reset link works.
const PasswordResetTTL = time.Hour

// AuthService signs agency users in and out.
type AuthService interface {
	// SignIn checks an email and password and starts a session, returning
	// its token. EUNAUTHORIZED for a wrong email or password (the same
	// message for both), ETOOMANY when attempts are over the limit.
	SignIn(ctx context.Context, email, password string) (token string, u *User, err error)

	// Authenticate returns the user and session for a session token,
	// extending its idle expiry. EUNAUTHORIZED when it is unknown, expired
	// or its user is inactive.
	Authenticate(ctx context.Context, token string) (*User, *Session, error)

	// SignOut ends the session with the token. Unknown tokens are ignored.
	SignOut(ctx context.Context, token string) error

	// RequestPasswordReset emails a single-use reset link to the user with
	// the address, if there is one. It says nothing about whether there was,
	// so it can't be used to find accounts.
	RequestPasswordReset(ctx context.Context, email string) error

	// CheckPasswordReset reports whether a reset token can still be used.
	// EUNAUTHORIZED when it is unknown, used or expired.
	CheckPasswordReset(ctx context.Context, token string) (*User, error)

	// ResetPassword sets a new password with a reset token, uses the token
	// up and ends the user's other sessions.
	ResetPassword(ctx context.Context, token, password string) (*User, error)
}
