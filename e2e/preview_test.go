package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"portico/internal/testkit"
)

// TestPreviewJourney is the acceptance journey of the portal preview: a
// recruiter opens a contact's page, clicks "Preview portal as …" and sees
// the portal's home, job and candidate pages marked as a preview, reading
// exactly as they do in the contact's own browser; a rating tried in the
// preview is refused and not stored; "End preview" leads back to the
// contact's page, whose history records the preview. It runs on SQLite
// (on a phone) and PostgreSQL (desktop), with axe on every page.
func TestPreviewJourney(t *testing.T) {
	onEachEngine(t, previewJourney)
}

// Who and what the preview journey works with.
const (
	pvRecruiter, pvRecruiterEmail, pvRecruiterPassword = "Rosa Recruiter", "rosa@harbour.test", "rosa-shares-people-3"

	pvClient, pvContact, pvEmail, pvPassword = "Lakeside Foods", "Clara Client", "clara@lakeside.test", "clara-hires-well-2030"
	pvJob                                    = "Warehouse Supervisor"
	pvShared1, pvShared2, pvUnshared         = "Priya Shah", "Tomas Okafor", "Ines Duarte"
)

// previewJourney runs the recruiter and the contact on the same screen, so
// their pages' text can be compared as read.
func previewJourney(t *testing.T, engine string, vp viewport) {
	start := time.Now()
	box := testkit.NewMailbox(t)
	p := startPortico(t, options{Engine: engine, SMTPURL: box.URL()})
	admin := p.setUpOverHTTP()
	p.addUser(admin, pvRecruiter, pvRecruiterEmail, pvRecruiterPassword, "recruiter")
	rc := p.signInOverHTTP(pvRecruiterEmail, pvRecruiterPassword)

	clientID := p.addClient(rc, pvClient)
	contactID := p.addContact(rc, clientID, pvContact, pvEmail)
	jobID := p.addJob(rc, pvRecruiter, clientID, pvJob)
	apps := p.shortlistNew(rc, jobID, pvShared1, pvShared2, pvUnshared)
	p.shareApp(rc, apps[0])
	p.shareApp(rc, apps[1])
	p.activateContact(rc, box, contactID, pvEmail, pvPassword)
	contactPage := fmt.Sprintf("/contacts/%d", contactID)
	pages := []struct{ name, path string }{
		{"home", "/portal"},
		{"job", fmt.Sprintf("/portal/jobs/%d", jobID)},
		{"candidate", fmt.Sprintf("/portal/jobs/%d/candidates/%d", jobID, apps[0])},
	}

	// The contact signs in, in a browser of their own; the recruiter
	// previews the portal from the contact's page.
	r := newBrowser(t, vp, p.URL)
	c := r.freshSession(t, vp)
	c.visit("signin", "/portal/signin")
	c.fill("Email", pvEmail)
	c.fill("Password", pvPassword)
	c.clickButton("contact-home", "Sign in")
	r.signIn(pvRecruiter, pvRecruiterEmail, pvRecruiterPassword)
	r.visit("contact", contactPage)
	r.clickButton("preview-home", "Preview portal as "+pvContact)
	if path := r.path(); path != "/portal" {
		t.Fatalf("the preview opened at %s, want /portal", path)
	}
	// Page by page, the preview and the contact's own browser read alike.
	// (The contact signed in before the preview started: signing in again
	// would change what is new since their last visit.)
	for _, pg := range pages {
		if r.path() != pg.path {
			r.visit("preview-"+pg.name, pg.path)
		}
		if banner := r.text(".preview-banner"); !strings.Contains(banner, "You are seeing the portal exactly as "+pvContact+" of "+pvClient+" sees it") {
			t.Errorf("the preview of %s has no preview banner (%q)", pg.path, banner)
		}
		c.visit("contact-"+pg.name, pg.path)
		if c.exists(".preview-banner") {
			t.Errorf("the contact's own %s shows the preview banner", pg.path)
		}
		preview, own := r.mainText(), c.mainText()
		if preview != own {
			t.Errorf("the preview of %s differs from what %s sees:\n--- preview\n%s\n--- %s\n%s", pg.path, pvContact, preview, pvContact, own)
		}
		if pg.name == "job" && (!strings.Contains(preview, pvShared1) || !strings.Contains(preview, pvShared2) || strings.Contains(preview, pvUnshared)) {
			t.Errorf("the preview's job page shows %q, want the two shared candidates only", preview)
		}
	}

	// A rating tried in the preview is refused, and the contact's page
	// is as it was.
	before := c.mainText()
	r.tapOrClick("4 stars", selector(`label[for="f-stars-4"]`))
	if status := r.clickButton("preview-refused", "Save rating"); status != http.StatusForbidden {
		t.Errorf("saving a rating in the preview answered %d, want 403", status)
	}
	if h, main := r.mustText("h1"), r.text("main"); h != "This is a preview" || !strings.Contains(main, "Nothing was saved.") {
		t.Errorf("a rating in the preview shows %q: %q", h, main)
	}
	c.visit("contact-candidate-after", pages[2].path)
	if after := c.mainText(); after != before || strings.Contains(after, "You rated") {
		t.Errorf("the rating tried in the preview changed the contact's candidate page:\n--- before\n%s\n--- after\n%s", before, after)
	}

	// Back to the preview, then out of it to the contact's page.
	r.clickLink("preview-back", "Back to the page")
	if path := r.path(); path != pages[2].path {
		t.Errorf("“Back to the page” led to %s, want %s", path, pages[2].path)
	}
	r.clickButton("preview-ended", "End preview")
	if path, flash := r.path(), r.text(".flash"); path != contactPage || !strings.Contains(flash, "Preview ended.") {
		t.Fatalf("after ending the preview the recruiter is at %s with the message %q", path, flash)
	}
	if history := r.text(`section[aria-labelledby="history-h"]`); !strings.Contains(history, pvRecruiter+" previewed the portal as "+pvContact) {
		t.Errorf("the contact's history does not record the preview:\n%s", history)
	}
	r.visit("portal-after-preview", "/portal")
	if path := r.path(); !strings.HasPrefix(path, "/portal/signin") {
		t.Errorf("after the preview ended the recruiter's browser still opens the portal (at %s)", path)
	}
	t.Logf("preview journey on %s took %v", engine, time.Since(start).Round(100*time.Millisecond))
}
