package demo

import (
	"cmp"
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
	ev := newEventWriter(db, names, stages)

	// Clients, their locations and contacts.
	clientAt := times(large.clients)
	id := int64(0)
	n, err := db.BulkInsert(ctx, "clients", []string{"id", "name", "status", "owner_id", "website", "phone", "notes", "created_at", "updated_at"}, func() ([]any, bool) {
		if id == int64(large.clients) {
			return nil, false
		}
		id++
		name := fmt.Sprintf("%s %s %d", g.pick(companyStems), g.pick(companySuffixes), id)
		t := clientAt[id].time()
		status := "active"
		if g.rnd.IntN(10) == 0 {
			status = "inactive"
		}
		ev.clients[id] = name
		ev.add(t, user(), clientCreated, id, 0, 0, id, 0)
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
		t := clientAt[client].time()
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
		t := after(clientAt[client].time())
		email := fmt.Sprintf("%s.%s.%d@client%d.demo.portico.test", slug(first), slug(last), id, client)
		return []any{id, client, first + " " + last, g.pick(contactTitles), email, g.phone(), string(portico.PortalNotRegistered), t, t}, true
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
	// table as in real use.
	type application struct {
		job, cand, by int32
		stage         uint8 // index into stages
		added, moved  instant
	}
	apps := func() []application {
		apps := make([]application, 0, large.applications)
		seen := make(map[uint64]struct{}, large.applications) // job<<32 | candidate
		for job := 1; len(apps) < large.applications; {
			var a application
			for {
				if job <= large.bigJobs && len(apps) == job*large.bigJobApps {
					job++
					continue
				}
				if job <= large.bigJobs {
					a.job = int32(job)
				} else {
					a.job = int32(large.bigJobs + 1 + g.rnd.IntN(jobs-large.bigJobs))
				}
				a.cand = int32(1 + g.rnd.IntN(large.candidates))
				if _, dup := seen[uint64(a.job)<<32|uint64(a.cand)]; !dup {
					break
				}
			}
			seen[uint64(a.job)<<32|uint64(a.cand)] = struct{}{}
			a.stage = uint8(g.stageIndex(len(stages)))
			added := after(max(jobAt[a.job], candAt[a.cand]).time())
			a.added, a.moved = instantOf(added), instantOf(added)
			if stages[a.stage].Position > 1 {
				a.moved = instantOf(after(added))
			}
			a.by = int32(user())
			apps = append(apps, a)
		}
		return apps
	}()
	slices.SortStableFunc(apps, func(a, b application) int { return a.added.Compare(b.added) })
	i := 0
	if _, err := db.BulkInsert(ctx, "applications", []string{"id", "job_id", "candidate_id", "stage_id", "added_by", "created_at", "stage_changed_at"}, func() ([]any, bool) {
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
		return []any{id, job, cand, st.ID, int64(a.by), a.added.time(), a.moved.time()}, true
	}); err != nil {
		return err
	}
	progress(fmt.Sprintf("%d applications", large.applications))

	// Events: those the records above left, then sign-ins and views up to
	// the total, in time order.
	if err := ev.write(ctx, large.events, when, user); err != nil {
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

// instant is a time as Unix nanoseconds: an eighth of a time.Time's size,
// which matters for millions of events.
type instant int64

func instantOf(t time.Time) instant { return instant(t.UnixNano()) }

// Compare orders instants like time.Time.Compare.
func (a instant) Compare(b instant) int { return cmp.Compare(a, b) }

func (a instant) time() time.Time { return time.Unix(0, int64(a)).UTC() }

// eventKind is what a record's event says; its row's action, subject type
// and details follow from it and the record.
type eventKind uint8

const (
	clientCreated eventKind = iota
	jobCreated
	candidateCreated
	applicationAdded
	applicationMoved
)

// event is one record's event, kept small (32 bytes): the loader holds
// about two million of them to write in time order. Names and titles for
// the details come from the eventWriter's tables.
type event struct {
	at                                instant
	actor, subject, job, cand, client int32
	kind                              eventKind
	stage                             uint8 // index into the writer's stages, for a move
}

// eventWriter collects the events records leave, to write them in time
// order mixed with filler sign-ins up to the total.
type eventWriter struct {
	db      *sqlstore.DB
	names   map[int64]string // users
	stages  []*portico.Stage
	clients []string // name by client ID
	jobs    []string // title by job ID
	cands   []string // full name by candidate ID
	evs     []event
}

func newEventWriter(db *sqlstore.DB, names map[int64]string, stages []*portico.Stage) *eventWriter {
	return &eventWriter{db: db, names: names, stages: stages,
		clients: make([]string, large.clients+1), jobs: make([]string, large.clients*large.jobsPer+1), cands: make([]string, large.candidates+1),
		evs: make([]event, 0, large.clients+large.clients*large.jobsPer+large.candidates+2*large.applications)}
}

func (w *eventWriter) add(at time.Time, actor int64, kind eventKind, subject, job, cand, client int64, stage int) {
	w.evs = append(w.evs, event{at: instantOf(at), actor: int32(actor), kind: kind, subject: int32(subject),
		job: int32(job), cand: int32(cand), client: int32(client), stage: uint8(stage)})
}

// write writes the records' events and filler sign-ins (at times drawn
// from when, by users drawn from who) until there are total, all in time
// order, with IDs after the events setting up the agency wrote.
func (w *eventWriter) write(ctx context.Context, total int, when func() time.Time, who func() int64) error {
	sortEvents(w.evs)
	// Filler times are drawn first and sorted (8 bytes each); their actors
	// are drawn as they are written.
	fill := make([]instant, max(0, total-len(w.evs)))
	for i := range fill {
		fill[i] = instantOf(when())
	}
	slices.Sort(fill)
	id, err := w.db.Services().Events.LatestEventID(ctx)
	if err != nil {
		return err
	}
	nullable := func(v int32) any {
		if v == 0 {
			return nil
		}
		return int64(v)
	}
	actorID := func(v int32) any { return int64(v) }
	i, j := 0, 0
	_, err = w.db.BulkInsert(ctx, "events", []string{"id", "at", "actor_kind", "actor_id", "actor_name", "action", "subject_type", "subject_id", "job_id", "candidate_id", "client_id", "ip", "user_agent", "details"}, func() ([]any, bool) {
		if j < len(fill) && (i == len(w.evs) || fill[j] < w.evs[i].at) {
			actor := who()
			at := fill[j]
			j++
			id++
			return []any{id, at.time(), "user", actor, w.names[actor], "user.signed_in", "user", actor, nil, nil, nil, "203.0.113.7", "Mozilla/5.0", "{}"}, true
		}
		if i == len(w.evs) {
			return nil, false
		}
		e := w.evs[i]
		i++
		id++
		action, subjectType, details := w.describe(e)
		return []any{id, e.at.time(), "user", actorID(e.actor), w.names[int64(e.actor)], action, subjectType, int64(e.subject),
			nullable(e.job), nullable(e.cand), nullable(e.client), "203.0.113.7", "Mozilla/5.0", details}, true
	})
	w.evs = nil
	return err
}

// describe returns an event's action, subject type and details.
func (w *eventWriter) describe(e event) (action, subjectType, details string) {
	switch e.kind {
	case clientCreated:
		return "client.created", "client", `{"name":` + strconv.Quote(w.clients[e.subject]) + `}`
	case jobCreated:
		return "job.created", "job", `{"title":` + strconv.Quote(w.jobs[e.subject]) + `}`
	case candidateCreated:
		return "candidate.created", "candidate", `{"name":` + strconv.Quote(w.cands[e.subject]) + `}`
	case applicationAdded:
		return "application.added", "application", "{}"
	default:
		return "application.moved", "application", `{"to":` + strconv.Quote(w.stages[e.stage].InternalName) + `}`
	}
}
