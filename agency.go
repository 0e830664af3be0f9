package portico

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Agency is the recruitment or staffing agency that runs this Portico.
// One instance serves one agency.
type Agency struct {
	ID        int64
	Name      string
	TimeZone  string
	CreatedAt time.Time
}

// Location returns the agency's time zone, UTC when it can't be loaded.
func (a *Agency) Location() *time.Location { return LoadZone(a.TimeZone) }

// zones caches loaded time zones by name: time.LoadLocation reads and
// parses the zone file on every call, and pages format many times.
var zones sync.Map // string → *time.Location

// LoadZone returns the named time zone, UTC when it can't be loaded.
func LoadZone(name string) *time.Location {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	zones.Store(name, loc)
	return loc
}

// Setup is what the first-run page asks for: the agency and its first admin.
type Setup struct {
	AgencyName string
	TimeZone   string
	AdminName  string
	AdminEmail string
	Password   string
}

// Validate checks a setup form.
func (s *Setup) Validate() error {
	s.AgencyName = strings.TrimSpace(s.AgencyName)
	s.TimeZone = strings.TrimSpace(s.TimeZone)
	v := Validation{}
	v.Check(s.AgencyName != "", "agency_name", "Enter the agency's name.")
	v.Check(len(s.AgencyName) <= 200, "agency_name", "Keep the name under 200 characters.")
	_, err := time.LoadLocation(s.TimeZone)
	v.Check(s.TimeZone != "" && err == nil, "time_zone", "Choose a time zone, for example Europe/London.")
	nu := NewUser{Name: s.AdminName, Email: s.AdminEmail, Password: s.Password, Role: RoleAdmin}
	nu.check(&v)
	s.AdminName, s.AdminEmail = nu.Name, nu.Email
	return v.Err()
}

// AgencyService keeps the agency record.
type AgencyService interface {
	// Agency returns the agency, or ENOTFOUND before setup.
	Agency(ctx context.Context) (*Agency, error)

	// SetupToken makes a new one-time setup token while no agency exists
	// (ECONFLICT after setup). Only its hash is stored.
	SetupToken(ctx context.Context) (string, error)

	// CompleteSetup creates the agency and its first admin, using the
	// setup token. EUNAUTHORIZED for a wrong or used token, ECONFLICT when
	// set up already, EINVALID for bad input.
	CompleteSetup(ctx context.Context, token string, s Setup) (*User, error)
}
