package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestRequestPasswordReset(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		woken := 0
		db.OnEnqueue(func() { woken++ })

		ok(t, db.Services().Auth.RequestPasswordReset(fromIP("203.0.113.5"), "  Ada@Agency.TEST "))
		ms := messages(t, db, adm)
		if len(ms) != 1 {
			t.Fatalf("%d messages queued, want 1", len(ms))
		}
		m := ms[0]
		if m.Kind != portico.MessageEmail || m.Status != portico.MessagePending || m.Attempts != 0 ||
			!m.NextAttemptAt.Equal(clock.Now()) || !m.CreatedAt.Equal(clock.Now()) || m.SentAt != nil {
			t.Fatalf("message = %+v", m)
		}
		if !slices.Equal(m.Email.To, []string{testkit.AdminEmail}) || m.Email.Subject != "Reset your Portico password" {
			t.Fatalf("email = %+v", m.Email)
		}
		if !strings.Contains(m.Email.Text, "Hello Ada Admin,") || !strings.Contains(m.Email.Text, "within 60 minutes") {
			t.Errorf("email text:\n%s", m.Email.Text)
		}
		token := resetToken(t, m)
		if woken != 1 {
			t.Errorf("OnEnqueue called %d times, want 1", woken)
		}

		// The message points at the event that caused it.
		evs := events(t, db, "user.password_reset_requested")
		if len(evs) != 1 || evs[0].SubjectID != adm.ID || evs[0].IP != "203.0.113.5" || m.EventID != evs[0].ID {
			t.Fatalf("event %+v, message event %d", evs, m.EventID)
		}
		byID, err := db.Services().Outbox.FindMessageByID(admin(adm), m.ID)
		ok(t, err)
		if byID.Email.Text != m.Email.Text || byID.EventID != m.EventID {
			t.Fatalf("FindMessageByID = %+v", byID)
		}

		// The link's token is stored only as a hash.
		stored := column(t, db, `SELECT token_hash FROM password_resets`)
		if len(stored) != 1 || stored[0] != sqlstore.HashToken(token) {
			t.Fatalf("stored %v for token %q", stored, token)
		}

		u, err := db.Services().Auth.CheckPasswordReset(context.Background(), token)
		ok(t, err)
		if u.ID != adm.ID {
			t.Fatalf("CheckPasswordReset user %d, want %d", u.ID, adm.ID)
		}
	})
}

func TestRequestPasswordResetSaysNothing(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		_, err := db.Services().Users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		woken := 0
		db.OnEnqueue(func() { woken++ })
		auth := db.Services().Auth

		ok(t, auth.RequestPasswordReset(fromIP("203.0.113.5"), "nobody@agency.test"))
		ok(t, auth.RequestPasswordReset(fromIP("203.0.113.5"), "rita@agency.test"))
		if ms := messages(t, db, adm); len(ms) != 0 {
			t.Fatalf("%d messages queued for unknown or inactive addresses", len(ms))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM password_resets`); n != 0 {
			t.Fatalf("%d reset links made", n)
		}
		if woken != 0 {
			t.Fatalf("OnEnqueue called %d times with nothing queued", woken)
		}

		for _, bad := range []string{"", "not an email", "ada@", "Ada <ada@agency.test>"} {
			err := auth.RequestPasswordReset(fromIP("203.0.113.5"), bad)
			wantCode(t, err, portico.EINVALID)
			if portico.ErrorFields(err)["email"] == "" {
				t.Errorf("%q: no email message: %v", bad, portico.ErrorFields(err))
			}
		}
	})
}

func TestResetPassword(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		auth := db.Services().Auth
		session, _, err := auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		ok(t, err)
		token := requestReset(t, db, adm, "rita@agency.test")
		clock.Advance(10 * time.Minute)

		u, err := auth.ResetPassword(fromIP("198.51.100.1"), token, "my new secret passphrase")
		ok(t, err)
		if u.ID != rec.ID {
			t.Fatalf("reset user %d, want %d", u.ID, rec.ID)
		}
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", "my new secret passphrase")
		ok(t, err)
		// The session from before the reset is over.
		_, _, err = auth.Authenticate(context.Background(), session)
		wantCode(t, err, portico.EUNAUTHORIZED)

		// The link works once.
		_, err = auth.CheckPasswordReset(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = auth.ResetPassword(fromIP("198.51.100.1"), token, "an attacker's password")
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", "my new secret passphrase")
		ok(t, err)

		evs := events(t, db, "user.password_reset")
		if len(evs) != 1 || evs[0].SubjectID != rec.ID || evs[0].Details["sessions_ended"] != "1" || evs[0].IP != "198.51.100.1" {
			t.Fatalf("password_reset events = %+v", evs)
		}
	})
}

func TestResetPasswordUsesUpEveryLink(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		first := requestReset(t, db, adm, testkit.AdminEmail)
		clock.Advance(time.Minute)
		second := requestReset(t, db, adm, testkit.AdminEmail)
		if first == second {
			t.Fatal("two requests got the same link")
		}
		_, err := auth.ResetPassword(context.Background(), second, "my new secret passphrase")
		ok(t, err)
		_, err = auth.CheckPasswordReset(context.Background(), first)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestResetPasswordExpired(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		token := requestReset(t, db, adm, testkit.AdminEmail)
		clock.Advance(59 * time.Minute)
		_, err := auth.CheckPasswordReset(context.Background(), token)
		ok(t, err)
		clock.Advance(2 * time.Minute) // 61 minutes
		_, err = auth.CheckPasswordReset(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = auth.ResetPassword(context.Background(), token, "my new secret passphrase")
		wantCode(t, err, portico.EUNAUTHORIZED)
		// The password is unchanged.
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
	})
}

func TestResetPasswordWeak(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		auth := db.Services().Auth
		session, _, err := auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		token := requestReset(t, db, adm, testkit.AdminEmail)
		_, err = auth.ResetPassword(context.Background(), token, "short")
		wantCode(t, err, portico.EINVALID)
		if portico.ErrorFields(err)["password"] != "Use at least 10 characters." {
			t.Fatalf("fields = %v", portico.ErrorFields(err))
		}
		// Nothing happened: the link still works, the session still holds.
		_, err = auth.CheckPasswordReset(context.Background(), token)
		ok(t, err)
		_, _, err = auth.Authenticate(context.Background(), session)
		ok(t, err)
		_, err = auth.ResetPassword(context.Background(), token, "now a proper passphrase")
		ok(t, err)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, "now a proper passphrase")
		ok(t, err)
	})
}

func TestResetPasswordBadTokens(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		auth := db.Services().Auth
		token := requestReset(t, db, adm, "rita@agency.test")
		for _, bad := range []string{"", "nonsense", strings.ToLower(token), sqlstore.HashToken(token)} {
			_, err := auth.CheckPasswordReset(context.Background(), bad)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		// A link for a user who has since been deactivated does nothing.
		_, err := db.Services().Users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		_, err = auth.CheckPasswordReset(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = auth.ResetPassword(context.Background(), token, "my new secret passphrase")
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

// TestResetPasswordConcurrent uses one link from several tabs at once: it
// works for exactly one of them.
func TestResetPasswordConcurrent(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		for round := range 3 {
			token := requestReset(t, db, adm, testkit.AdminEmail)
			const tabs = 4
			errs := make([]error, tabs)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range tabs {
				wg.Go(func() {
					<-start
					_, errs[i] = db.Services().Auth.ResetPassword(context.Background(), token, fmt.Sprintf("password from tab %d", i))
				})
			}
			close(start)
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch portico.ErrorCode(err) {
				case "":
					if winner >= 0 {
						t.Fatalf("round %d: the link worked for tabs %d and %d", round, winner, i)
					}
					winner = i
				case portico.EUNAUTHORIZED:
				default:
					t.Fatalf("round %d: tab %d: %v", round, i, err)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: the link worked for none of the tabs: %v", round, errs)
			}
			// The password is the winner's.
			_, _, err := db.Services().Auth.SignIn(fromIP("198.51.100.1"), testkit.AdminEmail, fmt.Sprintf("password from tab %d", winner))
			ok(t, err)
		}
	})
}
