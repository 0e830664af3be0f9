package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestConcurrentUse is the acceptance test for a busy instance: 8 people
// sign in (argon2 hashing, tens of milliseconds each), use and end sessions,
// add users and ask for reset links, for about three seconds each, while a
// delivery worker claims and settles the outbox. Not one call may fail; on
// SQLite that means no "database is locked" (SQLITE_BUSY).
func TestConcurrentUse(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		const people = 8
		users := make([]*portico.User, people)
		for i := range users {
			users[i] = testkit.AddUser(t, db, fmt.Sprintf("Person %d", i), fmt.Sprintf("person%d@agency.test", i), portico.RoleRecruiter)
		}
		svc := db.Services()

		var (
			mu      sync.Mutex
			errs    []string
			signIns atomic.Int64
			created atomic.Int64
			resets  atomic.Int64
			settled atomic.Int64
		)
		fail := func(who, op string, err error) {
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, fmt.Sprintf("%s %s: %v", who, op, err))
		}

		deadline := time.Now().Add(3 * time.Second)
		var wg sync.WaitGroup
		for i, u := range users {
			wg.Go(func() {
				who := fmt.Sprintf("person %d", i)
				ctx := fromIP(fmt.Sprintf("198.51.100.%d", i+1))
				for n := 0; time.Now().Before(deadline); n++ {
					token, _, err := svc.Auth.SignIn(ctx, u.Email, testkit.Password)
					if err != nil {
						fail(who, "sign in", err)
						continue
					}
					signIns.Add(1)
					if _, _, err := svc.Auth.Authenticate(ctx, token); err != nil {
						fail(who, "authenticate", err)
					}
					if _, err := svc.Users.CreateUser(context.Background(), portico.NewUser{
						Name: fmt.Sprintf("Added %d.%d", i, n), Email: fmt.Sprintf("added-%d-%d@agency.test", i, n),
						Role: portico.RoleRecruiter, Password: testkit.Password,
					}); err != nil {
						fail(who, "create user", err)
					} else {
						created.Add(1)
					}
					if err := svc.Auth.RequestPasswordReset(ctx, u.Email); err != nil {
						fail(who, "request reset", err)
					} else {
						resets.Add(1)
					}
					if _, _, err := svc.Events.FindEvents(ctx, portico.EventFilter{SubjectType: "user", SubjectID: u.ID, Limit: 10}); err != nil {
						fail(who, "find events", err)
					}
					if err := svc.Auth.SignOut(ctx, token); err != nil {
						fail(who, "sign out", err)
					}
					if _, _, err := svc.Auth.Authenticate(ctx, token); portico.ErrorCode(err) != portico.EUNAUTHORIZED {
						fail(who, "authenticate after sign-out", fmt.Errorf("got %v, want EUNAUTHORIZED", err))
					}
				}
			})
		}
		// A delivery worker drains the outbox meanwhile.
		stop := make(chan struct{})
		var workerDone sync.WaitGroup
		workerDone.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				ms, err := svc.Outbox.ClaimMessages(context.Background(), 5, time.Minute)
				if err != nil {
					fail("worker", "claim", err)
					continue
				}
				for _, m := range ms {
					if err := svc.Outbox.SettleMessage(context.Background(), m.ID, portico.MessageSent, nil); err != nil {
						fail("worker", "settle", err)
					} else {
						settled.Add(1)
					}
				}
				if len(ms) == 0 {
					time.Sleep(5 * time.Millisecond)
				}
			}
		})
		wg.Wait()
		close(stop)
		workerDone.Wait()

		t.Logf("%d sign-ins, %d users added, %d reset links, %d messages settled", signIns.Load(), created.Load(), resets.Load(), settled.Load())
		if len(errs) > 0 {
			locked := 0
			for _, e := range errs {
				if strings.Contains(e, "locked") || strings.Contains(e, "BUSY") {
					locked++
				}
			}
			shown := errs[:min(len(errs), 10)]
			t.Fatalf("%d calls failed (%d of them database is locked / busy):\n%s", len(errs), locked, strings.Join(shown, "\n"))
		}
		if signIns.Load() < people {
			t.Fatalf("only %d sign-ins in 3 s", signIns.Load())
		}
		// Everything written is there, exactly once.
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != 1+people+int(created.Load()) {
			t.Fatalf("%d users, want %d", n, 1+people+created.Load())
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox`); n != int(resets.Load()) {
			t.Fatalf("%d messages, want %d", n, resets.Load())
		}
		if n := len(events(t, db, "user.signed_in")); n != int(signIns.Load()) {
			t.Fatalf("%d signed_in events, want %d", n, signIns.Load())
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions`); n != 0 {
			t.Fatalf("%d sessions left, want 0 (all signed out)", n)
		}
		_ = adm
	})
}
