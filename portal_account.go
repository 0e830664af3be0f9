package portico

import (
	"context"
	"time"
)

// Portal account lifetimes.
const (
	ActivationTTL       = 7 * 24 * time.Hour // an invitation's link
	SignInLinkTTL       = 20 * time.Minute   // an emailed one-time sign-in link
	PortalSessionMaxAge = 30 * 24 * time.Hour
	PortalSessionIdle   = 7 * 24 * time.Hour
)

// PortalAccount is a contact's portal access as the agency manages it.
type PortalAccount struct {
	ContactID   int64
	Status      PortalStatus
	AllJobs     bool    // access to all of the client's jobs, or only JobIDs
	JobIDs      []int64 // chosen jobs when not AllJobs
	InvitedAt   *time.Time
	ActivatedAt *time.Time
	LastVisitAt *time.Time
}

// PortalAccountService is the agency side of portal accounts. Agency users
// only; every change writes an event.
type PortalAccountService interface {
	FindAccount(ctx context.Context, contactID int64) (*PortalAccount, error)
	// ClientAccounts returns the accounts of a client's contacts by
	// contact ID, read together (for pages that list the contacts).
	ClientAccounts(ctx context.Context, clientID int64) (map[int64]*PortalAccount, error)
	// Invite emails the contact an activation link (a fresh one each time:
	// re-inviting ends older links) and marks them Pending activation.
	// EINVALID when the contact has no email address.
	Invite(ctx context.Context, contactID int64) error
	// Disable ends the contact's portal sessions at once and stops them
	// signing in; Invite enables them again.
	Disable(ctx context.Context, contactID int64) error
	// SetAccess gives the contact all of their client's jobs, or chosen ones
	// (which must be the client's; EINVALID otherwise).
	SetAccess(ctx context.Context, contactID int64, allJobs bool, jobIDs []int64) error
	// ContactFeedback returns a page of the feedback the contact gave,
	// newest first, and the total.
	ContactFeedback(ctx context.Context, contactID int64, offset, limit int) ([]ContactFeedback, int, error)
}

// PortalSession is a contact signed in to the portal.
type PortalSession struct {
	ID        int64
	ContactID int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// A session opened by a share link is scoped to it (and ends when the
	// link is revoked or expires by date); LinkJobID is the link's job, 0
	// for the whole portal.
	LinkID    int64
	LinkJobID int64
	// A preview: an agency user seeing the portal as the contact, read-only.
	PreviewBy int64
}

// PortalAuthService signs client contacts in and out of the portal.
type PortalAuthService interface {
	// CheckActivation reports whether an activation token can be used.
	CheckActivation(ctx context.Context, token string) (*Contact, error)
	// Activate sets the password with an activation token and signs the
	// contact in: they become Connected.
	Activate(ctx context.Context, token, password string) (sessionToken string, c *Contact, err error)
	// SignIn checks a contact's email and password (attempts limited as for
	// agency users). Disabled and never-activated contacts can't sign in.
	SignIn(ctx context.Context, email, password string) (sessionToken string, c *Contact, err error)
	// RequestSignInLink emails a one-time sign-in link to a contact who may
	// use the portal; it says nothing about whether there was one.
	RequestSignInLink(ctx context.Context, email, next string) error
	// CheckSignInLink reports whether a sign-in link can be used.
	CheckSignInLink(ctx context.Context, token string) (*Contact, error)
	// UseSignInLink signs in with a one-time link (a POST: mail scanners
	// open GET links).
	UseSignInLink(ctx context.Context, token string) (sessionToken string, c *Contact, next string, err error)
	// Authenticate returns the contact of a portal session.
	Authenticate(ctx context.Context, token string) (*Contact, *PortalSession, error)
	SignOut(ctx context.Context, token string) error
	RequestPasswordReset(ctx context.Context, email string) error
	CheckPasswordReset(ctx context.Context, token string) (*Contact, error)
	ResetPassword(ctx context.Context, token, password string) (*Contact, error)

	// StartPreview opens the portal as the contact for the agency user in
	// ctx: a short, read-only portal session (PreviewTTL), recorded as an
	// event on the contact. Agency users only.
	StartPreview(ctx context.Context, contactID int64) (sessionToken string, err error)
}

// PreviewTTL is how long a preview session lasts.
const PreviewTTL = time.Hour
