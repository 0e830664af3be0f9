package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// rawInsert runs an INSERT … RETURNING id on the raw database, for rows
// this test file needs but doesn't test (candidates, applications).
func rawInsert(t testing.TB, db *sqlstore.DB, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := sqlstore.SQLDB(db).QueryRowContext(context.Background(), sqlstore.Rebind(db, query+" RETURNING id"), args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return id
}

// shortlistRaw puts n new candidates on a job's shortlist, straight into
// the tables.
func shortlistRaw(t testing.TB, db *sqlstore.DB, jobID int64, n int) {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	stage := rawInsert(t, db, `INSERT INTO stages (position, internal_name, client_name, kind, retired, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		1000+jobID, "Test stage", "Test stage", "sourcing", false, now)
	for i := range n {
		cand := rawInsert(t, db, `INSERT INTO candidates (first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?)`,
			"Cand", fmt.Sprint(i), now, now)
		rawInsert(t, db, `INSERT INTO applications (job_id, candidate_id, stage_id, created_at, stage_changed_at) VALUES (?, ?, ?, ?, ?)`,
			jobID, cand, stage, now, now)
	}
}

func validJob(clientID, ownerID int64) portico.JobInput {
	return portico.JobInput{ClientID: clientID, OwnerID: ownerID, Title: "Senior Nurse", Description: "Nights, mostly.",
		Type: portico.JobContract, Openings: 2, Status: portico.JobOpen, StartDate: "2026-04-01", CloseDate: "2026-03-20"}
}

func TestJobCreate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		acme := testkit.AddClient(t, db, "Acme")
		ward := testkit.AddLocation(t, db, acme.ID, "Ward 9")
		svc := db.Services().Jobs
		in := validJob(acme.ID, rec.ID)
		in.LocationID, in.Title = ward.ID, "  Senior Nurse "
		j, err := svc.CreateJob(testkit.AsUser(rec), in)
		ok(t, err)
		if j.Title != "Senior Nurse" || j.ClientID != acme.ID || j.ClientName != "Acme" || j.LocationID != ward.ID || j.LocationName != "Ward 9" ||
			j.OwnerID != rec.ID || j.OwnerName != rec.Name || j.Type != portico.JobContract || j.Openings != 2 || j.Status != portico.JobOpen ||
			j.StartDate != "2026-04-01" || j.CloseDate != "2026-03-20" || j.Description != "Nights, mostly." || !j.CreatedAt.Equal(clock.Now()) || j.Applications != 0 {
			t.Fatalf("created %+v", j)
		}
		got, err := svc.FindJobByID(testkit.AsUser(adm), j.ID)
		ok(t, err)
		if *got != *j {
			t.Fatalf("FindJobByID = %+v, want %+v", got, j)
		}
		evs := events(t, db, "job.created")
		if len(evs) != 1 || evs[0].SubjectType != "job" || evs[0].SubjectID != j.ID || evs[0].JobID != j.ID || evs[0].ClientID != acme.ID ||
			evs[0].ActorID != rec.ID || evs[0].Details["title"] != "Senior Nurse" || evs[0].Details["client"] != "Acme" {
			t.Fatalf("job.created events = %+v", evs)
		}
		// Defaults, and no location.
		j2, err := svc.CreateJob(testkit.AsUser(rec), portico.JobInput{ClientID: acme.ID, OwnerID: rec.ID, Title: "Porter", Openings: 1})
		ok(t, err)
		if j2.Type != portico.JobPermanent || j2.Status != portico.JobOpen || j2.LocationID != 0 || j2.LocationName != "" {
			t.Fatalf("created with defaults %+v", j2)
		}
		_, err = svc.FindJobByID(testkit.AsUser(adm), 987654)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.FindJobByID(asContact(), j.ID)
		wantRefused(t, err)
	})
}

func TestJobRules(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ctx := admin(adm)
		gone := testkit.AddUser(t, db, "Gus Gone", "gus@agency.test", portico.RoleRecruiter)
		_, err := db.Services().Users.UpdateUser(ctx, gone.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		acme := testkit.AddClient(t, db, "Acme")
		other := testkit.AddClient(t, db, "Other")
		elsewhere := testkit.AddLocation(t, db, other.ID, "Elsewhere")
		sleepy, err := db.Services().Clients.CreateClient(ctx, portico.ClientInput{Name: "Sleepy", Status: portico.ClientInactive})
		ok(t, err)
		svc := db.Services().Jobs

		for _, tc := range []struct {
			name  string
			edit  func(*portico.JobInput)
			field string
		}{
			{"no title", func(in *portico.JobInput) { in.Title = " " }, "title"},
			{"no client", func(in *portico.JobInput) { in.ClientID = 0 }, "client_id"},
			{"unknown client", func(in *portico.JobInput) { in.ClientID = 987654 }, "client_id"},
			{"inactive client", func(in *portico.JobInput) { in.ClientID = sleepy.ID }, "client_id"},
			{"no owner", func(in *portico.JobInput) { in.OwnerID = 0 }, "owner_id"},
			{"inactive owner", func(in *portico.JobInput) { in.OwnerID = gone.ID }, "owner_id"},
			{"unknown owner", func(in *portico.JobInput) { in.OwnerID = 987654 }, "owner_id"},
			{"another client's location", func(in *portico.JobInput) { in.LocationID = elsewhere.ID }, "location_id"},
			{"unknown location", func(in *portico.JobInput) { in.LocationID = 987654 }, "location_id"},
			{"no openings", func(in *portico.JobInput) { in.Openings = 0 }, "openings"},
			{"bad type", func(in *portico.JobInput) { in.Type = "gig" }, "type"},
			{"bad status", func(in *portico.JobInput) { in.Status = "paused" }, "status"},
			{"bad start", func(in *portico.JobInput) { in.StartDate = "2026-02-30" }, "start_date"},
			{"bad close", func(in *portico.JobInput) { in.CloseDate = "soon" }, "close_date"},
		} {
			in := validJob(acme.ID, adm.ID)
			tc.edit(&in)
			_, err := svc.CreateJob(ctx, in)
			if portico.ErrorCode(err) != portico.EINVALID || portico.ErrorFields(err)[tc.field] == "" {
				t.Errorf("%s: got %v (fields %v), want a message for %s", tc.name, err, portico.ErrorFields(err), tc.field)
			}
		}
		_, err = svc.CreateJob(asContact(), validJob(acme.ID, adm.ID))
		wantRefused(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM jobs`); n != 0 {
			t.Fatalf("%d jobs stored after refused creates", n)
		}
		if n := len(events(t, db, "job.created")); n != 0 {
			t.Fatalf("%d job.created events after refused creates", n)
		}
	})
}

func TestJobUpdate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ctx := admin(adm)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		acme := testkit.AddClient(t, db, "Acme")
		other := testkit.AddClient(t, db, "Other")
		elsewhere := testkit.AddLocation(t, db, other.ID, "Elsewhere")
		svc := db.Services().Jobs
		j, err := svc.CreateJob(ctx, validJob(acme.ID, rec.ID))
		ok(t, err)

		// A change of status alone.
		clock.Advance(time.Minute)
		in := validJob(acme.ID, rec.ID)
		in.Status = portico.JobOnHold
		u, err := svc.UpdateJob(ctx, j.ID, in)
		ok(t, err)
		if u.Status != portico.JobOnHold || !u.UpdatedAt.Equal(clock.Now()) {
			t.Fatalf("updated %+v", u)
		}
		evs := events(t, db, "job.status_changed")
		if len(evs) != 1 || evs[0].JobID != j.ID || evs[0].ClientID != acme.ID || evs[0].Details["from"] != "open" || evs[0].Details["to"] != "on_hold" {
			t.Fatalf("job.status_changed events = %+v", evs)
		}

		// Moving the job to another client, with its location.
		in.ClientID, in.LocationID, in.Title, in.Status = other.ID, elsewhere.ID, "Charge Nurse", portico.JobOpen
		u, err = svc.UpdateJob(ctx, j.ID, in)
		ok(t, err)
		if u.ClientName != "Other" || u.LocationName != "Elsewhere" || u.Title != "Charge Nurse" {
			t.Fatalf("updated %+v", u)
		}
		evs = events(t, db, "job.updated")
		if len(evs) != 1 || evs[0].JobID != j.ID || evs[0].ClientID != other.ID || evs[0].Details["changed"] != "client, location, title, status" ||
			evs[0].Details["to"] != "open" {
			t.Fatalf("job.updated events = %+v", evs)
		}

		// No change, no event.
		_, err = svc.UpdateJob(ctx, j.ID, in)
		ok(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE job_id = ?`, j.ID); n != 3 {
			t.Fatalf("%d events for the job, want 3", n)
		}

		// A location of the old client is refused once the client changes.
		in.ClientID = acme.ID
		_, err = svc.UpdateJob(ctx, j.ID, in)
		wantField(t, err, portico.EINVALID, "location_id")

		// The owner, since deactivated, may stay; the client, since made
		// inactive, too.
		in.ClientID = other.ID
		_, err = db.Services().Users.UpdateUser(ctx, rec.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		_, err = db.Services().Clients.UpdateClient(ctx, other.ID, portico.ClientInput{Name: "Other", Status: portico.ClientInactive})
		ok(t, err)
		in.Openings = 3
		_, err = svc.UpdateJob(ctx, j.ID, in)
		ok(t, err)

		_, err = svc.UpdateJob(ctx, 987654, in)
		wantCode(t, err, portico.ENOTFOUND)
		got, err := svc.FindJobByID(ctx, j.ID)
		ok(t, err)
		if got.Openings != 3 || got.ClientID != other.ID {
			t.Fatalf("job now %+v", got)
		}
	})
}

func TestJobList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ctx := admin(adm)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		acme := testkit.AddClient(t, db, "Acme")
		other := testkit.AddClient(t, db, "Other")
		ward := testkit.AddLocation(t, db, acme.ID, "Ward 9")
		svc := db.Services().Jobs
		var ids []int64
		for i := range 10 {
			in := portico.JobInput{ClientID: acme.ID, OwnerID: adm.ID, Title: fmt.Sprintf("Nurse %d", i), Openings: 1, LocationID: ward.ID}
			if i%2 == 1 {
				in.ClientID, in.LocationID = other.ID, 0
			}
			if i%3 == 0 {
				in.OwnerID = rec.ID
			}
			if i >= 7 {
				in.Status = portico.JobFilled
			}
			j, err := svc.CreateJob(ctx, in)
			ok(t, err)
			ids = append(ids, j.ID)
		}
		pct := testkit.AddJob(t, db, acme.ID, adm.ID, "100% remote_ops")
		shortlistRaw(t, db, ids[8], 3)
		shortlistRaw(t, db, pct.ID, 1)

		titles := func(js []*portico.Job) []string {
			var out []string
			for _, j := range js {
				out = append(out, j.Title)
			}
			return out
		}
		for _, tc := range []struct {
			f     portico.JobFilter
			total int
			want  []string
		}{
			{portico.JobFilter{Limit: 3}, 11, []string{"100% remote_ops", "Nurse 9", "Nurse 8"}},
			{portico.JobFilter{Limit: 3, Offset: 9}, 11, []string{"Nurse 1", "Nurse 0"}},
			{portico.JobFilter{Status: portico.JobFilled}, 3, []string{"Nurse 9", "Nurse 8", "Nurse 7"}},
			{portico.JobFilter{ClientID: other.ID}, 5, []string{"Nurse 9", "Nurse 7", "Nurse 5", "Nurse 3", "Nurse 1"}},
			{portico.JobFilter{OwnerID: rec.ID}, 4, []string{"Nurse 9", "Nurse 6", "Nurse 3", "Nurse 0"}},
			{portico.JobFilter{OwnerID: rec.ID, Status: portico.JobOpen, ClientID: acme.ID}, 2, []string{"Nurse 6", "Nurse 0"}},
			{portico.JobFilter{Query: "NURSE 1"}, 1, []string{"Nurse 1"}},
			{portico.JobFilter{Query: "%"}, 1, []string{"100% remote_ops"}},
			{portico.JobFilter{Query: "e_o"}, 1, []string{"100% remote_ops"}},
			{portico.JobFilter{Query: "e_"}, 1, []string{"100% remote_ops"}},
			{portico.JobFilter{Query: "se_1"}, 0, nil},
		} {
			js, total, err := svc.FindJobs(ctx, tc.f)
			ok(t, err)
			if total != tc.total || fmt.Sprint(titles(js)) != fmt.Sprint(tc.want) {
				t.Errorf("FindJobs(%+v) = %v (total %d), want %v (total %d)", tc.f, titles(js), total, tc.want, tc.total)
			}
		}
		js, _, err := svc.FindJobs(ctx, portico.JobFilter{Limit: 3})
		ok(t, err)
		if js[0].Applications != 1 || js[1].Applications != 0 || js[2].Applications != 3 || js[2].ClientName != "Acme" || js[2].OwnerName != adm.Name {
			t.Fatalf("first page: %+v %+v %+v", js[0], js[1], js[2])
		}
		// Naming jobs only: the same page, with its names and status, nothing
		// counted or described.
		named, _, err := svc.FindJobs(ctx, portico.JobFilter{Limit: 3, NamesOnly: true})
		ok(t, err)
		if fmt.Sprint(titles(named)) != fmt.Sprint(titles(js)) || named[2].ID != js[2].ID || named[2].ClientID != js[2].ClientID ||
			named[2].ClientName != "Acme" || named[2].LocationName != "Ward 9" || named[1].LocationName != "" || named[2].Status != js[2].Status || named[2].Applications != 0 || named[2].OwnerName != "" {
			t.Fatalf("names only: %v, %+v", titles(named), named[2])
		}
		open, _, err := svc.FindJobs(ctx, portico.JobFilter{Status: portico.JobOpen, Limit: 2, Offset: 1, NamesOnly: true})
		ok(t, err)
		fullOpen, _, err := svc.FindJobs(ctx, portico.JobFilter{Status: portico.JobOpen, Limit: 2, Offset: 1})
		ok(t, err)
		if fmt.Sprint(titles(open)) != fmt.Sprint(titles(fullOpen)) {
			t.Fatalf("names only, open, second page: %v, want %v", titles(open), titles(fullOpen))
		}
		// Without the total: the same page, the total -1.
		untotalled, total, err := svc.FindJobs(ctx, portico.JobFilter{Limit: 3, NamesOnly: true, NoTotal: true})
		ok(t, err)
		if fmt.Sprint(titles(untotalled)) != fmt.Sprint(titles(js)) || total != -1 {
			t.Fatalf("without the total: %v, total %d", titles(untotalled), total)
		}
		got, err := svc.FindJobByID(ctx, ids[8])
		ok(t, err)
		if got.Applications != 3 {
			t.Fatalf("FindJobByID applications = %d, want 3", got.Applications)
		}
		_, _, err = svc.FindJobs(asContact(), portico.JobFilter{})
		wantRefused(t, err)
	})
}
