package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"portico"
	"portico/sqlstore"
)

// as returns a context in which u acts, so the demo's history names people.
func as(u *portico.User) context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{
		Kind: portico.ActorUser, ID: u.ID, Name: u.Name, Role: u.Role, UserAgent: "Portico demo",
	})
}

// loadConsole makes the demo agency's working data through the services,
// so every record has the events and history a real one would.
func loadConsole(ctx context.Context, db *sqlstore.DB, g *gen, users []*portico.User, progress func(string)) error {
	svc := db.Services()
	if svc.Clients == nil || svc.Jobs == nil || svc.Candidates == nil || svc.Applications == nil || svc.Stages == nil {
		return nil // the console's services are not all there yet
	}
	pickUser := func() *portico.User { return users[1+g.rnd.IntN(len(users)-1)] }
	stages, err := svc.Stages.FindStages(ctx, false)
	if err != nil {
		return err
	}

	// Clients with contacts and locations, and their jobs.
	var jobs []*portico.Job
	var jobSectors []sector
	usedNames := map[string]bool{}
	for i := 0; i < 12; i++ {
		owner := pickUser()
		name := g.pick(companyStems) + " " + g.pick(companySuffixes)
		for usedNames[name] {
			name = g.pick(companyStems) + " " + g.pick(companySuffixes)
		}
		usedNames[name] = true
		c, err := svc.Clients.CreateClient(as(owner), portico.ClientInput{Name: name, Status: portico.ClientActive, OwnerID: owner.ID,
			Website: "https://www." + slug(name) + ".example.com", Phone: g.phone()})
		if err != nil {
			return fmt.Errorf("client %s: %w", name, err)
		}
		for j := 0; j < 2; j++ {
			first, last := g.pick(firstNames), g.pick(lastNames)
			if _, err := svc.Clients.CreateContact(as(owner), c.ID, portico.ContactInput{Name: first + " " + last, Title: g.pick(contactTitles),
				Email: fmt.Sprintf("%s.%s@%s.example.com", slug(first), slug(last), slug(name)), Phone: g.phone()}); err != nil {
				return fmt.Errorf("contact: %w", err)
			}
		}
		var locs []*portico.Location
		for j := 0; j < 1+g.rnd.IntN(2); j++ {
			city := g.pick(cities)
			l, err := svc.Clients.CreateLocation(as(owner), c.ID, portico.LocationInput{Name: city + " office",
				Address: fmt.Sprintf("%d %s, %s", 1+g.rnd.IntN(200), g.pick(streets), city), TimeZone: "Europe/London"})
			if err != nil {
				return fmt.Errorf("location: %w", err)
			}
			locs = append(locs, l)
		}
		for j := 0; j < 2+g.rnd.IntN(2); j++ {
			s := sectors[g.rnd.IntN(len(sectors))]
			title := g.pick(s.titles)
			jobOwner := pickUser()
			start := portico.DateOf(db.Now().Add(time.Duration(14+g.rnd.IntN(60))*24*time.Hour), time.UTC)
			job, err := svc.Jobs.CreateJob(as(jobOwner), portico.JobInput{ClientID: c.ID, LocationID: locs[g.rnd.IntN(len(locs))].ID, OwnerID: jobOwner.ID,
				Title: title, Description: describe(title, s.name), Type: portico.JobTypes[g.rnd.IntN(len(portico.JobTypes))],
				Openings: 1 + g.rnd.IntN(3), Status: portico.JobOpen, StartDate: start})
			if err != nil {
				return fmt.Errorf("job: %w", err)
			}
			jobs, jobSectors = append(jobs, job), append(jobSectors, s)
		}
	}
	progress(fmt.Sprintf("12 clients, %d jobs", len(jobs)))

	// Candidates, each with a résumé, grouped by sector for shortlisting.
	bySector := map[string][]*portico.Candidate{}
	for i := 0; i < 180; i++ {
		in := g.candidate()
		for _, s := range sectors {
			for _, t := range s.titles {
				if t == in.CurrentTitle {
					in.Skills = strings.Join(g.some(s.skills, 4), ", ")
				}
			}
		}
		in.Email = fmt.Sprintf("%s.%s%d@mail.example.com", slug(in.FirstName), slug(in.LastName), i)
		if i%5 == 0 {
			in.VideoURL = "https://video.example.com/intro/" + slug(in.FirstName) + slug(in.LastName)
		}
		by := pickUser()
		c, err := svc.Candidates.CreateCandidate(as(by), in)
		if err != nil {
			return fmt.Errorf("candidate: %w", err)
		}
		pdf := ResumePDF(c.Name(), resumeLines(in, in.Email))
		if _, err := svc.Candidates.AddDocument(as(by), c.ID, portico.DocResume, c.FirstName+"-"+c.LastName+"-CV.pdf", pdf); err != nil {
			return fmt.Errorf("résumé: %w", err)
		}
		sec := sectorOf(in.CurrentTitle)
		bySector[sec] = append(bySector[sec], c)
	}
	progress("180 candidates with résumés")

	// Shortlists, spread across the pipeline, with a few notes.
	apps := 0
	for i, job := range jobs {
		pool := bySector[jobSectors[i].name]
		if len(pool) == 0 {
			continue
		}
		owner := userByID(users, job.OwnerID)
		var ids []int64
		for _, k := range g.rnd.Perm(len(pool))[:min(len(pool), 4+g.rnd.IntN(6))] {
			ids = append(ids, pool[k].ID)
		}
		if _, err := svc.Applications.AddToShortlist(as(owner), job.ID, ids); err != nil {
			return fmt.Errorf("shortlist: %w", err)
		}
		list, _, err := svc.Applications.FindApplications(as(owner), portico.ApplicationFilter{JobID: job.ID, Limit: 50})
		if err != nil {
			return err
		}
		for _, a := range list {
			apps++
			if st := stages[g.stageIndex(len(stages))]; st.ID != a.StageID {
				if _, err := svc.Applications.MoveApplication(as(owner), a.ID, st.ID); err != nil {
					return fmt.Errorf("move: %w", err)
				}
			}
			if g.rnd.IntN(4) == 0 {
				if _, err := svc.Applications.AddNote(as(owner), a.ID, g.pick(noteTexts)); err != nil {
					return fmt.Errorf("note: %w", err)
				}
			}
		}
		if svc.Tasks != nil && i%3 == 0 {
			due := portico.DateOf(db.Now().Add(time.Duration(g.rnd.IntN(10)-3)*24*time.Hour), time.UTC)
			if _, err := svc.Tasks.CreateTask(as(owner), portico.TaskInput{Title: "Chase feedback on " + job.Title, Kind: portico.TaskFollowUp,
				JobID: job.ID, DueOn: due, AssigneeID: owner.ID}); err != nil {
				return fmt.Errorf("task: %w", err)
			}
		}
	}
	progress(fmt.Sprintf("%d applications on shortlists", apps))
	return loadPortal(ctx, db, g, users, progress)
}

var noteTexts = []string{
	"Strong phone screen; keen on the role and can start quickly.",
	"Salary expectation is at the top of the client's range.",
	"Prefers hybrid working; check with the client.",
	"References received and checked.",
	"Asked to be put forward for similar roles too.",
}

func sectorOf(title string) string {
	for _, s := range sectors {
		for _, t := range s.titles {
			if t == title {
				return s.name
			}
		}
	}
	return ""
}

func userByID(users []*portico.User, id int64) *portico.User {
	for _, u := range users {
		if u.ID == id {
			return u
		}
	}
	return users[0]
}
