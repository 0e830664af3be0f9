package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestHousekeep(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		ctx := context.Background()

		// Day 1: an old failed sign-in, a session that will idle out, a
		// session that is kept in use, a reset link nobody uses.
		_, _, err := auth.SignIn(fromIP("203.0.113.9"), testkit.AdminEmail, "wrong password")
		wantCode(t, err, portico.EUNAUTHORIZED)
		idle, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		used, _, err := auth.SignIn(fromIP("198.51.100.2"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		requestReset(t, db, adm, testkit.AdminEmail)
		if n := count(t, db, `SELECT COUNT(*) FROM signin_attempts`); n != 3 {
			t.Fatalf("%d sign-in attempts, want 3", n)
		}

		for range 3 {
			clock.Advance(10 * time.Hour)
			_, _, err = auth.Authenticate(ctx, used)
			ok(t, err)
		}
		// Day 2, 30 hours later: a fresh failure and a fresh reset link.
		_, _, err = auth.SignIn(fromIP("203.0.113.9"), testkit.AdminEmail, "wrong password")
		wantCode(t, err, portico.EUNAUTHORIZED)
		fresh := requestReset(t, db, adm, testkit.AdminEmail)

		ok(t, db.Housekeep(ctx))

		if n := count(t, db, `SELECT COUNT(*) FROM sessions`); n != 1 {
			t.Fatalf("%d sessions after housekeeping, want 1 (the one in use)", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, sqlstore.HashToken(used)); n != 1 {
			t.Fatal("the session in use was deleted")
		}
		_, _, err = auth.Authenticate(ctx, idle)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.Authenticate(ctx, used)
		ok(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM signin_attempts`); n != 1 {
			t.Fatalf("%d sign-in attempts after housekeeping, want the 1 from today", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM password_resets`); n != 1 {
			t.Fatalf("%d reset links after housekeeping, want the fresh one", n)
		}
		_, err = auth.CheckPasswordReset(ctx, fresh)
		ok(t, err)

		// The history stays: events are never housekept.
		if n := len(events(t, db, "user.signed_in")); n != 2 {
			t.Fatalf("%d signed_in events after housekeeping, want 2", n)
		}

		// Absolute expiry: the session in use ends on day 15 and is deleted.
		for clock.Now().Before(testkit.NewClock().Now().Add(portico.SessionMaxAge)) {
			clock.Advance(10 * time.Hour)
			_, _, _ = auth.Authenticate(ctx, used)
		}
		ok(t, db.Housekeep(ctx))
		if n := count(t, db, `SELECT COUNT(*) FROM sessions`); n != 0 {
			t.Fatalf("%d sessions past their absolute expiry", n)
		}
	})
}

func TestHousekeepSetupTokens(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		old, err := db.Services().Agency.SetupToken(ctx)
		ok(t, err)
		clock.Advance(6 * 24 * time.Hour)
		recent, err := db.Services().Agency.SetupToken(ctx)
		ok(t, err)
		clock.Advance(24*time.Hour + time.Second)
		ok(t, db.Housekeep(ctx))
		if n := count(t, db, `SELECT COUNT(*) FROM setup_tokens`); n != 1 {
			t.Fatalf("%d setup tokens, want 1", n)
		}
		_, err = db.Services().Agency.CompleteSetup(ctx, old, validSetup())
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = db.Services().Agency.CompleteSetup(ctx, recent, validSetup())
		ok(t, err)
	})
}
