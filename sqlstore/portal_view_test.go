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

// pvWorld is two clients with jobs, shared and unshared candidates and
// portal contacts, for the viewer's tests.
type pvWorld struct {
	admin, rita              *portico.User
	acme, bolt               *portico.Client
	nurse, porter, engineer  *portico.Job
	ann, ben, cara, dan      *portico.Candidate
	annApp, benApp, caraApp  int64 // on nurse: Ann and Ben shared, Cara not
	porterApp, danApp        int64 // Ann on porter (shared); Dan on engineer (shared)
	annResume, annOther      *portico.Document
	all, chosen, boltContact *portico.Contact
	stages                   map[string]*portico.Stage // by internal name
}

func pvExec(t testing.TB, db *sqlstore.DB, query string, args ...any) {
	t.Helper()
	if _, err := sqlstore.SQLDB(db).ExecContext(context.Background(), sqlstore.Rebind(db, query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func pvApp(t testing.TB, db *sqlstore.DB, jobID, candidateID int64) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Services().Applications.AddToShortlist(ctx, jobID, []int64{candidateID}); err != nil {
		t.Fatal(err)
	}
	apps, _, err := db.Services().Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: jobID, CandidateID: candidateID})
	if err != nil || len(apps) != 1 {
		t.Fatalf("application of %d on %d: %v", candidateID, jobID, err)
	}
	return apps[0].ID
}

func newPVWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *pvWorld {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	w := &pvWorld{stages: map[string]*portico.Stage{}}
	w.admin = testkit.SetUp(t, db)
	w.rita = testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	pvExec(t, db, `UPDATE users SET phone = ? WHERE id = ?`, "+44 20 7946 0001", w.rita.ID)
	stages, err := svc.Stages.ListStages(ctx, true)
	ok(t, err)
	for _, s := range stages {
		w.stages[s.InternalName] = s
	}
	w.acme = testkit.AddClient(t, db, "Acme Health")
	w.bolt = testkit.AddClient(t, db, "Bolt Engineering")
	w.nurse = testkit.AddJob(t, db, w.acme.ID, w.rita.ID, "Senior Nurse")
	w.porter = testkit.AddJob(t, db, w.acme.ID, w.rita.ID, "Night Porter")
	w.engineer = testkit.AddJob(t, db, w.bolt.ID, w.admin.ID, "Site Engineer")
	w.ann = testkit.AddCandidate(t, db, "Ann", "Archer")
	w.ben = testkit.AddCandidate(t, db, "Ben", "Baker")
	w.cara = testkit.AddCandidate(t, db, "Cara", "Cole")
	w.dan = testkit.AddCandidate(t, db, "Dan", "Drew")
	w.annResume, err = svc.Candidates.AddDocument(ctx, w.ann.ID, portico.DocResume, "ann-archer.pdf", testkit.PDF("Ann Archer CV"))
	ok(t, err)
	w.annOther, err = svc.Candidates.AddDocument(ctx, w.ann.ID, portico.DocOther, "ann-references.pdf", testkit.PDF("References"))
	ok(t, err)
	w.annApp = pvApp(t, db, w.nurse.ID, w.ann.ID)
	w.benApp = pvApp(t, db, w.nurse.ID, w.ben.ID)
	w.caraApp = pvApp(t, db, w.nurse.ID, w.cara.ID)
	w.porterApp = pvApp(t, db, w.porter.ID, w.ann.ID)
	w.danApp = pvApp(t, db, w.engineer.ID, w.dan.ID)

	w.all = testkit.PortalContact(t, db, w.acme.ID, "Ann Hiring", "hiring@acme.test")
	w.chosen = testkit.PortalContact(t, db, w.acme.ID, "Carl Chosen", "carl@acme.test")
	ok(t, svc.PortalAccounts.SetAccess(ctx, w.chosen.ID, false, []int64{w.porter.ID}))
	w.boltContact = testkit.PortalContact(t, db, w.bolt.ID, "Bea Bolt", "bea@bolt.test")

	clock.Advance(time.Hour)
	testkit.ShareWith(t, db, w.annApp, portico.ShareInput{ResumeID: w.annResume.ID, Profile: "A calm, experienced ward nurse."})
	testkit.ShareApplication(t, db, w.benApp)
	testkit.ShareApplication(t, db, w.porterApp)
	testkit.ShareApplication(t, db, w.danApp)
	return w
}

func pvMove(t testing.TB, db *sqlstore.DB, appID, stageID int64) {
	t.Helper()
	if _, err := db.Services().Applications.MoveApplication(context.Background(), appID, stageID); err != nil {
		t.Fatal(err)
	}
}

func pvNames(cs []*portico.PortalCandidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestPortalViewScope(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		v := db.Services().Portal
		all, chosen, bolt := testkit.AsContact(w.all), testkit.AsContact(w.chosen), testkit.AsContact(w.boltContact)

		// Only contacts may look, and only while their account works.
		for _, ctx := range []context.Context{context.Background(), testkit.AsUser(w.admin), fromIP("192.0.2.1")} {
			_, err := v.Home(ctx)
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, err = v.Job(ctx, w.nurse.ID)
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, _, err = v.Resume(ctx, w.nurse.ID, w.annApp)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}

		h, err := v.Home(all)
		ok(t, err)
		if h.ContactName != "Ann Hiring" || h.ClientName != "Acme Health" || h.FirstName() != "Ann" {
			t.Errorf("home greets %q of %q", h.ContactName, h.ClientName)
		}
		var titles []string
		for _, j := range h.Jobs {
			titles = append(titles, j.Title)
		}
		slices.Sort(titles)
		if strings.Join(titles, ",") != "Night Porter,Senior Nurse" || h.OpenJobs != 2 {
			t.Errorf("all-jobs contact sees jobs %v (%d)", titles, h.OpenJobs)
		}

		h, err = v.Home(chosen)
		ok(t, err)
		if len(h.Jobs) != 1 || h.Jobs[0].ID != w.porter.ID {
			t.Errorf("chosen-jobs contact sees %+v", h.Jobs)
		}
		for _, c := range h.NewCandidates {
			if c.JobID != w.porter.ID {
				t.Errorf("chosen-jobs contact told about a candidate on job %d", c.JobID)
			}
		}

		h, err = v.Home(bolt)
		ok(t, err)
		if len(h.Jobs) != 1 || h.Jobs[0].ID != w.engineer.ID || h.Jobs[0].OwnerName != "Ada Admin" {
			t.Errorf("other client's contact sees %+v", h.Jobs)
		}

		// Jobs: another client's, or one not chosen, is not there.
		_, err = v.Job(bolt, w.nurse.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = v.Job(chosen, w.nurse.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = v.Job(all, 999999)
		wantCode(t, err, portico.ENOTFOUND)
		_, _, err = v.Candidates(bolt, w.nurse.ID, portico.PortalCandidateFilter{})
		wantCode(t, err, portico.ENOTFOUND)
		_, _, err = v.Candidates(chosen, w.nurse.ID, portico.PortalCandidateFilter{})
		wantCode(t, err, portico.ENOTFOUND)

		// Candidates: only shared ones, only through their own job.
		list, total, err := v.Candidates(all, w.nurse.ID, portico.PortalCandidateFilter{})
		ok(t, err)
		if total != 2 || strings.Join(pvNames(list), ",") != "Ann Archer,Ben Baker" {
			t.Errorf("shared candidates %v (%d)", pvNames(list), total)
		}
		for _, tc := range []struct {
			ctx      context.Context
			job, app int64
			reason   string
		}{
			{all, w.nurse.ID, w.caraApp, "unshared"},
			{all, w.nurse.ID, w.danApp, "another job's"},
			{all, w.engineer.ID, w.danApp, "another client's"},
			{all, w.porter.ID, w.annApp, "through the wrong job"},
			{chosen, w.nurse.ID, w.annApp, "a job not chosen"},
			{bolt, w.nurse.ID, w.annApp, "another client's"},
			{all, w.nurse.ID, 999999, "missing"},
		} {
			_, err := v.Candidate(tc.ctx, tc.job, tc.app)
			if portico.ErrorCode(err) != portico.ENOTFOUND {
				t.Errorf("candidate %s: %v", tc.reason, err)
			}
			_, _, err = v.Resume(tc.ctx, tc.job, tc.app)
			if portico.ErrorCode(err) != portico.ENOTFOUND {
				t.Errorf("résumé %s: %v", tc.reason, err)
			}
		}

		// Unsharing hides the candidate at once; the stage stays.
		ok(t, db.Services().Sharing.Unshare(context.Background(), w.benApp))
		_, err = v.Candidate(all, w.nurse.ID, w.benApp)
		wantCode(t, err, portico.ENOTFOUND)
		list, total, err = v.Candidates(all, w.nurse.ID, portico.PortalCandidateFilter{})
		ok(t, err)
		if total != 1 || list[0].Name != "Ann Archer" {
			t.Errorf("after unsharing: %v", pvNames(list))
		}

		// A disabled contact sees nothing, even with a context that names them.
		ok(t, db.Services().PortalAccounts.Disable(context.Background(), w.all.ID))
		_, err = v.Home(all)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = v.Candidate(all, w.nurse.ID, w.annApp)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestPortalViewFields(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		v := db.Services().Portal
		ctx := testkit.AsContact(w.all)
		_, err := db.Services().Candidates.UpdateCandidate(context.Background(), w.ann.ID, portico.CandidateInput{
			FirstName: "Ann", LastName: "Archer", Email: "ann.private@example.com", Phone: "+44 7700 900123",
			City: "Leeds", CurrentTitle: "Ward Sister", Skills: "Triage", SalaryExpectation: "£48,000", Availability: "Immediately",
		})
		ok(t, err)

		field := func(c *portico.PortalCandidate, f portico.CandidateField) (string, bool) {
			for _, x := range c.Fields {
				if x.Field == f {
					return x.Value, true
				}
			}
			return "", false
		}
		// The default: work details, no contact details, no salary.
		d, err := v.Candidate(ctx, w.nurse.ID, w.annApp)
		ok(t, err)
		if d.Name != "Ann Archer" || d.Anonymous {
			t.Errorf("name %q anonymous %v", d.Name, d.Anonymous)
		}
		if got, _ := field(&d.PortalCandidate, portico.FieldCurrentTitle); got != "Ward Sister" {
			t.Errorf("title %q", got)
		}
		for _, f := range []portico.CandidateField{portico.FieldEmail, portico.FieldPhone, portico.FieldSalaryExpectation} {
			if _, shown := field(&d.PortalCandidate, f); shown {
				t.Errorf("%s shown by default", f)
			}
		}

		// The client's override applies to all its jobs; a job's wins.
		testkit.SetVisibility(t, db, portico.ScopeClient, w.acme.ID, portico.Visibility{Fields: []portico.CandidateField{portico.FieldEmail, portico.FieldCity}})
		d, err = v.Candidate(ctx, w.nurse.ID, w.annApp)
		ok(t, err)
		if got, _ := field(&d.PortalCandidate, portico.FieldEmail); got != "ann.private@example.com" || len(d.Fields) != 2 {
			t.Errorf("client override: %+v", d.Fields)
		}
		testkit.SetVisibility(t, db, portico.ScopeJob, w.nurse.ID, portico.Visibility{Anonymous: true,
			Fields: []portico.CandidateField{portico.FieldEmail, portico.FieldPhone, portico.FieldSkills}})
		d, err = v.Candidate(ctx, w.nurse.ID, w.annApp)
		ok(t, err)
		if d.Name != portico.Reference(w.ann.ID) || !d.Anonymous {
			t.Errorf("anonymous name %q", d.Name)
		}
		if len(d.Fields) != 1 || d.Fields[0].Field != portico.FieldSkills {
			t.Errorf("anonymous profile shows %+v (never contact details)", d.Fields)
		}
		job, err := v.Job(ctx, w.nurse.ID)
		ok(t, err)
		if vis := job.Visibility; !vis.Anonymous || vis.Shows(portico.FieldEmail) || !vis.Shows(portico.FieldSkills) {
			t.Errorf("visibility %+v", vis)
		}
		list, _, err := v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{})
		ok(t, err)
		for _, c := range list {
			if strings.Contains(c.Name, "Archer") || strings.Contains(c.Name, "Baker") {
				t.Errorf("anonymous list shows the name %q", c.Name)
			}
		}
		h, err := v.Home(ctx)
		ok(t, err)
		for _, c := range h.NewCandidates {
			if c.JobID == w.nurse.ID && !strings.HasPrefix(c.Name, "C-") {
				t.Errorf("home shows an anonymous candidate as %q", c.Name)
			}
			if c.JobID == w.porter.ID && c.Name != "Ann Archer" {
				t.Errorf("home shows a named candidate on another job as %q", c.Name)
			}
		}
	})
}

func TestPortalViewStages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		v := db.Services().Portal
		ctx := testkit.AsContact(w.all)
		clock.Advance(time.Minute)
		pvMove(t, db, w.annApp, w.stages["Rejected by Client"].ID)
		pvMove(t, db, w.benApp, w.stages["Rejected by agency"].ID)
		pvMove(t, db, w.caraApp, w.stages["Client interview"].ID) // unshared: counts nowhere

		j, err := v.Job(ctx, w.nurse.ID)
		ok(t, err)
		if j.Shared != 2 || j.OwnerName != "Rita Recruiter" || j.OwnerEmail != "rita@agency.test" || j.OwnerPhone != "+44 20 7946 0001" {
			t.Errorf("job %+v", j)
		}
		var got []string
		for _, s := range j.Stages {
			got = append(got, s.Name+"="+strconv.Itoa(s.Count))
		}
		want := "Sourced=0,Under review=0,New candidates=0,Interview=0,Offer=0,Hired=0,Not progressing=2,Withdrawn=0"
		if strings.Join(got, ",") != want {
			t.Errorf("progress\n got %s\nwant %s", strings.Join(got, ","), want)
		}

		list, total, err := v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{Stage: "not progressing"})
		ok(t, err)
		if total != 2 || list[0].StageName != "Not progressing" || list[1].StageName != "Not progressing" {
			t.Errorf("filter by merged stage: %d %+v", total, list)
		}
		list, total, err = v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{Stage: "Interview"})
		ok(t, err)
		if total != 0 || len(list) != 0 {
			t.Errorf("the unshared candidate in Interview shows: %v", pvNames(list))
		}
		_, total, err = v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{Stage: "Rejected by Client"})
		ok(t, err)
		if total != 0 {
			t.Errorf("an internal stage name filters %d candidates", total)
		}

		// The history names the client's stages only, and a move inside one
		// client stage (Rejected by Client → Rejected by agency, both "Not
		// progressing") isn't shown.
		pvMove(t, db, w.annApp, w.stages["Rejected by agency"].ID)
		d, err := v.Candidate(ctx, w.nurse.ID, w.annApp)
		ok(t, err)
		var texts []string
		for _, e := range d.History {
			texts = append(texts, e.Who+" "+e.Text)
			for _, bad := range []string{"Rejected by", "Screening", "Submitted to client", "agency"} {
				if strings.Contains(e.Text, bad) {
					t.Errorf("history says %q", e.Text)
				}
			}
		}
		wantH := "Harbour Recruitment moved the candidate to Not progressing|Harbour Recruitment shared this candidate with you"
		if strings.Join(texts, "|") != wantH {
			t.Errorf("history\n got %s\nwant %s", strings.Join(texts, "|"), wantH)
		}
		if d.StageName != "Not progressing" || d.StageKind != portico.KindRejectedByClient {
			t.Errorf("stage %q %q", d.StageName, d.StageKind)
		}
	})
}

func TestPortalViewCandidate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		v := db.Services().Portal
		ctx := testkit.AsContact(w.all)
		other := testkit.AddContact(t, db, w.acme.ID, "Olga Other", "olga@acme.test")
		now := clock.Now()

		pvExec(t, db, `INSERT INTO ratings (application_id, contact_id, stars, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, w.annApp, w.all.ID, 4, now, now)
		pvExec(t, db, `INSERT INTO ratings (application_id, contact_id, stars, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, w.annApp, other.ID, 5, now, now)
		pvExec(t, db, `INSERT INTO ratings (application_id, contact_id, stars, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, w.benApp, other.ID, 2, now, now)
		// A rating by another client's contact (which no action would
		// allow) must not count.
		pvExec(t, db, `INSERT INTO ratings (application_id, contact_id, stars, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, w.benApp, w.boltContact.ID, 5, now, now)
		pvExec(t, db, `INSERT INTO feedback (application_id, contact_id, body, created_at) VALUES (?, ?, ?, ?)`, w.annApp, other.ID, "Strong on triage.", now)
		pvExec(t, db, `INSERT INTO feedback (application_id, contact_id, body, created_at) VALUES (?, ?, ?, ?)`, w.annApp, w.boltContact.ID, "Bolt's private view", now)
		req := rawInsert(t, db, `INSERT INTO interview_requests (application_id, contact_id, note, status, created_at) VALUES (?, ?, ?, ?, ?)`,
			w.annApp, w.all.ID, "Either works", "requested", now)
		pvExec(t, db, `INSERT INTO interview_slots (request_id, starts_at) VALUES (?, ?)`, req, now.Add(72*time.Hour))
		pvExec(t, db, `INSERT INTO interview_slots (request_id, starts_at) VALUES (?, ?)`, req, now.Add(48*time.Hour))
		pvExec(t, db, `INSERT INTO events (at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, job_id, candidate_id, client_id, details)
			VALUES (?, 'contact', ?, ?, 'portal.rated', 'application', ?, ?, ?, ?, ?)`, now.Add(time.Minute), w.all.ID, w.all.Name, w.annApp, w.nurse.ID, w.ann.ID, w.acme.ID, `{"stars":"4"}`)
		pvExec(t, db, `INSERT INTO events (at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, job_id, candidate_id, client_id, details)
			VALUES (?, 'contact', ?, ?, 'portal.interview_requested', 'application', ?, ?, ?, ?, '{}')`, now.Add(2*time.Minute), other.ID, other.Name, w.annApp, w.nurse.ID, w.ann.ID, w.acme.ID)
		_, err := db.Services().Applications.AddNote(testkit.AsUser(w.rita), w.annApp, "Internal: asked for too much money")
		ok(t, err)

		d, err := v.Candidate(ctx, w.nurse.ID, w.annApp)
		ok(t, err)
		if d.MyRating != 4 || d.Ratings != 2 || d.AvgRating != 4.5 {
			t.Errorf("ratings mine %d, %d of avg %v", d.MyRating, d.Ratings, d.AvgRating)
		}
		if d.Profile != "A calm, experienced ward nurse." || d.ResumeID != w.annResume.ID || d.ResumeName != "ann-archer.pdf" || !d.ResumeIsPDF {
			t.Errorf("share %q %d %q %v", d.Profile, d.ResumeID, d.ResumeName, d.ResumeIsPDF)
		}
		if d.VideoURL != "" {
			t.Errorf("video %q without a shared video", d.VideoURL)
		}
		if len(d.Feedback) != 1 || d.Feedback[0].Body != "Strong on triage." || d.Feedback[0].ContactName != "Olga Other" {
			t.Errorf("feedback %+v", d.Feedback)
		}
		if len(d.Interviews) != 1 || len(d.Interviews[0].Slots) != 2 || !d.Interviews[0].Slots[0].Equal(now.Add(48*time.Hour)) || d.Interviews[0].Note != "Either works" {
			t.Errorf("interviews %+v", d.Interviews)
		}
		var texts []string
		for _, e := range d.History {
			texts = append(texts, e.Who+" "+e.Text)
		}
		wantH := "Olga Other asked for an interview|You rated the candidate 4 of 5 stars|Harbour Recruitment shared this candidate with you"
		if strings.Join(texts, "|") != wantH {
			t.Errorf("history\n got %s\nwant %s", strings.Join(texts, "|"), wantH)
		}
		if d.PrevID != 0 || d.NextID != w.benApp {
			t.Errorf("neighbours %d %d", d.PrevID, d.NextID)
		}
		if !d.Actions.Rate || !d.Actions.Reject {
			t.Errorf("actions %+v", d.Actions)
		}
		d, err = v.Candidate(ctx, w.nurse.ID, w.benApp)
		ok(t, err)
		if d.PrevID != w.annApp || d.NextID != 0 || d.AvgRating != 2 || d.Ratings != 1 || d.MyRating != 0 {
			t.Errorf("ben: neighbours %d %d, ratings %v %d %d", d.PrevID, d.NextID, d.AvgRating, d.Ratings, d.MyRating)
		}
		// Ben's newest résumé is shared by default; he has none.
		if d.ResumeID != 0 {
			t.Errorf("ben's résumé %d", d.ResumeID)
		}
		_, _, err = v.Resume(ctx, w.nurse.ID, w.benApp)
		wantCode(t, err, portico.ENOTFOUND)

		doc, content, err := v.Resume(ctx, w.nurse.ID, w.annApp)
		ok(t, err)
		if doc.ID != w.annResume.ID || !strings.HasPrefix(string(content), "%PDF") || doc.UploaderName != "" {
			t.Errorf("résumé %+v", doc)
		}
		// Ann on the porter job was shared with her newest résumé; her
		// other document is never reachable.
		doc, _, err = v.Resume(ctx, w.porter.ID, w.porterApp)
		ok(t, err)
		if doc.ID != w.annResume.ID {
			t.Errorf("porter résumé %d", doc.ID)
		}

		// Rating filter and pages.
		list, total, err := v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{MinRating: 3})
		ok(t, err)
		if total != 1 || list[0].Name != "Ann Archer" || list[0].MyRating != 4 {
			t.Errorf("min rating 3: %d %v", total, pvNames(list))
		}
		list, total, err = v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{Offset: 1, Limit: 1})
		ok(t, err)
		if total != 2 || len(list) != 1 || list[0].Name != "Ben Baker" {
			t.Errorf("second page: %d %v", total, pvNames(list))
		}
		_, _, err = v.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{MinRating: 6})
		wantCode(t, err, portico.EINVALID)
	})
}

func TestPortalViewHome(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		v := db.Services().Portal
		ctx := testkit.AsContact(w.all)

		// A first visit: everything shared is new.
		h, err := v.Home(ctx)
		ok(t, err)
		if h.PreviousVisit != nil || h.NewTotal != 3 || len(h.NewCandidates) != 3 {
			t.Fatalf("first visit: previous %v, new %d %v", h.PreviousVisit, h.NewTotal, pvNames(h.NewCandidates))
		}
		if h.Week.NewCandidates != 3 || h.Week.Submitted != 0 {
			t.Errorf("week %+v", h.Week)
		}

		// Signing in again later: only what was shared since is new.
		testkit.PortalSignIn(t, db, w.all.Email)
		clock.Advance(24 * time.Hour)
		ben := testkit.AddCandidate(t, db, "Bea", "Newcomer")
		newApp := pvApp(t, db, w.nurse.ID, ben.ID)
		testkit.ShareApplication(t, db, newApp)
		pvMove(t, db, newApp, w.stages["Submitted to client"].ID)
		pvMove(t, db, w.caraApp, w.stages["Submitted to client"].ID) // unshared: not counted
		testkit.PortalSignIn(t, db, w.all.Email)
		h, err = v.Home(ctx)
		ok(t, err)
		if h.PreviousVisit == nil || h.NewTotal != 1 || len(h.NewCandidates) != 1 || h.NewCandidates[0].Name != "Bea Newcomer" {
			t.Fatalf("second visit: new %d %v", h.NewTotal, pvNames(h.NewCandidates))
		}
		if h.NewCandidates[0].StageName != "New candidates" || h.NewCandidates[0].JobTitle != "Senior Nurse" {
			t.Errorf("new candidate %+v", h.NewCandidates[0])
		}
		var nurse *portico.PortalJob
		for _, j := range h.Jobs {
			if j.ID == w.nurse.ID {
				nurse = j
			}
		}
		if nurse == nil || nurse.Shared != 3 || nurse.NewSince != 1 {
			t.Fatalf("nurse on home: %+v", nurse)
		}
		if h.Jobs[0].ID != w.nurse.ID {
			t.Errorf("the job with the latest share comes first: %q", h.Jobs[0].Title)
		}
		if h.Week.NewCandidates != 4 || h.Week.Submitted != 1 {
			t.Errorf("week %+v", h.Week)
		}

		// A week later the summary is empty; closed jobs leave the list.
		clock.Advance(8 * 24 * time.Hour)
		_, err = db.Services().Jobs.UpdateJob(context.Background(), w.porter.ID, portico.JobInput{ClientID: w.acme.ID, OwnerID: w.rita.ID,
			Title: "Night Porter", Type: portico.JobPermanent, Openings: 1, Status: portico.JobFilled})
		ok(t, err)
		h, err = v.Home(ctx)
		ok(t, err)
		if h.Week.NewCandidates+h.Week.Submitted+h.Week.Interviews+h.Week.Feedback != 0 || h.OpenJobs != 1 || len(h.Jobs) != 1 {
			t.Errorf("later: week %+v, %d jobs", h.Week, h.OpenJobs)
		}
		// The filled job's page still opens.
		_, err = v.Job(ctx, w.porter.ID)
		ok(t, err)

		// A contact with no shared candidates yet.
		k := testkit.PortalContact(t, db, testkit.AddClient(t, db, "Empty Ltd").ID, "Eve Empty", "eve@empty.test")
		h, err = v.Home(testkit.AsContact(k))
		ok(t, err)
		if h.OpenJobs != 0 || len(h.Jobs) != 0 || h.NewTotal != 0 {
			t.Errorf("empty home %+v", h)
		}
	})
}

func TestPortalViewColumns(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		v := db.Services().Portal
		ctx := testkit.AsContact(w.all)
		cols, err := v.Columns(ctx)
		ok(t, err)
		if !slices.Equal(cols, sqlstore.DefaultColumns) {
			t.Errorf("default columns %v", cols)
		}
		ok(t, v.SetColumns(ctx, []portico.CandidateField{portico.FieldSkills, portico.FieldCurrentTitle}))
		cols, err = v.Columns(ctx)
		ok(t, err)
		if !slices.Equal(cols, []portico.CandidateField{portico.FieldCurrentTitle, portico.FieldSkills}) {
			t.Errorf("chosen columns %v", cols)
		}
		ok(t, v.SetColumns(ctx, nil))
		cols, err = v.Columns(ctx)
		ok(t, err)
		if len(cols) != 0 {
			t.Errorf("no columns: %v", cols)
		}
		wantCode(t, v.SetColumns(ctx, []portico.CandidateField{"password_hash"}), portico.EINVALID)
		wantCode(t, v.SetColumns(testkit.AsUser(w.admin), nil), portico.EUNAUTHORIZED)
		// Another contact's choice is their own.
		cols, err = v.Columns(testkit.AsContact(w.chosen))
		ok(t, err)
		if !slices.Equal(cols, sqlstore.DefaultColumns) {
			t.Errorf("another contact's columns %v", cols)
		}
	})
}

// A candidate's history shows a client only what it could see: nothing
// from while the candidate wasn't shared with it, and nothing another
// client's people did on a job since moved to it.
func TestPortalHistoryScope(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		svc := db.Services()
		st := stageIDs(t, db)
		elsewhere := testkit.AddClient(t, db, "Elsewhere Ltd")
		northwind := testkit.AddClient(t, db, "Northwind Health")
		olga := testkit.PortalContact(t, db, elsewhere.ID, "Olga Other", "olga@elsewhere.test")
		hal := testkit.PortalContact(t, db, northwind.ID, "Hal Hiring", "hal@northwind.test")
		job := testkit.AddJob(t, db, elsewhere.ID, adm.ID, "Ward Manager")
		c := testkit.AddCandidate(t, db, "Ben", "Baker")
		_, err := svc.Applications.AddToShortlist(testkit.AsUser(adm), job.ID, []int64{c.ID})
		ok(t, err)
		list, _, err := svc.Applications.FindApplications(testkit.AsUser(adm), portico.ApplicationFilter{JobID: job.ID})
		ok(t, err)
		app := list[0].ID
		testkit.ShareApplication(t, db, app)
		clock.Advance(time.Minute)
		ok(t, svc.PortalActions.Feedback(testkit.AsContact(olga), job.ID, app, "OLGA-SECRET about pay"))

		// Hidden for a while, moved meanwhile, shared again.
		_, err = svc.Sharing.SetShared(context.Background(), job.ID, []int64{app}, false)
		ok(t, err)
		clock.Advance(time.Minute)
		pvMove(t, db, app, st["Offer"])
		clock.Advance(time.Minute)
		testkit.ShareApplication(t, db, app)

		// The job moves to Northwind.
		in := portico.JobInput{ClientID: northwind.ID, OwnerID: adm.ID, Title: job.Title, Type: job.Type, Openings: job.Openings, Status: job.Status}
		_, err = svc.Jobs.UpdateJob(testkit.AsUser(adm), job.ID, in)
		ok(t, err)

		d, err := svc.Portal.Candidate(testkit.AsContact(hal), job.ID, app)
		ok(t, err)
		var texts []string
		for _, e := range d.History {
			texts = append(texts, e.Who+": "+e.Text)
		}
		got := strings.Join(texts, "|")
		for _, bad := range []string{"Olga", "OLGA-SECRET", "Offer"} {
			if strings.Contains(got, bad) {
				t.Errorf("history shows %q: %s", bad, got)
			}
		}
		if !strings.Contains(got, "shared this candidate with you") {
			t.Errorf("history lost the share: %s", got)
		}
		// Olga's own client no longer has the job; what she did is still hers.
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE action = 'portal.feedback' AND actor_id = ?`, olga.ID); n != 1 {
			t.Errorf("feedback events %d", n)
		}
	})
}
