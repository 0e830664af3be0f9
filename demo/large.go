package demo

import (
	"context"
	"fmt"
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
}

var large = largeCounts{
	clients: 2000, contactsPer: 5, locationsPer: 2, jobsPer: 10,
	candidates: 200_000, applications: 1_000_000, events: 5_000_000,
	bigJobs: 200, bigJobApps: 150,
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
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	user := func() int64 { return users[g.rnd.IntN(len(users))].ID }
	ev := newEventWriter(db, names)

	// Clients, their locations and contacts.
	id := int64(0)
	n, err := db.BulkInsert(ctx, "clients", []string{"id", "name", "status", "owner_id", "website", "phone", "notes", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.clients) {
			return nil, false
		}
		id++
		name := fmt.Sprintf("%s %s %d", g.pick(companyStems), g.pick(companySuffixes), id)
		t := when()
		status := "active"
		if g.rnd.IntN(10) == 0 {
			status = "inactive"
		}
		ev.add(t, user(), "client.created", "client", id, 0, 0, id, `{"name":`+strconv.Quote(name)+`}`)
		return []any{id, name, status, user(), "https://client" + strconv.FormatInt(id, 10) + ".example.com", g.phone(), "", t, t}, true
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
		t := when()
		return []any{id, client, city + " site", fmt.Sprintf("%d %s, %s", 1+g.rnd.IntN(200), g.pick(streets), city), "Europe/London", t, t}, true
	}); err != nil {
		return err
	}
	id = 0
	if _, err := db.BulkInsert(ctx, "contacts", []string{"id", "client_id", "name", "title", "email", "phone", "portal_status", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.clients*large.contactsPer) {
			return nil, false
		}
		id++
		client := (id-1)/int64(large.contactsPer) + 1
		first, last := g.pick(firstNames), g.pick(lastNames)
		t := when()
		email := fmt.Sprintf("%s.%s.%d@client%d.demo.portico.test", slug(first), slug(last), id, client)
		return []any{id, client, first + " " + last, g.pick(contactTitles), email, g.phone(), string(portico.PortalNotRegistered), t, t}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d locations, %d contacts", large.clients*large.locationsPer, large.clients*large.contactsPer))

	// Jobs: most open, each owned by a recruiter.
	jobs := large.clients * large.jobsPer
	jobSector := make([]int, jobs+1)
	id = 0
	if _, err := db.BulkInsert(ctx, "jobs", []string{"id", "client_id", "location_id", "owner_id", "title", "description", "type", "openings", "status", "start_date", "close_date", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(jobs) {
			return nil, false
		}
		id++
		client := (id-1)/int64(large.jobsPer) + 1
		location := (client-1)*int64(large.locationsPer) + 1 + g.rnd.Int64N(int64(large.locationsPer))
		si := g.rnd.IntN(len(sectors))
		jobSector[id] = si
		title := g.pick(sectors[si].titles)
		status := []string{"open", "open", "open", "open", "open", "on_hold", "filled", "closed"}[g.rnd.IntN(8)]
		if id <= int64(large.bigJobs) {
			status = "open"
		}
		t := when()
		owner := user()
		ev.add(t, owner, "job.created", "job", id, id, 0, client, `{"title":`+strconv.Quote(title)+`}`)
		return []any{id, client, location, owner, title, describe(title, sectors[si].name), g.pick([]string{"permanent", "permanent", "contract", "temporary"}),
			1 + g.rnd.IntN(5), status, portico.DateOf(t.Add(30*24*time.Hour), time.UTC), "", t, t}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d jobs", jobs))

	// Candidates.
	id = 0
	if _, err := db.BulkInsert(ctx, "candidates", []string{"id", "first_name", "last_name", "email", "phone", "city", "current_title", "current_employer", "skills",
		"summary", "salary_expectation", "notice_period", "availability", "source", "video_url", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.candidates) {
			return nil, false
		}
		id++
		c := g.candidate()
		t := when()
		c.Email = fmt.Sprintf("%s.%s.%d@mail.demo.portico.test", slug(c.FirstName), slug(c.LastName), id)
		ev.add(t, user(), "candidate.created", "candidate", id, 0, id, 0, `{"name":`+strconv.Quote(c.FirstName+" "+c.LastName)+`}`)
		return []any{id, c.FirstName, c.LastName, c.Email, c.Phone, c.City, c.CurrentTitle, c.CurrentEmployer, c.Skills, c.Summary,
			c.SalaryExpectation, c.NoticePeriod, c.Availability, c.Source, "", t, t}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d candidates", large.candidates))

	// Applications: the big jobs first, then the rest spread over all jobs;
	// a candidate is on a job's shortlist once.
	type pair struct{ job, cand int64 }
	seen := make(map[pair]struct{}, large.applications)
	job, perJob := int64(1), 0
	id = 0
	if _, err := db.BulkInsert(ctx, "applications", []string{"id", "job_id", "candidate_id", "stage_id", "added_by", "created_at", "stage_changed_at"}, func() ([]any, bool) {
		if id == int64(large.applications) {
			return nil, false
		}
		var p pair
		for {
			if job <= int64(large.bigJobs) {
				if perJob == large.bigJobApps {
					job, perJob = job+1, 0
					continue
				}
				p = pair{job, 1 + g.rnd.Int64N(int64(large.candidates))}
			} else {
				p = pair{1 + g.rnd.Int64N(int64(jobs)), 1 + g.rnd.Int64N(int64(large.candidates))}
			}
			if _, dup := seen[p]; !dup {
				break
			}
		}
		seen[p] = struct{}{}
		if job <= int64(large.bigJobs) {
			perJob++
		}
		id++
		st := stages[g.stageIndex(len(stages))]
		added := when()
		moved := added.Add(time.Duration(g.rnd.Int64N(int64(end.Sub(added)) + 1)))
		by := user()
		client := (p.job-1)/int64(large.jobsPer) + 1
		ev.add(added, by, "application.added", "application", id, p.job, p.cand, client, "{}")
		if st.Position > 1 {
			ev.add(moved, by, "application.moved", "application", id, p.job, p.cand, client, `{"to":`+strconv.Quote(st.InternalName)+`}`)
		}
		return []any{id, p.job, p.cand, st.ID, by, added, moved}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d applications", large.applications))

	// Events: those the records above left, then sign-ins and views up to
	// the total, in time order.
	if err := ev.write(ctx, large.events, func() (time.Time, int64) { return when(), user() }); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d events", large.events))
	return db.FinishBulk(ctx)
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

// event is one row for the events table.
type event struct {
	at                         time.Time
	actor                      int64
	action, subjectType        string
	subject, job, cand, client int64
	details                    string
}

// eventWriter collects the events records leave, to write them in time
// order with filler at the end.
type eventWriter struct {
	db    *sqlstore.DB
	names map[int64]string
	evs   []event
}

func newEventWriter(db *sqlstore.DB, names map[int64]string) *eventWriter {
	return &eventWriter{db: db, names: names}
}

func (w *eventWriter) add(at time.Time, actor int64, action, subjectType string, subject, job, cand, client int64, details string) {
	w.evs = append(w.evs, event{at, actor, action, subjectType, subject, job, cand, client, details})
}

func (w *eventWriter) write(ctx context.Context, total int, filler func() (time.Time, int64)) error {
	for len(w.evs) < total {
		at, actor := filler()
		w.evs = append(w.evs, event{at: at, actor: actor, action: "user.signed_in", subjectType: "user", subject: actor, details: "{}"})
	}
	sortEvents(w.evs)
	i := 0
	// After the events that setting up the agency and its users wrote.
	id, err := w.db.Services().Events.LatestEventID(ctx)
	if err != nil {
		return err
	}
	nullable := func(v int64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	_, err = w.db.BulkInsert(ctx, "events", []string{"id", "at", "actor_kind", "actor_id", "actor_name", "action", "subject_type", "subject_id", "job_id", "candidate_id", "client_id", "ip", "user_agent", "details"}, func() ([]any, bool) {
		if i == len(w.evs) {
			return nil, false
		}
		e := w.evs[i]
		i++
		id++
		return []any{id, e.at, "user", e.actor, w.names[e.actor], e.action, e.subjectType, e.subject, nullable(e.job), nullable(e.cand), nullable(e.client), "203.0.113.7", "Mozilla/5.0", e.details}, true
	})
	w.evs = nil
	return err
}
