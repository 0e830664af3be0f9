package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London for the expected interview times

	"portico/internal/testkit"
)

// TestPortalJourney is the acceptance journey of the client portal: a
// recruiter shares two shortlisted candidates and invites the client's
// contact in the browser; the contact activates the account from the
// emailed link, rates one candidate, asks to interview them at two times,
// rejects the other with a reason and exports the job to Excel; meanwhile
// the recruiter's alerts arrive live, and the alerts, the "Arrange
// interview" task, the job's board and the job owner's emails show what
// the contact did. It runs on SQLite (the contact on a phone) and on
// PostgreSQL (desktop), with axe on every page.
func TestPortalJourney(t *testing.T) {
	onEachEngine(t, portalJourney)
}

// Who and what the portal journey works with.
const (
	pjRecruiter, pjRecruiterEmail, pjRecruiterPassword = "Rosa Recruiter", "rosa@harbour.test", "rosa-shares-people-3"

	pjClient          = "Lakeside Foods"
	pjContact         = "Clara Client"
	pjContactEmail    = "clara@lakeside.test"
	pjContactPassword = "clara-hires-well-2030"
	pjJob             = "Warehouse Supervisor"
	pjReason          = "Not enough forklift experience for this site."

	// The default pipeline: the internal names and what clients see.
	pjSubmitted, pjSubmittedClient = "Submitted to client", "New candidates"
	pjRejected, pjRejectedClient   = "Rejected by Client", "Not progressing"
)

var activateLink = regexp.MustCompile(`https?://\S+/portal/activate/[A-Za-z0-9_-]+`)

type pjCandidate struct {
	First, Last string
	AppID       int64
}

func (c pjCandidate) Name() string { return c.First + " " + c.Last }

func portalJourney(t *testing.T, engine string, contactVP viewport) {
	start := time.Now()
	box := testkit.NewMailbox(t)
	p := startPortico(t, options{Engine: engine, SMTPURL: box.URL()})
	admin := p.setUpOverHTTP()
	p.addUser(admin, pjRecruiter, pjRecruiterEmail, pjRecruiterPassword, "recruiter")
	rc := p.signInOverHTTP(pjRecruiterEmail, pjRecruiterPassword)

	// The data, over HTTP: the UI for it has its own journey.
	res := p.mustSeeOther("/clients", url.Values{"name": {pjClient}, "status": {"active"}}, rc)
	clientID := idAfter(t, res.Location, "/clients/")
	p.mustSeeOther(fmt.Sprintf("/clients/%d/contacts", clientID), url.Values{"name": {pjContact}, "title": {"Operations manager"}, "email": {pjContactEmail}}, rc)
	contactID := idAfter(t, p.get(fmt.Sprintf("/clients/%d", clientID), rc).Body, "/contacts/")
	form := p.get(fmt.Sprintf("/jobs/new?client=%d", clientID), rc).Body
	owner := regexp.MustCompile(`<option value="([0-9]+)" selected>` + regexp.QuoteMeta(pjRecruiter)).FindStringSubmatch(form)
	if owner == nil {
		t.Fatalf("the new job form does not offer %s as its owner:\n%s", pjRecruiter, form)
	}
	res = p.mustSeeOther("/jobs", url.Values{"client_id": {strconv.FormatInt(clientID, 10)}, "owner_id": {owner[1]}, "title": {pjJob},
		"description": {"Night shifts in the chilled warehouse."}, "type": {"permanent"}, "openings": {"1"}, "status": {"open"}}, rc)
	jobID := idAfter(t, res.Location, "/jobs/")
	jobPage := fmt.Sprintf("/jobs/%d", jobID)

	cands := []*pjCandidate{{First: "Priya", Last: "Shah"}, {First: "Tomas", Last: "Okafor"}}
	var candIDs []string
	for _, c := range cands {
		res := p.mustSeeOther("/candidates", url.Values{"first_name": {c.First}, "last_name": {c.Last}, "email": {strings.ToLower(c.First) + "@example.test"},
			"city": {"Leeds"}, "current_title": {"Shift lead"}}, rc)
		id := idAfter(t, res.Location, "/candidates/")
		candIDs = append(candIDs, strconv.FormatInt(id, 10))
		file := strings.ToLower(c.First+"-"+c.Last) + "-cv.pdf"
		if up := p.upload(fmt.Sprintf("/candidates/%d/documents", id), url.Values{"kind": {"resume"}}, "file", file,
			strings.NewReader(string(testkit.PDF(c.Name()+" — Shift lead"))), rc); up.Status != http.StatusSeeOther {
			t.Fatalf("uploading %s: status %d\n%s", file, up.Status, up.Body)
		}
	}
	p.mustSeeOther(jobPage+"/shortlist", url.Values{"candidate_id": candIDs}, rc)
	// Into "Submitted to client", whose client-facing name differs, so the
	// export can show it never leaks the internal one.
	board := p.get(jobPage, rc).Body
	stage := regexp.MustCompile(`data-stage="([0-9]+)" data-stage-name="` + regexp.QuoteMeta(pjSubmitted) + `"`).FindStringSubmatch(board)
	if stage == nil {
		t.Fatalf("no %q column on the job's board", pjSubmitted)
	}
	for _, c := range cands {
		cid := candIDs[slices.Index(cands, c)]
		page := p.get("/candidates/"+cid, rc).Body
		c.AppID = idAfter(t, page, "/applications/")
		p.mustSeeOther(fmt.Sprintf("/applications/%d/stage", c.AppID), url.Values{"stage_id": {stage[1]}}, rc)
	}
	rated, rejected := cands[0], cands[1]

	// In the recruiter's browser: share both candidates, from each
	// application's page, and invite the contact.
	r := newBrowser(t, viewport{Name: "desktop"}, p.URL)
	r.signIn(pjRecruiter, pjRecruiterEmail, pjRecruiterPassword)
	for _, c := range cands {
		r.visit("application-"+c.First, fmt.Sprintf("/applications/%d", c.AppID))
		r.clickLink("share-form-"+c.First, "Share…")
		if h := r.mustText("h1"); h != "Share "+c.Name()+" with "+pjClient {
			t.Errorf("share form heading = %q", h)
		}
		if v := r.value(`input[name="resume_id"]:checked`); v == "" || v == "0" {
			t.Errorf("the share form for %s chooses no résumé by default (resume_id %q)", c.Name(), v)
		}
		r.clickButton("shared-"+c.First, "Share with "+pjClient)
		if path := r.path(); path != fmt.Sprintf("/applications/%d", c.AppID) {
			t.Fatalf("after sharing %s the recruiter is at %s", c.Name(), path)
		}
		if sh := r.text(".sh-app"); !strings.Contains(sh, "Shared with client") {
			t.Errorf("the application's portal box after sharing says %q", sh)
		}
	}
	r.visit("contact", fmt.Sprintf("/contacts/%d", contactID))
	r.clickButton("contact-invited", "Invite to the portal")
	if st := r.text(`section[aria-labelledby="portal-h"]`); !strings.Contains(st, "Invited; hasn't signed in yet") {
		t.Errorf("the contact's portal box after inviting says %q", st)
	}

	// The invitation arrives with the activation link.
	invite := waitMail(t, box, "the invitation", func(m testkit.Mail) bool {
		return slices.Contains(m.To, pjContactEmail) && strings.Contains(m.Subject, "invites you")
	})
	link := activateLink.FindString(invite.Text)
	if link == "" || !strings.HasPrefix(link, p.URL+"/portal/activate/") {
		t.Fatalf("no activation link to %s in the invitation:\n%s", p.URL, invite.Text)
	}

	// The recruiter watches the alerts page; the window is marked, so a
	// reload would show.
	r.visit("alerts-before", "/alerts")
	before := unreadCount(r)
	r.step("mark the window", evalVoid(`window.__portalJourney = "watching"`))

	// The contact, in a browser of their own.
	c := r.otherSession(t)
	if contactVP.Phone {
		c.vp = contactVP
		c.step("phone size", emulatePhone())
	}
	if status := c.visit("activate", link); status != http.StatusOK {
		t.Fatalf("activation link: status %d", status)
	}
	if h := c.mustText("h1"); h != "Set your password" {
		t.Fatalf("activation link shows %q", h)
	}
	c.fill("Password (at least 10 characters)", pjContactPassword)
	c.clickButton("portal-home", "Set password and sign in")
	if path := c.path(); path != "/portal" {
		t.Fatalf("after activating, the contact is at %s, want /portal", path)
	}
	if jobs := c.mustText("#jobs-h + *"); !strings.Contains(jobs, pjJob) || !strings.Contains(jobs, "2 candidates shared") {
		t.Errorf("portal home lists %q, want %s with 2 candidates", jobs, pjJob)
	}
	c.clickLink("portal-job", pjJob)
	portalJob := fmt.Sprintf("/portal/jobs/%d", jobID)
	if path := c.path(); !strings.HasPrefix(path, portalJob) {
		t.Fatalf("the job link led to %s, want %s", path, portalJob)
	}
	main := c.text("main")
	for _, cd := range cands {
		if !strings.Contains(main, cd.Name()) {
			t.Errorf("the portal job page does not show %s: %q", cd.Name(), main)
		}
	}
	for _, internal := range []string{pjSubmitted, pjRejected} {
		if strings.Contains(main, internal) {
			t.Errorf("the portal job page shows the internal stage name %q", internal)
		}
	}

	// Rate the first 4 stars and ask to interview them at two times.
	c.clickLink("portal-candidate-"+rated.First, rated.Name())
	if h := c.mustText("h1"); h != rated.Name() {
		t.Fatalf("candidate page heading = %q", h)
	}
	c.tapOrClick("4 stars", `document.querySelector('label[for="f-stars-4"]')`)
	if !eval[bool](c, `document.getElementById("f-stars-4").checked`) {
		t.Fatalf("choosing the fourth star did not check it")
	}
	c.clickButton("portal-rated", "Save rating")
	if hint := c.text(".pact-stars .pact-hint"); !strings.Contains(hint, "You rated this candidate 4 of 5") {
		t.Errorf("after rating, the page says %q", hint)
	}
	waitUnread(r, before+1)

	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(london).AddDate(0, 0, 10)
	slot1 := time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, london)
	slot2 := time.Date(day.Year(), day.Month(), day.Day()+1, 14, 0, 0, 0, london)
	c.setValue("f-slot_1", slot1.Format("2006-01-02T15:04"))
	c.setValue("f-slot_2", slot2.Format("2006-01-02T15:04"))
	c.fill("Note (optional)", "Mornings suit us best.")
	c.clickButton("portal-interview", "Request interview")
	if flash := c.text(".flash"); flash == "" {
		t.Errorf("no confirmation after requesting the interview")
	}
	waitUnread(r, before+2)

	// Reject the other, with a reason, confirmed in the <details>.
	c.visit("portal-job-again", portalJob)
	c.clickLink("portal-candidate-"+rejected.First, rejected.Name())
	c.tapOrClick("the Reject button", byText("summary", "Reject"))
	c.fill("Reason", pjReason)
	c.clickButton("portal-rejected", "Reject candidate")
	waitUnread(r, before+3)
	if stage := c.text("main"); !strings.Contains(stage, pjRejectedClient) || strings.Contains(stage, pjRejected) {
		t.Errorf("after rejecting, the candidate page says %q, want the client-facing stage %q only", stage, pjRejectedClient)
	}

	// Export to Excel with the contact's own cookie, read independently.
	status, ctype, xlsx := p.getBytes(portalJob+"/export.xlsx", c.cookie(portalCookie))
	if status != http.StatusOK || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("GET export.xlsx: status %d, type %q", status, ctype)
	}
	rows := xlsxRows(t, xlsx)
	rowOf := func(name string) []string {
		for _, row := range rows {
			if slices.Contains(row, name) {
				return row
			}
		}
		t.Errorf("the export has no row for %s: %q", name, rows)
		return nil
	}
	if row := rowOf(rated.Name()); row != nil && !slices.Contains(row, pjSubmittedClient) {
		t.Errorf("the export's row for %s = %q, want the stage %q", rated.Name(), row, pjSubmittedClient)
	}
	if row := rowOf(rejected.Name()); row != nil && !slices.Contains(row, pjRejectedClient) {
		t.Errorf("the export's row for %s = %q, want the stage %q", rejected.Name(), row, pjRejectedClient)
	}
	for _, row := range rows {
		for _, cell := range row {
			if strings.Contains(cell, pjSubmitted) || strings.Contains(cell, pjRejected) {
				t.Errorf("the export shows an internal stage name: %q", cell)
			}
		}
	}

	// The recruiter's page was never reloaded, and the badge rose.
	if mark := eval[string](r, `String(window.__portalJourney)`); mark != "watching" {
		t.Errorf("the recruiter's alerts page was reloaded (mark %q): the alerts did not arrive live", mark)
	}
	if path := r.path(); path != "/alerts" {
		t.Errorf("the recruiter's browser moved to %s", path)
	}
	if n := unreadCount(r); n != before+3 {
		t.Errorf("the unread badge shows %d after the contact's three actions, want %d", n, before+3)
	}

	// The alerts, the task and the board.
	r.visit("alerts-after", "/alerts")
	alerts := r.text("main")
	times1, times2 := slot1.Format("Mon 2 Jan 2006, 15:04 MST"), slot2.Format("Mon 2 Jan 2006, 15:04 MST")
	for _, want := range []string{
		pjContact + " rated " + rated.Name() + " 4 of 5 stars for " + pjJob,
		pjContact + " asked to interview " + rated.Name() + " for " + pjJob + ", proposing " + times1 + "; " + times2,
		pjContact + " rejected " + rejected.Name() + " for " + pjJob + ": “" + pjReason + "”",
	} {
		if !strings.Contains(alerts, want) {
			t.Errorf("the alerts page lacks %q:\n%s", want, alerts)
		}
	}
	r.visit("tasks", "/tasks")
	r.clickLink("task-arrange-interview", "Arrange interview")
	if details := r.mustText(".task-details"); !strings.Contains(details, times1) || !strings.Contains(details, times2) {
		t.Errorf("the Arrange interview task's details = %q, want both proposed times (%s; %s)", details, times1, times2)
	}
	r.visit("job-after", jobPage)
	r.waitFor(rejected.Name()+" in "+pjRejected, boardCardIn(rejected.AppID, pjRejected, 1), liveWait)

	// The job owner's emails, and the invitation.
	for _, want := range []struct{ to, subject string }{
		{pjRecruiterEmail, pjContact + " rated " + rated.Name() + " 4 of 5 for " + pjJob},
		{pjRecruiterEmail, pjContact + " wants to interview " + rated.Name() + " for " + pjJob},
		{pjRecruiterEmail, pjContact + " rejected " + rejected.Name() + " for " + pjJob},
		{pjContactEmail, invite.Subject},
	} {
		m := waitMail(t, box, want.subject, func(m testkit.Mail) bool {
			return slices.Contains(m.To, want.to) && m.Subject == want.subject
		})
		if strings.Contains(want.subject, "interview") && (!strings.Contains(m.Text, times1) || !strings.Contains(m.Text, times2)) {
			t.Errorf("the interview email lacks the proposed times %s and %s:\n%s", times1, times2, m.Text)
		}
		if strings.Contains(want.subject, "rejected") && !strings.Contains(m.Text, pjReason) {
			t.Errorf("the rejection email lacks the reason:\n%s", m.Text)
		}
	}
	t.Logf("portal journey on %s took %v", engine, time.Since(start).Round(100*time.Millisecond))
}

// unreadCount is the number on the navigation's unread badge.
func unreadCount(b *browser) int {
	b.t.Helper()
	return eval[int](b, `(el => el ? (parseInt(el.textContent, 10) || 0) : -1)(document.querySelector("[data-unread]"))`)
}

// waitUnread waits for the unread badge to reach at least n without the
// page being reloaded.
func waitUnread(b *browser, n int) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the unread badge reaching %d live", n),
		fmt.Sprintf(`window.__portalJourney === "watching" && (el => el && !el.hidden && (parseInt(el.textContent, 10) || 0) >= %d)(document.querySelector("[data-unread]"))`, n),
		liveWait)
}

// waitMail waits up to 20 s for an email matching and returns it.
func waitMail(t *testing.T, box *testkit.Mailbox, what string, match func(testkit.Mail) bool) testkit.Mail {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		msgs := box.Messages()
		for _, m := range msgs {
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range msgs {
				got = append(got, fmt.Sprintf("%v: %s", m.To, m.Subject))
			}
			t.Fatalf("no email %s within 20 s; the mailbox holds %q", what, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
