package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestInboxSummary checks what the home page gets: the five soonest-due
// open tasks and the five newest unread alerts of the signed-in user.
func TestInboxSummary(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rita := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		s, err := New(Options{Services: db.Services(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 7 {
			clock.Advance(time.Minute)
			if _, err := db.Services().Tasks.CreateTask(testkit.AsUser(adm), portico.TaskInput{
				Title: fmt.Sprintf("Task %d", i), DueOn: portico.Date(fmt.Sprintf("2026-03-%02d", 7-i)), AssigneeID: rita.ID}); err != nil {
				t.Fatal(err)
			}
		}
		ctx := context.WithValue(testkit.AsUser(rita), userKey{}, rita)
		m, err := s.inboxSummary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tasks, alerts := m["Tasks"].([]taskView), m["Alerts"].([]*portico.Alert)
		if m["OpenTasks"] != 7 || m["UnreadAlerts"] != 7 || len(tasks) != 5 || len(alerts) != 5 {
			t.Fatalf("summary: %d of %v tasks, %d of %v alerts", len(tasks), m["OpenTasks"], len(alerts), m["UnreadAlerts"])
		}
		// Soonest due first (the clock says 2 March: the 1st is overdue, the 2nd due today).
		if tasks[0].Title != "Task 6" || !tasks[0].Late || tasks[1].Title != "Task 5" || !tasks[1].DueToday || tasks[2].Late || tasks[2].DueToday {
			t.Fatalf("tasks %+v %+v %+v", tasks[0], tasks[1], tasks[2])
		}
		if alerts[0].Event.Details["title"] != "Task 6" {
			t.Fatalf("newest alert is about %q", alerts[0].Event.Details["title"])
		}
		// Nobody signed in: nothing.
		if m, err := s.inboxSummary(context.Background()); err != nil || len(m) != 0 {
			t.Fatalf("signed out: %v %v", m, err)
		}
	})
}
