package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// mainOf is a page's main content without the preview banner and the
// flash, spaces evened out: what the contact reads.
func mainOf(body string) string {
	i, j := strings.Index(body, `<main`), strings.Index(body, `</main>`)
	if i < 0 || j < i {
		return ""
	}
	m := body[i:j]
	m = regexp.MustCompile(`(?s)<div class="preview-banner".*?</div>`).ReplaceAllString(m, "")
	m = regexp.MustCompile(`(?s)<div class="flash".*?</div>`).ReplaceAllString(m, "")
	return strings.Join(strings.Fields(m), " ")
}

func TestPortalPreview(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		contact := "/contacts/" + strconv.FormatInt(w.a2.ID, 10)
		nurse := "/portal/jobs/" + strconv.FormatInt(w.nurse.ID, 10)
		ann := nurse + "/candidates/" + strconv.FormatInt(w.annApp, 10)

		rita := w.s.signedIn(w.rita.Email)
		if res := rita.get(contact); !strings.Contains(res.body, `action="`+contact+`/preview"`) || !strings.Contains(res.body, "Preview portal as Carl Chosen") {
			t.Fatal("the contact page offers no preview")
		}
		res := rita.post(contact+"/preview", nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal" {
			t.Fatalf("start preview: %d %q", res.status, res.header.Get("Location"))
		}

		// Exactly what Carl sees, marked as a preview.
		carl := w.s.portalSignedIn(w.a2.Email)
		for _, path := range []string{"/portal", nurse, ann} {
			got, want := rita.get(path), carl.get(path)
			if got.status != http.StatusOK || !strings.Contains(got.body, `class="preview-banner"`) || !strings.Contains(got.body, "You are seeing the portal exactly as Carl Chosen of Acme Health sees it") {
				t.Fatalf("preview %s: %d, no banner", path, got.status)
			}
			if strings.Contains(want.body, "preview-banner") {
				t.Fatalf("Carl's own %s shows the preview banner", path)
			}
			if mainOf(got.body) != mainOf(want.body) {
				t.Errorf("preview of %s differs from what Carl sees:\n--- preview\n%s\n--- Carl\n%s", path, mainOf(got.body), mainOf(want.body))
			}
		}
		if res := rita.get("/portal/jobs/" + strconv.FormatInt(w.porter.ID, 10)); res.status != http.StatusNotFound {
			t.Fatalf("the preview shows a job Carl can't see: %d", res.status)
		}

		// Read-only: every change is refused, and nothing is stored.
		before, err := db.Services().Portal.Candidate(testkit.AsContact(w.a2), w.nurse.ID, w.annApp)
		must(t, err)
		for _, p := range []struct {
			path string
			form url.Values
		}{
			{ann + "/rating", url.Values{"stars": {"5"}}},
			{ann + "/feedback", url.Values{"feedback": {"Sneaky preview feedback"}}},
			{ann + "/hire", url.Values{}},
			{ann + "/reject", url.Values{"reason": {"Preview"}}},
			{"/portal/columns", url.Values{"field": {"email"}, "next": {"/portal"}}},
		} {
			res := rita.post(p.path, p.form)
			if res.status != http.StatusForbidden || !strings.Contains(res.body, "This is a preview") || !strings.Contains(res.body, "Nothing was saved.") {
				t.Errorf("POST %s in a preview: %d", p.path, res.status)
			}
		}
		after, err := db.Services().Portal.Candidate(testkit.AsContact(w.a2), w.nurse.ID, w.annApp)
		must(t, err)
		if after.Ratings != before.Ratings || len(after.Feedback) != len(before.Feedback) || after.StageName != before.StageName {
			t.Fatalf("the preview changed the candidate: %+v → %+v", before, after)
		}

		// Ending it goes back to the contact's page, where it is recorded.
		res = rita.post("/portal/preview/end", nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != contact {
			t.Fatalf("end preview: %d %q", res.status, res.header.Get("Location"))
		}
		if rita.cookie("portico_portal") != "" {
			t.Fatal("the preview's cookie is still set")
		}
		if res := rita.get("/portal"); res.status != http.StatusSeeOther {
			t.Fatalf("after the preview, /portal: %d", res.status)
		}
		if res := rita.get(contact); !strings.Contains(res.body, "Preview ended.") || !strings.Contains(res.body, "previewed the portal as Carl Chosen") {
			t.Fatal("the contact page doesn't confirm or record the preview")
		}
		// Carl's own session is untouched by all this.
		if res := carl.get("/portal"); res.status != http.StatusOK {
			t.Fatalf("Carl after the preview: %d", res.status)
		}
	})
}

func TestPortalPreviewEnds(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		contact := "/contacts/" + strconv.FormatInt(w.a1.ID, 10)

		// Signing out of the portal in a preview ends the preview.
		rita := w.s.signedIn(w.rita.Email)
		rita.post(contact+"/preview", nil)
		if res := rita.post("/portal/signout", nil); res.status != http.StatusSeeOther || res.header.Get("Location") != contact {
			t.Fatalf("sign out in a preview: %d %q", res.status, res.header.Get("Location"))
		}

		// Signing out of the console ends it too.
		rita.post(contact+"/preview", nil)
		rita.post("/signout", nil)
		if res := rita.get("/portal"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
			t.Fatalf("preview after console sign-out: %d %q", res.status, res.header.Get("Location"))
		}
		// Someone else's console session can't carry on another's preview.
		rita = w.s.signedIn(w.rita.Email)
		rita.post(contact+"/preview", nil)
		token := rita.cookie("portico_portal")
		admin := w.s.signedIn(testkit.AdminEmail)
		u, _ := url.Parse(w.s.srv.URL)
		admin.http.Jar.SetCookies(u, []*http.Cookie{{Name: "portico_portal", Value: token, Path: "/"}})
		if res := admin.get("/portal"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
			t.Fatalf("another user's preview: %d %q", res.status, res.header.Get("Location"))
		}
		// Nobody to preview: a clear message, no session.
		nell := testkit.AddContact(t, db, w.acme.ID, "Nell New", "nell@acme.test")
		rita = w.s.signedIn(w.rita.Email)
		res := rita.post("/contacts/"+strconv.FormatInt(nell.ID, 10)+"/preview", nil)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "has no portal account yet, so there is nothing to preview") {
			t.Fatalf("preview of a contact without an account: %d", res.status)
		}
		if rita.cookie("portico_portal") != "" {
			t.Fatal("a refused preview set a session")
		}
		// Ending a preview never ends a contact's own session.
		ann := w.s.portalSignedIn(w.a1.Email)
		if res := ann.post("/portal/preview/end", nil); res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal" {
			t.Fatalf("contact ends a preview: %d %q", res.status, res.header.Get("Location"))
		}
		if res := ann.get("/portal"); res.status != http.StatusOK {
			t.Fatalf("the contact's own session ended: %d", res.status)
		}
		// Contacts can't start previews.
		if res := ann.post(contact+"/preview", nil); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
			t.Fatalf("contact starts a preview: %d", res.status)
		}
		evs, _, err := db.Services().Events.FindEvents(testkit.AsUser(w.rita), portico.EventFilter{Action: "contact.previewed"})
		must(t, err)
		if len(evs) != 3 {
			t.Fatalf("%d previews recorded, want 3", len(evs))
		}
	})
}
