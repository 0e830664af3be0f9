package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// inboxVisitor is someone on the web who hasn't signed in.
func inboxVisitor() context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorVisitor, IP: "203.0.113.9"})
}

func TestAlertInbox(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		alerts := db.Services().Alerts
		rita, adm := testkit.AsUser(w.rita), testkit.AsUser(w.adm)
		var taskIDs []int64
		for i := range 3 {
			clock.Advance(time.Minute)
			task, err := db.Services().Tasks.CreateTask(adm, portico.TaskInput{Title: fmt.Sprintf("Task %d", i), JobID: w.job, AssigneeID: w.rita.ID})
			ok(t, err)
			taskIDs = append(taskIDs, task.ID)
		}
		n, err := alerts.CountUnread(rita)
		ok(t, err)
		if n != 3 {
			t.Fatalf("rita has %d unread, want 3", n)
		}
		if n, err := alerts.CountUnread(adm); err != nil || n != 0 {
			t.Fatalf("admin has %d unread (%v), want 0", n, err)
		}

		// Newest first, each with its event.
		list, total, err := alerts.FindAlerts(rita, portico.AlertFilter{Unread: true})
		ok(t, err)
		if total != 3 || len(list) != 3 {
			t.Fatalf("%d alerts (total %d)", len(list), total)
		}
		for i, al := range list {
			want := taskIDs[2-i]
			if al.UserID != w.rita.ID || al.ReadAt != nil || al.Event == nil || al.Event.Action != "task.created" ||
				al.Event.SubjectID != want || al.Event.JobID != w.job || al.Event.ActorName != "Ada Admin" || al.Event.Details["title"] == "" {
				t.Fatalf("alert %d = %+v (event %+v)", i, al, al.Event)
			}
		}
		page, total, err := alerts.FindAlerts(rita, portico.AlertFilter{Limit: 2, Offset: 2})
		ok(t, err)
		if total != 3 || len(page) != 1 || page[0].ID != list[2].ID {
			t.Fatalf("second page: %d alerts (total %d)", len(page), total)
		}

		// Someone else's alert, or none, is not found; nothing changes.
		wantCode(t, alerts.MarkRead(adm, list[0].ID), portico.ENOTFOUND)
		wantCode(t, alerts.MarkRead(rita, 999999), portico.ENOTFOUND)
		if n, _ := alerts.CountUnread(rita); n != 3 {
			t.Fatalf("after refused marks rita has %d unread", n)
		}

		clock.Advance(time.Minute)
		ok(t, alerts.MarkRead(rita, list[1].ID))
		ok(t, alerts.MarkRead(rita, list[1].ID)) // twice is once
		if n, _ := alerts.CountUnread(rita); n != 2 {
			t.Fatalf("after marking one rita has %d unread", n)
		}
		reads := events(t, db, "alert.read")
		if len(reads) != 1 || reads[0].SubjectID != list[1].ID || reads[0].ActorID != w.rita.ID {
			t.Fatalf("alert.read events %+v", reads)
		}
		all, total, err := alerts.FindAlerts(rita, portico.AlertFilter{})
		ok(t, err)
		if total != 3 || all[1].ReadAt == nil || !all[1].ReadAt.Equal(clock.Now()) || all[0].ReadAt != nil {
			t.Fatalf("all alerts after one read: total %d, %+v", total, all)
		}
		if _, total, _ := alerts.FindAlerts(rita, portico.AlertFilter{Unread: true}); total != 2 {
			t.Fatalf("unread total %d, want 2", total)
		}

		ok(t, alerts.MarkAllRead(rita))
		ok(t, alerts.MarkAllRead(rita))
		if n, _ := alerts.CountUnread(rita); n != 0 {
			t.Fatalf("after marking all rita has %d unread", n)
		}
		readAll := events(t, db, "alert.read_all")
		if len(readAll) != 1 || readAll[0].Details["count"] != "2" || readAll[0].SubjectType != "user" || readAll[0].SubjectID != w.rita.ID {
			t.Fatalf("alert.read_all events %+v", readAll)
		}
		if _, total, _ := alerts.FindAlerts(rita, portico.AlertFilter{}); total != 3 {
			t.Fatalf("read alerts are kept: total %d", total)
		}
	})
}

func TestAlertAccess(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		alerts := db.Services().Alerts
		_, err := db.Services().Tasks.CreateTask(testkit.AsUser(w.adm), portico.TaskInput{Title: "Call", AssigneeID: w.rita.ID})
		ok(t, err)
		_, err = db.Services().Tasks.CreateTask(testkit.AsUser(w.adm), portico.TaskInput{Title: "Call", AssigneeID: w.sam.ID})
		ok(t, err)
		contact := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: w.rita.ID})
		for name, ctx := range map[string]context.Context{"system": context.Background(), "visitor": inboxVisitor(), "contact": contact} {
			_, _, err := alerts.FindAlerts(ctx, portico.AlertFilter{})
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, err = alerts.CountUnread(ctx)
			wantCode(t, err, portico.EUNAUTHORIZED)
			wantCode(t, alerts.MarkAllRead(ctx), portico.EUNAUTHORIZED)
			wantCode(t, alerts.MarkRead(ctx, 1), portico.EUNAUTHORIZED)
			if name != "system" {
				_, err = alerts.UnreadCounts(ctx, []int64{w.rita.ID})
				wantCode(t, err, portico.EFORBIDDEN)
			}
		}
		_, err = alerts.UnreadCounts(testkit.AsUser(w.adm), []int64{w.rita.ID})
		wantCode(t, err, portico.EFORBIDDEN)

		// The live broker's count, for everyone at once.
		counts, err := alerts.UnreadCounts(context.Background(), []int64{w.rita.ID, w.sam.ID, w.adm.ID})
		ok(t, err)
		if len(counts) != 2 || counts[w.rita.ID] != 1 || counts[w.sam.ID] != 1 {
			t.Fatalf("UnreadCounts = %v", counts)
		}
		counts, err = alerts.UnreadCounts(context.Background(), nil)
		ok(t, err)
		if len(counts) != 0 {
			t.Fatalf("UnreadCounts(nil) = %v", counts)
		}
		// More users than one query takes.
		many := make([]int64, 1200)
		for i := range many {
			many[i] = int64(i + 1)
		}
		counts, err = alerts.UnreadCounts(context.Background(), many)
		ok(t, err)
		if counts[w.rita.ID] != 1 || counts[w.sam.ID] != 1 {
			t.Fatalf("UnreadCounts(1200 users) = %v", counts)
		}
	})
}
