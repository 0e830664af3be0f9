package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
	"portico/web"
)

// liveMsg is one server-sent event as a browser would see it.
type liveMsg struct {
	event string
	data  string
}

// liveStream is an open /live response, read line by line in the
// background.
type liveStream struct {
	t    *testing.T
	res  *http.Response
	msgs chan liveMsg
}

// openLive opens a stream and returns it once the headers are in. It is
// closed when the test ends, so the test server can shut down.
func (c *client) openLive(t *testing.T, query string) *liveStream {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.s.srv.URL+"/live"+query, nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	ls := &liveStream{t: t, res: res, msgs: make(chan liveMsg, 100)}
	if res.StatusCode != http.StatusOK {
		return ls
	}
	go func() {
		defer close(ls.msgs)
		sc := bufio.NewScanner(res.Body)
		var m liveMsg
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if m.event != "" || m.data != "" {
					ls.msgs <- m
				}
				m = liveMsg{}
			case strings.HasPrefix(line, "event: "):
				m.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				m.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return ls
}

// next waits for a message of the kind, skipping others.
func (ls *liveStream) next(event string) map[string]any {
	ls.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-ls.msgs:
			if !ok {
				ls.t.Fatalf("the stream ended while waiting for %q", event)
			}
			if m.event != event {
				continue
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(m.data), &v); err != nil {
				ls.t.Fatalf("%s data %q: %v", event, m.data, err)
			}
			return v
		case <-deadline:
			ls.t.Fatalf("no %q message within 10 s", event)
		}
	}
}

// quiet checks that no message of the kind arrives for a while.
func (ls *liveStream) quiet(event string, d time.Duration) {
	ls.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-ls.msgs:
			if !ok {
				return
			}
			if m.event == event {
				ls.t.Fatalf("unexpected %s message: %s", event, m.data)
			}
		case <-deadline:
			return
		}
	}
}

func TestLiveRequests(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		many := make([]string, 21)
		for i := range many {
			many[i] = fmt.Sprintf("topic=job:%d", i+1)
		}
		s.run(t, []scenario{
			{name: "visitor goes to sign-in", method: "GET", path: "/live?topic=job:1", status: 303, location: "/signin"},
			{name: "unknown kind of record", as: inboxRita, method: "GET", path: "/live?topic=invoice:1", status: 400, contains: []string{"not a topic"}},
			{name: "no number", as: inboxRita, method: "GET", path: "/live?topic=job:", status: 400},
			{name: "not a number", as: inboxRita, method: "GET", path: "/live?topic=job:abc", status: 400},
			{name: "zero", as: inboxRita, method: "GET", path: "/live?topic=job:0", status: 400},
			{name: "injection", as: inboxRita, method: "GET", path: "/live?topic=" + url.QueryEscape("job:1\ndata: x"), status: 400},
			{name: "too many topics", as: inboxRita, method: "GET", path: "/live?" + strings.Join(many, "&"), status: 400, contains: []string{"at most 20"}},
		})
	})
}

// TestLiveChange: a page following a job hears about a change to it, and
// the unread badge follows the user's alerts.
func TestLiveChange(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		rita := s.signedIn(inboxRita)
		other := testkit.AddJob(t, db, s.job.ClientID, s.rita.ID, "Night Porter")

		ls := rita.openLive(t, fmt.Sprintf("?topic=job:%d&topic=job:%d", s.job.ID, s.job.ID))
		if ls.res.StatusCode != http.StatusOK || !strings.HasPrefix(ls.res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("GET /live: %d %s", ls.res.StatusCode, ls.res.Header.Get("Content-Type"))
		}
		if n := ls.next("unread")["count"]; n != 0.0 {
			t.Fatalf("first unread count %v, want 0", n)
		}

		// A change on another job: no change message, but Rita's alert
		// count rises (the task is for her).
		s.addTask(s.admin, portico.TaskInput{Title: "Elsewhere", JobID: other.ID, AssigneeID: s.rita.ID})
		if n := ls.next("unread")["count"]; n != 1.0 {
			t.Fatalf("unread count %v after a task for her, want 1", n)
		}
		// A change on the followed job.
		task := s.addTask(s.admin, portico.TaskInput{Title: "Here", JobID: s.job.ID, AssigneeID: s.admin.ID})
		m := ls.next("change")
		if m["topic"] != fmt.Sprintf("job:%d", s.job.ID) {
			t.Fatalf("change %v", m)
		}
		evs, _, _ := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{SubjectType: "task", SubjectID: task.ID})
		if len(evs) != 1 || m["event"] != float64(evs[0].ID) {
			t.Fatalf("change %v, want event %v", m, evs)
		}
		// Reading the alert in another tab brings the count down.
		if res := rita.post("/alerts/read-all", nil); res.status != http.StatusSeeOther {
			t.Fatalf("read all: %d", res.status)
		}
		if n := ls.next("unread")["count"]; n != 0.0 {
			t.Fatalf("unread count %v after reading all, want 0", n)
		}
		ls.quiet("change", time.Second)
	})
}

// TestLiveLimits: a user can't hold open endless streams.
func TestLiveLimits(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		rita := s.signedIn(inboxRita)
		for i := range 10 {
			if ls := rita.openLive(t, ""); ls.res.StatusCode != http.StatusOK {
				t.Fatalf("stream %d: %d", i+1, ls.res.StatusCode)
			}
		}
		if ls := rita.openLive(t, ""); ls.res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("eleventh stream: %d, want 429", ls.res.StatusCode)
		}
		// Someone else is not affected.
		ls := s.signedIn(testkit.AdminEmail).openLive(t, "")
		if ls.res.StatusCode != http.StatusOK {
			t.Fatalf("admin's stream: %d", ls.res.StatusCode)
		}
		ls.next("unread")
	})
}

// liveInstance is one Portico instance: its own store connection and its
// own web server (and so its own live hub) on a shared database.
func liveInstance(t *testing.T, b testkit.Backend, clock *testkit.Clock) (*site, *web.Server) {
	t.Helper()
	db := testkit.OpenStore(t, b, clock)
	w, err := web.New(web.Options{Services: db.Services(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: testkit.BaseURL, Ready: db.Ping, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	// Short timeouts, where production has minutes: a stream must outlive them.
	srv := httptest.NewUnstartedServer(w.Handler())
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = time.Second, time.Second
	srv.Start()
	s := &site{t: t, db: db, clock: clock, srv: srv}
	t.Cleanup(s.srv.Close)
	return s, w
}

// TestLiveAcrossInstances: an event written through one instance reaches
// a page listening on another, through the database; and closing an
// instance's streams ends them, as a graceful shutdown does.
func TestLiveAcrossInstances(t *testing.T) {
	for _, b := range testkit.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			if b.Name == "postgres" {
				b.URL = testkit.NewPostgresDatabase(t)
			}
			clock := testkit.NewClock()
			one, _ := liveInstance(t, b, clock)
			two, twoWeb := liveInstance(t, b, clock)
			testkit.SetUp(t, one.db)
			rita := testkit.AddUser(t, one.db, "Rita Recruiter", inboxRita, portico.RoleRecruiter)
			client := testkit.AddClient(t, one.db, "Northwind Care")
			job := testkit.AddJob(t, one.db, client.ID, rita.ID, "Senior Nurse")

			ls := two.signedIn(inboxRita).openLive(t, fmt.Sprintf("?topic=job:%d&topic=user:%d", job.ID, rita.ID))
			ls.next("unread")
			// The stream outlives the servers' read and write timeouts.
			time.Sleep(2500 * time.Millisecond)
			// The admin adds a task on the job through the first instance.
			res := one.signedIn(testkit.AdminEmail).post("/tasks", url.Values{"title": {"Call the client"}, "kind": {"call"},
				"job_id": {fmt.Sprint(job.ID)}, "assignee_id": {fmt.Sprint(rita.ID)}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("add task on instance one: %d\n%s", res.status, res.body)
			}
			if m := ls.next("change"); m["topic"] != fmt.Sprintf("job:%d", job.ID) {
				t.Fatalf("change %v", m)
			}
			if n := ls.next("unread")["count"]; n != 1.0 {
				t.Fatalf("unread %v on instance two, want 1", n)
			}

			// Shutting instance two down ends its streams, and it takes no more.
			done := make(chan struct{})
			go func() {
				for range ls.msgs {
				}
				close(done)
			}()
			twoWeb.CloseStreams()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the stream stayed open after CloseStreams")
			}
			if again := two.signedIn(inboxRita).openLive(t, ""); again.res.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("after CloseStreams: %d, want 503", again.res.StatusCode)
			}
		})
	}
}
