package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// slSite is a site with a recruiter, a client, a job and candidates.
type slSite struct {
	*site
	rec    *portico.User
	client *portico.Client
	job    *portico.Job
	cands  []*portico.Candidate
}

func newShortlistSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock, candidates int) *slSite {
	t.Helper()
	s := &slSite{site: newSite(t, db, clock)}
	s.rec = testkit.AddUser(t, db, "Rita Recruiter", slRita, portico.RoleRecruiter)
	s.client = testkit.AddClient(t, db, "Northwind Health")
	s.job = testkit.AddJob(t, db, s.client.ID, s.rec.ID, "Senior Nurse")
	for i := range candidates {
		s.cands = append(s.cands, testkit.AddCandidate(t, db, "Cand", fmt.Sprintf("Number%02d", i)))
	}
	return s
}

func (s *slSite) jobPath() string { return fmt.Sprintf("/jobs/%d", s.job.ID) }

// candidateIDs is a form choosing candidates.
func candidateIDs(cs ...*portico.Candidate) url.Values {
	f := url.Values{}
	for _, c := range cs {
		f.Add("candidate_id", fmt.Sprint(c.ID))
	}
	return f
}

// slApps returns the job's shortlist in pipeline order.
func (s *slSite) apps(t *testing.T) []*portico.Application {
	t.Helper()
	list, _, err := s.db.Services().Applications.FindApplications(testkit.AsUser(s.rec), portico.ApplicationFilter{JobID: s.job.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// postJSON posts a form the way board.js does, asking for JSON.
func postJSON(c *client, path string, form url.Values) response {
	c.s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func TestJobPageShortlist(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newShortlistSite(t, db, clock, 3)
		jp := s.jobPath()
		a, b, c := s.cands[0], s.cands[1], s.cands[2]
		sourced := slStage(t, db, "Sourced")

		s.run(t, []scenario{
			{name: "visitor", method: http.MethodGet, path: jp, status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor can't add", method: http.MethodPost, path: jp + "/shortlist", form: candidateIDs(a), status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown job", as: slRita, method: http.MethodGet, path: "/jobs/987654", status: http.StatusNotFound},
			{name: "malformed job", as: slRita, method: http.MethodGet, path: "/jobs/12abc", status: http.StatusNotFound},
			{name: "empty", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"<h1>Senior Nurse</h1>", "Northwind Health", fmt.Sprintf(`href="/clients/%d"`, s.client.ID),
					fmt.Sprintf(`href="/jobs/%d/edit"`, s.job.ID), fmt.Sprintf(`href="/candidates?job=%d"`, s.job.ID),
					"No one is on the shortlist yet.", fmt.Sprintf(`<div id="shortlist" data-live="job:%d">`, s.job.ID),
					fmt.Sprintf(`<div id="job-history" data-live="job:%d">`, s.job.ID), "opened the job Senior Nurse", "Permanent"},
				forbidden: []string{"data-board"}},

			// Adding: counts, skips, refusals.
			{name: "add two", as: slRita, method: http.MethodPost, path: jp + "/shortlist", form: candidateIDs(a, b), status: http.StatusSeeOther, location: jp},
			{name: "added two", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"2 candidates added to the shortlist.", "2 candidates on the shortlist.", "data-board",
					fmt.Sprintf(`data-stage="%d"`, sourced.ID), `<span data-count>2</span>`, "Cand Number00", "Cand Number01", "Staff Nurse · Leeds",
					"added Cand Number00 to the shortlist for Senior Nurse", `draggable="true"`, `<label class="sr-only" for="move-`, "Move<span class=\"sr-only\"> Cand Number00</span>"},
				forbidden: []string{"No one is on the shortlist yet."}},
			{name: "add three, two already on", as: slRita, method: http.MethodPost, path: jp + "/shortlist", form: candidateIDs(a, b, c), status: http.StatusSeeOther},
			{name: "added one", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"1 candidate added to the shortlist (2 were already on it).", `<span data-count>3</span>`}},
			{name: "all on already", as: slRita, method: http.MethodPost, path: "/shortlist",
				form: url.Values{"job_id": {fmt.Sprint(s.job.ID)}, "candidate_id": {fmt.Sprint(a.ID)}}, status: http.StatusSeeOther, location: jp},
			{name: "nobody added", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"Nobody was added: the candidate is on the shortlist already."}},
			{name: "none chosen", as: slRita, method: http.MethodPost, path: jp + "/shortlist", form: url.Values{}, status: http.StatusSeeOther,
				location: fmt.Sprintf("/candidates?job=%d", s.job.ID)},
			{name: "none chosen, back to where it came from", as: slRita, method: http.MethodPost, path: "/shortlist",
				form: url.Values{"job_id": {fmt.Sprint(s.job.ID)}, "next": {fmt.Sprintf("/candidates/%d", a.ID)}}, status: http.StatusSeeOther,
				location: fmt.Sprintf("/candidates/%d", a.ID)},
			{name: "malformed candidate", as: slRita, method: http.MethodPost, path: jp + "/shortlist", form: url.Values{"candidate_id": {"1; DROP TABLE"}},
				status: http.StatusBadRequest, contains: []string{"didn&#39;t understand which candidates"}},
			{name: "unknown candidate", as: slRita, method: http.MethodPost, path: jp + "/shortlist", form: url.Values{"candidate_id": {"987654"}},
				status: http.StatusNotFound, contains: []string{"One of the chosen candidates doesn&#39;t exist."}},
			{name: "unknown job", as: slRita, method: http.MethodPost, path: "/jobs/987654/shortlist", form: candidateIDs(a), status: http.StatusNotFound},
			{name: "unknown job, none chosen", as: slRita, method: http.MethodPost, path: "/jobs/987654/shortlist", form: url.Values{}, status: http.StatusNotFound},
			{name: "chosen job unknown", as: slRita, method: http.MethodPost, path: "/shortlist", form: url.Values{"job_id": {"987654"}, "candidate_id": {fmt.Sprint(a.ID)}}, status: http.StatusNotFound},
			{name: "chosen job malformed", as: slRita, method: http.MethodPost, path: "/shortlist", form: url.Values{"job_id": {"x"}, "candidate_id": {fmt.Sprint(a.ID)}}, status: http.StatusNotFound},
			{name: "no job chosen", as: slRita, method: http.MethodPost, path: "/shortlist", form: candidateIDs(a), status: http.StatusSeeOther, location: "/candidates"},
			{name: "next stays on the site", as: slRita, method: http.MethodPost, path: jp + "/shortlist",
				form: url.Values{"candidate_id": {fmt.Sprint(a.ID)}, "next": {"//evil.example/"}}, status: http.StatusSeeOther, location: "/"},
		})
		if n := len(s.apps(t)); n != 3 {
			t.Fatalf("%d on the shortlist, want 3", n)
		}
	})
}

func TestShortlistMoves(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newShortlistSite(t, db, clock, 2)
		ctx := testkit.AsUser(s.rec)
		if _, err := db.Services().Applications.AddToShortlist(ctx, s.job.ID, []int64{s.cands[0].ID, s.cands[1].ID}); err != nil {
			t.Fatal(err)
		}
		apps := s.apps(t)
		app := apps[0]
		ap := fmt.Sprintf("/applications/%d", app.ID)
		jp := s.jobPath()
		offer, interview, sourced := slStage(t, db, "Offer"), slStage(t, db, "Client interview"), slStage(t, db, "Sourced")
		stage := func(st *portico.Stage) url.Values { return url.Values{"stage_id": {fmt.Sprint(st.ID)}} }

		s.run(t, []scenario{
			// The keyboard way: a form on each card, back to the card.
			{name: "move", as: slRita, method: http.MethodPost, path: ap + "/stage",
				form:   url.Values{"stage_id": {fmt.Sprint(interview.ID)}, "next": {fmt.Sprintf("%s#app-%d", jp, app.ID)}},
				status: http.StatusSeeOther, location: fmt.Sprintf("%s#app-%d", jp, app.ID)},
			{name: "moved", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"Cand Number00 moved to Client interview.", "moved Cand Number00 from Sourced to Client interview for Senior Nurse",
					fmt.Sprintf(`<option value="%d" selected>Client interview</option>`, interview.ID)}},
			{name: "move without next goes to the job", as: slRita, method: http.MethodPost, path: ap + "/stage", form: stage(offer),
				status: http.StatusSeeOther, location: fmt.Sprintf("%s#app-%d", jp, app.ID)},
			{name: "move in place", as: slRita, method: http.MethodPost, path: ap + "/stage", form: stage(offer), status: http.StatusSeeOther},
			{name: "moved in place", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK, contains: []string{"Cand Number00 is in Offer already."}},
			{name: "no stage", as: slRita, method: http.MethodPost, path: ap + "/stage", form: url.Values{"stage_id": {""}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Choose the stage to move Cand Number00 to."}},
			{name: "unknown stage", as: slRita, method: http.MethodPost, path: ap + "/stage", form: url.Values{"stage_id": {"987654"}}, status: http.StatusNotFound},
			{name: "unknown application", as: slRita, method: http.MethodPost, path: "/applications/987654/stage", form: stage(offer), status: http.StatusNotFound},
			{name: "malformed application", as: slRita, method: http.MethodPost, path: "/applications/x/stage", form: stage(offer), status: http.StatusNotFound},
			{name: "visitor", method: http.MethodPost, path: ap + "/stage", form: stage(sourced), status: http.StatusSeeOther, location: "/signin"},
			{name: "next stays on the site", as: slRita, method: http.MethodPost, path: ap + "/stage",
				form: url.Values{"stage_id": {fmt.Sprint(sourced.ID)}, "next": {"https://evil.example/"}}, status: http.StatusSeeOther, location: "/"},
		})

		// The board's script: JSON answers.
		c := s.signedIn(slRita)
		res := postJSON(c, ap+"/stage", stage(offer))
		var got struct {
			OK      bool   `json:"ok"`
			Message string `json:"message"`
			StageID int64  `json:"stage_id"`
		}
		if res.status != http.StatusOK || json.Unmarshal([]byte(res.body), &got) != nil || !got.OK || got.StageID != offer.ID || got.Message != "Cand Number00 moved to Offer." {
			t.Fatalf("JSON move: %d %s", res.status, res.body)
		}
		if _, err := db.Services().Applications.MoveApplication(ctx, apps[1].ID, interview.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Services().Stages.RetireStage(testkit.AsUser(s.admin), interview.ID); err != nil {
			t.Fatal(err)
		}
		res = postJSON(c, ap+"/stage", stage(interview))
		got.OK = true
		if res.status != http.StatusConflict || json.Unmarshal([]byte(res.body), &got) != nil || got.OK || !strings.Contains(got.Message, "retired") {
			t.Fatalf("JSON move to a retired stage: %d %s", res.status, res.body)
		}
		res = postJSON(c, "/applications/987654/stage", stage(offer))
		if res.status != http.StatusNotFound || !strings.Contains(res.body, `"ok":false`) {
			t.Fatalf("JSON move of an unknown application: %d %s", res.status, res.body)
		}
		// A cross-site post is refused, script or not.
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+ap+"/stage", strings.NewReader(stage(sourced).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := c.do(req); res.status != http.StatusForbidden {
			t.Fatalf("cross-site move: %d", res.status)
		}
		if a, _ := db.Services().Applications.FindApplicationByID(ctx, app.ID); a.StageID != offer.ID {
			t.Fatalf("stage after refused moves: %s", a.StageName)
		}
	})
}

// A candidate in a retired stage shows in that stage's column until moved.
func TestShortlistRetiredColumn(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newShortlistSite(t, db, clock, 1)
		ctx := testkit.AsUser(s.rec)
		if _, err := db.Services().Applications.AddToShortlist(ctx, s.job.ID, []int64{s.cands[0].ID}); err != nil {
			t.Fatal(err)
		}
		app := s.apps(t)[0]
		offer := slStage(t, db, "Offer")
		if _, err := db.Services().Applications.MoveApplication(ctx, app.ID, offer.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Services().Stages.RetireStage(testkit.AsUser(s.admin), offer.ID); err != nil {
			t.Fatal(err)
		}
		s.run(t, []scenario{
			{name: "board", as: slRita, method: http.MethodGet, path: s.jobPath(), status: http.StatusOK,
				contains: []string{"board-col-retired", `<option value="" selected disabled>Offer (retired)</option>`, "Cand Number00"}},
			{name: "list", as: slRita, method: http.MethodGet, path: s.jobPath() + "?view=list", status: http.StatusOK,
				contains: []string{`<option value="" selected disabled>Offer (retired)</option>`, "Offer (retired) (1)"}},
			{name: "application", as: slRita, method: http.MethodGet, path: fmt.Sprintf("/applications/%d", app.ID), status: http.StatusOK,
				contains: []string{"Retired stage"}},
		})
	})
}

func TestShortlistListView(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newShortlistSite(t, db, clock, 60)
		ctx := testkit.AsUser(s.rec)
		var ids []int64
		for _, c := range s.cands {
			ids = append(ids, c.ID)
		}
		if _, err := db.Services().Applications.AddToShortlist(ctx, s.job.ID, ids); err != nil {
			t.Fatal(err)
		}
		apps := s.apps(t)
		offer := slStage(t, db, "Offer")
		for _, a := range apps[:5] {
			if _, err := db.Services().Applications.MoveApplication(ctx, a.ID, offer.ID); err != nil {
				t.Fatal(err)
			}
		}
		jp := s.jobPath()
		s.run(t, []scenario{
			{name: "first page", as: slRita, method: http.MethodGet, path: jp + "?view=list", status: http.StatusOK,
				contains: []string{"1–50 of 60", `rel="next"`, "<th scope=\"col\">Move to</th>", "60 candidates on the shortlist.", `aria-current="page">List</a>`,
					fmt.Sprintf(`name="next" value="%s?view=list#app-`, jp)},
				forbidden: []string{"data-board", `rel="prev"`}},
			{name: "second page", as: slRita, method: http.MethodGet, path: jp + "?view=list&offset=50", status: http.StatusOK,
				contains: []string{"51–60 of 60", `rel="prev"`, fmt.Sprintf(`value="%s?view=list&amp;offset=50#app-`, jp)}},
			{name: "one stage", as: slRita, method: http.MethodGet, path: fmt.Sprintf("%s?view=list&stage=%d", jp, offer.ID), status: http.StatusOK,
				contains: []string{"1–5 of 5", fmt.Sprintf(`<option value="%d" selected>Offer (5)</option>`, offer.ID)}},
			{name: "empty stage", as: slRita, method: http.MethodGet, path: fmt.Sprintf("%s?view=list&stage=%d", jp, slStage(t, db, "Placed").ID), status: http.StatusOK,
				contains: []string{"No one on the shortlist is in this stage."}},
			{name: "unknown stage shows all", as: slRita, method: http.MethodGet, path: jp + "?view=list&stage=987654", status: http.StatusOK,
				contains: []string{"1–50 of 60"}},
			{name: "board", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{`<span data-count>55</span>`, `<span data-count>5</span>`, `aria-current="page">Board</a>`}},
		})
	})
}

func TestJobHistoryPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newShortlistSite(t, db, clock, 25)
		ctx := testkit.AsUser(s.rec)
		for _, c := range s.cands {
			if _, err := db.Services().Applications.AddToShortlist(ctx, s.job.ID, []int64{c.ID}); err != nil {
				t.Fatal(err)
			}
		}
		jp := s.jobPath()
		s.run(t, []scenario{
			{name: "newest", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"1–20 of 26", "added Cand Number24", `rel="next"`}, forbidden: []string{"opened the job Senior Nurse"}},
			{name: "older", as: slRita, method: http.MethodGet, path: jp + "?history=20", status: http.StatusOK,
				contains: []string{"21–26 of 26", "opened the job Senior Nurse"}},
		})
	})
}
