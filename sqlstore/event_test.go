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

func TestFindEvents(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db) // agency.created, user.created
		var recs []*portico.User
		for i := range 3 {
			clock.Advance(time.Minute)
			recs = append(recs, testkit.AddUser(t, db, fmt.Sprintf("Rec %d", i), fmt.Sprintf("rec%d@agency.test", i), portico.RoleRecruiter))
		}
		// Rec 1 gets a history of their own.
		for _, r := range []portico.Role{portico.RoleAdmin, portico.RoleRecruiter, portico.RoleAdmin} {
			clock.Advance(time.Minute)
			_, err := db.Services().Users.UpdateUser(admin(adm), recs[1].ID, portico.UserUpdate{Role: role(r)})
			ok(t, err)
		}
		clock.Advance(time.Minute)
		_, err := db.Services().Users.UpdateUser(admin(adm), recs[1].ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		evs := db.Services().Events

		// By subject: rec 1's five events, newest first.
		got, total, err := evs.FindEvents(context.Background(), portico.EventFilter{SubjectType: "user", SubjectID: recs[1].ID})
		ok(t, err)
		wantActions := []string{"user.deactivated", "user.role_changed", "user.role_changed", "user.role_changed", "user.created"}
		if total != len(wantActions) || len(got) != len(wantActions) {
			t.Fatalf("subject: %d events (total %d), want %d", len(got), total, len(wantActions))
		}
		for i, e := range got {
			if e.Action != wantActions[i] || e.SubjectType != "user" || e.SubjectID != recs[1].ID {
				t.Fatalf("subject event %d = %s %s %d, want %s", i, e.Action, e.SubjectType, e.SubjectID, wantActions[i])
			}
			if i > 0 && (e.ID >= got[i-1].ID || e.At.After(got[i-1].At)) {
				t.Fatalf("events not newest first: %d (%v) after %d (%v)", e.ID, e.At, got[i-1].ID, got[i-1].At)
			}
		}
		if got[1].Details["from"] != "recruiter" || got[1].Details["to"] != "admin" || got[1].ActorID != adm.ID || got[1].ActorKind != portico.ActorUser {
			t.Fatalf("latest role change = %+v", got[1])
		}

		// By action, across subjects.
		got, total, err = evs.FindEvents(context.Background(), portico.EventFilter{Action: "user.created"})
		ok(t, err)
		if total != 4 || len(got) != 4 || got[0].SubjectID != recs[2].ID || got[3].SubjectID != adm.ID {
			t.Fatalf("user.created: %d events (total %d)", len(got), total)
		}
		// Subject and action together.
		got, total, err = evs.FindEvents(context.Background(), portico.EventFilter{SubjectType: "user", SubjectID: recs[1].ID, Action: "user.role_changed"})
		ok(t, err)
		if total != 3 || len(got) != 3 {
			t.Fatalf("subject+action: %d events (total %d), want 3", len(got), total)
		}
		// Another subject of the same type is not mixed in.
		got, total, err = evs.FindEvents(context.Background(), portico.EventFilter{SubjectType: "user", SubjectID: recs[0].ID})
		ok(t, err)
		if total != 1 || len(got) != 1 || got[0].Action != "user.created" {
			t.Fatalf("rec 0: %+v (total %d)", got, total)
		}
		got, total, err = evs.FindEvents(context.Background(), portico.EventFilter{Action: "no.such_action"})
		ok(t, err)
		if total != 0 || len(got) != 0 {
			t.Fatalf("unknown action: %d events (total %d)", len(got), total)
		}

		// Pages, newest first, over everything.
		all, total, err := evs.FindEvents(context.Background(), portico.EventFilter{Limit: 500})
		ok(t, err)
		if total != len(all) || total < 2+3+4 {
			t.Fatalf("all: %d events, total %d, want at least 9", len(all), total)
		}
		var paged []int64
		for offset := 0; offset < total; offset += 4 {
			page, pageTotal, err := evs.FindEvents(context.Background(), portico.EventFilter{Offset: offset, Limit: 4})
			ok(t, err)
			if pageTotal != total {
				t.Fatalf("page total %d, want %d", pageTotal, total)
			}
			for _, e := range page {
				paged = append(paged, e.ID)
			}
		}
		if len(paged) != len(all) {
			t.Fatalf("pages hold %d events, want %d", len(paged), len(all))
		}
		for i := range all {
			if paged[i] != all[i].ID {
				t.Fatalf("page order %v differs from the full list at %d", paged, i)
			}
		}
		if oldest := all[len(all)-1]; !oldest.At.Equal(testkit.NewClock().Now()) {
			t.Fatalf("oldest event = %+v, want one from setup", oldest)
		}
	})
}

func TestEventRecordsActor(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		long := ""
		for range 120 {
			long += "Mozilla/5.0 " // 1440 bytes
		}
		ctx := portico.NewContextWithActor(context.Background(), portico.Actor{
			Kind: portico.ActorUser, ID: adm.ID, Name: adm.Name, Role: adm.Role, IP: "2001:db8::1", UserAgent: long})
		rec, err := db.Services().Users.CreateUser(ctx, portico.NewUser{Name: "Rita", Email: "rita@agency.test", Role: portico.RoleRecruiter, Password: testkit.Password})
		ok(t, err)
		got, _, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{SubjectType: "user", SubjectID: rec.ID})
		ok(t, err)
		if len(got) != 1 {
			t.Fatalf("%d events", len(got))
		}
		e := got[0]
		if e.ActorKind != portico.ActorUser || e.ActorID != adm.ID || e.ActorName != "Ada Admin" || e.IP != "2001:db8::1" ||
			len(e.UserAgent) != 500 || e.Details["name"] != "Rita" || !e.At.Equal(clock.Now()) || e.At.Location() != time.UTC {
			t.Fatalf("event = %+v", e)
		}
	})
}

// TestFindEventsAudit: the audit's filters, alone and together, on the
// weekly report's world of shares, moves and portal actions over a week.
func TestFindEventsAudit(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newWRWorld(t, db, clock)
		evs := db.Services().Events
		find := func(f portico.EventFilter) []*portico.Event {
			t.Helper()
			f.Limit = 500
			got, total, err := evs.FindEvents(admin(w.admin), f)
			ok(t, err)
			if total != len(got) || total == 0 {
				t.Fatalf("%+v: %d events, total %d", f, len(got), total)
			}
			return got
		}
		actions := func(es []*portico.Event) map[string]int {
			m := map[string]int{}
			for _, e := range es {
				m[e.Action]++
			}
			return m
		}

		// What Ann did, and only that.
		got := find(portico.EventFilter{ContactID: w.ann.ID})
		for _, e := range got {
			if e.ActorKind != portico.ActorContact || e.ActorID != w.ann.ID {
				t.Errorf("Ann's actions include %s by %s %d", e.Action, e.ActorKind, e.ActorID)
			}
		}
		if a := actions(got); a["portal.feedback"] != 1 || a["portal.interview_requested"] != 1 || a["contact.activated"] != 1 {
			t.Errorf("Ann's actions %v", a)
		}
		// Every contact's, no one else's.
		got = find(portico.EventFilter{ActorKind: portico.ActorContact})
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE actor_kind = 'contact'`); len(got) != n {
			t.Errorf("%d contact events, want %d", len(got), n)
		}
		for _, e := range got {
			if e.ActorKind != portico.ActorContact {
				t.Errorf("contact filter returned %s by %s", e.Action, e.ActorKind)
			}
		}
		// A day: From inclusive, To exclusive.
		got = find(portico.EventFilter{From: feb(26, 0), To: feb(27, 0)})
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE at >= ? AND at < ?`, feb(26, 0), feb(27, 0)); len(got) != n {
			t.Errorf("%d events on the 26th, want %d", len(got), n)
		}
		for _, e := range got {
			if e.At.Before(feb(26, 0)) || !e.At.Before(feb(27, 0)) {
				t.Errorf("event at %v outside the day", e.At)
			}
		}
		if got := find(portico.EventFilter{From: feb(26, 10)}); got[len(got)-1].At.Before(feb(26, 10)) {
			t.Errorf("From is inclusive: oldest at %v", got[len(got)-1].At)
		}
		// A client's and a job's, with an action and dates.
		for _, e := range find(portico.EventFilter{ClientID: w.bolt.ID}) {
			if e.ClientID != w.bolt.ID {
				t.Errorf("Bolt's events include %s of client %d", e.Action, e.ClientID)
			}
		}
		got = find(portico.EventFilter{JobID: w.nurse.ID, Action: "application.moved", From: feb(24, 0), To: feb(27, 0)})
		var moved []int64
		for _, e := range got {
			moved = append(moved, e.SubjectID)
		}
		if fmt.Sprint(moved) != fmt.Sprint([]int64{w.caseyApp, w.blakeApp, w.alexApp, w.caseyApp}) {
			t.Errorf("moves on the nurse job, 24th–26th: %v", moved)
		}
		// Ann's actions on one day of one job (her interview request made
		// the owner's task, in her name).
		got = find(portico.EventFilter{ContactID: w.ann.ID, JobID: w.nurse.ID, From: feb(26, 0), To: feb(27, 0)})
		if a := actions(got); len(got) != 3 || a["portal.feedback"] != 1 || a["portal.interview_requested"] != 1 || a["task.created"] != 1 {
			t.Errorf("Ann on the 26th: %v", a)
		}
		// An export's pages: older than the last row, and no count.
		all := find(portico.EventFilter{ClientID: w.acme.ID})
		var paged []int64
		for f := (portico.EventFilter{ClientID: w.acme.ID, NoTotal: true, Limit: 7}); ; {
			page, total, err := evs.FindEvents(admin(w.admin), f)
			ok(t, err)
			if total != -1 {
				t.Fatalf("NoTotal counted %d", total)
			}
			for _, e := range page {
				paged = append(paged, e.ID)
			}
			if len(page) < f.Limit {
				break
			}
			f.BeforeID = page[len(page)-1].ID
		}
		var want []int64
		for _, e := range all {
			want = append(want, e.ID)
		}
		if fmt.Sprint(paged) != fmt.Sprint(want) {
			t.Errorf("paged by BeforeID %v, want %v", paged, want)
		}
		// Nothing matches: an empty page, not an error.
		none, total, err := evs.FindEvents(admin(w.admin), portico.EventFilter{ContactID: w.bea.ID, Action: "portal.feedback"})
		ok(t, err)
		if total != 0 || len(none) != 0 {
			t.Errorf("Bea gave no feedback, got %d", total)
		}
	})
}
