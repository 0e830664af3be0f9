package portico

import (
	"context"
	"time"
)

// Link is a share link: a token for one contact that opens a job's tracker
// (or their whole portal) without a password. It expires after a date, a
// number of uses, or both; an agency user may revoke it. Only the token's
// hash is stored; each use is recorded.
type Link struct {
	ID          int64
	ContactID   int64
	ContactName string
	// ContactEmail is the contact's address now: where a renewal goes.
	ContactEmail string
	ClientID     int64
	JobID        int64 // 0: the contact's whole portal
	JobTitle     string
	SentTo       string // the address it was emailed to, "" when copied
	CreatedBy    int64
	CreatedName  string
	CreatedAt    time.Time
	ExpiresAt    *time.Time // nil: no date limit
	MaxUses      int        // 0: no use limit
	Uses         int
	LastUsedAt   *time.Time
	LastIP       string
	RevokedAt    *time.Time
	Status       LinkStatus // as of the store's clock
}

// LinkStatus is a link's state.
type LinkStatus string

const (
	LinkActive  LinkStatus = "active"
	LinkExpired LinkStatus = "expired"
	LinkRevoked LinkStatus = "revoked"
)

// Label is the status as people read it.
func (s LinkStatus) Label() string {
	switch s {
	case LinkActive:
		return "Active"
	case LinkExpired:
		return "Expired"
	case LinkRevoked:
		return "Revoked"
	}
	return string(s)
}

// LinkUse is one opening of a link.
type LinkUse struct {
	At        time.Time
	IP        string
	UserAgent string
}

// LinkInput is the "Share job tracker" form.
type LinkInput struct {
	JobID      int64   // 0: the whole portal (then ClientID says whose)
	ClientID   int64   // needed when JobID is 0
	ContactIDs []int64 // the client's contacts to send to
	// Other addresses: each becomes a contact of the client (or finds the
	// one with that address), so what they do is attributed to them.
	Emails  []string
	Message string // the editable message of the email
	Send    bool   // email each person their link; false: just create (copy link)
	// Expiry; both 0 means the portal settings' defaults.
	Days int
	Uses int
}

// NewLink is a created link with its token, shown once (to copy it).
type NewLink struct {
	Link  *Link
	Token string
}

// LinkFilter selects links.
type LinkFilter struct {
	ContactID int64
	JobID     int64
	ClientID  int64 // links to the client's contacts (links have no client of their own)
	// WholePortal keeps the links that open a contact's whole portal
	// rather than one job's tracker.
	WholePortal bool
	Offset      int
	Limit       int
}

// LinkVisit is who a link signs in: the contact, the scope, and the
// portal session the browser keeps while the link lasts.
type LinkVisit struct {
	Link         *Link
	Contact      *Contact
	SessionToken string
}

// LinkService creates, lists, revokes and opens share links. Creating and
// revoking is for agency users; opening is for anyone holding a token.
type LinkService interface {
	// CreateLinks makes one link per person (contacts and other addresses)
	// and, with Send, emails each their own. EINVALID: no one chosen, a
	// contact of another client, a bad address, bad expiry.
	CreateLinks(ctx context.Context, in LinkInput) ([]NewLink, error)
	FindLinks(ctx context.Context, f LinkFilter) ([]*Link, int, error)
	// LinkUses returns a link's uses, newest first.
	LinkUses(ctx context.Context, linkID int64) ([]LinkUse, error)
	// RevokeLink ends a link at once, with the sessions it opened.
	RevokeLink(ctx context.Context, linkID int64) error

	// CheckLink returns the link of a token and its status, for the page a
	// GET shows (nothing is counted). ENOTFOUND for an unknown token.
	CheckLink(ctx context.Context, token string) (*Link, error)
	// OpenLink uses the link (a POST): it records the use (time, IP,
	// browser from the actor in ctx) and starts a portal session scoped
	// to the link. EFORBIDDEN when expired or revoked, with the link's
	// status in the message; ENOTFOUND when unknown.
	OpenLink(ctx context.Context, token string) (*LinkVisit, error)
	// RenewLink emails the link's contact a fresh link like it (same job,
	// the settings' expiry) at the address on file; it says nothing about
	// whether the token was known. For an expired or revoked link page.
	RenewLink(ctx context.Context, token string) error
}
