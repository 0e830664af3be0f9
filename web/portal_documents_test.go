package web_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestPortalDocuments: the documents shared with a candidate besides the
// résumé are listed on the portal and download with safe headers; any
// other document, or any document through another job or to another
// client's contact, is not found.
func TestPortalDocuments(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		svc := db.Services()
		ctx := testkit.AsUser(w.rita)
		cert, err := svc.Candidates.AddDocument(ctx, w.ann.ID, portico.DocOther, "ann-certificate.pdf", testkit.PDF("Nursing certificate"))
		must(t, err)
		ref, err := svc.Candidates.AddDocument(ctx, w.ann.ID, portico.DocOther, "ann-reference.docx", testkit.DOCX("A glowing reference"))
		must(t, err)
		docs, err := svc.Candidates.FindDocuments(ctx, w.ann.ID)
		must(t, err)
		var secret *portico.Document
		for _, d := range docs {
			if d.Filename == "ann-secret-references.pdf" {
				secret = d
			}
		}
		if secret == nil {
			t.Fatal("the world lacks Ann's unshared references")
		}
		testkit.ShareWith(t, db, w.annApp, portico.ShareInput{ResumeID: w.annCV.ID, ShareVideo: true, Profile: "A calm, experienced ward sister.",
			DocumentIDs: []int64{cert.ID, ref.ID}})

		nurse := "/portal/jobs/" + strconv.FormatInt(w.nurse.ID, 10)
		ann := nurse + "/candidates/" + strconv.FormatInt(w.annApp, 10)
		ben := nurse + "/candidates/" + strconv.FormatInt(w.benApp, 10)
		doc := func(base string, d *portico.Document) string { return fmt.Sprintf("%s/documents/%d", base, d.ID) }
		w.s.portalRun(t, []scenario{
			{name: "listed", as: w.a1.Email, path: ann, status: http.StatusOK,
				contains: []string{"Résumé, video and documents", "Documents", "ann-certificate.pdf", "ann-reference.docx", "Other document",
					`href="` + doc(ann, cert) + `" target="_blank"`, `href="` + doc(ann, ref) + `" download`},
				forbidden: []string{"ann-secret-references.pdf", doc(ann, secret)}},
			{name: "none shared: no list", as: w.a1.Email, path: ben, status: http.StatusOK, forbidden: []string{"/documents/", "Documents</h3>"}},
			{name: "visitor", path: doc(ann, cert), status: http.StatusSeeOther, location: "/portal/signin"},
			{name: "not shared", as: w.a1.Email, path: doc(ann, secret), status: http.StatusNotFound, forbidden: []string{"References"}},
			{name: "another candidate's", as: w.a1.Email, path: doc(ben, cert), status: http.StatusNotFound},
			{name: "through another job", as: w.a1.Email, path: doc("/portal/jobs/"+strconv.FormatInt(w.porter.ID, 10)+"/candidates/"+strconv.FormatInt(w.annApp, 10), cert),
				status: http.StatusNotFound},
			{name: "another client's contact", as: w.b1.Email, path: doc(ann, cert), status: http.StatusNotFound, forbidden: []string{"Ann", "Nursing"}},
			{name: "unknown", as: w.a1.Email, path: ann + "/documents/987654", status: http.StatusNotFound},
			{name: "malformed", as: w.a1.Email, path: ann + "/documents/x", status: http.StatusNotFound},
			{name: "a contact with the job chosen", as: w.a2.Email, path: doc(ann, ref), status: http.StatusOK},
		})

		c := w.s.portalSignedIn(w.a1.Email)
		res := c.get(doc(ann, cert))
		h := res.header
		if res.status != http.StatusOK || !strings.HasPrefix(res.body, "%PDF") || h.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), `inline; filename="ann-certificate.pdf"`) || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != "sandbox; frame-ancestors 'self'" {
			t.Errorf("PDF: %d %v", res.status, h)
		}
		res = c.get(doc(ann, ref))
		h = res.header
		if res.status != http.StatusOK || !strings.HasPrefix(res.body, "PK") || !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="ann-reference.docx"`) ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("Cache-Control") != "private, no-store" {
			t.Errorf("DOCX: %d %v", res.status, h)
		}

		// Unsharing the document takes it off the portal at once.
		testkit.ShareWith(t, db, w.annApp, portico.ShareInput{ResumeID: w.annCV.ID, DocumentIDs: []int64{ref.ID}})
		if res := c.get(doc(ann, cert)); res.status != http.StatusNotFound {
			t.Errorf("a document no longer shared: %d", res.status)
		}
		if res := c.get(ann); strings.Contains(res.body, "ann-certificate.pdf") || !strings.Contains(res.body, "ann-reference.docx") {
			t.Error("the list doesn't follow the share")
		}
	})
}

// TestPortalWeekSummary: the home page shows the summary items the
// portal settings choose, in their order, with the week's counts.
func TestPortalWeekSummary(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		svc := db.Services()
		ctx := testkit.AsUser(w.s.admin)
		stat := func(label string, n int) string { return fmt.Sprintf("<dt>%s</dt><dd>%d</dd>", label, n) }
		w.s.portalRun(t, []scenario{
			{name: "every item by default", as: w.a1.Email, path: "/portal", status: http.StatusOK,
				contains: []string{stat("New candidates, last 7 days", 3), "Submitted to you, last 7 days",
					stat("Interview requests, last 7 days", 1), stat("Feedback given, last 7 days", 1)}},
		})

		set, err := svc.PortalSettings.Settings(ctx, 0)
		must(t, err)
		set.Summary = []portico.SummaryItem{portico.SummaryFeedback, portico.SummaryInterviews}
		must(t, svc.PortalSettings.SetSettings(ctx, set, nil))
		c := w.s.portalSignedIn(w.a1.Email)
		page := c.get("/portal").body
		for _, want := range []string{stat("Feedback given, last 7 days", 1), stat("Interview requests, last 7 days", 1)} {
			if !strings.Contains(page, want) {
				t.Errorf("home lacks %q", want)
			}
		}
		for _, bad := range []string{"New candidates, last 7 days", "Submitted to you"} {
			if strings.Contains(page, bad) {
				t.Errorf("home shows %q, which the settings leave out", bad)
			}
		}
		if strings.Index(page, "Feedback given") > strings.Index(page, "Interview requests") {
			t.Error("the items are not in the settings' order")
		}

		// No items: the figure of the contact's own visits stays.
		set.Summary = nil
		must(t, svc.PortalSettings.SetSettings(ctx, set, nil))
		page = c.get("/portal").body
		if strings.Contains(page, "last 7 days</dt>") || !(strings.Contains(page, "New since your last visit</dt>") || strings.Contains(page, "Shared with you so far</dt>")) {
			t.Errorf("home without summary items:\n%s", page)
		}
	})
}
