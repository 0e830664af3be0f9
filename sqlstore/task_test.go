package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// taskWorld is what the task tests work with: an admin, two recruiters, a
// job with a candidate on its shortlist, and a second job.
type taskWorld struct {
	adm, rita, sam          *portico.User
	job, job2, app, app2    int64
	cand                    int64
	jobTitle, candidateName string
}

// taskRow inserts a row straight into the tables and returns its ID: the
// records tasks point at belong to other parts of the store.
func taskRow(t testing.TB, db *sqlstore.DB, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := sqlstore.SQLDB(db).QueryRowContext(context.Background(), sqlstore.Rebind(db, query+" RETURNING id"), args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return id
}

func newTaskWorld(t testing.TB, db *sqlstore.DB) *taskWorld {
	t.Helper()
	w := &taskWorld{adm: testkit.SetUp(t, db), jobTitle: "Senior Nurse", candidateName: "Jane Doe"}
	w.rita = testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	w.sam = testkit.AddUser(t, db, "Sam Sourcer", "sam@agency.test", portico.RoleRecruiter)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	client := taskRow(t, db, `INSERT INTO clients (name, status, created_at, updated_at) VALUES (?, ?, ?, ?)`, "Northwind Care", "active", now, now)
	w.job = taskRow(t, db, `INSERT INTO jobs (client_id, owner_id, title, type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		client, w.rita.ID, w.jobTitle, "permanent", "open", now, now)
	w.job2 = taskRow(t, db, `INSERT INTO jobs (client_id, owner_id, title, type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		client, w.rita.ID, "Night Porter", "temporary", "open", now, now)
	w.cand = taskRow(t, db, `INSERT INTO candidates (first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?)`, "Jane", "Doe", now, now)
	cand2 := taskRow(t, db, `INSERT INTO candidates (first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?)`, "Omar", "Ali", now, now)
	stage := count(t, db, `SELECT MIN(id) FROM stages`)
	w.app = taskRow(t, db, `INSERT INTO applications (job_id, candidate_id, stage_id, created_at, stage_changed_at) VALUES (?, ?, ?, ?, ?)`,
		w.job, w.cand, stage, now, now)
	w.app2 = taskRow(t, db, `INSERT INTO applications (job_id, candidate_id, stage_id, created_at, stage_changed_at) VALUES (?, ?, ?, ?, ?)`,
		w.job2, cand2, stage, now, now)
	return w
}

func TestTaskCreate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		tasks := db.Services().Tasks
		// From the application: the job comes with it.
		task, err := tasks.CreateTask(testkit.AsUser(w.adm), portico.TaskInput{Title: "  Call Jane about the offer ", Details: " Before noon. ",
			Kind: portico.TaskCall, ApplicationID: w.app, DueOn: "2026-03-04", AssigneeID: w.rita.ID})
		ok(t, err)
		if task.Title != "Call Jane about the offer" || task.Details != "Before noon." || task.Kind != portico.TaskCall ||
			task.JobID != w.job || task.JobTitle != w.jobTitle || task.ApplicationID != w.app || task.CandidateName != w.candidateName ||
			task.DueOn != "2026-03-04" || task.AssigneeID != w.rita.ID || task.AssigneeName != "Rita Recruiter" ||
			task.Status != portico.TaskOpen || task.CreatedBy != w.adm.ID || !task.CreatedAt.Equal(clock.Now()) || task.CompletedAt != nil {
			t.Fatalf("created %+v", task)
		}
		got, err := tasks.FindTaskByID(testkit.AsUser(w.sam), task.ID)
		ok(t, err)
		if *got != *task {
			t.Fatalf("FindTaskByID = %+v, want %+v", got, task)
		}
		evs := events(t, db, "task.created")
		if len(evs) != 1 {
			t.Fatalf("%d task.created events", len(evs))
		}
		ev := evs[0]
		if ev.SubjectType != "task" || ev.SubjectID != task.ID || ev.JobID != w.job || ev.CandidateID != w.cand || ev.ActorID != w.adm.ID ||
			ev.Details["title"] != task.Title || ev.Details["assignee"] != "Rita Recruiter" || ev.Details["job"] != w.jobTitle || ev.Details["candidate"] != w.candidateName {
			t.Fatalf("task.created event = %+v", ev)
		}
		// Rita is alerted to the task set for her; the admin isn't.
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE user_id = ? AND event_id = ?`, w.rita.ID, ev.ID); n != 1 {
			t.Fatalf("rita has %d alerts for the event", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE user_id <> ?`, w.rita.ID); n != 0 {
			t.Fatalf("%d alerts for others", n)
		}

		// Her own task: no alert, and no job is fine.
		own, err := tasks.CreateTask(testkit.AsUser(w.rita), portico.TaskInput{Title: "Update my notes", AssigneeID: w.rita.ID})
		ok(t, err)
		if own.Kind != portico.TaskFollowUp || own.JobID != 0 || own.ApplicationID != 0 || own.DueOn != "" {
			t.Fatalf("own task %+v", own)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts`); n != 1 {
			t.Fatalf("%d alerts after a task of one's own, want 1", n)
		}
		if ev := events(t, db, "task.created")[0]; ev.JobID != 0 || ev.CandidateID != 0 {
			t.Fatalf("jobless task event = %+v", ev)
		}

		// The system (a routine, the command line) may set tasks too.
		sys, err := tasks.CreateTask(context.Background(), portico.TaskInput{Title: "Chase the client", JobID: w.job2, AssigneeID: w.rita.ID})
		ok(t, err)
		if sys.CreatedBy != 0 || sys.JobTitle != "Night Porter" {
			t.Fatalf("system task %+v", sys)
		}
	})
}

func TestTaskCreateRules(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		_, err := db.Services().Users.UpdateUser(admin(w.adm), w.sam.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		tasks := db.Services().Tasks
		valid := portico.TaskInput{Title: "Call", Kind: portico.TaskCall, AssigneeID: w.rita.ID}
		for _, c := range []struct {
			name  string
			edit  func(in *portico.TaskInput)
			field string
		}{
			{"no title", func(in *portico.TaskInput) { in.Title = "   " }, "title"},
			{"long title", func(in *portico.TaskInput) { in.Title = strings.Repeat("x", 201) }, "title"},
			{"unknown kind", func(in *portico.TaskInput) { in.Kind = "nap" }, "kind"},
			{"bad date", func(in *portico.TaskInput) { in.DueOn = "2026-02-30" }, "due_on"},
			{"no assignee", func(in *portico.TaskInput) { in.AssigneeID = 0 }, "assignee_id"},
			{"unknown assignee", func(in *portico.TaskInput) { in.AssigneeID = 999999 }, "assignee_id"},
			{"deactivated assignee", func(in *portico.TaskInput) { in.AssigneeID = w.sam.ID }, "assignee_id"},
			{"unknown job", func(in *portico.TaskInput) { in.JobID = 999999 }, "job_id"},
			{"unknown application", func(in *portico.TaskInput) { in.ApplicationID = 999999 }, "application_id"},
			{"application of another job", func(in *portico.TaskInput) { in.JobID, in.ApplicationID = w.job2, w.app }, "job_id"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := valid
				c.edit(&in)
				_, err := tasks.CreateTask(testkit.AsUser(w.adm), in)
				wantCode(t, err, portico.EINVALID)
				if msg := portico.ErrorFields(err)[c.field]; msg == "" {
					t.Fatalf("no message for %s: %v", c.field, portico.ErrorFields(err))
				}
			})
		}
		if n := count(t, db, `SELECT COUNT(*) FROM tasks`) + count(t, db, `SELECT COUNT(*) FROM events WHERE action LIKE 'task.%'`); n != 0 {
			t.Fatalf("refused tasks left %d rows", n)
		}
		// Only the agency's people keep tasks.
		_, err = tasks.CreateTask(inboxVisitor(), valid)
		wantCode(t, err, portico.EUNAUTHORIZED)
		contact := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: w.rita.ID, Name: "Hiring Manager"})
		_, err = tasks.CreateTask(contact, valid)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = tasks.FindTasks(contact, portico.TaskFilter{})
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = tasks.FindTaskByID(contact, 1)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = tasks.SetTaskStatus(contact, 1, portico.TaskDone)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = tasks.FindTaskByID(testkit.AsUser(w.adm), 999999)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestTaskUpdate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		tasks := db.Services().Tasks
		in := portico.TaskInput{Title: "Chase feedback", Kind: portico.TaskFollowUp, JobID: w.job, DueOn: "2026-03-05", AssigneeID: w.rita.ID}
		task, err := tasks.CreateTask(testkit.AsUser(w.rita), in)
		ok(t, err)
		clock.Advance(time.Hour)

		// Nothing changed: nothing written.
		_, err = tasks.UpdateTask(testkit.AsUser(w.rita), task.ID, in)
		ok(t, err)
		if n := len(events(t, db, "task.updated")); n != 0 {
			t.Fatalf("%d task.updated events for no change", n)
		}

		in.DueOn, in.Title, in.ApplicationID = "2026-03-09", "Chase feedback on Jane", w.app
		task, err = tasks.UpdateTask(testkit.AsUser(w.rita), task.ID, in)
		ok(t, err)
		if task.DueOn != "2026-03-09" || task.Title != "Chase feedback on Jane" || task.CandidateName != w.candidateName || task.AssigneeID != w.rita.ID {
			t.Fatalf("updated %+v", task)
		}
		upd := events(t, db, "task.updated")
		if len(upd) != 1 || upd[0].Details["changed"] != "title, job, due date" || upd[0].JobID != w.job || upd[0].CandidateID != w.cand {
			t.Fatalf("task.updated events %+v", upd)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts`); n != 0 {
			t.Fatalf("%d alerts for one's own changes", n)
		}

		// Reassigned to Sam: he is alerted.
		in.AssigneeID = w.sam.ID
		task, err = tasks.UpdateTask(testkit.AsUser(w.rita), task.ID, in)
		ok(t, err)
		if task.AssigneeID != w.sam.ID || task.AssigneeName != "Sam Sourcer" {
			t.Fatalf("reassigned %+v", task)
		}
		re := events(t, db, "task.reassigned")
		if len(re) != 1 || re[0].Details["from"] != "Rita Recruiter" || re[0].Details["to"] != "Sam Sourcer" || re[0].JobID != w.job {
			t.Fatalf("task.reassigned events %+v", re)
		}
		if len(events(t, db, "task.updated")) != 1 {
			t.Fatal("a reassignment alone wrote task.updated")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE user_id = ? AND event_id = ?`, w.sam.ID, re[0].ID); n != 1 {
			t.Fatalf("sam has %d alerts for the reassignment", n)
		}

		// Sam leaves; the task may stay his while other things change,
		// but can't be given to him anew.
		_, err = db.Services().Users.UpdateUser(admin(w.adm), w.sam.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		in.DueOn = "2026-03-10"
		_, err = tasks.UpdateTask(testkit.AsUser(w.rita), task.ID, in)
		ok(t, err)
		in.AssigneeID = w.rita.ID
		other, err := tasks.CreateTask(testkit.AsUser(w.rita), in)
		ok(t, err)
		in.AssigneeID = w.sam.ID
		_, err = tasks.UpdateTask(testkit.AsUser(w.rita), other.ID, in)
		wantCode(t, err, portico.EINVALID)

		// A bad change leaves the task as it was.
		in.AssigneeID, in.JobID = w.rita.ID, w.job2
		_, err = tasks.UpdateTask(testkit.AsUser(w.rita), task.ID, in)
		wantCode(t, err, portico.EINVALID)
		in.Title = ""
		_, err = tasks.UpdateTask(testkit.AsUser(w.rita), task.ID, in)
		wantCode(t, err, portico.EINVALID)
		got, err := tasks.FindTaskByID(testkit.AsUser(w.rita), task.ID)
		ok(t, err)
		if got.JobID != w.job || got.AssigneeID != w.sam.ID || got.Title != "Chase feedback on Jane" {
			t.Fatalf("after refused changes %+v", got)
		}
		_, err = tasks.UpdateTask(testkit.AsUser(w.rita), 999999, portico.TaskInput{Title: "x", AssigneeID: w.rita.ID})
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestTaskStatus(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		tasks := db.Services().Tasks
		task, err := tasks.CreateTask(testkit.AsUser(w.adm), portico.TaskInput{Title: "Send the offer", Kind: portico.TaskProcessOffer,
			ApplicationID: w.app, AssigneeID: w.rita.ID})
		ok(t, err)
		clock.Advance(time.Hour)

		// Rita completes it: the admin who set it hears.
		done, err := tasks.SetTaskStatus(testkit.AsUser(w.rita), task.ID, portico.TaskDone)
		ok(t, err)
		if done.Status != portico.TaskDone || done.CompletedAt == nil || !done.CompletedAt.Equal(clock.Now()) {
			t.Fatalf("completed %+v", done)
		}
		evs := events(t, db, "task.completed")
		if len(evs) != 1 || evs[0].JobID != w.job || evs[0].CandidateID != w.cand || evs[0].Details["title"] != "Send the offer" {
			t.Fatalf("task.completed events %+v", evs)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE user_id = ? AND event_id = ?`, w.adm.ID, evs[0].ID); n != 1 {
			t.Fatalf("the admin has %d alerts for the completion", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE user_id = ? AND event_id = ?`, w.rita.ID, evs[0].ID); n != 0 {
			t.Fatal("rita was alerted about her own action")
		}

		// Twice is once.
		_, err = tasks.SetTaskStatus(testkit.AsUser(w.rita), task.ID, portico.TaskDone)
		ok(t, err)
		if n := len(events(t, db, "task.completed")); n != 1 {
			t.Fatalf("%d task.completed events after completing twice", n)
		}

		// Sam reopens it: Rita (the assignee) and the admin (who set it) hear.
		clock.Advance(time.Hour)
		open, err := tasks.SetTaskStatus(testkit.AsUser(w.sam), task.ID, portico.TaskOpen)
		ok(t, err)
		if open.Status != portico.TaskOpen || open.CompletedAt != nil {
			t.Fatalf("reopened %+v", open)
		}
		re := events(t, db, "task.reopened")
		if len(re) != 1 || re[0].Details["from"] != "done" {
			t.Fatalf("task.reopened events %+v", re)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE event_id = ?`, re[0].ID); n != 2 {
			t.Fatalf("%d alerts for the reopening, want 2", n)
		}

		cancelled, err := tasks.SetTaskStatus(testkit.AsUser(w.adm), task.ID, portico.TaskCancelled)
		ok(t, err)
		if cancelled.Status != portico.TaskCancelled || cancelled.CompletedAt == nil || len(events(t, db, "task.cancelled")) != 1 {
			t.Fatalf("cancelled %+v", cancelled)
		}
		_, err = tasks.SetTaskStatus(testkit.AsUser(w.adm), task.ID, "snoozed")
		wantCode(t, err, portico.EINVALID)
		_, err = tasks.SetTaskStatus(testkit.AsUser(w.adm), 999999, portico.TaskDone)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestTaskList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newTaskWorld(t, db)
		tasks := db.Services().Tasks
		as := testkit.AsUser(w.adm)
		add := func(title string, due portico.Date, who *portico.User, job int64) *portico.Task {
			clock.Advance(time.Minute)
			task, err := tasks.CreateTask(as, portico.TaskInput{Title: title, DueOn: due, AssigneeID: who.ID, JobID: job})
			ok(t, err)
			return task
		}
		undated := add("Undated", "", w.rita, 0)
		later := add("Later", "2026-03-20", w.rita, w.job)
		soon := add("Soon", "2026-03-03", w.rita, w.job2)
		overdue := add("Overdue", "2026-02-27", w.rita, w.job)
		samTask := add("Sam's", "2026-03-01", w.sam, w.job)
		doneFirst := add("Done first", "2026-03-01", w.rita, 0)
		doneLast := add("Done last", "2026-03-02", w.rita, 0)
		for _, task := range []*portico.Task{doneFirst, doneLast} {
			clock.Advance(time.Minute)
			_, err := tasks.SetTaskStatus(as, task.ID, portico.TaskDone)
			ok(t, err)
		}
		titles := func(f portico.TaskFilter) ([]string, int) {
			t.Helper()
			ts, total, err := tasks.FindTasks(testkit.AsUser(w.rita), f)
			ok(t, err)
			var out []string
			for _, task := range ts {
				out = append(out, task.Title)
			}
			return out, total
		}
		check := func(name string, f portico.TaskFilter, want []string, wantTotal int) {
			t.Helper()
			got, total := titles(f)
			if fmt.Sprint(got) != fmt.Sprint(want) || total != wantTotal {
				t.Errorf("%s: %q (total %d), want %q (total %d)", name, got, total, want, wantTotal)
			}
		}
		check("rita's open", portico.TaskFilter{AssigneeID: w.rita.ID, Status: portico.TaskOpen},
			[]string{overdue.Title, soon.Title, later.Title, undated.Title}, 4)
		check("rita's all", portico.TaskFilter{AssigneeID: w.rita.ID},
			[]string{overdue.Title, soon.Title, later.Title, undated.Title, doneLast.Title, doneFirst.Title}, 6)
		check("rita's done", portico.TaskFilter{AssigneeID: w.rita.ID, Status: portico.TaskDone}, []string{doneLast.Title, doneFirst.Title}, 2)
		check("anyone's open", portico.TaskFilter{Status: portico.TaskOpen},
			[]string{overdue.Title, samTask.Title, soon.Title, later.Title, undated.Title}, 5)
		check("a job's", portico.TaskFilter{JobID: w.job}, []string{overdue.Title, samTask.Title, later.Title}, 3)
		check("cancelled", portico.TaskFilter{Status: portico.TaskCancelled}, nil, 0)
		check("page 1", portico.TaskFilter{AssigneeID: w.rita.ID, Limit: 2}, []string{overdue.Title, soon.Title}, 6)
		check("page 2", portico.TaskFilter{AssigneeID: w.rita.ID, Limit: 2, Offset: 2}, []string{later.Title, undated.Title}, 6)
		check("page 3", portico.TaskFilter{AssigneeID: w.rita.ID, Limit: 2, Offset: 4}, []string{doneLast.Title, doneFirst.Title}, 6)
		check("past the end", portico.TaskFilter{AssigneeID: w.rita.ID, Limit: 2, Offset: 40}, nil, 6)

		// Overdue is judged on the agency's day.
		if !overdue.Overdue("2026-03-02") || soon.Overdue("2026-03-02") || undated.Overdue("2026-03-02") {
			t.Error("Overdue is wrong")
		}
	})
}
