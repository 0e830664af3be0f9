package testkit

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"portico"
	"portico/mail"
	"portico/sqlstore"
)

// Clock is a settable clock for tests. It starts at a fixed, ordinary
// moment so that runs are repeatable.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at 2026-03-02 09:00 UTC (a Monday).
func NewClock() *Clock { return &Clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Backend is one database engine for a test.
type Backend struct {
	Name string // "sqlite" or "postgres"
	URL  string
}

// Backends returns the engines every store behaviour is tested on: a fresh
// SQLite file always, and a fresh PostgreSQL database when one can be had
// (otherwise that subtest is skipped, or failed under CI).
func Backends(t testing.TB) []Backend {
	t.Helper()
	return []Backend{
		{Name: "sqlite", URL: filepath.Join(t.TempDir(), "portico.db")},
		{Name: "postgres"}, // created lazily in OpenStore, so a skip lands in the subtest
	}
}

// BaseURL is the public address stores and sites use in tests.
const BaseURL = "http://portico.test"

// OpenStore opens and migrates a store on the backend, with the clock and
// the real mail composer. It is closed when the test ends.
func OpenStore(t testing.TB, b Backend, clock *Clock) *sqlstore.DB {
	t.Helper()
	url := b.URL
	if b.Name == "postgres" && url == "" {
		url = NewPostgresDatabase(t)
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatalf("open %s store: %v", b.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	if clock != nil {
		db.Now = clock.Now
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s store: %v", b.Name, err)
	}
	c, err := mail.NewComposer(BaseURL, "Portico")
	if err != nil {
		t.Fatal(err)
	}
	db.Mail = c
	return db
}

// EachStore runs fn as a subtest on every backend with a fresh store.
func EachStore(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, clock *Clock)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			clock := NewClock()
			fn(t, OpenStore(t, b, clock), clock)
		})
	}
}

// AdminEmail and Password are the fixtures' sign-in.
const (
	AdminEmail = "ada@agency.test"
	Password   = "correct-horse-battery"
)

// SetUp creates the agency and its first admin, returning the admin.
func SetUp(t testing.TB, db *sqlstore.DB) *portico.User {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	token, err := svc.Agency.SetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.Agency.CompleteSetup(ctx, token, portico.Setup{
		AgencyName: "Harbour Recruitment", TimeZone: "Europe/London",
		AdminName: "Ada Admin", AdminEmail: AdminEmail, Password: Password,
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// AsUser returns a context in which u acts, from a test address.
func AsUser(u *portico.User) context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{
		Kind: portico.ActorUser, ID: u.ID, Name: u.Name, Role: u.Role, IP: "192.0.2.10", UserAgent: "testkit",
	})
}

// AddUser creates an agency user with the fixtures' password.
func AddUser(t testing.TB, db *sqlstore.DB, name, email string, role portico.Role) *portico.User {
	t.Helper()
	u, err := db.Services().Users.CreateUser(context.Background(), portico.NewUser{Name: name, Email: email, Role: role, Password: Password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
