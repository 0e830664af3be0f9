package sqlstore_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// The portal obeys the effective settings of the contact's client: names,
// counts, summary, actions, approvals and rejections, previews.

// stageCountList flattens a job's stage counts as "Name=n".
func stageCountList(cs []portico.PortalStageCount) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+"="+itoa(int64(c.Count)))
	}
	return out
}

// historyTexts returns a candidate's history lines as "Who Text".
func historyTexts(d *portico.PortalCandidateDetail) []string {
	var out []string
	for _, e := range d.History {
		out = append(out, e.Who+" "+e.Text)
	}
	return out
}

func TestPortalSettingsNames(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		st := stageIDs(t, db)
		v := db.Services().Portal
		hal := testkit.AsContact(w.hal)
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) {
			s.StageNames = map[int64]string{st["Sourced"]: "Longlist", st["Screening"]: "Longlist", st["Client interview"]: "Meet the team"}
			s.ActivityNames = map[string]string{"application.shared": "Presented", "application.moved": "Progress", "application.rated": "Scored"}
		})
		clock.Advance(time.Minute)
		// A move within what the client sees as one stage, then a real one.
		_, err := db.Services().Applications.MoveApplication(w.ctx, w.apps[0].ID, st["Screening"])
		ok(t, err)
		clock.Advance(time.Minute)
		_, err = db.Services().Applications.MoveApplication(w.ctx, w.apps[0].ID, st["Client interview"])
		ok(t, err)
		clock.Advance(time.Minute)
		ok(t, db.Services().PortalActions.Rate(hal, w.job.ID, w.apps[0].ID, 4))
		clock.Advance(time.Minute)
		ok(t, db.Services().PortalActions.Feedback(hal, w.job.ID, w.apps[0].ID, "Good"))

		h, err := v.Home(hal)
		ok(t, err)
		var job *portico.PortalJob
		for _, j := range h.Jobs {
			if j.ID == w.job.ID {
				job = j
			}
		}
		if job == nil {
			t.Fatalf("home jobs %+v", h.Jobs)
		}
		if got := strings.Join(stageCountList(job.Stages), " "); !strings.Contains(got, "Longlist=1") || !strings.Contains(got, "Meet the team=1") ||
			strings.Contains(got, "Sourced") || strings.Contains(got, "Under review") || strings.Contains(got, "Interview=") {
			t.Errorf("home stage counts %s", got)
		}
		j, err := v.Job(hal, w.job.ID)
		ok(t, err)
		if got := stageCountList(j.Stages); got[0] != "Longlist=1" || got[1] != "New candidates=0" || got[2] != "Meet the team=1" {
			t.Errorf("job stage counts %v", got)
		}
		list, total, err := v.Candidates(hal, w.job.ID, portico.PortalCandidateFilter{Stage: "meet THE team"})
		ok(t, err)
		if total != 1 || list[0].ApplicationID != w.apps[0].ID || list[0].StageName != "Meet the team" {
			t.Errorf("filter by the client's name: %d %+v", total, list)
		}
		_, total, err = v.Candidates(hal, w.job.ID, portico.PortalCandidateFilter{Stage: "Interview"})
		ok(t, err)
		if total != 0 {
			t.Errorf("the stage's own client name still filters: %d", total)
		}
		d, err := v.Candidate(hal, w.job.ID, w.apps[0].ID)
		ok(t, err)
		agency, err := db.Services().Agency.Agency(context.Background())
		ok(t, err)
		want := []string{"You gave feedback", "You Scored: 4 of 5 stars", "Rita Recruiter Progress: Meet the team", agency.Name + " Presented"}
		if got := historyTexts(d); !slices.Equal(got, want) {
			t.Errorf("history %q, want %q", got, want)
		}
		if d.History[0].Renamed || !d.History[1].Renamed || !d.History[2].Renamed || !d.History[3].Renamed {
			t.Errorf("renamed lines %+v", d.History)
		}
		if d.History[0].Activity != "Feedback" || d.History[1].Activity != "Scored" || d.History[2].Activity != "Progress" || d.History[3].Activity != "Presented" {
			t.Errorf("activities %+v", d.History)
		}

		// Another client's contact reads Portico's own names.
		olga := testkit.AsContact(w.olga)
		d, err = v.Candidate(olga, w.otherApp.JobID, w.otherApp.ID)
		ok(t, err)
		if d.StageName != "Sourced" || len(d.History) != 1 || d.History[0].Text != "shared this candidate with you" || d.History[0].Activity != "Candidate shared" {
			t.Errorf("another client: %s %+v", d.StageName, d.History)
		}
	})
}

func TestPortalSettingsCounts(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		st := stageIDs(t, db)
		v := db.Services().Portal
		hal := testkit.AsContact(w.hal)
		act := db.Services().PortalActions

		// Every stage, shared candidates only: the default.
		j, err := v.Job(hal, w.job.ID)
		ok(t, err)
		if got := stageCountList(j.Stages); len(got) != 8 || got[0] != "Sourced=2" || j.Shared != 2 {
			t.Errorf("default counts %v, shared %d", got, j.Shared)
		}
		// Chosen stages only.
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) {
			s.CountStageIDs = []int64{st["Client interview"], st["Sourced"]}
		})
		j, err = v.Job(hal, w.job.ID)
		ok(t, err)
		if got := strings.Join(stageCountList(j.Stages), " "); got != "Sourced=2 Interview=0" {
			t.Errorf("chosen stages: %s", got)
		}
		// Counting every candidate of the job, shared or not: a number, never a name.
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) { s.CountSharedOnly = false })
		j, err = v.Job(hal, w.job.ID)
		ok(t, err)
		if got := strings.Join(stageCountList(j.Stages), " "); got != "Sourced=3 Interview=0" || j.Shared != 2 {
			t.Errorf("all candidates: %s, shared %d", got, j.Shared)
		}
		h, err := v.Home(hal)
		ok(t, err)
		for _, hj := range h.Jobs {
			if hj.ID == w.job.ID && strings.Join(stageCountList(hj.Stages), " ") != "Sourced=3 Interview=0" {
				t.Errorf("home counts %v", stageCountList(hj.Stages))
			}
		}
		_, total, err := v.Candidates(hal, w.job.ID, portico.PortalCandidateFilter{})
		ok(t, err)
		if total != 2 {
			t.Errorf("the list shows %d candidates: only shared ones may", total)
		}

		// The week's summary: the items chosen, and what the client's
		// contacts did on visible jobs.
		ok(t, act.Feedback(hal, w.job.ID, w.apps[0].ID, "Promising"))
		ok(t, act.Feedback(testkit.AsContact(w.kim), w.ward.ID, w.wardApp.ID, "Kim's view"))
		ok(t, act.Feedback(testkit.AsContact(w.olga), w.otherApp.JobID, w.otherApp.ID, "Another client"))
		ok(t, act.RequestInterview(hal, w.job.ID, w.apps[1].ID, portico.InterviewInput{Slots: []time.Time{clock.Now().Add(48 * time.Hour)}}))
		h, err = v.Home(hal)
		ok(t, err)
		if h.Week.Feedback != 2 || h.Week.Interviews != 1 || h.Week.NewCandidates != 3 || !slices.Equal(h.Week.Items, portico.DefaultPortalSettings().Summary) {
			t.Errorf("week %+v", h.Week)
		}
		h, err = v.Home(testkit.AsContact(w.kim))
		ok(t, err)
		if h.Week.Feedback != 1 || h.Week.Interviews != 0 {
			t.Errorf("Kim's week (her one job) %+v", h.Week)
		}
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) {
			s.Summary = []portico.SummaryItem{portico.SummaryFeedback, portico.SummaryInterviews}
		})
		h, err = v.Home(hal)
		ok(t, err)
		if !h.Week.Shows(portico.SummaryFeedback) || !h.Week.Shows(portico.SummaryInterviews) || h.Week.Shows(portico.SummaryNewCandidates) || len(h.Week.Items) != 2 {
			t.Errorf("items %v", h.Week.Items)
		}
		clock.Advance(8 * 24 * time.Hour)
		h, err = v.Home(hal)
		ok(t, err)
		if h.Week.Feedback != 0 || h.Week.Interviews != 0 || h.Week.NewCandidates != 0 {
			t.Errorf("a week later %+v", h.Week)
		}
	})
}

func TestPortalSettingsActionsOff(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		job, app := w.job.ID, w.apps[0].ID
		slot := []time.Time{clock.Now().Add(48 * time.Hour)}
		for _, c := range []struct {
			name    string
			off     func(p *portico.PortalPermissions)
			offered func(a portico.PortalActions) bool
			do      func() error
		}{
			{"rate", func(p *portico.PortalPermissions) { p.Rate = false }, func(a portico.PortalActions) bool { return a.Rate },
				func() error { return act.Rate(hal, job, app, 3) }},
			{"feedback", func(p *portico.PortalPermissions) { p.Feedback = false }, func(a portico.PortalActions) bool { return a.Feedback },
				func() error { return act.Feedback(hal, job, app, "Hi") }},
			{"interview", func(p *portico.PortalPermissions) { p.Interview = false }, func(a portico.PortalActions) bool { return a.Interview },
				func() error { return act.RequestInterview(hal, job, app, portico.InterviewInput{Slots: slot}) }},
			{"approve", func(p *portico.PortalPermissions) { p.Approve = false }, func(a portico.PortalActions) bool { return a.Approve },
				func() error { return act.Approve(hal, job, app, "") }},
			{"hire", func(p *portico.PortalPermissions) { p.Hire = false }, func(a portico.PortalActions) bool { return a.Hire },
				func() error { return act.Hire(hal, job, app, "") }},
			{"reject", func(p *portico.PortalPermissions) { p.Reject = false }, func(a portico.PortalActions) bool { return a.Reject },
				func() error { return act.Reject(hal, job, app, "No") }},
		} {
			t.Run(c.name, func(t *testing.T) {
				testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) {
					s.Allow = portico.DefaultPortalSettings().Allow
					c.off(&s.Allow)
				})
				d, err := db.Services().Portal.Candidate(hal, job, app)
				ok(t, err)
				if c.offered(d.Actions) {
					t.Errorf("offered while turned off: %+v", d.Actions)
				}
				err = c.do()
				wantCode(t, err, portico.EFORBIDDEN)
				if !strings.Contains(err.Error(), "turned this off") {
					t.Errorf("message %q", err)
				}
			})
		}
		for _, table := range []string{"ratings", "feedback", "interview_requests", "decisions", "tasks"} {
			if n := count(t, db, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("%s has %d rows after refused actions", table, n)
			}
		}
		// The agency default governs clients without their own.
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) { s.Custom = false })
		testkit.SetPortalSettings(t, db, 0, func(s *portico.PortalSettings) { s.Allow.Rate = false })
		wantCode(t, act.Rate(hal, job, app, 3), portico.EFORBIDDEN)
		wantCode(t, act.Rate(testkit.AsContact(w.olga), w.otherApp.JobID, w.otherApp.ID, 3), portico.EFORBIDDEN)
	})
}

func TestPortalApprove(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		hal := testkit.AsContact(w.hal)
		st := stageIDs(t, db)
		a := w.apps[0]
		wantField(t, act.Approve(hal, w.job.ID, a.ID, strings.Repeat("x", 5001)), portico.EINVALID, "note")

		// By default an approval moves to the first interview stage.
		d, err := db.Services().Portal.Candidate(hal, w.job.ID, a.ID)
		ok(t, err)
		if !d.Actions.Approve {
			t.Errorf("approve not offered: %+v", d.Actions)
		}
		ok(t, act.Approve(hal, w.job.ID, a.ID, "Let's meet her."))
		e := wantActionEvent(t, db, w, "portal.approved", a, w.hal)
		if e.Details["stage"] != "Interview" || e.Details["note"] != "Let's meet her." {
			t.Errorf("details %v", e.Details)
		}
		got, err := db.Services().Applications.FindApplicationByID(w.ctx, a.ID)
		ok(t, err)
		if got.StageID != st["Client interview"] {
			t.Errorf("approved into %s", got.StageName)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM decisions WHERE application_id = ? AND kind = 'approve' AND reason = ?`, a.ID, "Let's meet her."); n != 1 {
			t.Errorf("decisions %d", n)
		}
		tasks, _, err := db.Services().Tasks.FindTasks(w.ctx, portico.TaskFilter{AssigneeID: w.rec.ID})
		ok(t, err)
		if len(tasks) != 1 || tasks[0].Title != "Follow up approval" || tasks[0].ApplicationID != a.ID || !strings.Contains(tasks[0].Details, "Client interview") {
			t.Fatalf("tasks %+v", tasks)
		}
		mails := actionEmailsTo(t, db, w.admCtx, "rita@agency.test")
		if len(mails) != 1 || mails[0].Subject != "Hal Hiring approved Cand Number00 for Senior Nurse" ||
			!strings.Contains(mails[0].Text, `now in "Client interview"`) || !strings.Contains(mails[0].HTML, "Let&#39;s meet her.") {
			t.Fatalf("emails %+v", mails)
		}
		d, err = db.Services().Portal.Candidate(hal, w.job.ID, a.ID)
		ok(t, err)
		if d.History[0].Text != "approved the candidate" || d.History[0].Activity != "Approved" {
			t.Errorf("history %+v", d.History)
		}

		// An approval never moves a candidate back: one at the offer stays.
		at := w.apps[1]
		_, err = db.Services().Applications.MoveApplication(w.ctx, at.ID, st["Offer"])
		ok(t, err)
		ok(t, act.Approve(hal, w.job.ID, at.ID, ""))
		got, err = db.Services().Applications.FindApplicationByID(w.ctx, at.ID)
		ok(t, err)
		if got.StageID != st["Offer"] {
			t.Errorf("approval moved a candidate at the offer back to %s", got.StageName)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM decisions WHERE application_id = ? AND kind = 'approve'`, at.ID); n != 1 {
			t.Errorf("approval at the offer not recorded: %d", n)
		}
		// The recruiter's task doesn't claim a move that didn't happen.
		var details string
		if err := sqlstore.SQLDB(db).QueryRow(sqlstore.Rebind(db, `SELECT details FROM tasks WHERE application_id = ? AND title = 'Follow up approval'`), at.ID).Scan(&details); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(details, "now in") || !strings.Contains(details, "approved") {
			t.Errorf("task after an approval that moved no one: %q", details)
		}
		_, err = db.Services().Applications.MoveApplication(w.ctx, at.ID, at.StageID)
		ok(t, err)

		// The settings choose where approvals and rejections go, under the
		// client's names.
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) {
			s.ApproveStageID, s.RejectStageID = st["Offer"], st["Rejected by agency"]
			s.StageNames = map[int64]string{st["Offer"]: "Final round"}
		})
		b := w.apps[1]
		ok(t, act.Approve(hal, w.job.ID, b.ID, ""))
		e = wantActionEvent(t, db, w, "portal.approved", b, w.hal)
		got, err = db.Services().Applications.FindApplicationByID(w.ctx, b.ID)
		ok(t, err)
		if got.StageID != st["Offer"] || e.Details["stage"] != "Final round" {
			t.Errorf("approved into %s, event stage %q", got.StageName, e.Details["stage"])
		}
		ok(t, act.Reject(hal, w.ward.ID, w.wardApp.ID, "Not this time"))
		got, err = db.Services().Applications.FindApplicationByID(w.ctx, w.wardApp.ID)
		ok(t, err)
		if got.StageID != st["Rejected by agency"] {
			t.Errorf("rejected into %s", got.StageName)
		}
		// Once out of the running, no approval.
		wantCode(t, act.Approve(hal, w.ward.ID, w.wardApp.ID, ""), portico.ECONFLICT)
		d, err = db.Services().Portal.Candidate(hal, w.ward.ID, w.wardApp.ID)
		ok(t, err)
		if d.Actions.Approve || d.Actions.Hire {
			t.Errorf("actions offered after rejection: %+v", d.Actions)
		}

		// A chosen stage retired since falls back to the default kind's.
		ok(t, db.Services().Stages.RetireStage(w.admCtx, st["Offer"]))
		c := testkit.AddCandidate(t, db, "Cara", "Third")
		_, err = db.Services().Applications.AddToShortlist(w.ctx, w.job.ID, []int64{c.ID})
		ok(t, err)
		list, _ := shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: w.job.ID})
		var cara *portico.Application
		for _, x := range list {
			if x.CandidateID == c.ID {
				cara = x
			}
		}
		testkit.ShareApplication(t, db, cara.ID)
		ok(t, act.Approve(hal, w.job.ID, cara.ID, ""))
		got, err = db.Services().Applications.FindApplicationByID(w.ctx, cara.ID)
		ok(t, err)
		if got.StageID != st["Client interview"] {
			t.Errorf("with the chosen stage retired, approved into %s", got.StageName)
		}
	})
}

func TestPortalPreviewReadOnly(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		act := db.Services().PortalActions
		preview := portico.NewContextWithActor(context.Background(), portico.Actor{
			Kind: portico.ActorContact, ID: w.hal.ID, Name: w.hal.Name, PreviewBy: w.rec.ID, IP: "192.0.2.9"})
		job, app := w.job.ID, w.apps[0].ID
		// Reads work, exactly as the contact sees them.
		h, err := db.Services().Portal.Home(preview)
		ok(t, err)
		mine, err := db.Services().Portal.Home(testkit.AsContact(w.hal))
		ok(t, err)
		if h.OpenJobs != mine.OpenJobs || h.NewTotal != mine.NewTotal {
			t.Errorf("preview home %d/%d, the contact's %d/%d", h.OpenJobs, h.NewTotal, mine.OpenJobs, mine.NewTotal)
		}
		_, err = db.Services().Portal.Candidate(preview, job, app)
		ok(t, err)
		for i, err := range []error{
			act.Rate(preview, job, app, 4),
			act.Feedback(preview, job, app, "Hi"),
			act.RequestInterview(preview, job, app, portico.InterviewInput{Slots: []time.Time{clock.Now().Add(48 * time.Hour)}}),
			act.Approve(preview, job, app, ""),
			act.Hire(preview, job, app, ""),
			act.Reject(preview, job, app, "No"),
			db.Services().Portal.SetColumns(preview, []portico.CandidateField{portico.FieldCity}),
		} {
			wantCode(t, err, portico.EFORBIDDEN)
			if !strings.Contains(err.Error(), "preview") {
				t.Errorf("action %d: message %q", i, err)
			}
		}
		for _, table := range []string{"ratings", "feedback", "interview_requests", "decisions", "tasks", "alerts"} {
			if n := count(t, db, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("%s has %d rows after a preview", table, n)
			}
		}
	})
}

func TestPortalSettingsBrandedEmails(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		north := testkit.AddClient(t, db, "Northwind Health")
		logo, err := db.Services().PortalSettings.AddImage(testkit.AsUser(adm), north.ID, testkit.PNG(90, 30))
		ok(t, err)
		testkit.SetPortalSettings(t, db, north.ID, func(s *portico.PortalSettings) {
			s.Accent, s.Brand, s.ImageID = "#0b6e4f", portico.BrandLogo, logo.ID
		})
		k := testkit.AddContact(t, db, north.ID, "Nia North", "nia@northwind.test")
		ok(t, db.Services().PortalAccounts.Invite(testkit.AsUser(adm), k.ID))
		mails := actionEmailsTo(t, db, testkit.AsUser(adm), "nia@northwind.test")
		if len(mails) != 1 || !strings.Contains(mails[0].HTML, "#0b6e4f") {
			t.Fatalf("the invitation doesn't carry the client's colour: %+v", mails)
		}
		// The logo by its key: an ID would let anyone walk every client's.
		if src := `src="` + testkit.BaseURL + "/portal/images/" + logo.Key + `"`; !strings.Contains(mails[0].HTML, src) ||
			strings.Contains(mails[0].HTML, "/portal/images/"+strconv.FormatInt(logo.ID, 10)+`"`) {
			t.Errorf("the invitation lacks the logo at %s:\n%s", src, mails[0].HTML)
		}
	})
}
