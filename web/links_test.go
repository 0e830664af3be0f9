package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/mail"
	"portico/outbox"
	"portico/sqlstore"
)

// linkMailbox delivers the store's queued emails to a real SMTP server in
// the test, as the running program's outbox worker does.
func linkMailbox(t *testing.T, db *sqlstore.DB) *testkit.Mailbox {
	t.Helper()
	box := testkit.NewMailbox(t)
	sender, err := mail.NewSMTP(box.URL(), "Portico <portico@agency.test>")
	must(t, err)
	w := outbox.New(db.Services().Outbox, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.Poll = 20 * time.Millisecond
	db.OnEnqueue(w.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return box
}

var mailedLink = regexp.MustCompile(`http://portico\.test(/portal/l/[A-Za-z0-9_-]+)`)

// waitMail waits for a message to the address whose subject has the
// text (the world's invitations arrive too), failing after a while.
func waitMail(t *testing.T, box *testkit.Mailbox, to, subject string) testkit.Mail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, m := range box.Messages() {
			if slices.Contains(m.To, to) && strings.Contains(m.Subject, subject) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no email to %s about %q", to, subject)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// linkPath is the share link's path in an email, checked in both parts.
func linkPath(t *testing.T, m testkit.Mail) string {
	t.Helper()
	sub := mailedLink.FindStringSubmatch(m.Text)
	if sub == nil || !strings.Contains(m.HTML, `href="`+sub[0]+`"`) {
		t.Fatalf("no share link in both parts of the email to %v:\n%s", m.To, m.Text)
	}
	return sub[1]
}

// linkOf returns the one link of a contact.
func linkOf(t *testing.T, db *sqlstore.DB, u *portico.User, contactID int64) *portico.Link {
	t.Helper()
	ls, _, err := db.Services().Links.FindLinks(testkit.AsUser(u), portico.LinkFilter{ContactID: contactID})
	must(t, err)
	if len(ls) != 1 {
		t.Fatalf("contact %d has %d links", contactID, len(ls))
	}
	return ls[0]
}

func TestShareTrackerByEmail(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		box := linkMailbox(t, db)
		rita := w.s.signedIn(w.rita.Email)
		tracker := "/jobs/" + strconv.FormatInt(w.nurse.ID, 10) + "/tracker"
		nurse := "/portal/jobs/" + strconv.FormatInt(w.nurse.ID, 10)

		res := rita.get("/jobs/" + strconv.FormatInt(w.nurse.ID, 10))
		if !strings.Contains(res.body, `href="`+tracker+`"`) {
			t.Fatal("the job page has no way to share its tracker")
		}
		res = rita.get(tracker)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", tracker, res.status)
		}
		for _, want := range []string{"Share the Senior Nurse tracker", "Ann Hiring", "Carl Chosen", "14 days", "Send by email", "Create link to copy", "No links to this job"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		// Those who see the job start ticked; other clients' people aren't offered.
		for _, k := range []*portico.Contact{w.a1, w.a2} {
			if !regexp.MustCompile(`value="` + strconv.FormatInt(k.ID, 10) + `"[^>]*checked`).MatchString(res.body) {
				t.Errorf("%s is not ticked", k.Name)
			}
		}
		if strings.Contains(res.body, "Bea Bolt") {
			t.Error("another client's contact is offered")
		}

		// A bad address: the form again, input kept, nothing made.
		bad := url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10)}, "emails": {"new.person@acme.test\nnot-an-address"}, "message": {"Hello from Rita"}, "days": {"14"}, "action": {"send"}}
		res = rita.post(tracker, bad)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "an email address. Enter one address a line") || !strings.Contains(res.body, "Hello from Rita") {
			t.Fatalf("bad address: %d\n%s", res.status, res.body)
		}
		res = rita.post(tracker, url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10)}, "days": {"two"}, "action": {"send"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Enter a number of days") {
			t.Fatalf("bad days: %d", res.status)
		}
		ls, _, err := db.Services().Links.FindLinks(testkit.AsUser(w.rita), portico.LinkFilter{})
		must(t, err)
		if len(ls) != 0 {
			t.Fatalf("%d links after refused forms", len(ls))
		}

		good := url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10)}, "emails": {"new.person@acme.test"}, "message": {"Hello from Rita.\n\nHave a look."}, "days": {"14"}, "action": {"send"}}
		res = rita.post(tracker, good)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != tracker+"#links-h" {
			t.Fatalf("send: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		res = rita.get(tracker)
		for _, want := range []string{"Job tracker sent to Ann Hiring and New Person.", "Emailed to ann.hiring@acme.test", "Emailed to new.person@acme.test", "Active", "Expire"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("after sending, the page lacks %q", want)
			}
		}

		ann, newbie := waitMail(t, box, "ann.hiring@acme.test", "tracker"), waitMail(t, box, "new.person@acme.test", "tracker")
		if ann.Subject != "Harbour Recruitment shared the Senior Nurse tracker with you" || !strings.Contains(ann.Text, "Hello Ann Hiring,") ||
			!strings.Contains(ann.Text, "Have a look.") || !strings.Contains(ann.Text, "Rita Recruiter") || !strings.Contains(ann.HTML, "Open job tracker") {
			t.Errorf("Ann's email:\n%s\n%s", ann.Subject, ann.Text)
		}
		annLink, newLink := linkPath(t, ann), linkPath(t, newbie)
		if annLink == newLink {
			t.Fatal("two people got the same link")
		}

		// The landing page: who shared what with whom. Looking counts nothing.
		visitor := w.s.client()
		res = visitor.get(annLink)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Harbour Recruitment shared the Senior Nurse tracker with you, Ann Hiring") ||
			!strings.Contains(res.body, `<form method="post" action="`+annLink+`">`) {
			t.Fatalf("landing: %d\n%s", res.status, res.body)
		}
		visitor.get(annLink)
		if l := linkOf(t, db, w.rita, w.a1.ID); l.Uses != 0 {
			t.Fatalf("opening the landing page counted %d uses", l.Uses)
		}
		// The button opens the tracker, without a password.
		res = visitor.post(annLink, nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != nurse {
			t.Fatalf("open: %d %q", res.status, res.header.Get("Location"))
		}
		res = visitor.get(nurse)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Ann Archer") || !strings.Contains(res.body, "Here is the Senior Nurse tracker.") {
			t.Fatalf("the tracker: %d", res.status)
		}
		if res := visitor.get("/portal/jobs/" + strconv.FormatInt(w.porter.ID, 10)); res.status != http.StatusNotFound {
			t.Fatalf("a job link opened another job: %d", res.status)
		}
		if l := linkOf(t, db, w.rita, w.a1.ID); l.Uses != 1 || l.LastIP == "" {
			t.Fatalf("after opening: %+v", l)
		}

		// The new person has no portal account: the link lets them in.
		other := w.s.client()
		other.post(newLink, nil)
		if res := other.get(nurse); res.status != http.StatusOK || !strings.Contains(res.body, "New Person") {
			t.Fatalf("the new person's tracker: %d", res.status)
		}
	})
}

func TestShareLinkToCopyAndExpiry(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		box := linkMailbox(t, db)
		rita := w.s.signedIn(w.rita.Email)
		tracker := "/jobs/" + strconv.FormatInt(w.nurse.ID, 10) + "/tracker"

		res := rita.post(tracker, url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10), strconv.FormatInt(w.a2.ID, 10)}, "action": {"copy"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "A link to copy is for one person") {
			t.Fatalf("two people to copy: %d", res.status)
		}
		res = rita.post(tracker, url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10)}, "uses": {"2"}, "action": {"copy"}})
		m := regexp.MustCompile(`value="http://portico\.test(/portal/l/[A-Za-z0-9_-]+)"`).FindStringSubmatch(res.body)
		if res.status != http.StatusOK || m == nil || !strings.Contains(res.body, "won’t be shown again") || !strings.Contains(res.body, "This link works for 2 visits.") ||
			!strings.Contains(res.body, `data-copy="created-link"`) {
			t.Fatalf("copy: %d\n%s", res.status, res.body)
		}
		path := m[1]
		// The page says the link can be expired below: it is in the table.
		copied := linkOf(t, db, w.rita, w.a1.ID)
		if !strings.Contains(res.body, `action="/links/`+strconv.FormatInt(copied.ID, 10)+`/revoke"`) {
			t.Error("the new link is missing from the page's table of links")
		}
		if strings.Contains(rita.get(tracker).body, path) {
			t.Fatal("the link is shown again")
		}

		// Twice it works; the third time says it expired, and offers a fresh one.
		for i := range 2 {
			c := w.s.client()
			if res := c.post(path, nil); res.status != http.StatusSeeOther {
				t.Fatalf("use %d: %d\n%s", i+1, res.status, res.body)
			}
		}
		c := w.s.client()
		for _, res := range []response{c.get(path), c.post(path, nil)} {
			if res.status != http.StatusGone || !strings.Contains(res.body, "This link has expired") || !strings.Contains(res.body, "used as many times as it allows") ||
				!strings.Contains(res.body, `action="`+path+`/renew"`) || !strings.Contains(res.body, "Email me a fresh link") {
				t.Fatalf("third use: %d\n%s", res.status, res.body)
			}
		}
		if c.cookie("portico_portal") != "" {
			t.Fatal("an expired link set a session cookie")
		}
		res = c.post(path+"/renew", nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != path+"/renewed" {
			t.Fatalf("renew: %d to %q", res.status, res.header.Get("Location"))
		}
		res = c.get(res.header.Get("Location"))
		if res.status != http.StatusOK || !strings.Contains(res.body, "a fresh one is on its way to <strong>a•••@acme.test</strong>") {
			t.Fatalf("renewed: %d\n%s", res.status, res.body)
		}
		fresh := waitMail(t, box, "ann.hiring@acme.test", "Your fresh link to the Senior Nurse tracker")
		if res := c.post(linkPath(t, fresh), nil); res.status != http.StatusSeeOther {
			t.Fatalf("the fresh link: %d", res.status)
		}

		// An unknown link: a clear 404 with the sign-in link request.
		res = w.s.client().get("/portal/l/not-a-real-token")
		if res.status != http.StatusNotFound || !strings.Contains(res.body, "recognise this link") || !strings.Contains(res.body, `action="/portal/link"`) {
			t.Fatalf("unknown link: %d\n%s", res.status, res.body)
		}
		res = w.s.client().post("/portal/l/not-a-real-token/renew", nil)
		if res.status != http.StatusSeeOther {
			t.Fatalf("renewing an unknown link: %d", res.status)
		}
		res = w.s.client().get(res.header.Get("Location"))
		if res.status != http.StatusOK || !strings.Contains(res.body, "If we know that link") || strings.Contains(res.body, "@") {
			t.Fatalf("renewing an unknown link: %d\n%s", res.status, res.body)
		}
	})
}

func TestShareLinkDaysAndRevoke(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		nurse := "/portal/jobs/" + strconv.FormatInt(w.nurse.ID, 10)
		make := func(days int) string {
			nl, err := db.Services().Links.CreateLinks(testkit.AsUser(w.rita), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.a1.ID}, Days: days})
			must(t, err)
			return "/portal/l/" + nl[0].Token
		}
		// A 3-day link: on the third day it works, on the fourth it has expired.
		path := make(3)
		c := w.s.client()
		c.post(path, nil)
		clock.Advance(3*24*time.Hour - time.Hour)
		if res := c.get(nurse); res.status != http.StatusOK {
			t.Fatalf("day three: %d", res.status)
		}
		clock.Advance(time.Hour)
		if res := c.get(path); res.status != http.StatusGone || !strings.Contains(res.body, "has passed its end date") {
			t.Fatalf("day four: %d\n%s", res.status, res.body)
		}
		if res := c.get(nurse); res.status != http.StatusSeeOther {
			t.Fatalf("day four, the session: %d", res.status)
		}

		// A revoked link stops at once, open sessions too.
		path = make(0)
		c = w.s.client()
		c.post(path, nil)
		if res := c.get(nurse); res.status != http.StatusOK {
			t.Fatalf("before revoking: %d", res.status)
		}
		ls, _, err := db.Services().Links.FindLinks(testkit.AsUser(w.rita), portico.LinkFilter{ContactID: w.a1.ID})
		must(t, err)
		rita := w.s.signedIn(w.rita.Email)
		contact := "/contacts/" + strconv.FormatInt(w.a1.ID, 10)
		res := rita.post("/links/"+strconv.FormatInt(ls[0].ID, 10)+"/revoke", url.Values{"next": {contact + "#links-h"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != contact+"#links-h" {
			t.Fatalf("revoke: %d %q", res.status, res.header.Get("Location"))
		}
		if res := rita.get(contact); !strings.Contains(res.body, "The link is expired: it no longer opens") || !strings.Contains(res.body, "Revoked") {
			t.Fatal("no confirmation of the revoke on the contact's page")
		}
		if res := c.get(nurse); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/portal/signin") {
			t.Fatalf("after revoking, the session: %d", res.status)
		}
		if res := c.get(path); res.status != http.StatusGone || !strings.Contains(res.body, "This link has been turned off") ||
			!strings.Contains(res.body, "ask your recruiter for a new one") || strings.Contains(res.body, "Email me a fresh link") {
			t.Fatalf("revoked link: %d\n%s", res.status, res.body)
		}
		// Revoking needs an agency user; an unknown link is a 404, a bad ID a 4xx.
		if res := w.s.client().post("/links/"+strconv.FormatInt(ls[0].ID, 10)+"/revoke", nil); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
			t.Fatalf("visitor revoke: %d", res.status)
		}
		if res := rita.post("/links/999999/revoke", nil); res.status != http.StatusNotFound {
			t.Fatalf("unknown link revoke: %d", res.status)
		}
		if res := rita.post("/links/abc/revoke", nil); res.status < 400 || res.status >= 500 {
			t.Fatalf("bad link ID revoke: %d", res.status)
		}
		// Someone whose access was turned off is told so, not sent a fresh link.
		path = make(0)
		must(t, db.Services().PortalAccounts.Disable(testkit.AsUser(w.rita), w.a1.ID))
		res = w.s.client().post(path, nil)
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "turned off") || strings.Contains(res.body, "Email me a fresh link") {
			t.Fatalf("disabled contact's link: %d\n%s", res.status, res.body)
		}
	})
}

func TestShareTrackerPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		tracker := "/jobs/" + strconv.FormatInt(w.nurse.ID, 10) + "/tracker"
		w.s.run(t, []scenario{
			{name: "visitor form", method: "GET", path: tracker, status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor share", method: "POST", path: tracker, form: url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10)}}, status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown job", as: w.rita.Email, method: "GET", path: "/jobs/999999/tracker", status: http.StatusNotFound},
			{name: "another client's contact", as: w.rita.Email, method: "POST", path: tracker,
				form: url.Values{"contact_id": {strconv.FormatInt(w.b1.ID, 10)}, "action": {"send"}}, status: http.StatusUnprocessableEntity,
				contains: []string{"a contact of this client. Choose from the contacts listed."}},
			{name: "junk contact ID", as: w.rita.Email, method: "POST", path: tracker, form: url.Values{"contact_id": {"x"}}, status: http.StatusBadRequest},
			{name: "admin form", as: testkit.AdminEmail, method: "GET", path: tracker, status: http.StatusOK, contains: []string{"Share the Senior Nurse tracker"}},
		})
		// A contact's portal session is no console session.
		c := w.s.portalSignedIn(w.a1.Email)
		if res := c.get(tracker); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
			t.Fatalf("contact on the tracker form: %d", res.status)
		}
	})
}

// TestSharePortalByEmail: "Share the portal" on a client's page sends each
// person their own link to their whole portal; the page lists the client's
// whole-portal links, not its job links.
func TestSharePortalByEmail(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		box := linkMailbox(t, db)
		rita := w.s.signedIn(w.rita.Email)
		client := "/clients/" + strconv.FormatInt(w.acme.ID, 10)
		share := client + "/tracker"
		// A job link to Carl: the portal page doesn't list it.
		_, err := db.Services().Links.CreateLinks(testkit.AsUser(w.rita), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.a2.ID}, Send: true})
		must(t, err)

		if res := rita.get(client); !strings.Contains(res.body, `href="`+share+`"`) || !strings.Contains(res.body, "Share portal") {
			t.Fatal("the client page has no way to share its portal")
		}
		res := rita.get(share)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", share, res.status)
		}
		for _, want := range []string{"<title>Share the Acme Health portal", "<h1>Share the Acme Health portal</h1>", "Contacts at Acme Health", "Ann Hiring", "Carl Chosen",
			"those with a portal account", "Sees chosen jobs only: the link opens that one.", "Here is your link to our client portal.",
			"You can rate them, leave feedback and propose interview times right there.", "“Open the portal” button", "14 days",
			"Links to the whole portal", "No links to the Acme Health portal yet.", `action="` + share + `"`, `href="` + client + `">Cancel`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		for _, k := range []*portico.Contact{w.a1, w.a2} {
			if !regexp.MustCompile(`value="` + strconv.FormatInt(k.ID, 10) + `"[^>]*checked`).MatchString(res.body) {
				t.Errorf("%s is not ticked", k.Name)
			}
		}
		for _, bad := range []string{"Bea Bolt", "Senior Nurse tracker", "Emailed to carl@acme.test"} {
			if strings.Contains(res.body, bad) {
				t.Errorf("the portal page shows %q", bad)
			}
		}

		res = rita.post(share, url.Values{"contact_id": {strconv.FormatInt(w.a1.ID, 10)}, "emails": {"new.person@acme.test"},
			"message": {"Hello from Rita.\n\nAll your roles are here."}, "days": {"14"}, "action": {"send"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != share+"#links-h" {
			t.Fatalf("send: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		res = rita.get(share)
		for _, want := range []string{"Portal link sent to Ann Hiring and New Person.", "Emailed to ann.hiring@acme.test", "Emailed to new.person@acme.test", "Expire"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("after sending, the page lacks %q", want)
			}
		}
		if strings.Contains(res.body, "Emailed to carl@acme.test") {
			t.Error("after sending, the portal page lists a job link")
		}
		ls, _, err := db.Services().Links.FindLinks(testkit.AsUser(w.rita), portico.LinkFilter{ContactID: w.a1.ID})
		must(t, err)
		if len(ls) != 1 || ls[0].JobID != 0 || ls[0].ClientID != w.acme.ID {
			t.Fatalf("Ann's links: %+v", ls)
		}

		ann := waitMail(t, box, "ann.hiring@acme.test", "shared its client portal")
		if ann.Subject != "Harbour Recruitment shared its client portal with you" || !strings.Contains(ann.Text, "Hello Ann Hiring,") ||
			!strings.Contains(ann.Text, "All your roles are here.") || !strings.Contains(ann.Text, "Open the portal:") || !strings.Contains(ann.HTML, ">Open the portal</a>") ||
			strings.Contains(ann.Text, "tracker") {
			t.Errorf("Ann's email:\n%s\n%s", ann.Subject, ann.Text)
		}
		annLink := linkPath(t, ann)
		waitMail(t, box, "new.person@acme.test", "shared its client portal")

		// The link opens the portal home with all of Ann's jobs, no other client's.
		visitor := w.s.client()
		res = visitor.get(annLink)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Harbour Recruitment shared the client portal with you, Ann Hiring") || !strings.Contains(res.body, "Open the portal") {
			t.Fatalf("landing: %d\n%s", res.status, res.body)
		}
		res = visitor.post(annLink, nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal" {
			t.Fatalf("open: %d %q", res.status, res.header.Get("Location"))
		}
		res = visitor.get("/portal")
		if res.status != http.StatusOK || !strings.Contains(res.body, "Senior Nurse") || !strings.Contains(res.body, "Night Porter") || strings.Contains(res.body, "Site Engineer") {
			t.Fatalf("the portal home: %d\n%s", res.status, res.body)
		}
		if res := visitor.get("/portal/jobs/" + strconv.FormatInt(w.porter.ID, 10)); res.status != http.StatusOK {
			t.Fatalf("a whole-portal link's other job: %d", res.status)
		}
		if res := visitor.get("/portal/jobs/" + strconv.FormatInt(w.engineer.ID, 10)); res.status != http.StatusNotFound {
			t.Fatalf("another client's job: %d", res.status)
		}
	})
}

// TestSharePortalFromContact: "Send a portal link" on a contact's page
// opens the form with that contact alone ticked; a link to copy opens
// the jobs they may see.
func TestSharePortalFromContact(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		rita := w.s.signedIn(w.rita.Email)
		contact := "/contacts/" + strconv.FormatInt(w.a2.ID, 10)
		share := "/clients/" + strconv.FormatInt(w.acme.ID, 10) + "/tracker?contact=" + strconv.FormatInt(w.a2.ID, 10)

		if res := rita.get(contact); !strings.Contains(res.body, `href="`+share+`"`) || !strings.Contains(res.body, "Send a portal link") {
			t.Fatal("the contact page has no way to send a portal link")
		}
		res := rita.get(share)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Ticked to start with: Carl Chosen.") || !strings.Contains(res.body, `action="`+share+`"`) ||
			!strings.Contains(res.body, `href="`+contact+`">Cancel`) || !strings.Contains(res.body, `<p class="crumbs"><a href="`+contact+`">Carl Chosen</a>`) {
			t.Fatalf("from the contact: %d\n%s", res.status, res.body)
		}
		if !regexp.MustCompile(`value="` + strconv.FormatInt(w.a2.ID, 10) + `"[^>]*checked`).MatchString(res.body) {
			t.Error("Carl is not ticked")
		}
		if regexp.MustCompile(`value="` + strconv.FormatInt(w.a1.ID, 10) + `"[^>]*checked`).MatchString(res.body) {
			t.Error("Ann is ticked too")
		}

		res = rita.post(share, url.Values{"contact_id": {strconv.FormatInt(w.a2.ID, 10)}, "uses": {"2"}, "action": {"copy"}})
		m := regexp.MustCompile(`value="http://portico\.test(/portal/l/[A-Za-z0-9_-]+)"`).FindStringSubmatch(res.body)
		if res.status != http.StatusOK || m == nil || !strings.Contains(res.body, "The portal, for Carl Chosen") || !strings.Contains(res.body, "This link works for 2 visits.") {
			t.Fatalf("copy: %d\n%s", res.status, res.body)
		}
		copied := linkOf(t, db, w.rita, w.a2.ID)
		if copied.JobID != 0 || copied.SentTo != "" || copied.MaxUses != 2 {
			t.Fatalf("the copied link: %+v", copied)
		}
		if !strings.Contains(res.body, `action="/links/`+strconv.FormatInt(copied.ID, 10)+`/revoke"`) {
			t.Error("the new link is missing from the page's table of links")
		}
		// Carl sees the Senior Nurse job only: the link opens that.
		c := w.s.client()
		if res := c.post(m[1], nil); res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal" {
			t.Fatalf("open: %d %q", res.status, res.header.Get("Location"))
		}
		res = c.get("/portal")
		if res.status != http.StatusOK || !strings.Contains(res.body, "Senior Nurse") || strings.Contains(res.body, "Night Porter") {
			t.Fatalf("Carl's portal: %d\n%s", res.status, res.body)
		}
		// The contact's page lists the link, as opening the whole portal.
		if res := rita.get(contact); !strings.Contains(res.body, "Whole portal") {
			t.Error("the contact's page doesn't list the whole-portal link")
		}

		// A disabled contact is offered no link.
		must(t, db.Services().PortalAccounts.Disable(testkit.AsUser(w.rita), w.a2.ID))
		if res := rita.get(contact); strings.Contains(res.body, "Send a portal link") || !strings.Contains(res.body, "links don’t open for them") {
			t.Error("a disabled contact's page offers a portal link")
		}
	})
}

func TestSharePortalPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		share := "/clients/" + strconv.FormatInt(w.acme.ID, 10) + "/tracker"
		a1 := strconv.FormatInt(w.a1.ID, 10)
		w.s.run(t, []scenario{
			{name: "visitor form", method: "GET", path: share, status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor share", method: "POST", path: share, form: url.Values{"contact_id": {a1}, "action": {"send"}}, status: http.StatusSeeOther, location: "/signin"},
			{name: "recruiter form", as: w.rita.Email, method: "GET", path: share, status: http.StatusOK, contains: []string{"Share the Acme Health portal"}},
			{name: "admin form", as: testkit.AdminEmail, method: "GET", path: share, status: http.StatusOK, contains: []string{"Share the Acme Health portal"}},
			{name: "unknown client", as: w.rita.Email, method: "GET", path: "/clients/999999/tracker", status: http.StatusNotFound},
			{name: "unknown client share", as: w.rita.Email, method: "POST", path: "/clients/999999/tracker", form: url.Values{"contact_id": {a1}, "action": {"send"}}, status: http.StatusNotFound},
			{name: "bad client ID", as: w.rita.Email, method: "GET", path: "/clients/abc/tracker", status: http.StatusNotFound},
			{name: "another client's contact", as: w.rita.Email, method: "POST", path: share,
				form: url.Values{"contact_id": {strconv.FormatInt(w.b1.ID, 10)}, "action": {"send"}}, status: http.StatusUnprocessableEntity,
				contains: []string{"a contact of this client. Choose from the contacts listed.", "Share the Acme Health portal"}},
			{name: "another client's contact by address", as: w.rita.Email, method: "POST", path: share,
				form: url.Values{"emails": {"bea@bolt.test"}, "action": {"send"}}, status: http.StatusUnprocessableEntity,
				contains: []string{"belongs to a contact of another client"}},
			{name: "another client's contact to start with", as: w.rita.Email, method: "GET", path: share + "?contact=" + strconv.FormatInt(w.b1.ID, 10),
				status: http.StatusOK, contains: []string{"those with a portal account"}, forbidden: []string{"Bea Bolt"}},
			{name: "junk contact ID", as: w.rita.Email, method: "POST", path: share, form: url.Values{"contact_id": {"x"}}, status: http.StatusBadRequest},
			{name: "junk contact to start with", as: w.rita.Email, method: "GET", path: share + "?contact=x", status: http.StatusOK},
		})
		ls, _, err := db.Services().Links.FindLinks(testkit.AsUser(w.rita), portico.LinkFilter{})
		must(t, err)
		if len(ls) != 0 {
			t.Fatalf("%d links after refused shares", len(ls))
		}
		// A contact's portal session is no console session.
		c := w.s.portalSignedIn(w.a1.Email)
		if res := c.get(share); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
			t.Fatalf("contact on the share form: %d", res.status)
		}
	})
}
