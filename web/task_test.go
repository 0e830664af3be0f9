package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

const inboxRita = "rita@agency.test"

// inboxSite is a site with a recruiter, a deactivated user and a job.
type inboxSite struct {
	*site
	rita, gone *portico.User
	job        *portico.Job
}

func newInboxSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *inboxSite {
	t.Helper()
	s := &inboxSite{site: newSite(t, db, clock)}
	s.rita = testkit.AddUser(t, db, "Rita Recruiter", inboxRita, portico.RoleRecruiter)
	s.gone = testkit.AddUser(t, db, "Gus Gone", "gus@agency.test", portico.RoleRecruiter)
	f := false
	if _, err := db.Services().Users.UpdateUser(context.Background(), s.gone.ID, portico.UserUpdate{Active: &f}); err != nil {
		t.Fatal(err)
	}
	client := testkit.AddClient(t, db, "Northwind Care")
	s.job = testkit.AddJob(t, db, client.ID, s.rita.ID, "Senior Nurse")
	return s
}

// addTask makes a task through the store, as the user.
func (s *inboxSite) addTask(as *portico.User, in portico.TaskInput) *portico.Task {
	s.t.Helper()
	task, err := s.db.Services().Tasks.CreateTask(testkit.AsUser(as), in)
	if err != nil {
		s.t.Fatal(err)
	}
	return task
}

func taskForm(kv ...string) url.Values {
	f := url.Values{"title": {"Call Jane about nights"}, "kind": {"call"}, "due_on": {"2026-03-04"}, "details": {"She prefers mornings."}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func TestTaskPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		adm := fmt.Sprint(s.admin.ID)
		job := fmt.Sprint(s.job.ID)
		task := s.addTask(s.rita, portico.TaskInput{Title: "Chase Northwind for feedback", JobID: s.job.ID, DueOn: "2026-03-01", AssigneeID: s.rita.ID})
		taskPath := fmt.Sprintf("/tasks/%d", task.ID)
		s.run(t, []scenario{
			{name: "visitor list", method: "GET", path: "/tasks", status: 303, location: "/signin?next=%2Ftasks"},
			{name: "visitor task", method: "GET", path: taskPath, status: 303, location: "/signin"},
			{name: "visitor can't add", method: "POST", path: "/tasks", form: taskForm("assignee_id", adm), status: 303, location: "/signin"},
			{name: "visitor can't complete", method: "POST", path: taskPath + "/status", form: url.Values{"status": {"done"}}, status: 303, location: "/signin"},

			{name: "rita's open tasks", as: inboxRita, method: "GET", path: "/tasks", status: 200,
				contains: []string{"My tasks", "Chase Northwind for feedback", "Overdue", "Due 1 Mar 2026", `href="/jobs/` + job + `"`, `value="done"`}},
			{name: "admin has none", as: testkit.AdminEmail, method: "GET", path: "/tasks", status: 200,
				contains: []string{"You have no open tasks."}, forbidden: []string{"Chase Northwind"}},
			{name: "admin sees everyone's", as: testkit.AdminEmail, method: "GET", path: "/tasks?assignee=any", status: 200,
				contains: []string{"Everyone&#39;s tasks", "Chase Northwind for feedback", "Rita Recruiter"}},
			{name: "admin sees rita's", as: testkit.AdminEmail, method: "GET", path: fmt.Sprintf("/tasks?assignee=%d", s.rita.ID), status: 200,
				contains: []string{"Tasks for Rita Recruiter", "Chase Northwind for feedback"}},
			{name: "done filter", as: inboxRita, method: "GET", path: "/tasks?status=done", status: 200,
				contains: []string{"No tasks match these filters."}, forbidden: []string{"Chase Northwind"}},
			{name: "nonsense filters fall back", as: inboxRita, method: "GET", path: "/tasks?assignee=%27;drop&status=zzz", status: 200,
				contains: []string{"My tasks", "Chase Northwind for feedback"}},

			{name: "new form", as: inboxRita, method: "GET", path: "/tasks/new", status: 200,
				contains:  []string{"Add task", `name="title"`, `type="date"`, "Senior Nurse — Northwind Care", "Rita Recruiter (me)", "Arrange interview"},
				forbidden: []string{"Gus Gone"}},
			{name: "new form for a job", as: inboxRita, method: "GET", path: "/tasks/new?job=" + job, status: 200,
				contains: []string{`<option value="` + job + `" selected>Senior Nurse`, `name="back" value="/jobs/` + job + `"`}},
			{name: "new form for an unknown job", as: inboxRita, method: "GET", path: "/tasks/new?job=999999", status: 404},
			{name: "new form for a malformed job", as: inboxRita, method: "GET", path: "/tasks/new?job=abc", status: 404},
			{name: "new form for an unknown application", as: inboxRita, method: "GET", path: "/tasks/new?application=999999", status: 404},

			{name: "no title", as: inboxRita, method: "POST", path: "/tasks", form: taskForm("title", " ", "assignee_id", adm), status: 422,
				contains: []string{"Say what needs doing.", `aria-invalid="true"`, "She prefers mornings.", `value="2026-03-04"`}},
			{name: "bad date", as: inboxRita, method: "POST", path: "/tasks", form: taskForm("due_on", "4 March", "assignee_id", adm), status: 422,
				contains: []string{"Enter the due date as a date", `value="Call Jane about nights"`}},
			{name: "unknown job", as: inboxRita, method: "POST", path: "/tasks", form: taskForm("job_id", "999999", "assignee_id", adm), status: 422,
				contains: []string{"Choose a job from the list, or none."}},
			{name: "malformed job", as: inboxRita, method: "POST", path: "/tasks", form: taskForm("job_id", "x", "assignee_id", adm), status: 422,
				contains: []string{"Choose a job from the list, or none."}},
			{name: "deactivated assignee", as: inboxRita, method: "POST", path: "/tasks", form: taskForm("assignee_id", fmt.Sprint(s.gone.ID)), status: 422,
				contains: []string{"Choose an active member of the agency."}},
			{name: "no assignee", as: inboxRita, method: "POST", path: "/tasks", form: taskForm(), status: 422,
				contains: []string{"Choose who should do it."}},
			{name: "unknown kind", as: inboxRita, method: "POST", path: "/tasks", form: taskForm("kind", "nap", "assignee_id", adm), status: 422,
				contains: []string{"Choose a kind of task."}},

			{name: "task page", as: testkit.AdminEmail, method: "GET", path: taskPath, status: 200,
				contains: []string{"Chase Northwind for feedback", "Overdue", "Mark as done", "Cancel task", "Change the task", `data-live="task:`,
					"Rita Recruiter</strong> added the task “Chase Northwind for feedback” on Senior Nurse, due 1 Mar 2026"}},
			{name: "unknown task", as: testkit.AdminEmail, method: "GET", path: "/tasks/999999", status: 404},
			{name: "malformed task", as: testkit.AdminEmail, method: "GET", path: "/tasks/x1", status: 404},
			{name: "update unknown", as: testkit.AdminEmail, method: "POST", path: "/tasks/999999", form: taskForm("assignee_id", adm), status: 404},
			{name: "complete unknown", as: testkit.AdminEmail, method: "POST", path: "/tasks/999999/status", form: url.Values{"status": {"done"}}, status: 404},
			{name: "nonsense status", as: testkit.AdminEmail, method: "POST", path: taskPath + "/status", form: url.Values{"status": {"snoozed"}}, status: 422,
				contains: []string{"Choose done, cancelled or open."}},
			{name: "bad update", as: testkit.AdminEmail, method: "POST", path: taskPath, form: taskForm("title", "", "assignee_id", adm), status: 422,
				contains: []string{"Say what needs doing.", `<details class="panel task-edit" open>`, "She prefers mornings."}},
		})
		if got, err := db.Services().Tasks.FindTaskByID(testkit.AsUser(s.admin), task.ID); err != nil || got.Title != task.Title || got.Status != portico.TaskOpen {
			t.Fatalf("refused changes changed the task: %+v %v", got, err)
		}
		if _, total, _ := db.Services().Tasks.FindTasks(testkit.AsUser(s.admin), portico.TaskFilter{}); total != 1 {
			t.Fatalf("refused forms left %d tasks, want 1", total)
		}
	})
}

// TestTaskJourney: a recruiter sets a task for the admin, who is alerted,
// reads the alert, gives the task back, and she completes it from her list.
func TestTaskJourney(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		rita, ada := s.signedIn(inboxRita), s.signedIn(testkit.AdminEmail)

		res := rita.post("/tasks", taskForm("assignee_id", fmt.Sprint(s.admin.ID), "job_id", fmt.Sprint(s.job.ID), "back", "/jobs/"+fmt.Sprint(s.job.ID)))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != fmt.Sprintf("/jobs/%d", s.job.ID) {
			t.Fatalf("add: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		ts, _, err := db.Services().Tasks.FindTasks(testkit.AsUser(s.admin), portico.TaskFilter{AssigneeID: s.admin.ID})
		if err != nil || len(ts) != 1 {
			t.Fatalf("admin's tasks: %v %v", ts, err)
		}
		task := ts[0]
		taskPath := fmt.Sprintf("/tasks/%d", task.ID)
		if task.Title != "Call Jane about nights" || task.Kind != portico.TaskCall || task.DueOn != "2026-03-04" || task.JobID != s.job.ID || task.Details != "She prefers mornings." {
			t.Fatalf("task %+v", task)
		}

		// Ada's navigation shows one unread alert, and her inbox says what happened.
		res = ada.get("/alerts")
		for _, want := range []string{`data-unread>1<span class="sr-only"> unread</span>`, "Rita Recruiter</strong>",
			`<a href="` + taskPath + `">added the task “Call Jane about nights” on Senior Nurse for Ada Admin, due 4 Mar 2026</a>`, "Mark all as read", "Mark as read"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("alerts page lacks %q", want)
			}
		}
		// Opening the task's page doesn't mark anything read (GET changes nothing).
		if res := ada.get(taskPath); res.status != 200 || !strings.Contains(res.body, `data-unread>1<`) {
			t.Fatalf("task page: %d", res.status)
		}
		als, _, err := db.Services().Alerts.FindAlerts(testkit.AsUser(s.admin), portico.AlertFilter{})
		if err != nil || len(als) != 1 {
			t.Fatalf("ada's alerts: %v %v", als, err)
		}
		alertPath := fmt.Sprintf("/alerts/%d/read", als[0].ID)
		// Rita can't touch Ada's alert.
		if res := rita.post(alertPath, nil); res.status != http.StatusNotFound {
			t.Fatalf("rita marking ada's alert: %d", res.status)
		}
		if res := ada.post("/alerts/999999/read", nil); res.status != http.StatusNotFound {
			t.Fatalf("unknown alert: %d", res.status)
		}
		res = ada.post(alertPath, url.Values{"back": {"/alerts?show=all"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/alerts?show=all" {
			t.Fatalf("mark read: %d %q", res.status, res.header.Get("Location"))
		}
		res = ada.get("/alerts?show=all")
		if !strings.Contains(res.body, "Alert marked as read.") || !strings.Contains(res.body, "data-unread hidden>0<") || strings.Contains(res.body, "Mark all as read") {
			t.Errorf("after marking read:\n%s", res.body)
		}
		if res := ada.get("/alerts"); !strings.Contains(res.body, "You're all caught up") {
			t.Error("unread tab isn't empty")
		}

		// Ada gives it back to Rita, who is alerted.
		res = ada.post(taskPath, taskForm("assignee_id", fmt.Sprint(s.rita.ID), "job_id", fmt.Sprint(s.job.ID), "due_on", "2026-03-06"))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != taskPath {
			t.Fatalf("reassign: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		res = ada.get(taskPath)
		for _, want := range []string{"Task saved and given to Rita Recruiter, who has been alerted.", "reassigned the task “Call Jane about nights” on Senior Nurse from Ada Admin to Rita Recruiter",
			"updated the task “Call Jane about nights” on Senior Nurse: due date, now due 6 Mar 2026"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("task page after reassigning lacks %q", want)
			}
		}
		res = rita.get("/alerts")
		if !strings.Contains(res.body, "Ada Admin</strong>") || !strings.Contains(res.body, "from Ada Admin to Rita Recruiter") || !strings.Contains(res.body, `data-unread>1<`) {
			t.Errorf("rita's alerts:\n%s", res.body)
		}

		// Rita completes it from her list and lands back on the list.
		res = rita.post(taskPath+"/status", url.Values{"status": {"done"}, "back": {"/tasks?assignee=me&status=open"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/tasks?assignee=me&status=open" {
			t.Fatalf("complete: %d %q", res.status, res.header.Get("Location"))
		}
		res = rita.get("/tasks?assignee=me&status=open")
		if !strings.Contains(res.body, "Done: “Call Jane about nights”.") || !strings.Contains(res.body, "You have no open tasks.") {
			t.Errorf("list after completing:\n%s", res.body)
		}
		// Rita both set and did it, so nobody else is alerted; the history
		// has it.
		if n, _ := db.Services().Alerts.CountUnread(testkit.AsUser(s.admin)); n != 0 {
			t.Errorf("ada has %d unread after rita completed her own task", n)
		}
		if res := ada.get(taskPath); !strings.Contains(res.body, "Rita Recruiter</strong> completed the task “Call Jane about nights”") {
			t.Error("the history lacks the completion")
		}
		res = rita.post(taskPath+"/status", url.Values{"status": {"open"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != taskPath {
			t.Fatalf("reopen: %d %q", res.status, res.header.Get("Location"))
		}
		if res := rita.get(taskPath); !strings.Contains(res.body, "Reopened “Call Jane about nights”.") || !strings.Contains(res.body, "Mark as done") {
			t.Error("reopened task page")
		}

		// Mark all read; a foreign "back" can't send anyone elsewhere.
		res = ada.post("/alerts/read-all", url.Values{"back": {"//evil.test/x"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/alerts" {
			t.Fatalf("read all: %d %q", res.status, res.header.Get("Location"))
		}
		if n, _ := db.Services().Alerts.CountUnread(testkit.AsUser(s.admin)); n != 0 {
			t.Fatalf("ada has %d unread after reading all", n)
		}
		res = rita.post(taskPath+"/status", url.Values{"status": {"done"}, "back": {"https://evil.test/"}})
		if res.header.Get("Location") != taskPath {
			t.Fatalf("foreign back: %q", res.header.Get("Location"))
		}
	})
}

func TestInboxPagination(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		for i := range 32 {
			s.addTask(s.admin, portico.TaskInput{Title: fmt.Sprintf("Task number %02d", i), DueOn: portico.Date(fmt.Sprintf("2026-04-%02d", i%28+1)), AssigneeID: s.rita.ID})
		}
		s.run(t, []scenario{
			{name: "tasks page 1", as: inboxRita, method: "GET", path: "/tasks", status: 200,
				contains: []string{"1–25 of 32", "Task number 00", `href="/tasks?assignee=me&amp;offset=25&amp;status=open"`}, forbidden: []string{"Task number 27", "Previous"}},
			{name: "tasks page 2", as: inboxRita, method: "GET", path: "/tasks?assignee=me&status=open&offset=25", status: 200,
				contains: []string{"26–32 of 32", "Task number 27", "Previous"}, forbidden: []string{"Task number 00<"}},
			{name: "alerts page 1", as: inboxRita, method: "GET", path: "/alerts", status: 200,
				contains: []string{"1–30 of 32", "Task number 31", `href="/alerts?offset=30"`}, forbidden: []string{"Task number 01”"}},
			{name: "alerts page 2", as: inboxRita, method: "GET", path: "/alerts?offset=30", status: 200,
				contains: []string{"31–32 of 32", "Task number 01”", "Task number 00”"}},
			{name: "all alerts keeps its tab", as: inboxRita, method: "GET", path: "/alerts?show=all", status: 200,
				contains: []string{`href="/alerts?offset=30&amp;show=all"`}},
			{name: "admin's inbox is empty", as: testkit.AdminEmail, method: "GET", path: "/alerts?show=all", status: 200,
				contains: []string{"No alerts yet."}, forbidden: []string{"Task number"}},
		})
	})
}

// TestTaskForApplication: a task started from a candidate on a shortlist
// carries the job and the candidate, and its events reach both histories.
func TestTaskForApplication(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newInboxSite(t, db, clock)
		cand := testkit.AddCandidate(t, db, "Jane", "Doe")
		ctx := testkit.AsUser(s.rita)
		if _, err := db.Services().Applications.AddToShortlist(ctx, s.job.ID, []int64{cand.ID}); err != nil {
			t.Fatal(err)
		}
		apps, _, err := db.Services().Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: s.job.ID})
		if err != nil || len(apps) != 1 {
			t.Fatalf("shortlist: %v %v", apps, err)
		}
		app := fmt.Sprint(apps[0].ID)
		rita := s.signedIn(inboxRita)
		res := rita.get("/tasks/new?application=" + app)
		for _, want := range []string{`<option value="` + app + `" selected>Jane Doe on Senior Nurse</option>`, `<option value="` + fmt.Sprint(s.job.ID) + `" selected>`,
			`name="back" value="/applications/` + app + `"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("form for an application lacks %q", want)
			}
		}
		res = rita.post("/tasks", taskForm("application_id", app, "job_id", fmt.Sprint(s.job.ID), "assignee_id", fmt.Sprint(s.rita.ID), "back", "/applications/"+app))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/applications/"+app {
			t.Fatalf("add: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		evs, _, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{CandidateID: cand.ID, Action: "task.created"})
		if err != nil || len(evs) != 1 || evs[0].JobID != s.job.ID {
			t.Fatalf("the candidate's history lacks the task: %v %v", evs, err)
		}
		ts, _, _ := db.Services().Tasks.FindTasks(ctx, portico.TaskFilter{JobID: s.job.ID})
		if len(ts) != 1 || ts[0].CandidateName != "Jane Doe" {
			t.Fatalf("job's tasks %+v", ts)
		}
		res = rita.get(fmt.Sprintf("/tasks/%d", ts[0].ID))
		if !strings.Contains(res.body, `<a href="/applications/`+app+`">Jane Doe</a>`) || !strings.Contains(res.body, "on Senior Nurse (Jane Doe)") {
			t.Errorf("task page lacks the candidate:\n%s", res.body)
		}
		// Another job with the candidate's application is refused beside the field.
		other := testkit.AddJob(t, db, s.job.ClientID, s.rita.ID, "Night Porter")
		res = rita.post(fmt.Sprintf("/tasks/%d", ts[0].ID), taskForm("application_id", app, "job_id", fmt.Sprint(other.ID), "assignee_id", fmt.Sprint(s.rita.ID)))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "The candidate is on another job&#39;s shortlist.") {
			t.Errorf("mismatched job: %d", res.status)
		}
	})
}
