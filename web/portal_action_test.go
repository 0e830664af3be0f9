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

// actSite is a portal with one client's job, two shared candidates and one
// not shared, and a second client with its own shared candidate.
type actSite struct {
	*site
	rec                  *portico.User
	job                  *portico.Job
	jane, omar, hidden   *portico.Application
	otherJob             *portico.Job
	otherApp             *portico.Application
	hal, olga            *portico.Contact
	janePath, otherPath  string
	omarPath, hiddenPath string
}

func newActSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *actSite {
	t.Helper()
	s := &actSite{site: newSite(t, db, clock)}
	ctx := context.Background()
	svc := db.Services()
	s.rec = testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	client := testkit.AddClient(t, db, "Northwind Health")
	s.job = testkit.AddJob(t, db, client.ID, s.rec.ID, "Senior Nurse")
	var ids []int64
	for _, n := range [][2]string{{"Jane", "Doe"}, {"Omar", "Haddad"}, {"Hidden", "Person"}} {
		ids = append(ids, testkit.AddCandidate(t, db, n[0], n[1]).ID)
	}
	if _, err := svc.Applications.AddToShortlist(ctx, s.job.ID, ids); err != nil {
		t.Fatal(err)
	}
	list, _, err := svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: s.job.ID})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*portico.Application{}
	for _, a := range list {
		byName[a.CandidateName] = a
	}
	s.jane, s.omar, s.hidden = byName["Jane Doe"], byName["Omar Haddad"], byName["Hidden Person"]
	// Shared candidates start where a client would first see them.
	stages, err := svc.Stages.ListStages(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stages {
		if st.Kind == portico.KindSubmitted {
			for _, a := range list {
				if _, err := svc.Applications.MoveApplication(ctx, a.ID, st.ID); err != nil {
					t.Fatal(err)
				}
			}
			break
		}
	}
	testkit.ShareApplication(t, db, s.jane.ID)
	testkit.ShareApplication(t, db, s.omar.ID)

	other := testkit.AddClient(t, db, "Elsewhere Ltd")
	s.otherJob = testkit.AddJob(t, db, other.ID, s.rec.ID, "Porter")
	if _, err := svc.Applications.AddToShortlist(ctx, s.otherJob.ID, ids[:1]); err != nil {
		t.Fatal(err)
	}
	ol, _, err := svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: s.otherJob.ID})
	if err != nil {
		t.Fatal(err)
	}
	s.otherApp = ol[0]
	testkit.ShareApplication(t, db, s.otherApp.ID)

	s.hal = testkit.PortalContact(t, db, client.ID, "Hal Hiring", "hal@northwind.test")
	s.olga = testkit.PortalContact(t, db, other.ID, "Olga Other", "olga@elsewhere.test")
	s.janePath = actPath(s.job.ID, s.jane.ID)
	s.omarPath = actPath(s.job.ID, s.omar.ID)
	s.hiddenPath = actPath(s.job.ID, s.hidden.ID)
	s.otherPath = actPath(s.otherJob.ID, s.otherApp.ID)
	return s
}

func actPath(jobID, appID int64) string {
	return fmt.Sprintf("/portal/jobs/%d/candidates/%d", jobID, appID)
}

// actInternalWords are what no portal page may show: internal stage names and
// the agency's side of things.
var actInternalWords = []string{"Submitted to client", "Rejected by Client", "Placed", "Client interview", "Elsewhere", "Hidden Person"}

func TestPortalActionPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newActSite(t, db, clock)
		rate := url.Values{"stars": {"4"}}
		var scs []scenario
		for _, action := range []string{"rating", "feedback", "interview", "hire", "reject"} {
			form := url.Values{"stars": {"4"}, "feedback": {"Good"}, "slot_1": {"2026-03-10T10:00"}, "reason": {"No"}}
			scs = append(scs,
				scenario{name: action + " signed out", method: http.MethodPost, path: s.janePath + "/" + action, form: form,
					status: http.StatusUnauthorized, contains: []string{"Sign in"}, forbidden: []string{"Jane Doe"}},
				scenario{name: action + " not shared", as: "hal@northwind.test", method: http.MethodPost, path: s.hiddenPath + "/" + action, form: form,
					status: http.StatusNotFound, forbidden: append(actInternalWords, "Jane Doe")},
				scenario{name: action + " another client's", as: "hal@northwind.test", method: http.MethodPost, path: s.otherPath + "/" + action, form: form,
					status: http.StatusNotFound, forbidden: actInternalWords},
				scenario{name: action + " by another client", as: "olga@elsewhere.test", method: http.MethodPost, path: s.janePath + "/" + action, form: form,
					status: http.StatusNotFound, forbidden: []string{"Jane Doe", "Senior Nurse", "Northwind"}},
				scenario{name: action + " wrong job", as: "hal@northwind.test", method: http.MethodPost,
					path: actPath(s.otherJob.ID, s.jane.ID) + "/" + action, form: form, status: http.StatusNotFound, forbidden: actInternalWords},
				scenario{name: action + " unknown", as: "hal@northwind.test", method: http.MethodPost,
					path: actPath(s.job.ID, 999999) + "/" + action, form: form, status: http.StatusNotFound},
				scenario{name: action + " malformed", as: "hal@northwind.test", method: http.MethodPost,
					path: "/portal/jobs/x/candidates/1/" + action, form: form, status: http.StatusNotFound},
			)
		}
		scs = append(scs,
			scenario{name: "GET is not an action", as: "hal@northwind.test", method: http.MethodGet, path: s.janePath + "/rating", status: http.StatusNotFound},
		)
		s.portalRun(t, scs)
		// An agency user signed in to the console can't act on the portal.
		res := s.signedIn(testkit.AdminEmail).post(s.janePath+"/rating", rate)
		if res.status != http.StatusUnauthorized {
			t.Errorf("console session rating: %d", res.status)
		}
		if n := actEvents(t, db); n != 0 {
			t.Errorf("%d portal events after refused actions", n)
		}
	})
}

// actEvents counts the events of client actions.
func actEvents(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	n := 0
	for _, action := range []string{"portal.rated", "portal.feedback", "portal.interview_requested", "portal.hired", "portal.rejected"} {
		_, total, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{Action: action, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		n += total
	}
	return n
}

func TestPortalActionForms(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newActSite(t, db, clock)
		hal := "hal@northwind.test"
		told := "Rita Recruiter at Harbour Recruitment"
		post := func(path string, kv ...string) url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v
		}
		s.portalRun(t, []scenario{
			{name: "the candidate page offers every action", as: hal, method: http.MethodGet, path: s.janePath, status: http.StatusOK,
				contains: []string{`action="` + s.janePath + `/rating"`, "Save rating", "1 star", "5 stars", "Send feedback",
					"Proposed time 1", `type="datetime-local"`, "Europe/London time", "Request interview", "Confirm hire", "Reject candidate"},
				forbidden: actInternalWords},

			// Rating.
			{name: "rating out of range", as: hal, method: http.MethodPost, path: s.janePath + "/rating", form: post("", "stars", "9"),
				status: http.StatusUnprocessableEntity, contains: []string{"Choose from 1 to 5 stars.", `aria-describedby="f-stars-error"`, "Jane Doe"},
				forbidden: actInternalWords},
			{name: "rating missing", as: hal, method: http.MethodPost, path: s.janePath + "/rating", form: post(""),
				status: http.StatusUnprocessableEntity, contains: []string{"Choose from 1 to 5 stars."}},
			{name: "rating", as: hal, method: http.MethodPost, path: s.janePath + "/rating", form: post("", "stars", "4"),
				status: http.StatusSeeOther, location: s.janePath},
			{name: "rating shown", as: hal, method: http.MethodGet, path: s.janePath, status: http.StatusOK,
				contains: []string{"Rating saved: 4 of 5. " + told + " has been told.", `value="4" id="f-stars-4" checked`, "You rated this candidate 4 of 5."}},

			// Feedback.
			{name: "feedback empty", as: hal, method: http.MethodPost, path: s.janePath + "/feedback", form: post("", "feedback", "  "),
				status: http.StatusUnprocessableEntity, contains: []string{"Write your feedback before sending it.", `id="f-feedback-error"`}},
			{name: "feedback too long keeps the text", as: hal, method: http.MethodPost, path: s.janePath + "/feedback",
				form: post("", "feedback", "Keep me "+strings.Repeat("x", 5000)), status: http.StatusUnprocessableEntity,
				contains: []string{"Keep it under 5,000 characters.", ">Keep me xxxx"}},
			{name: "feedback", as: hal, method: http.MethodPost, path: s.janePath + "/feedback", form: post("", "feedback", "Strong on triage <b>really</b>"),
				status: http.StatusSeeOther, location: s.janePath},
			{name: "feedback shown, escaped", as: hal, method: http.MethodGet, path: s.janePath, status: http.StatusOK,
				contains: []string{"Thanks for your feedback. " + told + " has been told.", "Strong on triage &lt;b&gt;really&lt;/b&gt;"}},

			// Interview.
			{name: "interview without times", as: hal, method: http.MethodPost, path: s.janePath + "/interview", form: post("", "interview_note", "Any day"),
				status: http.StatusUnprocessableEntity, contains: []string{"Propose at least one date and time", `id="f-slot_1-error"`, ">Any day</textarea>"}},
			{name: "interview time unreadable", as: hal, method: http.MethodPost, path: s.janePath + "/interview", form: post("", "slot_1", "tomorrow"),
				status: http.StatusUnprocessableEntity, contains: []string{"Enter a date and a time", `value="tomorrow"`}},
			{name: "interview time past, in the third box", as: hal, method: http.MethodPost, path: s.janePath + "/interview",
				form: post("", "slot_1", "2026-03-05T10:00", "slot_3", "2026-03-01T10:00"), status: http.StatusUnprocessableEntity,
				contains:  []string{"Choose a time in the future.", `id="f-slot_3-error"`, `value="2026-03-01T10:00"`, `value="2026-03-05T10:00"`},
				forbidden: []string{`id="f-slot_1-error"`}},
			{name: "interview", as: hal, method: http.MethodPost, path: s.janePath + "/interview",
				form:   post("", "slot_1", "2026-03-03T10:00", "slot_3", "2026-03-04T14:30", "interview_note", "Bring a portfolio"),
				status: http.StatusSeeOther, location: s.janePath},
			{name: "interview shown", as: hal, method: http.MethodGet, path: s.janePath, status: http.StatusOK,
				contains: []string{"Interview requested. " + told + " will arrange it", "Bring a portfolio"}},

			// Hire.
			{name: "hire note too long opens the confirmation", as: hal, method: http.MethodPost, path: s.omarPath + "/hire",
				form: post("", "hire_note", strings.Repeat("y", 5001)), status: http.StatusUnprocessableEntity,
				contains: []string{"Keep it under 5,000 characters.", `<details class="pact-confirm" open>`, `id="f-hire_note-error"`}},
			{name: "hire", as: hal, method: http.MethodPost, path: s.omarPath + "/hire", form: post("", "hire_note", "Start in April"),
				status: http.StatusSeeOther, location: s.omarPath},
			{name: "hired: no more decisions", as: hal, method: http.MethodGet, path: s.omarPath, status: http.StatusOK,
				contains:  []string{"Hire confirmed. " + told, "No decision is needed", "Save rating"},
				forbidden: append(actInternalWords, "Confirm hire", "Reject candidate", "Request interview")},
			{name: "hire again", as: hal, method: http.MethodPost, path: s.omarPath + "/hire", form: post(""),
				status: http.StatusConflict, contains: []string{"This candidate has been hired already"}, forbidden: actInternalWords},

			// Reject.
			{name: "reject without a reason", as: hal, method: http.MethodPost, path: s.janePath + "/reject", form: post("", "reason", " "),
				status: http.StatusUnprocessableEntity, contains: []string{"Say why", `<details class="pact-confirm" open>`, `id="f-reason-error"`}},
			{name: "reject", as: hal, method: http.MethodPost, path: s.janePath + "/reject", form: post("", "reason", "Not enough ICU experience"),
				status: http.StatusSeeOther, location: s.janePath},
			{name: "rejected shows the client's stage name", as: hal, method: http.MethodGet, path: s.janePath, status: http.StatusOK,
				contains:  []string{"Candidate rejected. " + told, "Not progressing", "No decision is needed"},
				forbidden: append(actInternalWords, "Reject candidate")},
			{name: "reject again", as: hal, method: http.MethodPost, path: s.janePath + "/reject", form: post("", "reason", "Again"),
				status: http.StatusConflict, contains: []string{"no longer in the running"}, forbidden: actInternalWords},
		})

		// The agency's side: the stage moved, a task with both times, the
		// emails to the job's owner.
		ctx := testkit.AsUser(s.admin)
		svc := db.Services()
		jane, err := svc.Applications.FindApplicationByID(ctx, s.jane.ID)
		if err != nil {
			t.Fatal(err)
		}
		if jane.StageName != "Rejected by Client" {
			t.Errorf("Jane is in %q", jane.StageName)
		}
		tasks, _, err := svc.Tasks.FindTasks(ctx, portico.TaskFilter{AssigneeID: s.rec.ID})
		if err != nil {
			t.Fatal(err)
		}
		titles := map[string]*portico.Task{}
		for _, tk := range tasks {
			titles[tk.Title] = tk
		}
		if tk := titles["Arrange interview"]; tk == nil || !strings.Contains(tk.Details, "Tue 3 Mar 2026, 10:00 GMT") ||
			!strings.Contains(tk.Details, "Wed 4 Mar 2026, 14:30 GMT") || tk.ApplicationID != s.jane.ID {
			t.Errorf("arrange interview task: %+v", tk)
		}
		if titles["Process offer"] == nil {
			t.Errorf("no process offer task in %v", titles)
		}
		ms, _, err := svc.Outbox.FindMessages(ctx, portico.MessageFilter{Kind: portico.MessageEmail, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		subjects := map[string]bool{}
		for _, m := range ms {
			if m.Email.To[0] == "rita@agency.test" {
				subjects[m.Email.Subject] = true
			}
		}
		for _, want := range []string{"Hal Hiring rated Jane Doe 4 of 5 for Senior Nurse", "Hal Hiring wants to interview Jane Doe for Senior Nurse",
			"Hal Hiring wants to hire Omar Haddad for Senior Nurse", "Hal Hiring rejected Jane Doe for Senior Nurse"} {
			if !subjects[want] {
				t.Errorf("no email %q in %v", want, subjects)
			}
		}
		if n := actEvents(t, db); n != 5 {
			t.Errorf("%d action events, want 5", n)
		}
	})
}

// TestPortalApprove: a contact approves a candidate with a note; the
// candidate moves to the approval stage (the interview stage by default),
// the recruiter gets the alert, and the page confirms it.
func TestPortalApprove(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newActSite(t, db, clock)
		hal := "hal@northwind.test"
		s.portalRun(t, []scenario{
			{name: "offered", as: hal, path: s.janePath, status: http.StatusOK,
				contains:  []string{`action="` + s.janePath + `/approve"`, "<summary class=\"btn\">Approve</summary>", `<label for="f-approve_note">`, "Confirm approval"},
				forbidden: actInternalWords},
			{name: "signed out", method: http.MethodPost, path: s.janePath + "/approve", form: url.Values{}, status: http.StatusUnauthorized},
			{name: "not shared", as: hal, method: http.MethodPost, path: s.hiddenPath + "/approve", form: url.Values{}, status: http.StatusNotFound,
				forbidden: actInternalWords},
			{name: "another client's", as: hal, method: http.MethodPost, path: s.otherPath + "/approve", form: url.Values{}, status: http.StatusNotFound},
			{name: "by another client", as: "olga@elsewhere.test", method: http.MethodPost, path: s.janePath + "/approve", form: url.Values{},
				status: http.StatusNotFound, forbidden: []string{"Jane Doe"}},
			{name: "note too long keeps the text", as: hal, method: http.MethodPost, path: s.janePath + "/approve",
				form: url.Values{"approve_note": {"Keep me " + strings.Repeat("z", 5000)}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Keep it under 5,000 characters.", `id="f-approve_note-error"`, ">Keep me zzz"}},
			{name: "approve", as: hal, method: http.MethodPost, path: s.janePath + "/approve", form: url.Values{"approve_note": {"Next week suits us"}},
				status: http.StatusSeeOther, location: s.janePath},
			{name: "confirmed", as: hal, path: s.janePath, status: http.StatusOK,
				contains:  []string{"Candidate approved. Rita Recruiter at Harbour Recruitment has been told", "Interview"},
				forbidden: actInternalWords},
		})
		ctx := testkit.AsUser(s.rec)
		jane, err := db.Services().Applications.FindApplicationByID(ctx, s.jane.ID)
		must(t, err)
		if jane.StageKind != portico.KindInterview {
			t.Errorf("after approval Jane is in %q (%s)", jane.StageName, jane.StageKind)
		}
		evs, _, err := db.Services().Events.FindEvents(ctx, portico.EventFilter{Action: "portal.approved", Limit: 10})
		must(t, err)
		if len(evs) != 1 || evs[0].ActorName != "Hal Hiring" {
			t.Fatalf("approval events %+v", evs)
		}
		rita := s.signedIn("rita@agency.test")
		if page := rita.get("/alerts"); !strings.Contains(page.body, "approved Jane Doe for Senior Nurse: “Next week suits us”") {
			t.Errorf("the recruiter's alerts don't show the approval:\n%s", page.body)
		}
		if page := rita.get(fmt.Sprintf("/applications/%d", s.jane.ID)); !strings.Contains(page.body, "approved Jane Doe for Senior Nurse") {
			t.Error("the application's history doesn't show the approval")
		}
	})
}

// TestPortalActionsNotAllowed: a client whose portal settings allow
// rating and feedback only is offered nothing else, and a forged post of
// any other action is refused with 403 and changes nothing. Another client
// on the agency default keeps every action.
func TestPortalActionsNotAllowed(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newActSite(t, db, clock)
		ctx := testkit.AsUser(s.admin)
		svc := db.Services()
		set, err := svc.PortalSettings.Settings(ctx, s.job.ClientID)
		must(t, err)
		set.Custom = true
		set.Allow = portico.PortalPermissions{Rate: true, Feedback: true}
		must(t, svc.PortalSettings.SetSettings(ctx, set, nil))
		before, err := svc.Applications.FindApplicationByID(ctx, s.jane.ID)
		must(t, err)

		hal := "hal@northwind.test"
		form := url.Values{"slot_1": {"2026-03-10T10:00"}, "reason": {"No"}, "hire_note": {"Yes"}, "approve_note": {"Yes"}}
		scs := []scenario{
			{name: "only rating and feedback offered", as: hal, path: s.janePath, status: http.StatusOK,
				contains:  []string{"Save rating", "Send feedback"},
				forbidden: []string{"Request interview", "Confirm approval", "Confirm hire", "Reject candidate", "/approve\"", "/hire\"", "/reject\"", "/interview\""}},
		}
		for _, action := range []string{"interview", "approve", "hire", "reject"} {
			scs = append(scs, scenario{name: "forged " + action, as: hal, method: http.MethodPost, path: s.janePath + "/" + action, form: form,
				status: http.StatusForbidden, contains: []string{"Your agency has turned this off."}, forbidden: actInternalWords})
		}
		scs = append(scs,
			scenario{name: "rating still works", as: hal, method: http.MethodPost, path: s.janePath + "/rating", form: url.Values{"stars": {"3"}},
				status: http.StatusSeeOther, location: s.janePath},
			scenario{name: "the other client keeps every action", as: "olga@elsewhere.test", path: s.otherPath, status: http.StatusOK,
				contains: []string{"Request interview", "Confirm approval", "Confirm hire", "Reject candidate"}},
		)
		s.portalRun(t, scs)

		jane, err := svc.Applications.FindApplicationByID(ctx, s.jane.ID)
		must(t, err)
		if jane.StageID != before.StageID {
			t.Errorf("a refused action moved Jane to %q", jane.StageName)
		}
		for _, action := range []string{"portal.interview_requested", "portal.approved", "portal.hired", "portal.rejected"} {
			if _, n, err := svc.Events.FindEvents(ctx, portico.EventFilter{Action: action, Limit: 1}); err != nil || n != 0 {
				t.Errorf("%s: %d events after refusals (%v)", action, n, err)
			}
		}
		tasks, _, err := svc.Tasks.FindTasks(ctx, portico.TaskFilter{AssigneeID: s.rec.ID})
		must(t, err)
		if len(tasks) != 0 {
			t.Errorf("refused actions made tasks: %+v", tasks)
		}
	})
}
