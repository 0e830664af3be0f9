package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/mail"
	"portico/outbox"
	"portico/sqlstore"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// logWriter sends the worker's log to the test's log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// newWorker makes a worker on the store that polls often, wakes when a
// change queues a message, and runs until the test ends. routines run on
// every pass.
func newWorker(t *testing.T, db *sqlstore.DB, sender outbox.Sender, routines ...*outbox.Routine) *outbox.Worker {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logWriter{t}, nil))
	w := outbox.New(db.Services().Outbox, sender, log)
	w.Poll = 20 * time.Millisecond
	w.Routines = routines
	db.OnEnqueue(w.Wake)
	return w
}

// run starts the worker; it stops, and is waited for, when the test ends
// (before the store and the mailbox close).
func run(t *testing.T, w *outbox.Worker) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func newSMTP(t *testing.T, box *testkit.Mailbox) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(box.URL(), "Portico <portico@agency.test>")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitMessage polls the outbox until the message satisfies cond.
func waitMessage(t *testing.T, db *sqlstore.DB, adm *portico.User, id int64, what string, cond func(m *portico.Message) bool) *portico.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := db.Services().Outbox.FindMessageByID(testkit.AsUser(adm), id)
		if err != nil {
			t.Fatal(err)
		}
		if cond(m) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %d never became %s; it is %+v", id, what, m)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitUntil polls cond until it holds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// queueReset asks for a reset link for the admin and returns the queued
// message.
func queueReset(t *testing.T, db *sqlstore.DB, adm *portico.User) *portico.Message {
	t.Helper()
	if err := db.Services().Auth.RequestPasswordReset(context.Background(), adm.Email); err != nil {
		t.Fatal(err)
	}
	ms, _, err := db.Services().Outbox.FindMessages(testkit.AsUser(adm), portico.MessageFilter{Limit: 1})
	if err != nil || len(ms) != 1 {
		t.Fatalf("no message queued: %v", err)
	}
	return ms[0]
}

var resetLink = regexp.MustCompile(`http://portico\.test/reset/[A-Za-z0-9_-]+`)

func TestWorkerDeliversEmail(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		box := testkit.NewMailbox(t)
		run(t, newWorker(t, db, newSMTP(t, box)))

		queued := queueReset(t, db, adm)
		link := resetLink.FindString(queued.Email.Text)
		if link == "" {
			t.Fatalf("no reset link in the queued email:\n%s", queued.Email.Text)
		}
		got := box.WaitFor(t, 1, 10*time.Second)[0]
		if got.From != "portico@agency.test" || !slices.Equal(got.To, []string{testkit.AdminEmail}) {
			t.Fatalf("envelope from %q to %v", got.From, got.To)
		}
		if got.Subject != "Reset your Portico password" {
			t.Fatalf("subject %q", got.Subject)
		}
		if !strings.Contains(got.Text, "Hello Ada Admin,") || !strings.Contains(got.Text, link) {
			t.Fatalf("text lacks the greeting or %s:\n%s", link, got.Text)
		}
		if !strings.Contains(got.HTML, `href="`+link+`"`) {
			t.Fatalf("HTML lacks the link %s:\n%s", link, got.HTML)
		}
		if !strings.Contains(string(got.Data), "Portico <portico@agency.test>") && !strings.Contains(string(got.Data), `"Portico" <portico@agency.test>`) {
			t.Errorf("From header lacks the display name:\n%s", got.Data)
		}

		m := waitMessage(t, db, adm, queued.ID, "sent", func(m *portico.Message) bool { return m.Status == portico.MessageSent })
		if m.Attempts != 1 || m.SentAt == nil || !m.SentAt.Equal(clock.Now()) || m.LastError != "" {
			t.Fatalf("sent message = %+v", m)
		}
		if n := len(box.Messages()); n != 1 {
			t.Fatalf("mailbox has %d messages, want 1", n)
		}
	})
}

func TestWorkerRetriesAfterFailure(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		box := testkit.NewMailbox(t)
		box.FailNext(1)
		var passes atomic.Int64
		tick := &outbox.Routine{Name: "count passes", Every: time.Nanosecond, Run: func(context.Context) error { passes.Add(1); return nil }}
		w := newWorker(t, db, newSMTP(t, box), tick)
		run(t, w)

		queued := queueReset(t, db, adm)
		m := waitMessage(t, db, adm, queued.ID, "failed once", func(m *portico.Message) bool { return m.Attempts == 1 && m.LastError != "" })
		if m.Status != portico.MessagePending || m.SentAt != nil || !m.NextAttemptAt.Equal(clock.Now().Add(portico.Backoff(1))) {
			t.Fatalf("after a failed attempt: %+v", m)
		}
		if !strings.Contains(m.LastError, "451") {
			t.Errorf("last error %q does not carry the server's answer", m.LastError)
		}
		if n := len(box.Messages()); n != 0 {
			t.Fatalf("mailbox has %d messages after a refused delivery", n)
		}

		// Not yet due: passes over the outbox leave it alone.
		clock.Advance(portico.Backoff(1) - time.Second)
		w.Wake()
		seen := passes.Load()
		waitUntil(t, "three more passes", func() bool { return passes.Load() >= seen+3 })
		if m, _ := db.Services().Outbox.FindMessageByID(testkit.AsUser(adm), queued.ID); m.Attempts != 1 || len(box.Messages()) != 0 {
			t.Fatalf("retried before the backoff ended: %+v", m)
		}
		// Once the backoff is over, the next pass delivers it.
		clock.Advance(time.Second)
		w.Wake()
		box.WaitFor(t, 1, 10*time.Second)
		m = waitMessage(t, db, adm, queued.ID, "sent", func(m *portico.Message) bool { return m.Status == portico.MessageSent })
		if m.Attempts != 2 || m.LastError != "" || m.SentAt == nil || !m.SentAt.Equal(clock.Now()) {
			t.Fatalf("delivered on retry: %+v", m)
		}
		if n := len(box.Messages()); n != 1 {
			t.Fatalf("mailbox has %d messages, want 1", n)
		}
	})
}

func TestWorkerKeepsMailWithoutSender(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		run(t, newWorker(t, db, nil))
		queued := queueReset(t, db, adm)
		m := waitMessage(t, db, adm, queued.ID, "kept", func(m *portico.Message) bool { return m.Status != portico.MessagePending })
		if m.Status != portico.MessageKept || m.Attempts != 1 || m.SentAt == nil || m.LastError != "" {
			t.Fatalf("message = %+v, want kept", m)
		}
		// A kept message is still readable in full for the console.
		if m.Email == nil || !resetLink.MatchString(m.Email.Text) {
			t.Fatalf("kept email lost its content: %+v", m.Email)
		}
	})
}

// TestWorkerTakesOverAfterCrash: a worker claimed a message and died before
// settling it. Another worker leaves it alone while the lease holds and
// delivers it once the lease is over.
func TestWorkerTakesOverAfterCrash(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		queued := queueReset(t, db, adm)
		claimed, err := db.Services().Outbox.ClaimMessages(context.Background(), 10, 2*time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("crashed worker's claim: %v, %v", claimed, err)
		}

		box := testkit.NewMailbox(t)
		var passes atomic.Int64
		tick := &outbox.Routine{Name: "count passes", Every: time.Nanosecond, Run: func(context.Context) error { passes.Add(1); return nil }}
		w := newWorker(t, db, newSMTP(t, box), tick)
		run(t, w)
		// Several passes over the outbox while the lease holds.
		waitUntil(t, "three passes", func() bool { return passes.Load() >= 3 })
		if n := len(box.Messages()); n != 0 {
			t.Fatalf("delivered a leased message: %d in the mailbox", n)
		}
		clock.Advance(2 * time.Minute)
		w.Wake()
		box.WaitFor(t, 1, 10*time.Second)
		m := waitMessage(t, db, adm, queued.ID, "sent", func(m *portico.Message) bool { return m.Status == portico.MessageSent })
		if m.Attempts != 2 {
			t.Fatalf("attempts = %d, want 2 (the crashed one and the delivery)", m.Attempts)
		}
	})
}

// TestWorkersDeliverEachMessageOnce runs two workers (two instances) on a
// backlog larger than a batch: every email arrives exactly once.
func TestWorkersDeliverEachMessageOnce(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		const n = 25
		var ids []int64
		for range n {
			ids = append(ids, queueReset(t, db, adm).ID)
		}
		box := testkit.NewMailbox(t)
		run(t, newWorker(t, db, newSMTP(t, box)))
		run(t, newWorker(t, db, newSMTP(t, box)))
		for _, id := range ids {
			waitMessage(t, db, adm, id, "sent", func(m *portico.Message) bool { return m.Status == portico.MessageSent })
		}
		mails := box.Messages()
		if len(mails) != n {
			t.Fatalf("mailbox has %d messages, want %d", len(mails), n)
		}
		links := map[string]bool{}
		for _, m := range mails {
			link := resetLink.FindString(m.Text)
			if link == "" || links[link] {
				t.Fatalf("missing or repeated link %q", link)
			}
			links[link] = true
		}
		ms, _, err := db.Services().Outbox.FindMessages(testkit.AsUser(adm), portico.MessageFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Attempts != 1 {
				t.Fatalf("message %d took %d attempts", m.ID, m.Attempts)
			}
		}
	})
}

func TestWorkerRoutines(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		var often, hourly, failing atomic.Int64
		w := newWorker(t, db, nil,
			&outbox.Routine{Name: "often", Every: time.Nanosecond, Run: func(context.Context) error { often.Add(1); return nil }},
			&outbox.Routine{Name: "hourly", Every: time.Hour, Run: func(context.Context) error { hourly.Add(1); return nil }},
			&outbox.Routine{Name: "failing", Every: time.Nanosecond, Run: func(context.Context) error { failing.Add(1); return fmt.Errorf("boom") }},
			&outbox.Routine{Name: "housekeeping", Every: time.Hour, Run: db.Housekeep},
		)
		run(t, w)
		// A failing routine doesn't stop the others, nor itself.
		waitUntil(t, "five passes", func() bool { return often.Load() >= 5 && failing.Load() >= 5 })
		if got := hourly.Load(); got != 1 {
			t.Fatalf("hourly routine ran %d times, want once at start", got)
		}
	})
}
