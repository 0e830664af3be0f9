package sqlstore_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	netmail "net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/mail"
	"portico/outbox"
	"portico/sqlstore"
)

// The weekly report's world: Acme Health, whose portal renames the
// "Client interview" stage "Meet the team" and feedback "Comments", with a
// busy nurse job and a quiet porter job; Bolt Engineering, anonymous, with
// one job. Last week runs Monday 23 February to Monday 2 March 2026
// (London, on GMT); the report goes on Monday 2 March at 09:00.
type wrWorld struct {
	admin                    *portico.User
	acme, bolt               *portico.Client
	nurse, porter, engineer  *portico.Job
	alex, blake, casey, drew *portico.Candidate
	alexApp, blakeApp        int64
	caseyApp, drewApp        int64
	ann, bob, pat, bea       *portico.Contact
	stages                   map[string]*portico.Stage
	weekStart, sendAt        time.Time
}

func feb(day, hour int) time.Time { return time.Date(2026, 2, day, hour, 0, 0, 0, time.UTC) }

func newWRWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *wrWorld {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	clock.Set(feb(16, 9))
	w := &wrWorld{stages: map[string]*portico.Stage{},
		weekStart: feb(23, 0), sendAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w.admin = testkit.SetUp(t, db)
	stages, err := svc.Stages.ListStages(ctx, true)
	ok(t, err)
	for _, s := range stages {
		w.stages[s.InternalName] = s
	}
	w.acme = testkit.AddClient(t, db, "Acme Health")
	w.bolt = testkit.AddClient(t, db, "Bolt Engineering")
	w.nurse = testkit.AddJob(t, db, w.acme.ID, w.admin.ID, "Senior Nurse")
	w.porter = testkit.AddJob(t, db, w.acme.ID, w.admin.ID, "Night Porter")
	w.engineer = testkit.AddJob(t, db, w.bolt.ID, w.admin.ID, "Site Engineer")
	w.alex = testkit.AddCandidate(t, db, "Alex", "Archer")
	w.blake = testkit.AddCandidate(t, db, "Blake", "Baker")
	w.casey = testkit.AddCandidate(t, db, "Casey", "Cole")
	w.drew = testkit.AddCandidate(t, db, "Drew", "Dunn")
	w.alexApp = pvApp(t, db, w.nurse.ID, w.alex.ID)
	w.blakeApp = pvApp(t, db, w.nurse.ID, w.blake.ID)
	w.caseyApp = pvApp(t, db, w.nurse.ID, w.casey.ID)
	w.drewApp = pvApp(t, db, w.engineer.ID, w.drew.ID)

	w.ann = testkit.PortalContact(t, db, w.acme.ID, "Ann Hiring", "ann@acme.test")
	w.bob = testkit.PortalContact(t, db, w.acme.ID, "Bob Quiet", "bob@acme.test")
	ok(t, svc.WeeklyReports.SetWeeklyReport(testkit.AsUser(w.admin), w.bob.ID, false))
	w.pat = testkit.AddContact(t, db, w.acme.ID, "Pat Pending", "pat@acme.test")
	ok(t, svc.PortalAccounts.Invite(ctx, w.pat.ID))
	w.bea = testkit.PortalContact(t, db, w.bolt.ID, "Bea Bolt", "bea@bolt.test")

	acme, err := svc.PortalSettings.Settings(testkit.AsUser(w.admin), w.acme.ID)
	ok(t, err)
	acme.Custom = true
	acme.StageNames = map[int64]string{w.stages["Client interview"].ID: "Meet the team"}
	acme.ActivityNames = map[string]string{"application.feedback": "Comments"}
	ok(t, svc.PortalSettings.SetSettings(testkit.AsUser(w.admin), acme, nil))
	testkit.SetVisibility(t, db, portico.ScopeJob, w.engineer.ID, portico.Visibility{Anonymous: true, Fields: []portico.CandidateField{portico.FieldCity}})

	// Before the week: Casey shared, and moved 8 days before the report.
	clock.Set(feb(20, 10))
	testkit.ShareApplication(t, db, w.caseyApp)
	clock.Set(feb(22, 9))
	pvMove(t, db, w.caseyApp, w.stages["Client interview"].ID)

	// In the week.
	clock.Set(feb(24, 10))
	pvMove(t, db, w.caseyApp, w.stages["Rejected by Client"].ID)
	clock.Set(feb(25, 10))
	testkit.ShareApplication(t, db, w.alexApp)
	pvMove(t, db, w.alexApp, w.stages["Client interview"].ID)
	pvMove(t, db, w.blakeApp, w.stages["Client interview"].ID) // never shared
	_, err = svc.Applications.AddNote(testkit.AsUser(w.admin), w.alexApp, "SECRET: asks for too much")
	ok(t, err)
	testkit.ShareApplication(t, db, w.drewApp)
	pvMove(t, db, w.drewApp, w.stages["Client interview"].ID)
	clock.Set(feb(26, 10))
	pvMove(t, db, w.caseyApp, w.stages["Rejected by agency"].ID) // the same client stage: no change
	asAnn := testkit.AsContact(w.ann)
	ok(t, svc.PortalActions.Feedback(asAnn, w.nurse.ID, w.alexApp, "Strong on wards."))
	ok(t, svc.PortalActions.RequestInterview(asAnn, w.nurse.ID, w.alexApp, portico.InterviewInput{
		Slots: []time.Time{time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)}}))

	// The morning of the report: today is not last week.
	clock.Set(w.sendAt.Add(-time.Hour))
	pvMove(t, db, w.alexApp, w.stages["Offer"].ID)
	clock.Set(w.sendAt)
	return w
}

// reportText flattens a report for assertions.
func reportText(r *portico.WeeklyReport) string {
	var b strings.Builder
	for _, j := range r.Jobs {
		b.WriteString("# " + j.Title + "\n")
		for _, n := range j.NewCandidates {
			b.WriteString("new: " + n + "\n")
		}
		for _, set := range []struct {
			name  string
			lines []portico.WeeklyReportLine
		}{{"stage", j.StageChanges}, {"interview", j.Interviews}, {"feedback", j.Feedback}} {
			for _, l := range set.lines {
				b.WriteString(set.name + ": " + l.Candidate + " | " + l.Text + "\n")
			}
		}
	}
	return b.String()
}

func TestWeeklyReportContent(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newWRWorld(t, db, clock)
		svc := db.Services()
		r, err := svc.WeeklyReports.BuildWeeklyReport(testkit.AsUser(w.admin), w.ann.ID, w.weekStart)
		ok(t, err)
		if !r.WeekStart.Equal(w.weekStart) || !r.WeekEnd.Equal(w.sendAt.Add(-9*time.Hour)) || r.ClientName != "Acme Health" {
			t.Errorf("week %v – %v of %q", r.WeekStart, r.WeekEnd, r.ClientName)
		}
		got := reportText(r)
		// Casey's move on the 22nd (8 days before) and Alex's this morning
		// are out; Casey's from one "Not progressing" stage to the other
		// is no change to Acme; Blake was never shared.
		want := "# Senior Nurse\n" +
			"new: Alex Archer\n" +
			"stage: Casey Cole | Stage changed: Meet the team → Not progressing\n" +
			"stage: Alex Archer | Stage changed: Sourced → Meet the team\n" +
			"interview: Alex Archer | Interview requested by you: Tue 10 Mar 2026, 10:00 GMT\n" +
			"feedback: Alex Archer | Comments from you: “Strong on wards.”\n" +
			"# Night Porter\n"
		if got != want {
			t.Errorf("Ann's report\n got:\n%s\nwant:\n%s", got, want)
		}
		for _, never := range []string{"Blake", "SECRET", "Client interview", "Rejected by", "Offer", "Site Engineer", "Drew"} {
			if strings.Contains(got, never) {
				t.Errorf("Ann's report shows %q:\n%s", never, got)
			}
		}

		// Bolt's job is anonymous: a reference, never the name.
		r, err = svc.WeeklyReports.BuildWeeklyReport(testkit.AsUser(w.admin), w.bea.ID, w.weekStart)
		ok(t, err)
		got = reportText(r)
		ref := portico.Reference(w.drew.ID)
		if !strings.Contains(got, "new: "+ref+"\n") || strings.Contains(got, "Drew") || strings.Contains(got, "Acme") {
			t.Errorf("Bea's report:\n%s", got)
		}

		// The contact may read their own; another contact may not.
		_, err = svc.WeeklyReports.BuildWeeklyReport(testkit.AsContact(w.ann), w.ann.ID, w.weekStart)
		ok(t, err)
		_, err = svc.WeeklyReports.BuildWeeklyReport(testkit.AsContact(w.bea), w.ann.ID, w.weekStart)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = svc.WeeklyReports.BuildWeeklyReport(testkit.AsUser(w.admin), 999999, w.weekStart)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestWeeklyReportColumns(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newWRWorld(t, db, clock)
		svc := db.Services()
		acme, err := svc.PortalSettings.Settings(testkit.AsUser(w.admin), w.acme.ID)
		ok(t, err)
		acme.ReportColumns = []portico.ReportColumn{portico.ReportFeedback, portico.ReportStageChanges}
		ok(t, svc.PortalSettings.SetSettings(testkit.AsUser(w.admin), acme, nil))
		r, err := svc.WeeklyReports.BuildWeeklyReport(testkit.AsUser(w.admin), w.ann.ID, w.weekStart)
		ok(t, err)
		if !slices.Equal(r.Columns, []portico.ReportColumn{portico.ReportStageChanges, portico.ReportFeedback}) {
			t.Errorf("columns %v, want report order", r.Columns)
		}
		got := reportText(r)
		if strings.Contains(got, "new:") || strings.Contains(got, "interview:") || !strings.Contains(got, "feedback:") || !strings.Contains(got, "stage:") {
			t.Errorf("report with stage changes and feedback only:\n%s", got)
		}
	})
}

// mailWorker delivers the store's outbox to a test mailbox until the test
// ends.
func mailWorker(t *testing.T, db *sqlstore.DB) *testkit.Mailbox {
	t.Helper()
	box := testkit.NewMailbox(t)
	smtp, err := mail.NewSMTP(box.URL(), "Portico <portico@agency.test>")
	ok(t, err)
	w := outbox.New(db.Services().Outbox, smtp, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.Poll = 20 * time.Millisecond
	db.OnEnqueue(w.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return box
}

var unsubscribeURL = regexp.MustCompile(regexp.QuoteMeta(testkit.BaseURL) + `/portal/unsubscribe/([A-Za-z0-9_-]+)`)

func TestWeeklyReportSend(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newWRWorld(t, db, clock)
		box := mailWorker(t, db)
		svc := db.Services()

		_, err := svc.WeeklyReports.SendWeeklyReports(testkit.AsUser(testkit.AddUser(t, db, "Rick", "rick@agency.test", portico.RoleRecruiter)))
		wantCode(t, err, portico.EFORBIDDEN)

		n, err := svc.WeeklyReports.SendWeeklyReports(context.Background())
		ok(t, err)
		if n != 2 {
			t.Fatalf("sent %d reports, want 2 (Ann and Bea; Bob unsubscribed, Pat never connected)", n)
		}
		mails := weeklyDelivered(t, box, 2)
		slices.SortFunc(mails, func(a, b testkit.Mail) int { return strings.Compare(a.To[0], b.To[0]) })
		ann := mails[0]
		if !slices.Equal(ann.To, []string{"ann@acme.test"}) || mails[1].To[0] != "bea@bolt.test" {
			t.Fatalf("reports went to %v and %v", ann.To, mails[1].To)
		}
		if ann.Subject != "Your week at Harbour Recruitment: 1 new candidate" {
			t.Errorf("subject %q", ann.Subject)
		}
		for _, want := range []string{"23 February – 1 March 2026", "Senior Nurse", "Alex Archer", "Stage changed: Sourced → Meet the team",
			"Comments from you: “Strong on wards.”", "No news this week on: Night Porter.", testkit.BaseURL + "/portal\n"} {
			if !strings.Contains(ann.Text, want) {
				t.Errorf("Ann's report lacks %q:\n%s", want, ann.Text)
			}
		}
		for _, never := range []string{"Blake", "SECRET", "Client interview", "Drew"} {
			if strings.Contains(ann.Text, never) || strings.Contains(ann.HTML, never) {
				t.Errorf("Ann's report shows %q", never)
			}
		}
		if !strings.Contains(ann.HTML, "Open the portal") || !strings.Contains(ann.HTML, "Meet the team") {
			t.Errorf("HTML part:\n%s", ann.HTML)
		}
		link := unsubscribeURL.FindString(ann.Text)
		if link == "" || !strings.Contains(ann.HTML, link) {
			t.Fatalf("no unsubscribe link in both parts:\n%s", ann.Text)
		}
		msg, err := netmail.ReadMessage(strings.NewReader(string(ann.Data)))
		ok(t, err)
		if got := msg.Header.Get("List-Unsubscribe"); got != "<"+link+">" {
			t.Errorf("List-Unsubscribe %q, want <%s>", got, link)
		}
		if got := msg.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", got)
		}
		if got := mails[1].Subject; got != "Your week at Harbour Recruitment: 1 new candidate" {
			t.Errorf("Bea's subject %q", got)
		}

		// Each report is an event, and the week is claimed once.
		sent := events(t, db, "contact.weekly_report_sent")
		if len(sent) != 2 || sent[0].Details["week"] != "2026-02-23" || sent[0].ActorKind != portico.ActorSystem {
			t.Errorf("events %+v", sent)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM weekly_reports WHERE week_start = ?`, w.weekStart); n != 2 {
			t.Errorf("%d weeks claimed", n)
		}

		// Again, an hour later and after a restart: nothing.
		clock.Advance(time.Hour)
		n, err = svc.WeeklyReports.SendWeeklyReports(context.Background())
		ok(t, err)
		if n != 0 || len(weeklyMails(t, db, w.admin)) != 2 {
			t.Errorf("a second run sent %d", n)
		}

		// Unsubscribing with the link stops next week's report, and the
		// token is stored only as a hash.
		token := unsubscribeURL.FindStringSubmatch(link)[1]
		if n := count(t, db, `SELECT COUNT(*) FROM contact_tokens WHERE token_hash = ?`, token); n != 0 {
			t.Error("the unsubscribe token is stored in the clear")
		}
		k, err := svc.WeeklyReports.CheckUnsubscribe(context.Background(), token)
		ok(t, err)
		if k.ID != w.ann.ID || !k.WeeklyReport || len(events(t, db, "contact.unsubscribed")) != 0 {
			t.Errorf("checking the link: %+v", k)
		}
		k, err = svc.WeeklyReports.Unsubscribe(fromIP("203.0.113.9"), token)
		ok(t, err)
		if k.ID != w.ann.ID || k.WeeklyReport {
			t.Errorf("unsubscribed %+v", k)
		}
		_, err = svc.WeeklyReports.Unsubscribe(fromIP("203.0.113.9"), token) // a second click is fine
		ok(t, err)
		if k, err = svc.WeeklyReports.CheckUnsubscribe(context.Background(), token); err != nil || k.WeeklyReport {
			t.Errorf("after unsubscribing: %+v, %v", k, err)
		}
		ev := events(t, db, "contact.unsubscribed")
		if len(ev) != 1 || ev[0].ActorKind != portico.ActorContact || ev[0].ActorID != w.ann.ID || ev[0].IP != "203.0.113.9" {
			t.Errorf("unsubscribe events %+v", ev)
		}
		_, err = svc.WeeklyReports.Unsubscribe(context.Background(), "not-a-token")
		wantCode(t, err, portico.ENOTFOUND)

		clock.Advance(7 * 24 * time.Hour)
		n, err = svc.WeeklyReports.SendWeeklyReports(context.Background())
		ok(t, err)
		if n != 1 {
			t.Errorf("next week sent %d, want 1 (Bea)", n)
		}
		for _, m := range weeklyMails(t, db, w.admin)[:1] {
			if m.Email.To[0] != "bea@bolt.test" {
				t.Errorf("next week's report went to %v", m.Email.To)
			}
		}

		// The link expires after 90 days.
		clock.Advance(91 * 24 * time.Hour)
		_, err = svc.WeeklyReports.Unsubscribe(context.Background(), token)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.WeeklyReports.CheckUnsubscribe(context.Background(), token)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

// weeklyDelivered waits for n weekly reports to reach the mailbox (among
// the invitations and notices the world sent) and returns them.
func weeklyDelivered(t *testing.T, box *testkit.Mailbox, n int) []testkit.Mail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var out []testkit.Mail
		for _, m := range box.Messages() {
			if strings.HasPrefix(m.Subject, "Your week at") {
				out = append(out, m)
			}
		}
		if len(out) >= n || time.Now().After(deadline) {
			if len(out) != n {
				t.Fatalf("%d weekly reports delivered, want %d", len(out), n)
			}
			return out
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// weeklyMails returns the queued weekly reports, newest first.
func weeklyMails(t *testing.T, db *sqlstore.DB, adm *portico.User) []*portico.Message {
	t.Helper()
	var out []*portico.Message
	for _, m := range messages(t, db, adm) {
		if m.Email != nil && strings.HasPrefix(m.Email.Subject, "Your week at") {
			out = append(out, m)
		}
	}
	return out
}

func TestWeeklyReportQuietContacts(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		svc := db.Services()
		cl := testkit.AddClient(t, db, "Empty Ltd")
		k := testkit.PortalContact(t, db, cl.ID, "Nora None", "nora@empty.test")
		// No job at all: nothing to report, and nothing claimed, so a job
		// opened later still gets them a report.
		n, err := svc.WeeklyReports.SendWeeklyReports(context.Background())
		ok(t, err)
		if n != 0 || count(t, db, `SELECT COUNT(*) FROM weekly_reports`) != 0 {
			t.Fatalf("sent %d with no job", n)
		}
		testkit.AddJob(t, db, cl.ID, adm.ID, "Quiet Job")
		n, err = svc.WeeklyReports.SendWeeklyReports(context.Background())
		ok(t, err)
		if n != 1 {
			t.Fatalf("sent %d with an open job", n)
		}
		m := weeklyMails(t, db, adm)[0]
		if m.Email.Subject != "Your week at Harbour Recruitment: no new candidates" || !strings.Contains(m.Email.Text, "No news this week on: Quiet Job.") {
			t.Errorf("quiet report %q:\n%s", m.Email.Subject, m.Email.Text)
		}
		// The contact switches it off themselves; a preview can't.
		preview := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: k.ID, PreviewBy: adm.ID})
		wantCode(t, svc.WeeklyReports.SetWeeklyReport(preview, k.ID, false), portico.EUNAUTHORIZED)
		ok(t, svc.WeeklyReports.SetWeeklyReport(testkit.AsContact(k), k.ID, false))
		if e := events(t, db, "contact.weekly_report_off"); len(e) != 1 || e[0].ActorID != k.ID {
			t.Errorf("events %+v", e)
		}
		ok(t, svc.WeeklyReports.SetWeeklyReport(testkit.AsContact(k), k.ID, false)) // no change, no event
		if e := events(t, db, "contact.weekly_report_off"); len(e) != 1 {
			t.Errorf("%d events for one change", len(e))
		}
		wantCode(t, svc.WeeklyReports.SetWeeklyReport(fromIP("192.0.2.1"), k.ID, true), portico.EUNAUTHORIZED)
		wantCode(t, svc.WeeklyReports.SetWeeklyReport(testkit.AsUser(adm), 999999, true), portico.ENOTFOUND)
	})
}

// Contacts with nothing to hear about, listed first, don't keep the
// contacts after them from their reports, however many there are.
func TestWeeklyReportQuietContactsFirst(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		defer sqlstore.SetReportBatch(2)()
		adm := testkit.SetUp(t, db)
		quiet := testkit.AddClient(t, db, "Quiet Ltd")
		for i := range 5 {
			testkit.PortalContact(t, db, quiet.ID, fmt.Sprintf("Quinn %d", i), fmt.Sprintf("quinn%d@quiet.test", i))
		}
		busy := testkit.AddClient(t, db, "Busy Ltd")
		testkit.PortalContact(t, db, busy.ID, "Bea Busy", "bea@busy.test")
		testkit.AddJob(t, db, busy.ID, adm.ID, "Open Role")
		n, err := db.Services().WeeklyReports.SendWeeklyReports(context.Background())
		ok(t, err)
		if n != 1 || len(weeklyMails(t, db, adm)) != 1 || strings.Join(weeklyMails(t, db, adm)[0].Email.To, ",") != "bea@busy.test" {
			t.Fatalf("sent %d after five quiet contacts in batches of two", n)
		}
	})
}

// TestWeeklyReportConcurrent runs the routine on two instances (two store
// handles on one database) at once, twice over: each contact still gets
// one report.
func TestWeeklyReportConcurrent(t *testing.T) {
	for _, b := range testkit.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			if b.Name == "postgres" {
				b.URL = testkit.NewPostgresDatabase(t)
			}
			clock := testkit.NewClock()
			one := testkit.OpenStore(t, b, clock)
			two := testkit.OpenStore(t, b, clock)
			adm := testkit.SetUp(t, one)
			clock.Set(time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC))
			const contacts = 12
			for i := range contacts {
				cl := testkit.AddClient(t, one, "Client "+string(rune('A'+i)))
				testkit.AddJob(t, one, cl.ID, adm.ID, "Job")
				testkit.PortalContact(t, one, cl.ID, "Contact", "c"+string(rune('a'+i))+"@client.test")
			}
			clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for _, db := range []*sqlstore.DB{one, two, one, two} {
				wg.Go(func() {
					n, err := db.Services().WeeklyReports.SendWeeklyReports(context.Background())
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				})
			}
			wg.Wait()
			if total != contacts || len(weeklyMails(t, one, adm)) != contacts {
				t.Errorf("sent %d reports, %d queued, want %d", total, len(weeklyMails(t, one, adm)), contacts)
			}
		})
	}
}
