package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// jobForm is a valid job form for a client, owned by a user.
func cjJobForm(clientID, ownerID int64, title string) url.Values {
	return url.Values{
		"client_id": {fmt.Sprint(clientID)}, "owner_id": {fmt.Sprint(ownerID)}, "title": {title}, "type": {"contract"},
		"openings": {"2"}, "status": {"open"}, "start_date": {"2026-04-01"}, "close_date": {""}, "description": {"Nights, mostly."},
	}
}

// with returns a copy of a form with some values changed.
func cjWith(f url.Values, kv ...string) url.Values {
	g := url.Values{}
	for k, v := range f {
		g[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		g.Set(kv[i], kv[i+1])
	}
	return g
}

func TestJobForms(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newClientSite(t, db, clock)
		other := testkit.AddClient(t, db, "Brightwater Care")
		elsewhere := testkit.AddLocation(t, db, other.ID, "Elsewhere House")
		sleepy, err := db.Services().Clients.CreateClient(context.Background(), portico.ClientInput{Name: "Sleepy Ltd", Status: portico.ClientInactive})
		if err != nil {
			t.Fatal(err)
		}
		job := cjPath("/jobs/%d", s.job.ID)
		valid := cjJobForm(s.acme.ID, s.rec.ID, "Charge Nurse")
		s.run(t, []scenario{
			{name: "visitor", method: "GET", path: "/jobs/new", status: 303, location: "/signin"},
			{name: "visitor can't open", method: "POST", path: "/jobs", form: valid, status: 303, location: "/signin"},
			{name: "first, the client", as: cjRita, method: "GET", path: "/jobs/new", status: 200,
				contains: []string{"Which client is the job for?", "Acme Health", "Brightwater Care", `action="/jobs/new"`}, forbidden: []string{"Sleepy Ltd"}},
			{name: "no client chosen", as: cjRita, method: "GET", path: "/jobs/new?client=", status: 422, contains: []string{"Choose the client the job is for."}},
			{name: "unknown client", as: cjRita, method: "GET", path: "/jobs/new?client=999999", status: 404},
			{name: "inactive client", as: cjRita, method: "GET", path: cjPath("/jobs/new?client=%d", sleepy.ID), status: 422, contains: []string{"Sleepy Ltd is inactive."}},
			{name: "the form offers the client's locations", as: cjRita, method: "GET", path: cjPath("/jobs/new?client=%d", s.acme.ID), status: 200, contains: []string{
				"Open a job for Acme Health", "Ward 9", `<label for="f-description">Description (clients see this)</label>`,
				`type="date"`, `<label for="f-owner_id">Owner</label>`, `value="1"`,
			}, forbidden: []string{"Elsewhere House", "Gus Gone", "style="}},
			{name: "no title", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "title", " "), status: 422,
				contains: []string{"Enter the job title.", `aria-describedby="f-title-error"`, "Nights, mostly.", "Ward 9"}},
			{name: "another client's location", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "location_id", fmt.Sprint(elsewhere.ID)), status: 422,
				contains: []string{"That location belongs to another client.", `aria-describedby="f-location_id-error"`, `value="Charge Nurse"`}},
			{name: "deactivated owner", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "owner_id", fmt.Sprint(s.gone.ID)), status: 422,
				contains: []string{"Choose an active member of the agency."}},
			{name: "bad numbers and dates", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "openings", "lots", "start_date", "2026-02-30", "close_date", "next week"), status: 422,
				contains: []string{"Enter how many people are needed", "Enter the start date as a date", "Enter the closing date as a date", `value="lots"`}},
			{name: "bad type and status", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "type", "gig", "status", "paused"), status: 422,
				contains: []string{"Choose permanent, contract or temporary.", "Choose a status."}},
			{name: "inactive client posted", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "client_id", fmt.Sprint(sleepy.ID)), status: 422,
				contains: []string{"Sleepy Ltd is inactive."}},
			{name: "no client posted", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "client_id", "x"), status: 422,
				contains: []string{"Choose the client."}},
			{name: "open", as: cjRita, method: "POST", path: "/jobs", form: cjWith(valid, "location_id", fmt.Sprint(s.ward.ID)), status: 303, location: "/jobs/"},
			{name: "edit form", as: cjRita, method: "GET", path: job + "/edit", status: 200,
				contains: []string{"Edit Senior Nurse", `value="Senior Nurse"`, "Ward 9", "Brightwater Care"}, forbidden: []string{"Elsewhere House"}},
			{name: "unknown job edit", as: cjRita, method: "GET", path: "/jobs/999999/edit", status: 404, contains: []string{"no such job"}},
			{name: "malformed job edit", as: cjRita, method: "GET", path: "/jobs/x/edit", status: 404},
			{name: "unknown job update", as: cjRita, method: "POST", path: "/jobs/999999", form: valid, status: 404},
			{name: "move to another client with the old location", as: cjRita, method: "POST", path: job, form: cjWith(valid, "client_id", fmt.Sprint(other.ID), "location_id", fmt.Sprint(s.ward.ID)), status: 422,
				contains: []string{"That location belongs to another client.", "Elsewhere House"}},
			{name: "update", as: cjRita, method: "POST", path: job, form: cjWith(cjJobForm(s.acme.ID, s.rec.ID, "Senior Nurse"), "status", "on_hold", "openings", "1", "type", "permanent", "start_date", "", "description", ""), status: 303, location: job},
		})

		jobs, _, err := db.Services().Jobs.FindJobs(context.Background(), portico.JobFilter{Query: "Charge"})
		if err != nil || len(jobs) != 1 {
			t.Fatalf("opened jobs: %+v %v", jobs, err)
		}
		j := jobs[0]
		if j.LocationID != s.ward.ID || j.Type != portico.JobContract || j.Openings != 2 || j.StartDate != "2026-04-01" || j.OwnerID != s.rec.ID || j.Description != "Nights, mostly." {
			t.Fatalf("opened %+v", j)
		}
		got, err := db.Services().Jobs.FindJobByID(context.Background(), s.job.ID)
		if err != nil || got.Status != portico.JobOnHold || got.Openings != 1 {
			t.Fatalf("updated %+v %v", got, err)
		}
		evs, _, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{JobID: s.job.ID})
		if err != nil || len(evs) != 2 || evs[0].Action != "job.status_changed" || evs[0].ClientID != s.acme.ID || evs[0].ActorID != s.rec.ID {
			t.Fatalf("job events: %+v %v", evs, err)
		}
		if _, total, _ := db.Services().Jobs.FindJobs(context.Background(), portico.JobFilter{}); total != 2 {
			t.Fatalf("%d jobs, want 2: a refused form stored one", total)
		}
	})
}

func TestJobsList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newClientSite(t, db, clock)
		other := testkit.AddClient(t, db, "Brightwater Care")
		filled := testkit.AddJob(t, db, other.ID, s.admin.ID, "Night Porter")
		if _, err := db.Services().Jobs.UpdateJob(context.Background(), filled.ID, portico.JobInput{ClientID: other.ID, OwnerID: s.admin.ID, Title: "Night Porter", Openings: 1, Status: portico.JobFilled}); err != nil {
			t.Fatal(err)
		}
		testkit.AddJob(t, db, other.ID, s.rec.ID, "100% Remote Coordinator")
		if _, err := db.Services().Jobs.UpdateJob(context.Background(), s.job.ID, portico.JobInput{ClientID: s.acme.ID, LocationID: s.ward.ID, OwnerID: s.rec.ID, Title: "Senior Nurse", Openings: 1}); err != nil {
			t.Fatal(err)
		}
		s.run(t, []scenario{
			{name: "visitor", method: "GET", path: "/jobs", status: 303, location: "/signin"},
			{name: "list", as: cjRita, method: "GET", path: "/jobs", status: 200, contains: []string{
				"Senior Nurse", "Night Porter", "100% Remote Coordinator", "Acme Health", "Brightwater Care", "Ward 9", "Rita Recruiter",
				`<span class="badge badge-ok">Open</span>`, `<span class="badge badge-info">Filled</span>`, "1–3 of 3", `<th scope="col" class="cj-num">Shortlist</th>`,
				cjPath(`href="/jobs?owner=%d&amp;status=open"`, s.rec.ID),
			}, forbidden: []string{"style="}},
			{name: "by status", as: cjRita, method: "GET", path: "/jobs?status=filled", status: 200,
				contains: []string{"Night Porter", `<option value="filled" selected>`}, forbidden: []string{"Senior Nurse", "Remote Coordinator"}},
			{name: "by client", as: cjRita, method: "GET", path: cjPath("/jobs?client=%d", s.acme.ID), status: 200,
				contains: []string{"Senior Nurse"}, forbidden: []string{"Night Porter", "Remote Coordinator"}},
			{name: "by owner", as: cjRita, method: "GET", path: cjPath("/jobs?owner=%d", s.admin.ID), status: 200,
				contains: []string{"Night Porter"}, forbidden: []string{"Senior Nurse", "Remote Coordinator"}},
			{name: "by title", as: cjRita, method: "GET", path: "/jobs?q=nurse", status: 200,
				contains: []string{"Senior Nurse", "Clear filters"}, forbidden: []string{"Night Porter", "Remote Coordinator"}},
			{name: "title wildcards are literal", as: cjRita, method: "GET", path: "/jobs?q=" + url.QueryEscape("100%"), status: 200,
				contains: []string{"Remote Coordinator"}, forbidden: []string{"Senior Nurse"}},
			{name: "nothing matches", as: cjRita, method: "GET", path: "/jobs?q=astronaut", status: 200, contains: []string{"No jobs match these filters."}},
			{name: "nonsense filters are ignored", as: cjRita, method: "GET", path: "/jobs?status=nope&client=abc&owner=-1&offset=x", status: 200,
				contains: []string{"Senior Nurse", "Night Porter"}},
			{name: "unknown client filter", as: cjRita, method: "GET", path: "/jobs?client=999999", status: 200, contains: []string{"No jobs match these filters."}},
		})
	})
}

func TestJobsListPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := testkit.AddClient(t, db, "Acme")
		for i := range 52 {
			testkit.AddJob(t, db, c.ID, s.admin.ID, fmt.Sprintf("Role %02d", i))
		}
		s.run(t, []scenario{
			{name: "first page, newest first", as: testkit.AdminEmail, method: "GET", path: "/jobs", status: 200,
				contains: []string{"Role 51", "Role 02", "1–50 of 52", `href="/jobs?offset=50"`}, forbidden: []string{"Role 01", "Role 00"}},
			{name: "second page", as: testkit.AdminEmail, method: "GET", path: "/jobs?offset=50", status: 200,
				contains: []string{"Role 01", "Role 00", "51–52 of 52"}, forbidden: []string{"Role 02"}},
			{name: "pages keep the filter", as: testkit.AdminEmail, method: "GET", path: "/jobs?status=open&q=role", status: 200,
				contains: []string{`href="/jobs?offset=50&amp;q=role&amp;status=open"`}},
		})
	})
}

func TestJobsEmpty(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		res := s.signedIn(testkit.AdminEmail).get("/jobs")
		if !strings.Contains(res.body, "No jobs yet. Open your first job") {
			t.Errorf("empty jobs list:\n%s", res.body)
		}
		res = s.signedIn(testkit.AdminEmail).get("/jobs/new")
		if !strings.Contains(res.body, "there are no active clients yet") || !strings.Contains(res.body, `href="/clients/new"`) {
			t.Errorf("new job without clients:\n%s", res.body)
		}
	})
}
