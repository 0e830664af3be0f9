package sqlstore_test

import (
	"context"
	"errors"
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

// queueEmails queues n password reset emails (one per request) and returns
// their IDs, oldest first.
func queueEmails(t testing.TB, db *sqlstore.DB, adm *portico.User, n int) []int64 {
	t.Helper()
	for range n {
		ok(t, db.Services().Auth.RequestPasswordReset(context.Background(), adm.Email))
	}
	var ids []int64
	for _, m := range messages(t, db, adm) {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

func claimIDs(t testing.TB, db *sqlstore.DB, n int, lease time.Duration) []int64 {
	t.Helper()
	ms, err := db.Services().Outbox.ClaimMessages(context.Background(), n, lease)
	ok(t, err)
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestClaimMessagesLease(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ids := queueEmails(t, db, adm, 3)
		outbox := db.Services().Outbox

		ms, err := outbox.ClaimMessages(context.Background(), 2, 2*time.Minute)
		ok(t, err)
		if len(ms) != 2 || ms[0].ID != ids[0] || ms[1].ID != ids[1] {
			t.Fatalf("claimed %v, want the two oldest of %v", ms, ids)
		}
		for _, m := range ms {
			if m.Attempts != 1 || m.Email == nil || len(m.Email.To) != 1 || m.Email.To[0] != adm.Email {
				t.Fatalf("claimed message = %+v", m)
			}
		}
		// The third is still there; the first two are leased.
		if got := claimIDs(t, db, 10, 2*time.Minute); !slices.Equal(got, ids[2:]) {
			t.Fatalf("second claim got %v, want %v", got, ids[2:])
		}
		if got := claimIDs(t, db, 10, 2*time.Minute); len(got) != 0 {
			t.Fatalf("claim while all are leased got %v", got)
		}
		clock.Advance(2*time.Minute - time.Second)
		if got := claimIDs(t, db, 10, 2*time.Minute); len(got) != 0 {
			t.Fatalf("claim before the lease ended got %v", got)
		}
		// The worker holding them died: once the lease is over they are due again.
		clock.Advance(time.Second)
		ms, err = outbox.ClaimMessages(context.Background(), 10, 2*time.Minute)
		ok(t, err)
		if len(ms) != 3 {
			t.Fatalf("after the lease, claimed %d, want 3", len(ms))
		}
		for _, m := range ms {
			if m.Attempts != 2 {
				t.Errorf("message %d attempts = %d, want 2", m.ID, m.Attempts)
			}
		}
		stored, err := outbox.FindMessageByID(admin(adm), ids[0])
		ok(t, err)
		if stored.Attempts != 2 || stored.Status != portico.MessagePending {
			t.Fatalf("stored = %+v", stored)
		}
	})
}

func TestSettleMessageSentAndKept(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ids := queueEmails(t, db, adm, 2)
		outbox := db.Services().Outbox
		if got := claimIDs(t, db, 10, time.Minute); len(got) != 2 {
			t.Fatalf("claimed %v", got)
		}
		clock.Advance(5 * time.Second)
		ok(t, outbox.SettleMessage(context.Background(), ids[0], portico.MessageSent, nil))
		ok(t, outbox.SettleMessage(context.Background(), ids[1], portico.MessageKept, nil))
		for i, want := range []portico.MessageStatus{portico.MessageSent, portico.MessageKept} {
			m, err := outbox.FindMessageByID(admin(adm), ids[i])
			ok(t, err)
			if m.Status != want || m.SentAt == nil || !m.SentAt.Equal(clock.Now()) || m.Attempts != 1 || m.LastError != "" {
				t.Fatalf("message %d = %+v, want %s at %v", m.ID, m, want, clock.Now())
			}
		}
		// Settled messages never leave again, whatever the time.
		clock.Advance(24 * time.Hour)
		if got := claimIDs(t, db, 10, time.Minute); len(got) != 0 {
			t.Fatalf("settled messages claimed again: %v", got)
		}
	})
}

func TestSettleMessageRetriesThenFails(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		id := queueEmails(t, db, adm, 1)[0]
		outbox := db.Services().Outbox
		for attempt := 1; attempt <= portico.MaxAttempts; attempt++ {
			got := claimIDs(t, db, 10, time.Minute)
			if !slices.Equal(got, []int64{id}) {
				t.Fatalf("attempt %d: claimed %v", attempt, got)
			}
			failure := fmt.Errorf("  451 mailbox busy (attempt %d)\n", attempt)
			ok(t, outbox.SettleMessage(context.Background(), id, portico.MessagePending, failure))
			m, err := outbox.FindMessageByID(admin(adm), id)
			ok(t, err)
			if m.Attempts != attempt || m.LastError != fmt.Sprintf("451 mailbox busy (attempt %d)", attempt) || m.SentAt != nil {
				t.Fatalf("attempt %d: message = %+v", attempt, m)
			}
			if attempt < portico.MaxAttempts {
				if m.Status != portico.MessagePending || !m.NextAttemptAt.Equal(clock.Now().Add(portico.Backoff(attempt))) {
					t.Fatalf("attempt %d: status %s, next attempt %v, want pending at %v", attempt, m.Status, m.NextAttemptAt, clock.Now().Add(portico.Backoff(attempt)))
				}
				// Not before the backoff is over.
				clock.Advance(portico.Backoff(attempt) - time.Second)
				if got := claimIDs(t, db, 10, time.Minute); len(got) != 0 {
					t.Fatalf("attempt %d: claimed %v before the backoff ended", attempt, got)
				}
				clock.Advance(time.Second)
			} else if m.Status != portico.MessageFailed {
				t.Fatalf("after %d failed attempts: status %s, want failed", attempt, m.Status)
			}
		}
		clock.Advance(30 * 24 * time.Hour)
		if got := claimIDs(t, db, 10, time.Minute); len(got) != 0 {
			t.Fatalf("failed message claimed again: %v", got)
		}
	})
}

func TestBackoff(t *testing.T) {
	want := map[int]time.Duration{
		0: 30 * time.Second, 1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 4: 4 * time.Minute,
		7: 32 * time.Minute, 8: time.Hour, 12: time.Hour, 1000: time.Hour,
	}
	for n, d := range want {
		if got := portico.Backoff(n); got != d {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, d)
		}
	}
	// All retries together span most of a day, as the outbox promises.
	var total time.Duration
	for n := 1; n < portico.MaxAttempts; n++ {
		total += portico.Backoff(n)
	}
	if total < 4*time.Hour {
		t.Errorf("retries give up after %v", total)
	}
}

func TestSettleMessageLongErrorTruncated(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		id := queueEmails(t, db, adm, 1)[0]
		claimIDs(t, db, 1, time.Minute)
		long := strings.Repeat("é", 800) // 1600 bytes
		ok(t, db.Services().Outbox.SettleMessage(context.Background(), id, portico.MessagePending, errors.New(long)))
		m, err := db.Services().Outbox.FindMessageByID(admin(adm), id)
		ok(t, err)
		if len(m.LastError) > 1000 || len(m.LastError) < 990 || !strings.HasPrefix(long, m.LastError) {
			t.Fatalf("last error has %d bytes", len(m.LastError))
		}
	})
}

func TestOutboxReadsAdminsOnly(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		ids := queueEmails(t, db, adm, 1)
		outbox := db.Services().Outbox
		for name, ctx := range map[string]context.Context{
			"recruiter": testkit.AsUser(rec),
			"contact":   portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: adm.ID, Role: portico.RoleAdmin}),
			"anonymous": fromIP("203.0.113.5"),
		} {
			_, _, err := outbox.FindMessages(ctx, portico.MessageFilter{})
			if portico.ErrorCode(err) != portico.EFORBIDDEN {
				t.Errorf("%s FindMessages: %v, want EFORBIDDEN", name, err)
			}
			_, err = outbox.FindMessageByID(ctx, ids[0])
			if portico.ErrorCode(err) != portico.EFORBIDDEN {
				t.Errorf("%s FindMessageByID: %v, want EFORBIDDEN", name, err)
			}
		}
		_, err := outbox.FindMessageByID(admin(adm), 987654)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestFindMessagesPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ids := queueEmails(t, db, adm, 5)
		outbox := db.Services().Outbox
		var got []int64
		for offset := 0; offset < 6; offset += 2 {
			ms, total, err := outbox.FindMessages(admin(adm), portico.MessageFilter{Offset: offset, Limit: 2})
			ok(t, err)
			if total != 5 {
				t.Fatalf("total %d, want 5", total)
			}
			for _, m := range ms {
				got = append(got, m.ID)
			}
		}
		want := slices.Clone(ids)
		slices.Reverse(want)
		if !slices.Equal(got, want) {
			t.Fatalf("pages = %v, want newest first %v", got, want)
		}
		ms, total, err := outbox.FindMessages(admin(adm), portico.MessageFilter{Kind: portico.MessageEmail, Limit: 1})
		ok(t, err)
		if total != 5 || len(ms) != 1 || ms[0].ID != want[0] {
			t.Fatalf("email filter: %d on page, total %d", len(ms), total)
		}
		ms, total, err = outbox.FindMessages(admin(adm), portico.MessageFilter{Kind: portico.MessageWebhook})
		ok(t, err)
		if total != 0 || len(ms) != 0 {
			t.Fatalf("webhook filter: %d on page, total %d", len(ms), total)
		}
	})
}

// TestClaimMessagesConcurrently has several workers claim at once, as
// instances behind a load balancer do: every message is claimed by exactly
// one of them.
func TestClaimMessagesConcurrently(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ids := queueEmails(t, db, adm, 120)
		const workers = 4
		claimed := make([][]int64, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				<-start
				for {
					ms, err := db.Services().Outbox.ClaimMessages(context.Background(), 1+w, time.Hour)
					if err != nil {
						errs[w] = err
						return
					}
					if len(ms) == 0 {
						return
					}
					for _, m := range ms {
						claimed[w] = append(claimed[w], m.ID)
					}
				}
			})
		}
		close(start)
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("worker %d: %v", w, err)
			}
		}
		seen := map[int64]int{}
		for w := range claimed {
			for _, id := range claimed[w] {
				if prev, dup := seen[id]; dup {
					t.Fatalf("message %d claimed by workers %d and %d", id, prev, w)
				}
				seen[id] = w
			}
		}
		if len(seen) != len(ids) {
			t.Fatalf("claimed %d of %d messages", len(seen), len(ids))
		}
		for _, id := range ids {
			if _, ok := seen[id]; !ok {
				t.Fatalf("message %d never claimed", id)
			}
		}
		t.Logf("claims per worker: %d %d %d %d", len(claimed[0]), len(claimed[1]), len(claimed[2]), len(claimed[3]))
		if n := count(t, db, `SELECT COUNT(*) FROM outbox WHERE attempts <> 1`); n != 0 {
			t.Fatalf("%d messages counted more than one attempt", n)
		}
	})
}
