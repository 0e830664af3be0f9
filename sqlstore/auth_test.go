package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestSignIn(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		clock.Advance(time.Hour)
		ctx := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorSystem, IP: "198.51.100.7", UserAgent: "Firefox/140"})
		token, u, err := auth.SignIn(ctx, "  ADA@agency.test ", testkit.Password)
		ok(t, err)
		if token == "" || u == nil || u.ID != adm.ID {
			t.Fatalf("SignIn = %q, %+v", token, u)
		}
		if u.LastSignInAt == nil || !u.LastSignInAt.Equal(clock.Now()) {
			t.Fatalf("returned user's last sign-in = %v, want %v", u.LastSignInAt, clock.Now())
		}
		stored, err := db.Services().Users.FindUserByID(context.Background(), adm.ID)
		ok(t, err)
		if stored.LastSignInAt == nil || !stored.LastSignInAt.Equal(clock.Now()) {
			t.Fatalf("stored last sign-in = %v, want %v", stored.LastSignInAt, clock.Now())
		}

		got, sess, err := auth.Authenticate(context.Background(), token)
		ok(t, err)
		if got.ID != adm.ID || sess.UserID != adm.ID || sess.IP != "198.51.100.7" || sess.UserAgent != "Firefox/140" ||
			!sess.CreatedAt.Equal(clock.Now()) || !sess.ExpiresAt.Equal(clock.Now().Add(portico.SessionMaxAge)) {
			t.Fatalf("Authenticate = %+v, %+v", got, sess)
		}

		evs := events(t, db, "user.signed_in")
		if len(evs) != 1 {
			t.Fatalf("%d signed_in events", len(evs))
		}
		ev := evs[0]
		if ev.SubjectType != "user" || ev.SubjectID != adm.ID || ev.ActorKind != portico.ActorUser || ev.ActorID != adm.ID ||
			ev.ActorName != adm.Name || ev.IP != "198.51.100.7" || ev.UserAgent != "Firefox/140" || !ev.At.Equal(clock.Now()) {
			t.Fatalf("signed_in event = %+v", ev)
		}

		// Each sign-in is a new session with its own token.
		token2, _, err := auth.SignIn(ctx, testkit.AdminEmail, testkit.Password)
		ok(t, err)
		if token2 == token {
			t.Fatal("two sign-ins got the same token")
		}
		_, _, err = auth.Authenticate(context.Background(), token)
		ok(t, err)
	})
}

func TestSignInWrongCredentials(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		ctx := fromIP("198.51.100.7")
		_, _, wrongPassword := auth.SignIn(ctx, testkit.AdminEmail, "not the password")
		wantCode(t, wrongPassword, portico.EUNAUTHORIZED)
		_, _, unknownEmail := auth.SignIn(ctx, "nobody@agency.test", testkit.Password)
		wantCode(t, unknownEmail, portico.EUNAUTHORIZED)
		if portico.ErrorMessage(wrongPassword) != portico.ErrorMessage(unknownEmail) {
			t.Fatalf("messages differ, which tells accounts apart:\n%q\n%q", portico.ErrorMessage(wrongPassword), portico.ErrorMessage(unknownEmail))
		}
		for _, c := range [][2]string{{"", testkit.Password}, {testkit.AdminEmail, ""}, {testkit.AdminEmail, testkit.Password + "x"},
			{strings.Repeat("a", 20000) + "@agency.test", testkit.Password}} {
			_, _, err := auth.SignIn(ctx, c[0], c[1])
			wantCode(t, err, portico.EUNAUTHORIZED)
			if portico.ErrorMessage(err) != portico.ErrorMessage(unknownEmail) {
				t.Errorf("%q/%q: message %q", c[0], c[1], portico.ErrorMessage(err))
			}
		}
		// A failure for a known account is in its history; no session started.
		failed := events(t, db, "user.sign_in_failed")
		if len(failed) != 2 || failed[0].SubjectID != adm.ID || failed[0].IP != "198.51.100.7" {
			t.Fatalf("sign_in_failed events = %+v", failed)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions`); n != 0 {
			t.Fatalf("%d sessions after failed sign-ins", n)
		}
		u, err := db.Services().Users.FindUserByID(context.Background(), adm.ID)
		ok(t, err)
		if u.LastSignInAt != nil {
			t.Fatalf("last sign-in recorded for a failure: %v", u.LastSignInAt)
		}
	})
}

func TestSignInThrottleAccount(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		for i := range portico.SignInFailuresAccount {
			_, _, err := auth.SignIn(fromIP(fmt.Sprintf("198.51.100.%d", i+1)), testkit.AdminEmail, "wrong password")
			wantCode(t, err, portico.EUNAUTHORIZED)
			clock.Advance(time.Minute)
		}
		// Locked: even the right password, from a fresh address, is refused.
		for _, ip := range []string{"198.51.100.1", "203.0.113.99", ""} {
			_, _, err := auth.SignIn(fromIP(ip), testkit.AdminEmail, testkit.Password)
			wantCode(t, err, portico.ETOOMANY)
		}
		// Other accounts are not affected.
		testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		_, _, err := auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		ok(t, err)

		// The first failure was at 09:00, the fifth at 09:04. The lock holds
		// until the window has moved past enough of them.
		clock.Set(testkit.NewClock().Now().Add(portico.SignInWindow - time.Second))
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		wantCode(t, err, portico.ETOOMANY)
		clock.Set(testkit.NewClock().Now().Add(portico.SignInWindow + time.Second))
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
	})
}

func TestSignInSuccessResetsAccountCount(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		fail := func() {
			t.Helper()
			clock.Advance(time.Second)
			_, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, "wrong password")
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		for range portico.SignInFailuresAccount - 1 {
			fail()
		}
		clock.Advance(time.Second)
		_, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		for range portico.SignInFailuresAccount - 1 {
			fail()
		}
		// Four failures since the success: still allowed.
		clock.Advance(time.Second)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		for range portico.SignInFailuresAccount {
			fail()
		}
		// Five since the last success: locked.
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		wantCode(t, err, portico.ETOOMANY)
	})
}

func TestSignInThrottleAddress(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		attacker := fromIP("203.0.113.66")
		for i := range portico.SignInFailuresAddress {
			_, _, err := auth.SignIn(attacker, fmt.Sprintf("guess%d@agency.test", i), "password123")
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		_, _, err := auth.SignIn(attacker, "another-guess@agency.test", "password123")
		wantCode(t, err, portico.ETOOMANY)
		// Even a right password from that address waits.
		_, _, err = auth.SignIn(attacker, testkit.AdminEmail, testkit.Password)
		wantCode(t, err, portico.ETOOMANY)
		// Someone else, elsewhere, signs in as usual.
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		// The address is let in again once the window has passed.
		clock.Advance(portico.SignInWindow + time.Second)
		_, _, err = auth.SignIn(attacker, testkit.AdminEmail, testkit.Password)
		ok(t, err)
	})
}

func TestSessionIdleExpiry(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		token, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		clock.Advance(portico.SessionIdle - time.Minute)
		_, sess, err := auth.Authenticate(context.Background(), token)
		ok(t, err)
		if !sess.LastSeenAt.Equal(clock.Now()) {
			t.Fatalf("last seen %v, want %v (extended by use)", sess.LastSeenAt, clock.Now())
		}
		// Used just now, so another 11h59m is fine although it is 24h since sign-in.
		clock.Advance(portico.SessionIdle - time.Minute)
		_, _, err = auth.Authenticate(context.Background(), token)
		ok(t, err)
		clock.Advance(portico.SessionIdle + time.Second)
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		// Going back in time does not revive it: it stays ended once
		// housekeeping ran.
		ok(t, db.Housekeep(context.Background()))
		clock.Advance(-time.Hour)
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		signedIn := clock.Now()
		token, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		// Use it every 11 hours: it never idles out, but it still ends 14 days after sign-in.
		for clock.Now().Add(11 * time.Hour).Before(signedIn.Add(portico.SessionMaxAge)) {
			clock.Advance(11 * time.Hour)
			if _, _, err := auth.Authenticate(context.Background(), token); err != nil {
				t.Fatalf("%v after sign-in: %v", clock.Now().Sub(signedIn), err)
			}
		}
		clock.Set(signedIn.Add(portico.SessionMaxAge - time.Second))
		_, _, err = auth.Authenticate(context.Background(), token)
		ok(t, err)
		clock.Set(signedIn.Add(portico.SessionMaxAge))
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestAuthenticateUnknownToken(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		token, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		for _, bad := range []string{"", "nonsense", token + "A", sqlstore.HashToken(token)} {
			_, _, err := auth.Authenticate(context.Background(), bad)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
	})
}

func TestSignOut(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		token, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		other, _, err := auth.SignIn(fromIP("198.51.100.2"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		ok(t, auth.SignOut(testkit.AsUser(adm), token))
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		// Only that session ended.
		_, _, err = auth.Authenticate(context.Background(), other)
		ok(t, err)
		evs := events(t, db, "user.signed_out")
		if len(evs) != 1 || evs[0].SubjectID != adm.ID {
			t.Fatalf("signed_out events = %+v", evs)
		}
		// Unknown or already ended tokens are ignored.
		ok(t, auth.SignOut(context.Background(), token))
		ok(t, auth.SignOut(context.Background(), "never-issued"))
		ok(t, auth.SignOut(context.Background(), ""))
		if n := len(events(t, db, "user.signed_out")); n != 1 {
			t.Fatalf("%d signed_out events, want 1", n)
		}
	})
}

// TestSessionTokensStoredHashed looks at the sessions table directly: a
// copy of the database must not hold a usable token.
func TestSessionTokensStoredHashed(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		testkit.SetUp(t, db)
		auth := db.Services().Auth
		var tokens []string
		for range 3 {
			token, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
			ok(t, err)
			tokens = append(tokens, token)
		}
		stored := column(t, db, `SELECT token_hash FROM sessions`)
		if len(stored) != 3 {
			t.Fatalf("%d sessions stored, want 3", len(stored))
		}
		for _, token := range tokens {
			if len(token) < 20 {
				t.Errorf("token %q is too short to be unguessable", token)
			}
			if slices.Contains(stored, token) {
				t.Fatalf("token %q stored as is", token)
			}
			if !slices.Contains(stored, sqlstore.HashToken(token)) {
				t.Fatalf("no SHA-256 hash of token %q in %v", token, stored)
			}
		}
		// No other column holds it either.
		for _, token := range tokens {
			n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE token_hash = ? OR ip = ? OR user_agent = ?`, token, token, token)
			if n != 0 {
				t.Fatalf("token %q found in sessions", token)
			}
		}
	})
}
