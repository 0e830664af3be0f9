package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func validSetup() portico.Setup {
	return portico.Setup{
		AgencyName: "  Harbour Recruitment ", TimeZone: "Europe/London",
		AdminName: " Ada Admin ", AdminEmail: " Ada@Agency.TEST ", Password: testkit.Password,
	}
}

func TestSetup(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		svc := db.Services()

		_, err := svc.Agency.Agency(ctx)
		wantCode(t, err, portico.ENOTFOUND)

		token, err := svc.Agency.SetupToken(ctx)
		ok(t, err)
		if token == "" {
			t.Fatal("empty setup token")
		}
		u, err := svc.Agency.CompleteSetup(ctx, token, validSetup())
		ok(t, err)
		if u.ID == 0 || u.Name != "Ada Admin" || u.Email != "ada@agency.test" || u.Role != portico.RoleAdmin || !u.Active {
			t.Fatalf("admin = %+v", u)
		}
		if !u.CreatedAt.Equal(clock.Now()) {
			t.Errorf("admin created at %v, want %v", u.CreatedAt, clock.Now())
		}

		a, err := svc.Agency.Agency(ctx)
		ok(t, err)
		if a.Name != "Harbour Recruitment" || a.TimeZone != "Europe/London" || !a.CreatedAt.Equal(clock.Now()) {
			t.Fatalf("agency = %+v", a)
		}
		if a.Location().String() != "Europe/London" {
			t.Errorf("agency location = %v", a.Location())
		}

		created := events(t, db, "agency.created")
		if len(created) != 1 || created[0].SubjectType != "agency" || created[0].SubjectID != a.ID ||
			created[0].ActorKind != portico.ActorSystem || created[0].Details["name"] != "Harbour Recruitment" {
			t.Fatalf("agency.created events = %+v", created)
		}
		users := events(t, db, "user.created")
		if len(users) != 1 || users[0].SubjectType != "user" || users[0].SubjectID != u.ID ||
			users[0].Details["email"] != "ada@agency.test" || users[0].Details["role"] != "admin" {
			t.Fatalf("user.created events = %+v", users)
		}

		// The admin can sign in with the password chosen at setup.
		if _, _, err := svc.Auth.SignIn(fromIP("198.51.100.1"), "ada@agency.test", testkit.Password); err != nil {
			t.Fatalf("admin can't sign in after setup: %v", err)
		}

		// Once set up, there's no way to do it again.
		_, err = svc.Agency.SetupToken(ctx)
		wantCode(t, err, portico.ECONFLICT)
		_, err = svc.Agency.CompleteSetup(ctx, token, validSetup())
		wantCode(t, err, portico.ECONFLICT)
		if n := count(t, db, `SELECT COUNT(*) FROM agency`); n != 1 {
			t.Fatalf("%d agency rows, want 1", n)
		}
	})
}

func TestSetupSecondTokenAfterSetup(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		svc := db.Services()
		first, err := svc.Agency.SetupToken(ctx)
		ok(t, err)
		second, err := svc.Agency.SetupToken(ctx)
		ok(t, err)
		if first == second {
			t.Fatal("two setup tokens are the same")
		}
		_, err = svc.Agency.CompleteSetup(ctx, second, validSetup())
		ok(t, err)
		// The other token was issued before setup, but setup is done.
		s := validSetup()
		s.AdminEmail = "eve@agency.test"
		_, err = svc.Agency.CompleteSetup(ctx, first, s)
		wantCode(t, err, portico.ECONFLICT)
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Fatalf("%d users, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM setup_tokens`); n != 0 {
			t.Fatalf("%d setup tokens left after setup, want 0", n)
		}
	})
}

func TestSetupWrongToken(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		svc := db.Services()
		token, err := svc.Agency.SetupToken(ctx)
		ok(t, err)
		for _, wrong := range []string{"", "not-the-token", token + "x", token[:len(token)-1]} {
			_, err = svc.Agency.CompleteSetup(ctx, wrong, validSetup())
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		assertNotSetUp(t, db)
		// The real token still works.
		_, err = svc.Agency.CompleteSetup(ctx, token, validSetup())
		ok(t, err)
	})
}

func TestSetupInvalid(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		svc := db.Services()
		token, err := svc.Agency.SetupToken(ctx)
		ok(t, err)
		_, err = svc.Agency.CompleteSetup(ctx, token, portico.Setup{
			AgencyName: "   ", TimeZone: "Mars/Olympus_Mons", AdminName: "", AdminEmail: "ada@", Password: "short",
		})
		wantCode(t, err, portico.EINVALID)
		fields := portico.ErrorFields(err)
		for _, f := range []string{"agency_name", "time_zone", "name", "email", "password"} {
			if fields[f] == "" {
				t.Errorf("no message for field %q; fields = %v", f, fields)
			}
		}
		if fields["password"] != "Use at least 10 characters." {
			t.Errorf("password message = %q", fields["password"])
		}

		// An empty time zone is not UTC by default: it must be chosen.
		s := validSetup()
		s.TimeZone = ""
		_, err = svc.Agency.CompleteSetup(ctx, token, s)
		wantCode(t, err, portico.EINVALID)
		if fields := portico.ErrorFields(err); len(fields) != 1 || fields["time_zone"] == "" {
			t.Errorf("fields = %v, want only time_zone", fields)
		}

		assertNotSetUp(t, db)
		_, err = svc.Agency.CompleteSetup(ctx, token, validSetup())
		ok(t, err)
	})
}

// TestSetupAtomic makes setup fail after the agency row is written (the
// admin's email is taken by a user added from the command line) and checks
// that nothing of it stays: no agency, no admin, no events, and the token
// still works.
func TestSetupAtomic(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		svc := db.Services()
		token, err := svc.Agency.SetupToken(ctx)
		ok(t, err)
		testkit.AddUser(t, db, "Early Bird", "ada@agency.test", portico.RoleRecruiter)
		before := count(t, db, `SELECT COUNT(*) FROM events`)

		_, err = svc.Agency.CompleteSetup(ctx, token, validSetup())
		wantCode(t, err, portico.ECONFLICT)
		if portico.ErrorFields(err)["email"] == "" {
			t.Errorf("conflict names no email field: %v", portico.ErrorFields(err))
		}
		assertNotSetUp(t, db)
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Fatalf("%d users after failed setup, want the 1 added before", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM events`); n != before {
			t.Fatalf("failed setup left %d events", n-before)
		}

		s := validSetup()
		s.AdminEmail = "ada.admin@agency.test"
		u, err := svc.Agency.CompleteSetup(ctx, token, s)
		ok(t, err)
		if u.Email != "ada.admin@agency.test" {
			t.Fatalf("admin email %q", u.Email)
		}
	})
}

func assertNotSetUp(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	_, err := db.Services().Agency.Agency(context.Background())
	wantCode(t, err, portico.ENOTFOUND)
	if n := count(t, db, `SELECT COUNT(*) FROM agency`); n != 0 {
		t.Fatalf("%d agency rows, want 0", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM users WHERE role = 'admin'`); n != 0 {
		t.Fatalf("%d admins, want 0", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM events WHERE action = 'agency.created'`); n != 0 {
		t.Fatalf("%d agency.created events, want 0", n)
	}
}

func TestSetupTokenStoredHashed(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		token, err := db.Services().Agency.SetupToken(context.Background())
		ok(t, err)
		hashes := column(t, db, `SELECT token_hash FROM setup_tokens`)
		if len(hashes) != 1 || hashes[0] != sqlstore.HashToken(token) || hashes[0] == token {
			t.Fatalf("stored %v for token %q", hashes, token)
		}
	})
}

// TestSetupConcurrent submits the setup form from two browsers at once
// (each with its own link): the agency is set up exactly once.
func TestSetupConcurrent(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		const browsers = 3
		tokens := make([]string, browsers)
		for i := range tokens {
			var err error
			tokens[i], err = db.Services().Agency.SetupToken(ctx)
			ok(t, err)
		}
		errs := make([]error, browsers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range browsers {
			wg.Go(func() {
				<-start
				s := validSetup()
				s.AdminEmail = fmt.Sprintf("admin%d@agency.test", i)
				_, errs[i] = db.Services().Agency.CompleteSetup(ctx, tokens[i], s)
			})
		}
		close(start)
		wg.Wait()
		succeeded := 0
		for i, err := range errs {
			switch portico.ErrorCode(err) {
			case "":
				succeeded++
			case portico.ECONFLICT, portico.EUNAUTHORIZED:
			default:
				t.Errorf("browser %d: %v", i, err)
			}
		}
		if succeeded != 1 {
			t.Fatalf("%d setups succeeded, want 1: %v", succeeded, errs)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM agency`); n != 1 {
			t.Fatalf("%d agency rows", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Fatalf("%d users", n)
		}
	})
}
