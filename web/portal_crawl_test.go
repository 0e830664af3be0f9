package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// pvWorld is a small agency with two clients, for the portal's page tests
// and the security crawl: shared and unshared candidates, a hidden field
// with a distinctive value, internal notes, internal stage names unlike
// the client's, unshared documents, an anonymous job, and contacts with
// all jobs, with one chosen job, and at the other client.
type pvWorld struct {
	s                       *site
	rita                    *portico.User
	acme, bolt              *portico.Client
	nurse, porter, engineer *portico.Job
	// Applications: Ann (with her résumé) and Ben (no résumé shared) on
	// nurse, Cara on nurse unshared; Dora on porter (anonymous job); Evan
	// shared and Finn unshared on engineer (the other client).
	annApp, benApp, caraApp, doraApp, evanApp, finnApp int64
	ann, dora                                          *portico.Candidate
	annCV                                              *portico.Document
	a1, a2, b1                                         *portico.Contact
}

// Distinctive texts the portal must never show to the wrong people.
const (
	pvNote       = "NOTE-SECRET-7731: asked for too much"
	pvClientNote = "CLIENT-NOTE-SECRET-5521"
	pvAnnEmail   = "ann.hidden.mailbox@example.com"
	pvAnnPhone   = "+44 7700 900999"
	pvAnnSalary  = "GBP 99,123 a year"
	pvDoraEmail  = "dora.private@example.com"
)

// pvInternal renames the default stages so that no internal name is a
// client-facing one.
var pvInternal = map[string]string{
	"Sourced": "Sourced (int)", "Screening": "Screening (internal)", "Submitted to client": "Submitted to client (int)",
	"Client interview": "Client interview (int)", "Offer": "Offer (int)", "Placed": "Placed (int)",
	"Rejected by Client": "Rejected by Client (int)", "Rejected by agency": "Rejected by agency (int)", "Withdrawn": "Withdrawn (int)",
}

func newPVWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *pvWorld {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	w := &pvWorld{s: newSite(t, db, clock)}
	w.rita = testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	stages, err := svc.Stages.ListStages(ctx, true)
	must(t, err)
	byName := map[string]*portico.Stage{}
	for _, st := range stages {
		if in, ok := pvInternal[st.InternalName]; ok {
			_, err := svc.Stages.UpdateStage(ctx, st.ID, portico.StageInput{InternalName: in, ClientName: st.ClientName, Kind: st.Kind})
			must(t, err)
			byName[in] = st
		}
	}
	w.acme = testkit.AddClient(t, db, "Acme Health")
	_, err = svc.Clients.UpdateClient(ctx, w.acme.ID, portico.ClientInput{Name: "Acme Health", Status: portico.ClientActive, Notes: pvClientNote})
	must(t, err)
	w.bolt = testkit.AddClient(t, db, "Bolt Engineering")
	w.nurse = testkit.AddJob(t, db, w.acme.ID, w.rita.ID, "Senior Nurse")
	w.porter = testkit.AddJob(t, db, w.acme.ID, w.rita.ID, "Night Porter")
	w.engineer = testkit.AddJob(t, db, w.bolt.ID, w.s.admin.ID, "Site Engineer")
	_, err = svc.Jobs.UpdateJob(ctx, w.nurse.ID, portico.JobInput{ClientID: w.acme.ID, OwnerID: w.rita.ID, Title: "Senior Nurse",
		Description: "Nights on a busy surgical ward.", Type: portico.JobPermanent, Openings: 2, Status: portico.JobOpen, StartDate: "2026-04-01"})
	must(t, err)

	w.ann, err = svc.Candidates.CreateCandidate(ctx, portico.CandidateInput{FirstName: "Ann", LastName: "Archer", Email: pvAnnEmail,
		Phone: pvAnnPhone, City: "Leeds", CurrentTitle: "Ward Sister", CurrentEmployer: "St Mary's", Skills: "Triage, Theatre",
		SalaryExpectation: pvAnnSalary, Availability: "Four weeks", VideoURL: "https://video.example.com/ann"})
	must(t, err)
	w.annCV, err = svc.Candidates.AddDocument(ctx, w.ann.ID, portico.DocResume, "ann-archer-cv.pdf", testkit.PDF("Ann Archer curriculum vitae"))
	must(t, err)
	_, err = svc.Candidates.AddDocument(ctx, w.ann.ID, portico.DocOther, "ann-secret-references.pdf", testkit.PDF("References"))
	must(t, err)
	ben := testkit.AddCandidate(t, db, "Ben", "Baker")
	_, err = svc.Candidates.AddDocument(ctx, ben.ID, portico.DocResume, "ben-baker-cv.pdf", testkit.PDF("Ben Baker CV"))
	must(t, err)
	cara := testkit.AddCandidate(t, db, "Cara", "Cole")
	w.dora, err = svc.Candidates.CreateCandidate(ctx, portico.CandidateInput{FirstName: "Dora", LastName: "Dent", Email: pvDoraEmail, CurrentTitle: "Porter"})
	must(t, err)
	evan := testkit.AddCandidate(t, db, "Evan", "Evans")
	finn := testkit.AddCandidate(t, db, "Finn", "Fox")
	_, err = svc.Candidates.AddDocument(ctx, finn.ID, portico.DocResume, "finn-fox-cv.pdf", testkit.PDF("Finn Fox CV"))
	must(t, err)

	w.annApp = pvApply(t, db, w.nurse.ID, w.ann.ID)
	w.benApp = pvApply(t, db, w.nurse.ID, ben.ID)
	w.caraApp = pvApply(t, db, w.nurse.ID, cara.ID)
	w.doraApp = pvApply(t, db, w.porter.ID, w.dora.ID)
	w.evanApp = pvApply(t, db, w.engineer.ID, evan.ID)
	w.finnApp = pvApply(t, db, w.engineer.ID, finn.ID)
	_, err = svc.Applications.MoveApplication(ctx, w.annApp, byName["Screening (internal)"].ID)
	must(t, err)
	_, err = svc.Applications.MoveApplication(ctx, w.caraApp, byName["Client interview (int)"].ID)
	must(t, err)
	_, err = svc.Applications.AddNote(testkit.AsUser(w.rita), w.annApp, pvNote)
	must(t, err)

	w.a1 = testkit.PortalContact(t, db, w.acme.ID, "Ann Hiring", "ann.hiring@acme.test")
	w.a2 = testkit.PortalContact(t, db, w.acme.ID, "Carl Chosen", "carl@acme.test")
	must(t, svc.PortalAccounts.SetAccess(ctx, w.a2.ID, false, []int64{w.nurse.ID}))
	w.b1 = testkit.PortalContact(t, db, w.bolt.ID, "Bea Bolt", "bea@bolt.test")

	clock.Advance(time.Hour)
	testkit.ShareWith(t, db, w.annApp, portico.ShareInput{ResumeID: w.annCV.ID, ShareVideo: true, Profile: "A calm, experienced ward sister.\n\nLeads a team of twelve."})
	testkit.ShareWith(t, db, w.benApp, portico.ShareInput{})
	testkit.ShareApplication(t, db, w.doraApp)
	testkit.ShareApplication(t, db, w.evanApp)
	testkit.SetVisibility(t, db, portico.ScopeJob, w.porter.ID, portico.Visibility{Anonymous: true,
		Fields: []portico.CandidateField{portico.FieldEmail, portico.FieldCurrentTitle}})

	// The client's people have been at work.
	acts := svc.PortalActions
	must(t, acts.Rate(testkit.AsContact(w.a1), w.nurse.ID, w.annApp, 4))
	must(t, acts.Feedback(testkit.AsContact(w.a2), w.nurse.ID, w.annApp, "Good bedside manner, by all accounts."))
	must(t, acts.RequestInterview(testkit.AsContact(w.a1), w.nurse.ID, w.benApp, portico.InterviewInput{
		Slots: []time.Time{clock.Now().Add(48 * time.Hour), clock.Now().Add(72 * time.Hour)}, Note: "Mornings suit us."}))
	must(t, acts.Rate(testkit.AsContact(w.b1), w.engineer.ID, w.evanApp, 2))
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func pvApply(t testing.TB, db *sqlstore.DB, jobID, candidateID int64) int64 {
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

// pvViewer is someone the crawl acts as, with what they may see.
type pvViewer struct {
	name      string
	email     string // "" for a signed-out visitor or a link's visitor
	link      string // a share link's token the viewer comes in by
	jobs      map[int64]bool
	forbidden []string
	mustSee   []string // somewhere in what the crawl reached
}

// pvForbidden is what no Acme viewer may see (always), and what is
// Bolt's (acme).
func pvForbidden() (always, acme []string) {
	always = []string{pvNote, pvClientNote, pvAnnEmail, pvAnnPhone, "7700 900999", pvAnnSalary, pvDoraEmail,
		"(internal)", "(int)", "Cara Cole", "Finn Fox", "ann-secret-references.pdf", "ben-baker-cv.pdf", "finn-fox-cv.pdf",
		"Dora Dent", "Dora", "References", "Ben Baker CV", "Finn Fox CV"}
	acme = []string{"Bolt Engineering", "Site Engineer", "Evan Evans", "Bea Bolt"}
	return always, acme
}

func (w *pvWorld) viewers() []pvViewer {
	always, acme := pvForbidden()
	return []pvViewer{
		{name: "all jobs", email: w.a1.Email, jobs: map[int64]bool{w.nurse.ID: true, w.porter.ID: true},
			forbidden: append(append([]string{}, always...), acme...),
			mustSee:   []string{"Ann Archer", "Ben Baker", portico.Reference(w.dora.ID), "Night Porter", "Under review", "Ward Sister", "Good bedside manner", "Mornings suit us."}},
		{name: "one job", email: w.a2.Email, jobs: map[int64]bool{w.nurse.ID: true},
			forbidden: append(append([]string{"Night Porter", portico.Reference(w.dora.ID)}, always...), acme...),
			mustSee:   []string{"Ann Archer", "Ben Baker", "Senior Nurse"}},
		{name: "other client", email: w.b1.Email, jobs: map[int64]bool{w.engineer.ID: true},
			forbidden: append([]string{"Acme Health", "Senior Nurse", "Night Porter", "Ann Archer", "Ben Baker", "Ann Hiring", "Carl Chosen",
				"Good bedside manner", portico.Reference(w.dora.ID), "Rita Recruiter"}, always...),
			mustSee: []string{"Evan Evans", "Site Engineer", "Bolt Engineering"}},
		{name: "visitor", jobs: map[int64]bool{}, forbidden: append(append([]string{"Acme Health", "Senior Nurse", "Ann Archer"}, always...), acme...)},
	}
}

// anonymous reports whether the viewer is signed out: no password, no link.
func (v pvViewer) anonymous() bool { return v.email == "" && v.link == "" }

// linkViewers are people who come in by share links: one to a job, for a
// contact who may see all the client's jobs, and one to the whole portal,
// for someone with no portal account. They see what the link allows and
// no more: never another job, never another client.
func (w *pvWorld) linkViewers(t *testing.T) []pvViewer {
	t.Helper()
	ctx := testkit.AsUser(w.rita)
	jobLink, err := w.s.db.Services().Links.CreateLinks(ctx, portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.a1.ID}})
	must(t, err)
	portalLink, err := w.s.db.Services().Links.CreateLinks(ctx, portico.LinkInput{ClientID: w.acme.ID, Emails: []string{"lena.link@acme.test"}})
	must(t, err)
	always, acme := pvForbidden()
	return []pvViewer{
		{name: "job link", link: jobLink[0].Token, jobs: map[int64]bool{w.nurse.ID: true},
			forbidden: append(append([]string{"Night Porter", portico.Reference(w.dora.ID)}, always...), acme...),
			mustSee:   []string{"Ann Archer", "Ben Baker", "Senior Nurse", "Good bedside manner"}},
		{name: "portal link", link: portalLink[0].Token, jobs: map[int64]bool{w.nurse.ID: true, w.porter.ID: true},
			forbidden: append(append([]string{}, always...), acme...),
			mustSee:   []string{"Ann Archer", "Night Porter", portico.Reference(w.dora.ID), "Lena Link"}},
	}
}

var pvLink = regexp.MustCompile(`(?:href|src)="(/portal[^"#]*)`)

// pvCheck fails on a 5xx or on any forbidden text in a response: the
// body, and for a workbook the XML of every part inside it.
func pvCheck(t *testing.T, who pvViewer, method, path string, res response) {
	t.Helper()
	if res.status >= 500 {
		t.Errorf("%s: %s %s: status %d", who.name, method, path, res.status)
	}
	text := res.body
	if strings.HasPrefix(res.header.Get("Content-Type"), "application/vnd.openxmlformats") {
		text += xlsxText(t, []byte(res.body))
	}
	for _, bad := range who.forbidden {
		if strings.Contains(text, bad) || strings.Contains(text, html.EscapeString(bad)) {
			t.Errorf("%s: %s %s shows forbidden %q", who.name, method, path, bad)
		}
	}
}

// xlsxText returns the XML of every part of a workbook, unescaped.
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Errorf("the export is not a zip: %v", err)
		return ""
	}
	var out strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		out.WriteString(html.UnescapeString(string(x)))
	}
	return out.String()
}

// TestPortalSecurityCrawl walks every portal page reachable from /portal
// as contacts of two clients and as a signed-out visitor, then tries every
// portal address with every ID in the world. Nothing forbidden may show,
// nothing may fail with a 5xx, and every foreign or unshared ID is a 404.
func TestPortalSecurityCrawl(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		jobApps := map[int64][]int64{w.nurse.ID: {w.annApp, w.benApp, w.caraApp}, w.porter.ID: {w.doraApp}, w.engineer.ID: {w.evanApp, w.finnApp}}
		shared := map[int64]bool{w.annApp: true, w.benApp: true, w.doraApp: true, w.evanApp: true}
		withResume := map[int64]bool{w.annApp: true, w.doraApp: false}
		jobIDs := []string{strconv.FormatInt(w.nurse.ID, 10), strconv.FormatInt(w.porter.ID, 10), strconv.FormatInt(w.engineer.ID, 10), "999999", "0", "abc", "-1"}
		appIDs := []string{"999999", "0", "x1"}
		for _, apps := range jobApps {
			for _, a := range apps {
				appIDs = append(appIDs, strconv.FormatInt(a, 10))
			}
		}
		appJob := map[string]int64{}
		for j, apps := range jobApps {
			for _, a := range apps {
				appJob[strconv.FormatInt(a, 10)] = j
			}
		}
		for _, who := range append(w.viewers(), w.linkViewers(t)...) {
			t.Run(who.name, func(t *testing.T) {
				c := w.s.client()
				switch {
				case who.email != "":
					c = w.s.portalSignedIn(who.email)
				case who.link != "":
					if res := c.post("/portal/l/"+who.link, nil); res.status != http.StatusSeeOther {
						t.Fatalf("%s: opening the link: %d", who.name, res.status)
					}
				}
				seen := map[string]bool{}
				var reached strings.Builder

				// 1. Follow every link from the home page.
				queue := []string{"/portal"}
				for len(queue) > 0 && len(seen) < 400 {
					path := queue[0]
					queue = queue[1:]
					if seen[path] {
						continue
					}
					seen[path] = true
					res := c.get(path)
					pvCheck(t, who, "GET", path, res)
					if who.anonymous() {
						if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/portal/signin") {
							t.Errorf("visitor: GET %s: status %d, Location %q", path, res.status, res.header.Get("Location"))
						}
						continue
					}
					if res.status != http.StatusOK {
						t.Errorf("%s: GET %s (linked): status %d", who.name, path, res.status)
						continue
					}
					reached.WriteString(res.body)
					if !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
						continue
					}
					for _, m := range pvLink.FindAllStringSubmatch(res.body, -1) {
						link := html.UnescapeString(m[1])
						if !seen[link] {
							queue = append(queue, link)
						}
					}
					// The filter forms' choices, as a browser would send them.
					if strings.HasPrefix(path, "/portal/jobs/") && !strings.Contains(path, "/candidates/") && !strings.Contains(path, "?") {
						for _, q := range []string{"view=list", "rating=1", "rating=5", "view=list&stage=Under+review", "stage=Not+progressing", "view=list&offset=50"} {
							queue = append(queue, path+"?"+q)
						}
					}
				}
				if !who.anonymous() && len(seen) < 5 {
					t.Errorf("%s: the crawl reached only %d pages: %v", who.name, len(seen), seen)
				}
				for _, want := range who.mustSee {
					if !strings.Contains(reached.String(), want) && !strings.Contains(reached.String(), html.EscapeString(want)) {
						t.Errorf("%s: the crawl never showed %q", who.name, want)
					}
				}

				// 2. Every address pattern with every ID in the world.
				for _, j := range jobIDs {
					jid, _ := strconv.ParseInt(j, 10, 64)
					jobOK := who.jobs[jid]
					for _, p := range []string{"/portal/jobs/" + j, "/portal/jobs/" + j + "?view=list", "/portal/jobs/" + j + "/export.xlsx"} {
						res := c.get(p)
						pvCheck(t, who, "GET", p, res)
						pvWant(t, who, "GET", p, res, jobOK)
					}
					for _, a := range appIDs {
						ok := jobOK && appJob[a] == jid && shared[mustID(a)]
						base := "/portal/jobs/" + j + "/candidates/" + a
						res := c.get(base)
						pvCheck(t, who, "GET", base, res)
						pvWant(t, who, "GET", base, res, ok)
						for _, p := range []string{base + "/resume", base + "/resume?inline=1"} {
							res := c.get(p)
							pvCheck(t, who, "GET", p, res)
							pvWant(t, who, "GET", p, res, ok && withResume[mustID(a)])
						}
						if ok {
							continue // the actions' own tests change what is allowed
						}
						for _, act := range []struct {
							path string
							form url.Values
						}{
							{"/rating", url.Values{"stars": {"3"}}},
							{"/feedback", url.Values{"feedback": {"Sneaky"}}},
							{"/interview", url.Values{"slot_1": {"2026-03-20T10:00"}}},
							{"/approve", url.Values{}},
							{"/hire", url.Values{}},
							{"/reject", url.Values{"reason": {"Sneaky"}}},
						} {
							res := c.post(base+act.path, act.form)
							pvCheck(t, who, "POST", base+act.path, res)
							want := http.StatusNotFound
							if who.anonymous() {
								want = http.StatusUnauthorized
							}
							if res.status != want {
								t.Errorf("%s: POST %s: status %d, want %d", who.name, base+act.path, res.status, want)
							}
						}
					}
				}
				res := c.post("/portal/columns", url.Values{"field": {"email", "current_title"}, "next": {"/portal"}})
				pvCheck(t, who, "POST", "/portal/columns", res)
			})
		}
		// Nothing the refused actions tried was stored.
		d, err := db.Services().Portal.Candidate(testkit.AsContact(w.a1), w.nurse.ID, w.annApp)
		must(t, err)
		if d.Ratings != 1 || len(d.Feedback) != 1 || d.StageName != "Under review" {
			t.Errorf("after the crawl: %d ratings, %d feedback, stage %q", d.Ratings, len(d.Feedback), d.StageName)
		}
		apps, _, err := db.Services().Applications.FindApplications(context.Background(), portico.ApplicationFilter{JobID: w.engineer.ID})
		must(t, err)
		for _, a := range apps {
			if a.StageKind == portico.KindRejectedByClient || a.StageKind == portico.KindHired {
				t.Errorf("a refused action moved %s to %s", a.CandidateName, a.StageName)
			}
		}
	})
}

func mustID(s string) int64 {
	id, _ := strconv.ParseInt(s, 10, 64)
	return id
}

// pvWant checks a GET's status: 200 when the viewer may see it, 404 when
// not, and for a visitor the way to the sign-in page.
func pvWant(t *testing.T, who pvViewer, method, path string, res response, ok bool) {
	t.Helper()
	switch {
	case who.anonymous():
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/portal/signin?next=") {
			t.Errorf("visitor: %s %s: status %d, Location %q", method, path, res.status, res.header.Get("Location"))
		}
	case ok && res.status != http.StatusOK:
		t.Errorf("%s: %s %s: status %d, want 200", who.name, method, path, res.status)
	case !ok && res.status != http.StatusNotFound:
		t.Errorf("%s: %s %s: status %d, want 404 (%s)", who.name, method, path, res.status, fmt.Sprint(len(res.body)))
	}
}
