package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

const cdRecruiter = "rita@agency.test"

// cdSite is a console with a recruiter, a client with an open and a closed
// job, and a few candidates.
type cdSite struct {
	*site
	rec          *portico.User
	open, closed *portico.Job
	jane, john   *portico.Candidate
}

func newCandidateSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *cdSite {
	t.Helper()
	s := &cdSite{site: newSite(t, db, clock)}
	s.rec = testkit.AddUser(t, db, "Rita Recruiter", cdRecruiter, portico.RoleRecruiter)
	cl := testkit.AddClient(t, db, "Summit Health")
	s.open = testkit.AddJob(t, db, cl.ID, s.rec.ID, "Senior Staff Nurse")
	s.closed = testkit.AddJob(t, db, cl.ID, s.rec.ID, "Ward Clerk")
	in := portico.JobInput{ClientID: cl.ID, OwnerID: s.rec.ID, Title: "Ward Clerk", Type: portico.JobPermanent, Openings: 1, Status: portico.JobClosed}
	if _, err := db.Services().Jobs.UpdateJob(testkit.AsUser(s.rec), s.closed.ID, in); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	s.jane = testkit.AddCandidate(t, db, "Jane", "Doe")
	clock.Advance(time.Minute)
	c, err := db.Services().Candidates.CreateCandidate(context.Background(), portico.CandidateInput{
		FirstName: "John", LastName: "O'Hara", CurrentTitle: "Software Engineer", CurrentEmployer: "Kestrel Digital", City: "Manchester",
		Skills: "Go, PostgreSQL, <script>alert(1)</script>", Summary: "Builds things.\nShips them.", VideoURL: "https://video.example.com/john",
	})
	if err != nil {
		t.Fatal(err)
	}
	s.john = c
	return s
}

func TestCandidatePages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newCandidateSite(t, db, clock)
		jane, john := fmt.Sprintf("/candidates/%d", s.jane.ID), fmt.Sprintf("/candidates/%d", s.john.ID)
		forJob := fmt.Sprintf("/candidates?job=%d", s.open.ID)
		s.run(t, []scenario{
			{name: "visitor goes to sign-in", method: "GET", path: "/candidates", status: 303, location: "/signin?next=%2Fcandidates"},
			{name: "visitor can't see a candidate", method: "GET", path: jane, status: 303, location: "/signin"},
			{name: "visitor can't add", method: "POST", path: "/candidates", form: url.Values{"first_name": {"X"}, "last_name": {"Y"}}, status: 303, location: "/signin"},
			{name: "list, newest first", as: cdRecruiter, method: "GET", path: "/candidates", status: 200,
				contains: []string{"2 candidates, newest first", "John O&#39;Hara", "Jane Doe", "Software Engineer", "Kestrel Digital", "Manchester",
					`name="candidate_id" value="` + fmt.Sprint(s.jane.ID), `<select id="cd-job" name="job_id" required`, "Senior Staff Nurse — Summit Health", `action="/shortlist"`},
				forbidden: []string{"Ward Clerk", "<script>alert(1)</script>"}},
			{name: "search by skill", as: cdRecruiter, method: "GET", path: "/candidates?q=postgres", status: 200,
				contains: []string{"1 candidate matches “postgres”", "John O&#39;Hara", "Clear search"}, forbidden: []string{"Jane Doe"}},
			{name: "search by city and title prefix", as: cdRecruiter, method: "GET", path: "/candidates?q=staff+lee", status: 200,
				contains: []string{"Jane Doe"}, forbidden: []string{"John O&#39;Hara"}},
			{name: "search with query syntax", as: cdRecruiter, method: "GET", path: "/candidates?q=" + url.QueryEscape(`"jane" AND (doe* OR -x) NEAR(`), status: 200,
				contains: []string{"No candidates match"}},
			{name: "search with only symbols lists everyone", as: cdRecruiter, method: "GET", path: "/candidates?q=" + url.QueryEscape(`"*()'`), status: 200,
				contains: []string{"Jane Doe", "John O&#39;Hara"}},
			{name: "no match", as: cdRecruiter, method: "GET", path: "/candidates?q=astronaut", status: 200,
				contains: []string{"No candidates match “astronaut”", "Show all candidates"}, forbidden: []string{"cd-result"}},
			{name: "for a job", as: cdRecruiter, method: "GET", path: forJob, status: 200,
				contains: []string{"Add candidates to Senior Staff Nurse", fmt.Sprintf(`<input type="hidden" name="job_id" value="%d">`, s.open.ID),
					fmt.Sprintf(`<input type="hidden" name="job" value="%d">`, s.open.ID), fmt.Sprintf(`href="/jobs/%d"`, s.open.ID)},
				forbidden: []string{`<select id="cd-job"`}},
			{name: "for a job, searching", as: cdRecruiter, method: "GET", path: forJob + "&q=jane", status: 200,
				contains: []string{"Jane Doe", "Add candidates to Senior Staff Nurse"}},
			{name: "for an unknown job", as: cdRecruiter, method: "GET", path: "/candidates?job=99999", status: 404},
			{name: "for a malformed job", as: cdRecruiter, method: "GET", path: "/candidates?job=abc", status: 404},
			{name: "candidate page", as: cdRecruiter, method: "GET", path: john, status: 200,
				contains: []string{"<h1>John O&#39;Hara</h1>", "Software Engineer", "Kestrel Digital", "<li>Go</li>", "<li>PostgreSQL</li>",
					"&lt;script&gt;alert(1)&lt;/script&gt;", "Builds things.\nShips them.", `href="https://video.example.com/john"`,
					"No documents yet", `enctype="multipart/form-data"`, "isn’t on any shortlist yet", "Add John to the shortlist of",
					"Senior Staff Nurse — Summit Health", "added the candidate John O&#39;Hara", `data-live="candidate:` + fmt.Sprint(s.john.ID)},
				forbidden: []string{"Ward Clerk", "<script>alert(1)</script>"}},
			{name: "unknown candidate", as: cdRecruiter, method: "GET", path: "/candidates/99999", status: 404, contains: []string{"no such candidate"}},
			{name: "malformed candidate", as: cdRecruiter, method: "GET", path: "/candidates/x1", status: 404},
			{name: "edit form", as: cdRecruiter, method: "GET", path: john + "/edit", status: 200,
				contains: []string{"Edit John O&#39;Hara", `value="Kestrel Digital"`, "Builds things.\nShips them.", `value="https://video.example.com/john"`}},
			{name: "edit unknown", as: cdRecruiter, method: "GET", path: "/candidates/99999/edit", status: 404},
			{name: "new form", as: cdRecruiter, method: "GET", path: "/candidates/new", status: 200,
				contains: []string{"Add candidate", `name="first_name"`, `name="video_url"`, `name="skills"`, `name="summary"`}},
		})
	})
}

func TestCandidateListEmptyAndPaged(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.signedIn(testkit.AdminEmail)
		res := c.get("/candidates")
		if res.status != 200 || !strings.Contains(res.body, "No candidates yet. Add your first candidate") {
			t.Fatalf("empty list: %d\n%s", res.status, res.body)
		}
		// No open jobs: no shortlist control, and a way to open one.
		testkit.AddCandidate(t, db, "Solo", "Person")
		res = c.get("/candidates")
		if !strings.Contains(res.body, "There are no open jobs to shortlist for") || strings.Contains(res.body, `name="candidate_id"`) {
			t.Fatalf("no open jobs:\n%s", res.body)
		}
		for i := range 60 {
			testkit.AddCandidate(t, db, fmt.Sprintf("Pat%02d", i), "Welder")
		}
		res = c.get("/candidates?q=welder")
		if !strings.Contains(res.body, "1–50 of 60") || !strings.Contains(res.body, `href="/candidates?offset=50&amp;q=welder"`) || !strings.Contains(res.body, "Pat59") || strings.Contains(res.body, "Pat09") {
			t.Fatalf("page 1 of the search:\n%s", res.body)
		}
		res = c.get("/candidates?q=welder&offset=50")
		if !strings.Contains(res.body, "51–60 of 60") || !strings.Contains(res.body, "Pat00") || strings.Contains(res.body, "Pat10") || !strings.Contains(res.body, `rel="prev"`) {
			t.Fatalf("page 2 of the search:\n%s", res.body)
		}
		res = c.get("/candidates?offset=-3")
		if res.status != 200 || !strings.Contains(res.body, "1–50 of 61") {
			t.Fatalf("negative offset: %d", res.status)
		}
		res = c.get("/candidates?offset=5000")
		if res.status != 200 {
			t.Fatalf("offset past the end: %d", res.status)
		}
	})
}

func TestCandidateCreateAndEdit(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newCandidateSite(t, db, clock)
		c := s.signedIn(cdRecruiter)
		svc := db.Services().Candidates
		all := func() int {
			_, n, err := svc.FindCandidates(context.Background(), portico.CandidateFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := all()

		// Bad input: messages beside the fields, input kept, nothing stored.
		res := c.post("/candidates", url.Values{"first_name": {""}, "last_name": {"Lovelace"}, "email": {"ada-at-example"}, "city": {"London"},
			"video_url": {"javascript:alert(1)"}, "summary": {"Line one\nLine two"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid: status %d", res.status)
		}
		for _, want := range []string{"Enter the first name.", "Enter an email address like name@example.com", "Enter the video&#39;s web address",
			`value="Lovelace"`, `value="London"`, "Line one\nLine two", `aria-invalid="true"`, `aria-describedby="f-first_name-error"`, `id="form-errors"`} {
			if !strings.Contains(res.body, want) && !strings.Contains(res.body, strings.ReplaceAll(want, "’", "'")) {
				t.Errorf("invalid: body lacks %q", want)
			}
		}
		if all() != before {
			t.Fatal("a candidate was stored from invalid input")
		}

		// Good input: stored, redirected, confirmed.
		res = c.post("/candidates", url.Values{"first_name": {"Ada"}, "last_name": {"Lovelace"}, "email": {"ADA@Example.com"}, "city": {"London"},
			"current_title": {"Analyst"}, "skills": {"Maths, Engines"}, "video_url": {"https://video.example.com/ada"}})
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/candidates/") {
			t.Fatalf("create: status %d location %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		page := res.header.Get("Location")
		res = c.get(page)
		for _, want := range []string{"Ada Lovelace was added.", "ada@example.com", "<li>Maths</li>", "<li>Engines</li>", "added the candidate Ada Lovelace"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("new candidate's page lacks %q", want)
			}
		}

		// Edit: bad, then good, with the change in the history.
		res = c.post(page, url.Values{"first_name": {"Ada"}, "last_name": {""}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Enter the last name.") || !strings.Contains(res.body, "Edit Ada Lovelace") {
			t.Fatalf("invalid edit: status %d", res.status)
		}
		res = c.post(page, url.Values{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada@example.com"}, "city": {"Leeds"},
			"current_title": {"Analyst"}, "skills": {"Maths, Engines"}, "video_url": {"https://video.example.com/ada"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != page {
			t.Fatalf("edit: status %d location %q", res.status, res.header.Get("Location"))
		}
		res = c.get(page)
		if !strings.Contains(res.body, "Saved the changes to Ada King.") || !strings.Contains(res.body, "updated Ada King’s details: last name, city") {
			t.Errorf("after edit:\n%s", res.body)
		}
		res = c.post("/candidates/99999", url.Values{"first_name": {"A"}, "last_name": {"B"}})
		if res.status != http.StatusNotFound {
			t.Errorf("edit unknown: status %d", res.status)
		}
	})
}

// TestCandidateShortlist adds candidates to jobs from the search and from
// a candidate's page.
func TestCandidateShortlist(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newCandidateSite(t, db, clock)
		c := s.signedIn(cdRecruiter)
		res := c.post("/shortlist", url.Values{"job_id": {fmt.Sprint(s.open.ID)}, "candidate_id": {fmt.Sprint(s.jane.ID), fmt.Sprint(s.john.ID)}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != fmt.Sprintf("/jobs/%d", s.open.ID) {
			t.Fatalf("bulk add: status %d location %q", res.status, res.header.Get("Location"))
		}
		res = c.get(res.header.Get("Location"))
		if !strings.Contains(res.body, "2 candidates added to the shortlist") {
			t.Errorf("job page lacks the confirmation")
		}
		// The search for the job marks them, without a box to tick.
		res = c.get(fmt.Sprintf("/candidates?job=%d&q=jane", s.open.ID))
		if !strings.Contains(res.body, "On the shortlist") || strings.Contains(res.body, fmt.Sprintf(`name="candidate_id" value="%d"`, s.jane.ID)) {
			t.Errorf("search for the job doesn't mark Jane as shortlisted:\n%s", res.body)
		}
		// The candidate's page lists the job and no longer offers it.
		res = c.get(fmt.Sprintf("/candidates/%d", s.jane.ID))
		if !strings.Contains(res.body, fmt.Sprintf(`<a href="/jobs/%d">Senior Staff Nurse</a>`, s.open.ID)) || !strings.Contains(res.body, "Summit Health") ||
			strings.Contains(res.body, "Add Jane to the shortlist of") || !strings.Contains(res.body, "There are no other open jobs to add Jane to.") {
			t.Errorf("candidate page after shortlisting:\n%s", res.body)
		}
		// From the candidate's page, back to it.
		cl := testkit.AddClient(t, db, "Beacon Care")
		other := testkit.AddJob(t, db, cl.ID, s.rec.ID, "Night Nurse")
		res = c.get(fmt.Sprintf("/candidates/%d", s.jane.ID))
		if !strings.Contains(res.body, "Night Nurse — Beacon Care") {
			t.Fatalf("new open job not offered")
		}
		back := fmt.Sprintf("/candidates/%d#jobs-h", s.jane.ID)
		res = c.post("/shortlist", url.Values{"job_id": {fmt.Sprint(other.ID)}, "candidate_id": {fmt.Sprint(s.jane.ID)}, "next": {back}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != back {
			t.Fatalf("add from candidate: status %d location %q", res.status, res.header.Get("Location"))
		}
		apps, total, err := db.Services().Applications.FindApplications(testkit.AsUser(s.rec), portico.ApplicationFilter{CandidateID: s.jane.ID})
		if err != nil || total != 2 || len(apps) != 2 {
			t.Fatalf("Jane's applications: %d %v", total, err)
		}
	})
}

func TestCandidateEventText(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newCandidateSite(t, db, clock)
		c := s.signedIn(cdRecruiter)
		if _, err := db.Services().Candidates.AddDocument(testkit.AsUser(s.rec), s.jane.ID, portico.DocFormattedResume, "Jane (Harbour).pdf", testkit.PDF("Jane")); err != nil {
			t.Fatal(err)
		}
		res := c.get(fmt.Sprintf("/candidates/%d", s.jane.ID))
		for _, want := range []string{"Rita Recruiter</strong> uploaded the formatted résumé Jane (Harbour).pdf for Jane Doe", "Portico</strong> added the candidate Jane Doe"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("history lacks %q", want)
			}
		}
	})
}

// The choice of job on the candidate list names the newest open jobs, up
// to its limit, and says when there are more.
func TestCandidateJobChoice(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newCandidateSite(t, db, clock)
		c := s.signedIn(cdRecruiter)
		res := c.get("/candidates")
		if !strings.Contains(res.body, "Only open jobs are listed.") || !strings.Contains(res.body, "Senior Staff Nurse") || strings.Contains(res.body, ">Ward Clerk") {
			t.Fatalf("a few jobs:\n%s", res.body)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		i := 0
		if _, err := db.BulkInsert(context.Background(), "jobs", []string{"id", "client_id", "owner_id", "title", "type", "openings", "status", "created_at", "updated_at"}, func() ([]any, bool) {
			i++
			return []any{int64(1000 + i), s.open.ClientID, s.rec.ID, fmt.Sprintf("Bulk Job %03d", i), "permanent", 1, "open", now, now}, i <= 200
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishBulk(context.Background()); err != nil {
			t.Fatal(err)
		}
		res = c.get("/candidates")
		if !strings.Contains(res.body, "The newest 200 open jobs are listed") || !strings.Contains(res.body, "Bulk Job 200") ||
			!strings.Contains(res.body, "Bulk Job 001") || strings.Contains(res.body, "Senior Staff Nurse —") {
			t.Fatalf("more than the choice holds:\n%s", res.body)
		}
	})
}
