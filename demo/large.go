package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"portico"
	"portico/sqlstore"
)

// largeCounts is the benchmark agency: a large agency's whole history.
type largeCounts struct {
	clients, contactsPer, locationsPer, jobsPer int
	candidates, applications, events            int
	bigJobs, bigJobApps                         int // the first bigJobs jobs get bigJobApps applications each
	// The portal's benchmark pages (large_portal.go), at the first client:
	// its first job (a big one) has exactly jobShared candidates shared,
	// and its second exportApps applications of which exportShared are
	// shared, for the Excel export.
	jobShared, exportApps, exportShared int
}

var large = largeCounts{
	clients: 2000, contactsPer: 5, locationsPer: 2, jobsPer: 10,
	candidates: 200_000, applications: 1_000_000, events: 5_000_000,
	bigJobs: 200, bigJobApps: 150,
	jobShared: 100, exportApps: 600, exportShared: 500,
}

// loadLarge bulk-loads the benchmark data set after the agency and its
// users exist. Records are written straight to their tables in large
// batches (the services would take hours), each with the event a real
// action would have left, and filler events up to the total.
func loadLarge(ctx context.Context, db *sqlstore.DB, g *gen, users []*portico.User, progress func(string)) error {
	stages, err := db.Services().Stages.FindStages(ctx, false)
	if err != nil {
		return err
	}
	end := db.Now().UTC().Truncate(time.Second)
	start := end.Add(-2 * 365 * 24 * time.Hour)
	when := func() time.Time { return start.Add(time.Duration(g.rnd.Int64N(int64(end.Sub(start))))) }
	// after draws a time from t to the end.
	after := func(t time.Time) time.Time { return t.Add(time.Duration(g.rnd.Int64N(int64(end.Sub(t)) + 1))) }
	// times draws n creation times in order, for IDs that follow time as
	// they do in real use.
	times := func(n int) []instant {
		ts := make([]instant, n+1) // by ID; [0] unused
		for i := 1; i <= n; i++ {
			ts[i] = instantOf(when())
		}
		slices.Sort(ts[1:])
		return ts
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	user := func() int64 { return users[g.rnd.IntN(len(users))].ID }
	ev := newEventWriter(db, g, names, stages)

	// Clients, their locations and contacts.
	clientAt := times(large.clients)
	clientOwner := make([]int32, large.clients+1)
	keys := portalKeys(g, large.clients)
	id := int64(0)
	n, err := db.BulkInsert(ctx, "clients", []string{"id", "name", "status", "owner_id", "website", "phone", "notes", "portal_key", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.clients) {
			return nil, false
		}
		id++
		name := fmt.Sprintf("%s %s %d", g.pick(companyStems), g.pick(companySuffixes), id)
		t := clientAt[id].time()
		status := "active"
		if g.rnd.IntN(10) == 0 && id != portalClient {
			status = "inactive"
		}
		ev.clients[id] = name
		ev.add(t, user(), clientCreated, id, 0, 0, id, 0)
		owner := user()
		clientOwner[id] = int32(owner)
		return []any{id, name, status, owner, "https://client" + strconv.FormatInt(id, 10) + ".example.com", g.phone(), "", keys[id-1], t, t}, true
	})
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("%d clients", n))
	id = 0
	if _, err := db.BulkInsert(ctx, "locations", []string{"id", "client_id", "name", "address", "time_zone", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.clients*large.locationsPer) {
			return nil, false
		}
		id++
		client := (id-1)/int64(large.locationsPer) + 1
		city := g.pick(cities)
		t := clientAt[client].time()
		return []any{id, client, city + " site", fmt.Sprintf("%d %s, %s", 1+g.rnd.IntN(200), g.pick(streets), city), "Europe/London", t, t}, true
	}); err != nil {
		return err
	}
	// Every contact has a connected portal account with all their
	// client's jobs, invited by the client's owner and activated later.
	hash := portalPasswordHash(g, Password)
	id = 0
	if _, err := db.BulkInsert(ctx, "contacts", []string{"id", "client_id", "name", "title", "email", "phone", "portal_status",
		"password_hash", "all_jobs", "invited_at", "activated_at", "last_visit_at", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.clients*large.contactsPer) {
			return nil, false
		}
		id++
		client := (id-1)/int64(large.contactsPer) + 1
		first, last := g.pick(firstNames), g.pick(lastNames)
		name, title := first+" "+last, g.pick(contactTitles)
		t := after(clientAt[client].time())
		email := fmt.Sprintf("%s.%s.%d@client%d.demo.portico.test", slug(first), slug(last), id, client)
		if id == portalContact {
			name, title, email = portalContactName, "Head of Talent", PortalEmail
		}
		invited := after(t)
		activated := after(invited)
		visited := after(activated)
		ev.contacts[id] = name
		ev.add(invited, int64(clientOwner[client]), contactInvited, id, 0, 0, client, 0)
		ev.add(activated, id, contactActivated, id, 0, 0, client, 0)
		return []any{id, client, name, title, email, g.phone(), string(portico.PortalConnected),
			hash, true, invited, activated, visited, t, activated}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d locations, %d contacts", large.clients*large.locationsPer, large.clients*large.contactsPer))

	// Jobs: most open, each owned by a recruiter.
	jobs := large.clients * large.jobsPer
	jobAt := times(jobs)
	id = 0
	if _, err := db.BulkInsert(ctx, "jobs", []string{"id", "client_id", "location_id", "owner_id", "title", "description", "type", "openings", "status", "start_date", "close_date", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(jobs) {
			return nil, false
		}
		id++
		client := (id-1)/int64(large.jobsPer) + 1
		location := (client-1)*int64(large.locationsPer) + 1 + g.rnd.Int64N(int64(large.locationsPer))
		si := g.rnd.IntN(len(sectors))
		title := g.pick(sectors[si].titles)
		status := []string{"open", "open", "open", "open", "open", "on_hold", "filled", "closed"}[g.rnd.IntN(8)]
		if id <= int64(large.bigJobs) {
			status = "open"
		}
		t := jobAt[id].time()
		owner := user()
		ev.jobs[id] = title
		ev.add(t, owner, jobCreated, id, id, 0, client, 0)
		return []any{id, client, location, owner, title, describe(title, sectors[si].name), g.pick([]string{"permanent", "permanent", "contract", "temporary"}),
			1 + g.rnd.IntN(5), status, portico.DateOf(t.Add(30*24*time.Hour), time.UTC), "", t, t}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d jobs", jobs))

	// Candidates.
	candAt := times(large.candidates)
	id = 0
	if _, err := db.BulkInsert(ctx, "candidates", []string{"id", "first_name", "last_name", "email", "phone", "city", "current_title", "current_employer", "skills",
		"summary", "salary_expectation", "notice_period", "availability", "source", "video_url", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.candidates) {
			return nil, false
		}
		id++
		c := g.candidate()
		t := candAt[id].time()
		c.Email = fmt.Sprintf("%s.%s.%d@mail.demo.portico.test", slug(c.FirstName), slug(c.LastName), id)
		ev.cands[id] = c.FirstName + " " + c.LastName
		ev.add(t, user(), candidateCreated, id, 0, id, 0, 0)
		return []any{id, c.FirstName, c.LastName, c.Email, c.Phone, c.City, c.CurrentTitle, c.CurrentEmployer, c.Skills, c.Summary,
			c.SalaryExpectation, c.NoticePeriod, c.Availability, c.Source, "", t, t}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d candidates", large.candidates))

	// Applications: the big jobs' first, then the rest spread over the
	// other jobs; a candidate is on a job's shortlist once, after both were
	// created. They are drawn first and written in the order they were
	// added, so IDs follow time and a job's shortlist is spread over the
	// table as in real use. About a third are shared with the client
	// (sharePlan says which), by the recruiter who added them, between
	// being added and their last move.
	type application struct {
		job, cand, by int32
		stage         uint8 // index into stages
		shared        bool
		added, moved  instant
	}
	share := newSharePlan(g, stages)
	apps := func() []application {
		apps := make([]application, 0, large.applications)
		seen := make(map[uint64]struct{}, large.applications) // job<<32 | candidate
		draw := func(job int32, stage uint8, shared bool) {
			a := application{job: job, stage: stage, shared: shared}
			for {
				a.cand = int32(1 + g.rnd.IntN(large.candidates))
				if _, dup := seen[uint64(a.job)<<32|uint64(a.cand)]; !dup {
					break
				}
			}
			seen[uint64(a.job)<<32|uint64(a.cand)] = struct{}{}
			added := after(max(jobAt[a.job], candAt[a.cand]).time())
			a.added, a.moved = instantOf(added), instantOf(added)
			if stages[a.stage].Position > 1 {
				a.moved = instantOf(after(added))
			}
			a.by = int32(user())
			apps = append(apps, a)
		}
		for job := 1; job <= large.bigJobs; job++ {
			n, shared := large.bigJobApps, -1 // -1: as it falls
			switch job {
			case portalJob:
				shared = large.jobShared
			case exportJob:
				n, shared = large.exportApps, large.exportShared
			}
			for k := 0; k < n; k++ {
				if shared < 0 {
					st, sh := share.draw()
					draw(int32(job), st, sh)
				} else {
					draw(int32(job), share.drawKind(k < shared), k < shared)
				}
			}
		}
		for len(apps) < large.applications {
			st, sh := share.draw()
			draw(int32(large.bigJobs+1+g.rnd.IntN(jobs-large.bigJobs)), st, sh)
		}
		return apps
	}()
	slices.SortStableFunc(apps, func(a, b application) int { return a.added.Compare(b.added) })
	moves, shares := 0, 0
	for _, a := range apps {
		if stages[a.stage].Position > 1 {
			moves++
		}
		if a.shared {
			shares++
		}
	}
	ev.reserve(len(apps) + moves + shares)
	i := 0
	if _, err := db.BulkInsert(ctx, "applications", []string{"id", "job_id", "candidate_id", "stage_id", "added_by", "created_at", "stage_changed_at",
		"shared_at", "shared_by"}, func() ([]any, bool) {
		if i == len(apps) {
			return nil, false
		}
		a := apps[i]
		i++
		id, job, cand := int64(i), int64(a.job), int64(a.cand)
		client := (job-1)/int64(large.jobsPer) + 1
		st := stages[a.stage]
		ev.add(a.added.time(), int64(a.by), applicationAdded, id, job, cand, client, 0)
		if st.Position > 1 {
			ev.add(a.moved.time(), int64(a.by), applicationMoved, id, job, cand, client, int(a.stage))
		}
		var sharedAt, sharedBy any
		if a.shared {
			t := a.added + instant(g.rnd.Int64N(int64(a.moved-a.added)+1))
			ev.add(t.time(), int64(a.by), applicationShared, id, job, cand, client, 0)
			sharedAt, sharedBy = t.time(), int64(a.by)
		}
		return []any{id, job, cand, st.ID, int64(a.by), a.added.time(), a.moved.time(), sharedAt, sharedBy}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d applications, %d of them shared with clients", large.applications, shares))

	// Events: those the records above left, then sign-ins and views up to
	// the total, in time order.
	if err := ev.write(ctx, large.events, when, user); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d events", large.events))
	if err := db.FinishBulk(ctx); err != nil {
		return err
	}
	// Last, through the services: the portal client's contacts rate and
	// comment, as the portal's pages show.
	return reviewLarge(ctx, db, g, ev.contacts, progress)
}

// stageIndex draws a stage, most applications early in the pipeline.
func (g *gen) stageIndex(n int) int {
	weights := []int{30, 20, 18, 12, 6, 4, 5, 3, 2}
	total := 0
	for i := 0; i < n && i < len(weights); i++ {
		total += weights[i]
	}
	r := g.rnd.IntN(total)
	for i := 0; i < n && i < len(weights); i++ {
		if r < weights[i] {
			return i
		}
		r -= weights[i]
	}
	return 0
}
