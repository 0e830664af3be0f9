package web

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"portico"
)

// fakeEvents is an event log whose events become visible in any order,
// as PostgreSQL transactions commit.
type fakeEvents struct {
	portico.EventService
	mu     sync.Mutex
	events map[int64]*portico.Event
}

func (f *fakeEvents) commit(id int64, topic string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kind, num, _ := strings.Cut(topic, ":")
	e := &portico.Event{ID: id, Action: "test.happened", SubjectType: "task", SubjectID: 1000 + id}
	if kind == "job" {
		e.JobID = int64(num[0] - '0') // job:1 .. job:9
	}
	f.events[id] = e
}

func (f *fakeEvents) EventsSince(_ context.Context, after int64, limit int) ([]*portico.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*portico.Event
	for id, e := range f.events {
		if id > after {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (f *fakeEvents) LatestEventID(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var m int64
	for id := range f.events {
		m = max(m, id)
	}
	return m, nil
}

type fakeAlerts struct {
	portico.AlertService
	mu     sync.Mutex
	counts map[int64]int
}

func (f *fakeAlerts) set(user int64, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[user] = n
}

func (f *fakeAlerts) UnreadCounts(_ context.Context, users []int64) (map[int64]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64]int{}
	for _, u := range users {
		if n := f.counts[u]; n > 0 {
			out[u] = n
		}
	}
	return out, nil
}

func newTestHub(t *testing.T) (*liveHub, *fakeEvents, *fakeAlerts) {
	t.Helper()
	ev := &fakeEvents{events: map[int64]*portico.Event{}}
	al := &fakeAlerts{counts: map[int64]int{}}
	h := newLiveHub(portico.Services{Events: ev, Alerts: al}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h.every = 10 * time.Millisecond
	t.Cleanup(h.Close)
	return h, ev, al
}

// wantMsg waits for the next message of the kind (skipping others).
func wantMsg(t *testing.T, sub *liveSub, event, data string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case m := <-sub.ch:
			if m.event != event {
				continue
			}
			if m.data != data {
				t.Fatalf("got %s %s, want %s", m.event, m.data, data)
			}
			return
		case <-deadline:
			t.Fatalf("no %s %s within 5 s", event, data)
		}
	}
}

// wantNoMsg checks that no message of the kind comes for a moment.
func wantNoMsg(t *testing.T, sub *liveSub, event string) {
	t.Helper()
	deadline := time.After(100 * time.Millisecond)
	for {
		select {
		case m := <-sub.ch:
			if m.event == event {
				t.Fatalf("unexpected %s %s", m.event, m.data)
			}
		case <-deadline:
			return
		}
	}
}

// TestLiveHubLateCommit: an event whose ID was handed out before another's
// but that commits after it still reaches the page.
func TestLiveHubLateCommit(t *testing.T) {
	h, ev, _ := newTestHub(t)
	ev.commit(1, "job:1")
	sub, err := h.subscribe(context.Background(), 7, []string{"job:1"})
	if err != nil {
		t.Fatal(err)
	}
	ev.commit(3, "job:1") // 2 is still in flight
	wantMsg(t, sub, "change", `{"topic":"job:1","event":3}`)
	ev.commit(4, "job:2") // another job's
	ev.commit(2, "job:1")
	wantMsg(t, sub, "change", `{"topic":"job:1","event":2}`)
	ev.commit(5, "job:1")
	wantMsg(t, sub, "change", `{"topic":"job:1","event":5}`)
	wantNoMsg(t, sub, "change")
}

// TestLiveHubUnread: counts are sent when they change, per stream, and a
// stream too far behind is dropped rather than blocking the others.
func TestLiveHubUnread(t *testing.T) {
	h, ev, al := newTestHub(t)
	ctx := context.Background()
	a, err := h.subscribe(ctx, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.countUnread(a, func() (int, error) { return 2, nil }); err != nil {
		t.Fatal(err)
	}
	wantMsg(t, a, "unread", `{"count":2}`)
	// An event that doesn't change the count sends nothing.
	al.set(7, 2)
	ev.commit(1, "job:1")
	wantNoMsg(t, a, "unread")
	al.set(7, 3)
	ev.commit(2, "job:1")
	wantMsg(t, a, "unread", `{"count":3}`)

	// A slow stream is dropped; the others carry on.
	slow, err := h.subscribe(ctx, 8, []string{"job:1"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range liveBuffer + 5 {
		ev.commit(int64(10+i), "job:1")
	}
	select {
	case <-slow.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow stream was not dropped")
	}
	al.set(7, 0)
	ev.commit(200, "job:3")
	wantMsg(t, a, "unread", `{"count":0}`)

	// Per-user limit, and nothing after Close.
	for range liveMaxPerUser - 1 {
		if _, err := h.subscribe(ctx, 7, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.subscribe(ctx, 7, nil); err != errLiveTooMany {
		t.Fatalf("over the limit: %v", err)
	}
	h.Close()
	select {
	case <-a.done:
	default:
		t.Fatal("Close left a stream open")
	}
	if _, err := h.subscribe(ctx, 9, nil); err != errLiveClosed {
		t.Fatalf("after Close: %v", err)
	}
}

// TestLiveHubStops: the loop ends when the last page leaves, and starts
// again from the newest event for the next.
func TestLiveHubStops(t *testing.T) {
	h, ev, _ := newTestHub(t)
	ctx := context.Background()
	sub, err := h.subscribe(ctx, 7, []string{"job:1"})
	if err != nil {
		t.Fatal(err)
	}
	h.unsubscribe(sub)
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.mu.Lock()
		running := h.running
		h.mu.Unlock()
		if !running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the loop still runs with nobody listening")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ev.commit(1, "job:1") // before anyone listens again: not sent
	sub, err = h.subscribe(ctx, 7, []string{"job:1"})
	if err != nil {
		t.Fatal(err)
	}
	ev.commit(2, "job:1")
	wantMsg(t, sub, "change", `{"topic":"job:1","event":2}`)
}
