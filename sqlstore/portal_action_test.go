package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// actionWorld is a client with two jobs, a job at another client, shared
// and unshared candidates, and contacts with every kind of access.
type actionWorld struct {
	*shortlistFixture
	apps     []*portico.Application // Senior Nurse: 0 and 1 shared, 2 not
	ward     *portico.Job           // the client's second job
	wardApp  *portico.Application   // shared
	otherApp *portico.Application   // shared, at another client
	hal      *portico.Contact       // all of Northwind's jobs
	kim      *portico.Contact       // Ward Sister only
	olga     *portico.Contact       // Elsewhere Ltd
	gone     *portico.Contact       // disabled
	admCtx   context.Context
}

func newActionWorld(t *testing.T, db *sqlstore.DB) *actionWorld {
	t.Helper()
	w := &actionWorld{shortlistFixture: newShortlistFixture(t, db, 4)}
	w.admCtx = testkit.AsUser(w.adm)
	svc := db.Services()
	_, err := svc.Applications.AddToShortlist(w.ctx, w.job.ID, w.ids(3))
	ok(t, err)
	w.apps, _ = shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: w.job.ID})
	testkit.ShareApplication(t, db, w.apps[0].ID)
	testkit.ShareApplication(t, db, w.apps[1].ID)

	w.ward = testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Ward Sister")
	_, err = svc.Applications.AddToShortlist(w.ctx, w.ward.ID, []int64{w.cands[3].ID})
	ok(t, err)
	list, _ := shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: w.ward.ID})
	w.wardApp = list[0]
	testkit.ShareApplication(t, db, w.wardApp.ID)

	other := testkit.AddClient(t, db, "Elsewhere Ltd")
	porter := testkit.AddJob(t, db, other.ID, w.rec.ID, "Porter")
	_, err = svc.Applications.AddToShortlist(w.ctx, porter.ID, []int64{w.cands[0].ID})
	ok(t, err)
	list, _ = shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: porter.ID})
	w.otherApp = list[0]
	testkit.ShareApplication(t, db, w.otherApp.ID)

	w.hal = testkit.PortalContact(t, db, w.client.ID, "Hal Hiring", "hal@northwind.test")
	w.kim = testkit.PortalContact(t, db, w.client.ID, "Kim Keller", "kim@northwind.test")
	ok(t, svc.PortalAccounts.SetAccess(w.ctx, w.kim.ID, false, []int64{w.ward.ID}))
	w.olga = testkit.PortalContact(t, db, other.ID, "Olga Other", "olga@elsewhere.test")
	w.gone = testkit.PortalContact(t, db, w.client.ID, "Gus Gone", "gus@northwind.test")
	ok(t, svc.PortalAccounts.Disable(w.ctx, w.gone.ID))
	return w
}

// portalEvents returns the events of an action, newest first.
func actionEvents(t *testing.T, db *sqlstore.DB, action string) []*portico.Event {
	t.Helper()
	evs, _, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{Action: action, Limit: 100})
	ok(t, err)
	return evs
}

// emailsTo returns the emails queued for an address, newest first.
func actionEmailsTo(t *testing.T, db *sqlstore.DB, ctx context.Context, addr string) []*portico.Email {
	t.Helper()
	ms, _, err := db.Services().Outbox.FindMessages(ctx, portico.MessageFilter{Kind: portico.MessageEmail, Limit: 500})
	ok(t, err)
	var out []*portico.Email
	for _, m := range ms {
		for _, to := range m.Email.To {
			if to == addr {
				out = append(out, m.Email)
			}
		}
	}
	return out
}

// wantActionEvent checks an action's one event: the contact acted, on the
// application, naming its job, candidate and client; and the owner has an
// alert for it.
func wantActionEvent(t *testing.T, db *sqlstore.DB, w *actionWorld, action string, a *portico.Application, k *portico.Contact) *portico.Event {
	t.Helper()
	evs := actionEvents(t, db, action)
	if len(evs) == 0 {
		t.Fatalf("no %s event", action)
	}
	e := evs[0]
	if e.ActorKind != portico.ActorContact || e.ActorID != k.ID || e.ActorName != k.Name {
		t.Errorf("%s actor = %s %d %q", action, e.ActorKind, e.ActorID, e.ActorName)
	}
	if e.SubjectType != "application" || e.SubjectID != a.ID || e.JobID != a.JobID || e.CandidateID != a.CandidateID || e.ClientID != k.ClientID {
		t.Errorf("%s event points at %+v", action, e)
	}
	if e.Details["candidate"] != a.CandidateName || e.Details["job"] != a.JobTitle || e.Details["contact"] != k.Name || e.Details["client"] != k.ClientName {
		t.Errorf("%s details %v", action, e.Details)
	}
	alerts, _, err := db.Services().Alerts.FindAlerts(testkit.AsUser(w.rec), portico.AlertFilter{Limit: 50})
	ok(t, err)
	found := false
	for _, al := range alerts {
		found = found || al.Event.ID == e.ID
	}
	if !found {
		t.Errorf("the job owner has no alert for the %s event", action)
	}
	return e
}

func TestPortalActionAccess(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		job := w.job.ID
		slot := []time.Time{clock.Now().Add(48 * time.Hour)}
		do := func(ctx context.Context, jobID, appID int64) []error {
			return []error{
				act.Rate(ctx, jobID, appID, 4),
				act.Feedback(ctx, jobID, appID, "Looks good"),
				act.RequestInterview(ctx, jobID, appID, portico.InterviewInput{Slots: slot}),
				act.Approve(ctx, jobID, appID, ""),
				act.Hire(ctx, jobID, appID, ""),
				act.Reject(ctx, jobID, appID, "Not for us"),
			}
		}
		for _, c := range []struct {
			name     string
			ctx      context.Context
			job, app int64
			code     string
		}{
			{"not shared", testkit.AsContact(w.hal), job, w.apps[2].ID, portico.ENOTFOUND},
			{"unknown application", testkit.AsContact(w.hal), job, 99999, portico.ENOTFOUND},
			{"application of another job", testkit.AsContact(w.hal), job, w.wardApp.ID, portico.ENOTFOUND},
			{"unknown job", testkit.AsContact(w.hal), 99999, w.apps[0].ID, portico.ENOTFOUND},
			{"another client's candidate", testkit.AsContact(w.hal), w.otherApp.JobID, w.otherApp.ID, portico.ENOTFOUND},
			{"another client's contact", testkit.AsContact(w.olga), job, w.apps[0].ID, portico.ENOTFOUND},
			{"job outside the contact's access", testkit.AsContact(w.kim), job, w.apps[0].ID, portico.ENOTFOUND},
			{"disabled contact", testkit.AsContact(w.gone), job, w.apps[0].ID, portico.EUNAUTHORIZED},
			{"agency user", w.ctx, job, w.apps[0].ID, portico.EUNAUTHORIZED},
			{"nobody", portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorVisitor}), job, w.apps[0].ID, portico.EUNAUTHORIZED},
			{"the system", context.Background(), job, w.apps[0].ID, portico.EUNAUTHORIZED},
		} {
			t.Run(c.name, func(t *testing.T) {
				for i, err := range do(c.ctx, c.job, c.app) {
					if got := portico.ErrorCode(err); got != c.code {
						t.Errorf("action %d: code %q (%v), want %q", i, got, err, c.code)
					}
				}
			})
		}
		// None of it left a trace.
		for _, table := range []string{"ratings", "feedback", "interview_requests", "decisions", "tasks"} {
			if n := count(t, db, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("%s has %d rows after refused actions", table, n)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE action LIKE 'portal.%'`); n != 0 {
			t.Errorf("%d portal events after refused actions", n)
		}

		// Kim may act on her one job.
		ok(t, act.Rate(testkit.AsContact(w.kim), w.ward.ID, w.wardApp.ID, 5))
		wantActionEvent(t, db, w, "portal.rated", w.wardApp, w.kim)
	})
}

func TestPortalRate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		a := w.apps[0]
		for _, stars := range []int{0, 6, -1} {
			wantField(t, act.Rate(hal, w.job.ID, a.ID, stars), portico.EINVALID, "stars")
		}
		ok(t, act.Rate(hal, w.job.ID, a.ID, 4))
		e := wantActionEvent(t, db, w, "portal.rated", a, w.hal)
		if e.Details["stars"] != "4" || e.Details["previous"] != "" {
			t.Errorf("details %v", e.Details)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM ratings WHERE application_id = ? AND contact_id = ? AND stars = 4`, a.ID, w.hal.ID); n != 1 {
			t.Fatalf("ratings: %d", n)
		}
		mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test")
		if len(mails) != 1 || mails[0].Subject != "Hal Hiring rated Cand Number00 4 of 5 for Senior Nurse" ||
			!strings.Contains(mails[0].Text, "★★★★☆") || !strings.Contains(mails[0].Text, testkit.BaseURL+"/applications/") {
			t.Fatalf("emails %+v", mails)
		}

		// The same rating again changes nothing; another replaces it.
		ok(t, act.Rate(hal, w.job.ID, a.ID, 4))
		if n := len(actionEvents(t, db, "portal.rated")); n != 1 {
			t.Fatalf("%d rated events after rating the same again", n)
		}
		clock.Advance(time.Hour)
		ok(t, act.Rate(hal, w.job.ID, a.ID, 2))
		e = wantActionEvent(t, db, w, "portal.rated", a, w.hal)
		if e.Details["stars"] != "2" || e.Details["previous"] != "4" {
			t.Errorf("details %v", e.Details)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM ratings WHERE application_id = ?`, a.ID); n != 1 {
			t.Fatalf("ratings rows: %d", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM ratings WHERE application_id = ? AND stars = 2`, a.ID); n != 1 {
			t.Fatal("rating not replaced")
		}
		// Each contact has their own.
		kim := testkit.PortalContact(t, db, w.client.ID, "Kit Other", "kit@northwind.test")
		ok(t, act.Rate(testkit.AsContact(kim), w.job.ID, a.ID, 5))
		if n := count(t, db, `SELECT COUNT(*) FROM ratings WHERE application_id = ?`, a.ID); n != 2 {
			t.Fatalf("ratings rows: %d", n)
		}
		// No task for a rating.
		if n := count(t, db, `SELECT COUNT(*) FROM tasks`); n != 0 {
			t.Fatalf("%d tasks after ratings", n)
		}
	})
}

func TestPortalFeedback(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		a := w.apps[1]
		wantField(t, act.Feedback(hal, w.job.ID, a.ID, "  \r\n "), portico.EINVALID, "body")
		wantField(t, act.Feedback(hal, w.job.ID, a.ID, strings.Repeat("é", 5001)), portico.EINVALID, "body")
		ok(t, act.Feedback(hal, w.job.ID, a.ID, strings.Repeat("é", 5000)))
		body := "Strong on triage.\r\nWould like to know her notice period."
		ok(t, act.Feedback(hal, w.job.ID, a.ID, body))
		e := wantActionEvent(t, db, w, "portal.feedback", a, w.hal)
		if e.Details["excerpt"] != "Strong on triage. Would like to know her notice period." || e.Details["feedback_id"] == "" {
			t.Errorf("details %v", e.Details)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM feedback WHERE application_id = ? AND contact_id = ? AND body = ?`,
			a.ID, w.hal.ID, "Strong on triage.\nWould like to know her notice period."); n != 1 {
			t.Fatalf("feedback rows: %d", n)
		}
		mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test")
		if len(mails) != 2 || mails[0].Subject != "Feedback on Cand Number01 from Hal Hiring (Northwind Health)" ||
			!strings.Contains(mails[0].Text, "Would like to know her notice period.") || !strings.Contains(mails[0].HTML, "Would like to know her notice period.") {
			t.Fatalf("emails %+v", mails)
		}
	})
}

func TestPortalRequestInterview(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		a := w.apps[0]
		now := clock.Now() // Monday 2 March 2026, 09:00 UTC
		req := func(note string, slots ...time.Time) error {
			return act.RequestInterview(hal, w.job.ID, a.ID, portico.InterviewInput{Slots: slots, Note: note})
		}
		wantField(t, req(""), portico.EINVALID, "slot_1")
		wantField(t, req("", now.Add(-time.Hour)), portico.EINVALID, "slot_1")
		wantField(t, req("", now.Add(time.Hour), time.Time{}), portico.EINVALID, "slot_2")
		wantField(t, req("", now.Add(time.Hour), now.Add(2*time.Hour), now.Add(time.Hour)), portico.EINVALID, "slot_3")
		wantField(t, req("", now.Add(400*24*time.Hour)), portico.EINVALID, "slot_1")
		many := make([]time.Time, portico.MaxInterviewSlots+1)
		for i := range many {
			many[i] = now.Add(time.Duration(i+1) * time.Hour)
		}
		wantField(t, req("", many...), portico.EINVALID, "slot_1")
		wantField(t, req(strings.Repeat("x", 5001), now.Add(time.Hour)), portico.EINVALID, "note")
		if n := count(t, db, `SELECT COUNT(*) FROM interview_requests`); n != 0 {
			t.Fatalf("%d requests after bad input", n)
		}

		second := time.Date(2026, 3, 4, 14, 30, 0, 0, time.UTC)
		first := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
		ok(t, req("Mornings suit me best.\nBring a portfolio.", second, first))
		e := wantActionEvent(t, db, w, "portal.interview_requested", a, w.hal)
		const times = "Tue 3 Mar 2026, 10:00 GMT; Wed 4 Mar 2026, 14:30 GMT"
		if e.Details["times"] != times || e.Details["slots"] != "2026-03-03T10:00:00Z,2026-03-04T14:30:00Z" || e.Details["note"] == "" {
			t.Errorf("details %v", e.Details)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM interview_slots s JOIN interview_requests r ON r.id = s.request_id
			WHERE r.application_id = ? AND r.contact_id = ? AND r.status = 'requested' AND r.note = ?`, a.ID, w.hal.ID, "Mornings suit me best.\nBring a portfolio."); n != 2 {
			t.Fatalf("slots stored: %d", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM interview_slots WHERE starts_at = ?`, first); n != 1 {
			t.Fatal("the first slot isn't stored at its time")
		}
		// The stage stays.
		got, err := db.Services().Applications.FindApplicationByID(w.ctx, a.ID)
		ok(t, err)
		if got.StageID != a.StageID {
			t.Errorf("stage moved to %s", got.StageName)
		}
		// The owner's task lists every time and the note.
		tasks, _, err := db.Services().Tasks.FindTasks(w.ctx, portico.TaskFilter{AssigneeID: w.rec.ID})
		ok(t, err)
		if len(tasks) != 1 {
			t.Fatalf("tasks %v", tasks)
		}
		tk := tasks[0]
		if tk.Title != "Arrange interview" || tk.Kind != portico.TaskArrangeInterview || tk.JobID != w.job.ID || tk.ApplicationID != a.ID ||
			tk.DueOn != "2026-03-02" || tk.Status != portico.TaskOpen || tk.EventID != e.ID || tk.CreatedBy != 0 {
			t.Errorf("task %+v", tk)
		}
		for _, want := range []string{"Tue 3 Mar 2026, 10:00 GMT", "Wed 4 Mar 2026, 14:30 GMT", "Bring a portfolio.", "Hal Hiring"} {
			if !strings.Contains(tk.Details, want) {
				t.Errorf("task details lack %q:\n%s", want, tk.Details)
			}
		}
		if evs := actionEvents(t, db, "task.created"); len(evs) != 1 || evs[0].SubjectID != tk.ID || evs[0].ActorID != w.hal.ID {
			t.Errorf("task.created events %v", evs)
		}
		mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test")
		if len(mails) != 1 || mails[0].Subject != "Hal Hiring wants to interview Cand Number00 for Senior Nurse" {
			t.Fatalf("emails %+v", mails)
		}
		for _, want := range []string{"Tue 3 Mar 2026, 10:00 GMT", "Wed 4 Mar 2026, 14:30 GMT", "Bring a portfolio.", "Arrange interview"} {
			if !strings.Contains(mails[0].Text, want) || !strings.Contains(mails[0].HTML, want) {
				t.Errorf("email lacks %q:\n%s", want, mails[0].Text)
			}
		}
		// Summer time shows as BST.
		ok(t, req("", time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)))
		if e := actionEvents(t, db, "portal.interview_requested")[0]; e.Details["times"] != "Mon 1 Jun 2026, 10:00 BST" {
			t.Errorf("summer time %q", e.Details["times"])
		}
	})
}

func TestPortalHire(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		a := w.apps[0]
		wantField(t, act.Hire(hal, w.job.ID, a.ID, strings.Repeat("x", 5001)), portico.EINVALID, "note")
		ok(t, act.Hire(hal, w.job.ID, a.ID, "Start on the 1st, please."))
		e := wantActionEvent(t, db, w, "portal.hired", a, w.hal)
		got, err := db.Services().Applications.FindApplicationByID(w.ctx, a.ID)
		ok(t, err)
		if got.StageName != "Placed" || got.StageKind != portico.KindHired {
			t.Errorf("stage %s (%s)", got.StageName, got.StageKind)
		}
		if e.Details["stage"] != "Hired" || e.Details["note"] != "Start on the 1st, please." {
			t.Errorf("details %v", e.Details)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM decisions WHERE application_id = ? AND contact_id = ? AND kind = 'hire' AND reason = ?`,
			a.ID, w.hal.ID, "Start on the 1st, please."); n != 1 {
			t.Fatalf("decisions: %d", n)
		}
		tasks, _, err := db.Services().Tasks.FindTasks(w.ctx, portico.TaskFilter{AssigneeID: w.rec.ID})
		ok(t, err)
		if len(tasks) != 1 || tasks[0].Title != "Process offer" || tasks[0].Kind != portico.TaskProcessOffer || tasks[0].ApplicationID != a.ID {
			t.Fatalf("tasks %+v", tasks)
		}
		mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test")
		if len(mails) != 1 || mails[0].Subject != "Hal Hiring wants to hire Cand Number00 for Senior Nurse" ||
			!strings.Contains(mails[0].Text, `now in "Placed"`) || !strings.Contains(mails[0].Text, "Process offer") {
			t.Fatalf("emails %+v", mails)
		}
		// Hired is final for the client's decisions; rating still works.
		wantCode(t, act.Hire(hal, w.job.ID, a.ID, ""), portico.ECONFLICT)
		wantCode(t, act.Reject(hal, w.job.ID, a.ID, "Changed my mind"), portico.ECONFLICT)
		wantCode(t, act.RequestInterview(hal, w.job.ID, a.ID, portico.InterviewInput{Slots: []time.Time{clock.Now().Add(time.Hour)}}), portico.ECONFLICT)
		ok(t, act.Rate(hal, w.job.ID, a.ID, 5))
		if n := count(t, db, `SELECT COUNT(*) FROM decisions`); n != 1 {
			t.Fatalf("decisions: %d", n)
		}
	})
}

func TestPortalReject(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		a := w.apps[1]
		wantField(t, act.Reject(hal, w.job.ID, a.ID, " \n "), portico.EINVALID, "reason")
		wantField(t, act.Reject(hal, w.job.ID, a.ID, strings.Repeat("x", 5001)), portico.EINVALID, "reason")
		if n := count(t, db, `SELECT COUNT(*) FROM decisions`); n != 0 {
			t.Fatalf("decisions after bad input: %d", n)
		}
		ok(t, act.Reject(hal, w.job.ID, a.ID, "Not enough ICU experience"))
		e := wantActionEvent(t, db, w, "portal.rejected", a, w.hal)
		if e.Details["reason"] != "Not enough ICU experience" || e.Details["stage"] != "Not progressing" {
			t.Errorf("details %v", e.Details)
		}
		got, err := db.Services().Applications.FindApplicationByID(w.ctx, a.ID)
		ok(t, err)
		if got.StageName != "Rejected by Client" || got.StageKind != portico.KindRejectedByClient {
			t.Errorf("stage %s", got.StageName)
		}
		if got.SharedAt == nil {
			t.Error("rejecting unshared the candidate")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM decisions WHERE application_id = ? AND kind = 'reject' AND reason = 'Not enough ICU experience'`, a.ID); n != 1 {
			t.Fatalf("decisions: %d", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM tasks`); n != 0 {
			t.Errorf("%d tasks after a rejection", n)
		}
		mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test")
		if len(mails) != 1 || mails[0].Subject != "Hal Hiring rejected Cand Number01 for Senior Nurse" ||
			!strings.Contains(mails[0].Text, "Not enough ICU experience") || !strings.Contains(mails[0].Text, `now in "Rejected by Client"`) {
			t.Fatalf("emails %+v", mails)
		}
		wantCode(t, act.Reject(hal, w.job.ID, a.ID, "Again"), portico.ECONFLICT)
		wantCode(t, act.Hire(hal, w.job.ID, a.ID, ""), portico.ECONFLICT)
		ok(t, act.Feedback(hal, w.job.ID, a.ID, "Sorry — do keep us in mind."))
	})
}

func TestPortalActionOwnerGone(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		f := false
		_, err := db.Services().Users.UpdateUser(w.admCtx, w.rec.ID, portico.UserUpdate{Active: &f})
		ok(t, err)
		ok(t, db.Services().PortalActions.Hire(testkit.AsContact(w.hal), w.job.ID, w.apps[0].ID, ""))
		// The decision, its event and task stand; a deactivated owner gets
		// no alert and no email.
		if n := count(t, db, `SELECT COUNT(*) FROM tasks WHERE assignee_id = ?`, w.rec.ID); n != 1 {
			t.Errorf("tasks: %d", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM alerts WHERE user_id = ?`, w.rec.ID); n != 0 {
			t.Errorf("alerts: %d", n)
		}
		if mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test"); len(mails) != 0 {
			t.Errorf("emails: %v", mails)
		}
	})
}
