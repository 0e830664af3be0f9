package portico

import (
	"context"
	"strings"
	"time"
)

// ClientStatus says whether the agency is working with a client.
type ClientStatus string

const (
	ClientActive   ClientStatus = "active"
	ClientInactive ClientStatus = "inactive"
)

// Label is the status as people read it.
func (s ClientStatus) Label() string {
	if s == ClientInactive {
		return "Inactive"
	}
	return "Active"
}

// Client is a company the agency recruits for.
type Client struct {
	ID        int64
	Name      string
	Status    ClientStatus
	OwnerID   int64 // the agency user who looks after the client; 0 for none
	OwnerName string
	Website   string
	Phone     string
	Notes     string // internal: never shown on the portal
	PortalKey string // names the client's branded portal sign-in page
	CreatedAt time.Time
	UpdatedAt time.Time

	OpenJobs int // filled by lists
}

// ClientInput is what the client form edits.
type ClientInput struct {
	Name    string
	Status  ClientStatus
	OwnerID int64
	Website string
	Phone   string
	Notes   string
}

// Validate checks and normalises the input.
func (in *ClientInput) Validate() error {
	in.Name, in.Website, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Website), strings.TrimSpace(in.Phone)
	if in.Status == "" {
		in.Status = ClientActive
	}
	v := Validation{}
	v.Check(in.Name != "", "name", "Enter the company's name.")
	v.Check(len(in.Name) <= 200, "name", "Keep the name under 200 characters.")
	v.Check(in.Status == ClientActive || in.Status == ClientInactive, "status", "Choose active or inactive.")
	v.Check(len(in.Website) <= 300, "website", "Keep the website under 300 characters.")
	v.Check(len(in.Phone) <= 50, "phone", "Keep the phone number under 50 characters.")
	v.Check(len(in.Notes) <= 10000, "notes", "Keep the notes under 10,000 characters.")
	return v.Err()
}

// PortalStatus is where a contact's portal account stands.
type PortalStatus string

const (
	PortalNotRegistered PortalStatus = "not_registered"
	PortalPending       PortalStatus = "pending"   // invited, not yet signed in
	PortalConnected     PortalStatus = "connected" // has signed in
	PortalDisabled      PortalStatus = "disabled"
)

// Label is the status as people read it.
func (s PortalStatus) Label() string {
	switch s {
	case PortalPending:
		return "Pending activation"
	case PortalConnected:
		return "Connected"
	case PortalDisabled:
		return "Disabled"
	}
	return "Not registered"
}

// Contact is a person at a client: a hiring manager, usually, who may use
// the portal.
type Contact struct {
	ID           int64
	ClientID     int64
	ClientName   string
	Name         string
	Title        string
	Email        string
	Phone        string
	PortalStatus PortalStatus
	WeeklyReport bool // wants the weekly report email
	CreatedAt    time.Time
}

// ContactInput is what the contact form edits.
type ContactInput struct {
	Name  string
	Title string
	Email string
	Phone string
}

// Validate checks and normalises the input.
func (in *ContactInput) Validate() error {
	in.Name, in.Title, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title), strings.TrimSpace(in.Phone)
	in.Email = NormalizeEmail(in.Email)
	v := Validation{}
	v.Check(in.Name != "", "name", "Enter the contact's name.")
	v.Check(len(in.Name) <= 200, "name", "Keep the name under 200 characters.")
	v.Check(len(in.Title) <= 200, "title", "Keep the title under 200 characters.")
	v.Check(in.Email == "" || ValidEmail(in.Email), "email", "Enter an email address like name@example.com, or leave it empty.")
	v.Check(len(in.Phone) <= 50, "phone", "Keep the phone number under 50 characters.")
	return v.Err()
}

// Location is a client's site: where jobs and, for staffing, shifts are.
type Location struct {
	ID        int64
	ClientID  int64
	Name      string
	Address   string
	TimeZone  string
	CreatedAt time.Time
}

// LocationInput is what the location form edits.
type LocationInput struct {
	Name     string
	Address  string
	TimeZone string
}

// Validate checks and normalises the input.
func (in *LocationInput) Validate() error {
	in.Name, in.Address, in.TimeZone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Address), strings.TrimSpace(in.TimeZone)
	v := Validation{}
	v.Check(in.Name != "", "name", "Enter a name for the location, for example Head office.")
	v.Check(len(in.Name) <= 200, "name", "Keep the name under 200 characters.")
	v.Check(len(in.Address) <= 1000, "address", "Keep the address under 1,000 characters.")
	_, err := time.LoadLocation(in.TimeZone)
	v.Check(in.TimeZone != "" && err == nil, "time_zone", "Choose a time zone, for example Europe/London.")
	return v.Err()
}

// ClientFilter selects a page of clients.
type ClientFilter struct {
	Query   string // part of the name
	Status  ClientStatus
	OwnerID int64
	Offset  int
	Limit   int
}

// ClientService keeps clients, their contacts and locations. Agency users
// only (EUNAUTHORIZED otherwise); every change writes an event.
type ClientService interface {
	FindClients(ctx context.Context, f ClientFilter) ([]*Client, int, error)
	// FindClientByID returns ENOTFOUND for an unknown ID.
	FindClientByID(ctx context.Context, id int64) (*Client, error)
	CreateClient(ctx context.Context, in ClientInput) (*Client, error)
	UpdateClient(ctx context.Context, id int64, in ClientInput) (*Client, error)

	// FindContacts returns a page of a client's contacts by name.
	FindContacts(ctx context.Context, clientID int64, offset, limit int) ([]*Contact, int, error)
	FindContactByID(ctx context.Context, id int64) (*Contact, error)
	// CreateContact adds a contact. ECONFLICT when another contact has the
	// email (it will be their portal sign-in).
	CreateContact(ctx context.Context, clientID int64, in ContactInput) (*Contact, error)
	UpdateContact(ctx context.Context, id int64, in ContactInput) (*Contact, error)

	// FindLocations returns all of a client's locations by name.
	FindLocations(ctx context.Context, clientID int64) ([]*Location, error)
	FindLocationByID(ctx context.Context, id int64) (*Location, error)
	CreateLocation(ctx context.Context, clientID int64, in LocationInput) (*Location, error)
	UpdateLocation(ctx context.Context, id int64, in LocationInput) (*Location, error)
}
