package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"portico/internal/testkit"
)

// TestShareLinkJourney is the acceptance journey of share links: a
// recruiter shares a job's tracker from the job page with a contact who
// has no password. A link for two uses, copied from the page, opens the
// tracker in two browsers and then shows the expired page, whose "Email me
// a fresh link" sends the contact a new one. A three-day link sent by
// email opens on the third day and has expired on the fourth. A link the
// recruiter expires on the contact's page stops at once: the visitor's next
// page is the sign-in page, and the link shows it was turned off. It runs
// on SQLite (the visitors on a phone) and PostgreSQL (desktop), with axe
// on every page.
func TestShareLinkJourney(t *testing.T) {
	onEachEngine(t, linkJourney)
}

// Who and what the share link journey works with.
const (
	ljRecruiter, ljRecruiterEmail, ljRecruiterPassword = "Rosa Recruiter", "rosa@harbour.test", "rosa-shares-people-3"

	ljClient, ljContact, ljEmail = "Lakeside Foods", "Kim Keller", "kim@lakeside.test"
	ljJob                        = "Warehouse Supervisor"
	ljShared, ljUnshared         = "Priya Shah", "Tomas Okafor"
	ljMessage                    = "Here are the candidates for the supervisor role so far. Tell me whom you would like to meet."
)

func linkJourney(t *testing.T, engine string, visitorVP viewport) {
	start := time.Now()
	box := testkit.NewMailbox(t)
	p := startPortico(t, options{Engine: engine, SMTPURL: box.URL()})
	admin := p.setUpOverHTTP()
	p.addUser(admin, ljRecruiter, ljRecruiterEmail, ljRecruiterPassword, "recruiter")
	rc := p.signInOverHTTP(ljRecruiterEmail, ljRecruiterPassword)

	// A job with one candidate shared and one not, and a contact who was
	// never invited to the portal: the links let them in all the same.
	clientID := p.addClient(rc, ljClient)
	contactID := p.addContact(rc, clientID, ljContact, ljEmail)
	jobID := p.addJob(rc, ljRecruiter, clientID, ljJob)
	p.shareApp(rc, p.shortlistNew(rc, jobID, ljShared, ljUnshared)[0])
	jobPage, tracker := fmt.Sprintf("/jobs/%d", jobID), fmt.Sprintf("/jobs/%d/tracker", jobID)
	contactPage := fmt.Sprintf("/contacts/%d", contactID)

	r := newBrowser(t, viewport{Name: "desktop"}, p.URL)
	r.signIn(ljRecruiter, ljRecruiterEmail, ljRecruiterPassword)

	// A link for two uses, to copy, from the job's page.
	r.visit("job", jobPage)
	r.clickLink("tracker-form", "Share job tracker")
	if h := r.mustText("h1"); h != "Share the "+ljJob+" tracker" {
		t.Fatalf("the share form is headed %q", h)
	}
	chooseContacts(r, contactID)
	r.fill("Uses", "2")
	r.clickButton("link-copy", "Create link to copy")
	if h := r.mustText("h1"); h != "Link for "+ljContact {
		t.Fatalf("after creating a link to copy the page is headed %q", h)
	}
	twoUses := r.value("#created-link")
	if !strings.HasPrefix(twoUses, p.URL+"/portal/l/") {
		t.Fatalf("the link to copy is %q, want one under %s/portal/l/", twoUses, p.URL)
	}

	// Two people's browsers open it, without a password.
	for i := 1; i <= 2; i++ {
		openTracker(t, r.freshSession(t, visitorVP), fmt.Sprintf("two-uses-%d", i), twoUses, jobID)
	}
	// A third finds it spent, and asks for a fresh one.
	v := r.freshSession(t, visitorVP)
	if status := v.visit("two-uses-spent", twoUses); status != http.StatusGone {
		t.Errorf("the third opening of a two-use link answered %d, want 410", status)
	}
	if h, main := v.mustText("h1"), v.text("main"); h != "This link has expired" || !strings.Contains(main, "has been used as many times as it allows") {
		t.Fatalf("the third opening of a two-use link shows %q: %q", h, main)
	}
	v.clickButton("fresh-link-sent", "Email me a fresh link")
	if h := v.mustText("h1"); h != "Check your email" {
		t.Fatalf("after asking for a fresh link the page is headed %q", h)
	}
	fresh, _ := waitShareLink(t, box, ljEmail, twoUses)
	if res := p.get(fresh); res.Status != http.StatusOK || !strings.Contains(res.Body, "Open job tracker") {
		t.Errorf("the fresh link's page answered %d:\n%s", res.Status, res.Body)
	}

	// The job's tracker page has the link's record.
	r.visit("tracker-links", tracker)
	if row := r.rowWith("Copied by " + ljRecruiter); !strings.Contains(row, "Expired") || !strings.Contains(row, "2 of 2") || !strings.Contains(row, "from 127.0.0.1") {
		t.Errorf("the tracker page lists the two-use link as %q, want it expired after 2 of 2 uses, last from 127.0.0.1", row)
	}

	// A three-day link, by email with a message.
	chooseContacts(r, contactID)
	r.fill("Days", "3")
	r.fill("Message", ljMessage)
	r.clickButton("link-sent", "Send by email")
	if flash := r.text(".flash"); flash == "" {
		t.Errorf("no confirmation after sending the link by email (at %s)", r.path())
	}
	threeDays, mail := waitShareLink(t, box, ljEmail, twoUses, fresh)
	if !strings.Contains(mail.Text, ljMessage) {
		t.Errorf("the email with the link lacks the recruiter's message:\n%s", mail.Text)
	}
	// Portico runs on the real clock, so the journey ages the link in the
	// database (see ageLink): on the third day, with an hour to go, it
	// opens; on the fourth it has expired.
	p.ageLink(threeDays, 71*time.Hour)
	openTracker(t, r.freshSession(t, visitorVP), "day-3", threeDays, jobID)
	p.ageLink(threeDays, 2*time.Hour)
	v = r.freshSession(t, visitorVP)
	if status := v.visit("day-4", threeDays); status != http.StatusGone {
		t.Errorf("a three-day link on the fourth day answered %d, want 410", status)
	}
	if h, main := v.mustText("h1"), v.text("main"); h != "This link has expired" || !strings.Contains(main, "has passed its end date") {
		t.Fatalf("a three-day link on the fourth day shows %q: %q", h, main)
	}

	// A link expired by hand stops at once, even for someone using it.
	r.visit("tracker-form-3", tracker)
	chooseContacts(r, contactID)
	r.clickButton("link-copy-3", "Create link to copy")
	revoked := r.value("#created-link")
	v = r.freshSession(t, visitorVP)
	openTracker(t, v, "before-expiry", revoked, jobID)
	open := v.path()
	r.visit("contact", contactPage)
	r.pressAt("link-expired", selector(fmt.Sprintf(`form[action="/links/%d/revoke"] button`, p.linkID(revoked))))
	if path, flash := r.path(), r.text(".flash"); path != contactPage || !strings.Contains(flash, "The link is expired") {
		t.Errorf("after expiring the link the recruiter is at %s with the message %q", path, flash)
	}
	if n, links := r.count(`section[aria-labelledby="links-h"] .badge`), r.text(`section[aria-labelledby="links-h"]`); n != 4 || !strings.Contains(links, "Revoked") {
		t.Errorf("the contact's page lists %d links (want the 4 sent, one of them revoked):\n%s", n, links)
	}
	// It records each opening of a link with the address it came from.
	activity := r.text(`section[aria-labelledby="actions-h"]`)
	if n := strings.Count(activity, "with a share link"); n != 4 || !strings.Contains(activity, "127.0.0.1") {
		t.Errorf("the contact's portal activity shows %d openings of share links (want 4) or no address:\n%s", n, activity)
	}
	v.visit("after-expiry", open)
	if path, main := v.path(), v.text("main"); !strings.HasPrefix(path, "/portal/signin") || strings.Contains(main, ljShared) {
		t.Errorf("after the link was expired, reloading the tracker shows %s: %q", path, main)
	}
	if status := v.visit("expired-by-hand", revoked); status != http.StatusGone {
		t.Errorf("an expired-by-hand link answered %d, want 410", status)
	}
	if h := v.mustText("h1"); h != "This link has been turned off" {
		t.Errorf("an expired-by-hand link shows %q", h)
	}
	t.Logf("share link journey on %s took %v", engine, time.Since(start).Round(100*time.Millisecond))
}

// chooseContacts ticks the contacts on the "Share job tracker" form and
// unticks the others.
func chooseContacts(b *browser, ids ...int64) {
	b.t.Helper()
	boxes := eval[[]string](b, `[...document.querySelectorAll('input[name="contact_id"]')].map(el => el.value + (el.checked ? "+" : "-"))`)
	if len(boxes) == 0 {
		b.t.Fatalf("the share form on %s lists no contacts", b.path())
	}
	for _, box := range boxes {
		value, checked := box[:len(box)-1], box[len(box)-1] == '+'
		want := false
		for _, id := range ids {
			want = want || value == fmt.Sprint(id)
		}
		if want != checked {
			b.tapOrClick("the contact "+value, selector(`input[name="contact_id"][value="`+value+`"]`))
		}
	}
}

// openTracker opens a share link as its visitor does: the landing page,
// then "Open job tracker", which shows the job's shared candidates only.
func openTracker(t *testing.T, v *browser, name, link string, jobID int64) {
	t.Helper()
	if status := v.visit(name+"-landing", link); status != http.StatusOK {
		t.Fatalf("%s: the link's page answered %d", name, status)
	}
	if h := v.mustText("h1"); !strings.Contains(h, "shared the "+ljJob+" tracker with you, "+ljContact) {
		t.Errorf("%s: the link's page is headed %q", name, h)
	}
	v.clickButton(name+"-tracker", "Open job tracker")
	if path := v.path(); !strings.HasPrefix(path, fmt.Sprintf("/portal/jobs/%d", jobID)) {
		t.Fatalf("%s: the link led to %s, want the job's tracker", name, path)
	}
	if main := v.text("main"); !strings.Contains(main, ljShared) || strings.Contains(main, ljUnshared) {
		t.Errorf("%s: the tracker shows %q, want %s and not the unshared %s", name, main, ljShared, ljUnshared)
	}
	if me := v.text(".me-name"); !strings.Contains(me, ljContact) {
		t.Errorf("%s: the visitor is shown as %q, want %s", name, me, ljContact)
	}
}
