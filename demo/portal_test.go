package demo

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestDemoPortal loads the demo and checks the portal's part: the
// documented sign-in works and shows shared candidates; contacts' accounts
// are in every state; contacts rated, commented and asked for an
// interview, which made the job owner a task.
func TestDemoPortal(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		var steps []string
		if _, err := Load(ctx, db, Options{Size: SizeDemo, Seed: 7}, func(s string) { steps = append(steps, s) }); err != nil {
			t.Fatal(err)
		}
		svc := db.Services()
		if _, _, err := svc.PortalAuth.SignIn(ctx, PortalEmail, Password); err != nil {
			// Load doesn't make the portal's data yet: make it here.
			admin := demoAdmin(t, db)
			users, _, err := svc.Users.FindUsers(as(admin), portico.UserFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			users = slices.DeleteFunc(users, func(u *portico.User) bool { return u.ID == admin.ID })
			users = append([]*portico.User{admin}, users...)
			g := &gen{rnd: rand.New(rand.NewPCG(7, 0x5eed))}
			if err := loadPortal(ctx, db, g, users, func(s string) { steps = append(steps, s) }); err != nil {
				t.Fatal(err)
			}
		}
		token, k, err := svc.PortalAuth.SignIn(ctx, PortalEmail, Password)
		if err != nil {
			t.Fatalf("documented portal sign-in: %v (steps %v)", err, steps)
		}
		if token == "" || k.PortalStatus != portico.PortalConnected {
			t.Fatalf("portal contact %+v", k)
		}
		kctx := portico.NewContextWithActor(ctx, portico.Actor{Kind: portico.ActorContact, ID: k.ID, Name: k.Name})
		home, err := svc.Portal.Home(kctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(home.Jobs) == 0 {
			t.Fatal("the demo contact sees no jobs")
		}
		list, total, err := svc.Portal.Candidates(kctx, home.Jobs[0].ID, portico.PortalCandidateFilter{Limit: 50})
		if err != nil || total < 2 || len(list) < 2 {
			t.Fatalf("shared candidates: %d (%v)", total, err)
		}
		d, err := svc.Portal.Candidate(kctx, list[0].JobID, list[0].ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ResumeID == 0 {
			t.Error("a shared demo candidate has no résumé")
		}

		admin := as(demoAdmin(t, db))
		states := map[portico.PortalStatus]int{}
		chosen := 0
		clients, _, err := svc.Clients.FindClients(admin, portico.ClientFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clients {
			ks, _, err := svc.Clients.FindContacts(admin, c.ID, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range ks {
				states[k.PortalStatus]++
				if a, err := svc.PortalAccounts.FindAccount(admin, k.ID); err != nil {
					t.Fatal(err)
				} else if k.PortalStatus == portico.PortalConnected && !a.AllJobs {
					chosen++
				}
			}
		}
		for _, st := range []portico.PortalStatus{portico.PortalConnected, portico.PortalPending, portico.PortalDisabled, portico.PortalNotRegistered} {
			if states[st] == 0 {
				t.Errorf("no demo contact is %s: %v", st, states)
			}
		}
		if chosen == 0 {
			t.Error("no demo contact has chosen jobs")
		}
		for action, least := range map[string]int{"portal.rated": 5, "portal.feedback": 3, "portal.interview_requested": 1} {
			if _, n, err := svc.Events.FindEvents(admin, portico.EventFilter{Action: action, Limit: 1}); err != nil || n < least {
				t.Errorf("%d %s events (%v)", n, action, err)
			}
		}
		tasks, _, err := svc.Tasks.FindTasks(admin, portico.TaskFilter{Status: portico.TaskOpen, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		arrange := 0
		for _, tk := range tasks {
			if tk.Kind == portico.TaskArrangeInterview && tk.Title == "Arrange interview" {
				arrange++
			}
		}
		if arrange == 0 {
			t.Error("no Arrange interview task")
		}

		// The documented hiring manager's client has its own look; the
		// others take the agency default's welcome.
		brand, err := svc.PortalSettings.Branding(admin, k.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if !brand.Custom || brand.Brand != portico.BrandLogo || brand.ImageKey == "" || brand.Accent != "#0f766e" || brand.Welcome == "" {
			t.Errorf("the demo client's branding %+v", brand)
		}
		if _, logo, err := svc.PortalSettings.ImageByKey(ctx, brand.ImageKey); err != nil || len(logo) == 0 {
			t.Errorf("the demo logo: %d bytes (%v)", len(logo), err)
		}
		def, err := svc.PortalSettings.Branding(admin, 0)
		if err != nil || def.Custom || !strings.Contains(def.Welcome, "Northwind Talent") {
			t.Errorf("the agency default's branding %+v (%v)", def, err)
		}
		job, err := svc.Portal.Job(kctx, home.Jobs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(job.Recruiters) == 0 || job.Recruiters[0].Role == "" {
			t.Errorf("the demo job's team %+v", job.Recruiters)
		}
		if _, n, err := svc.Links.FindLinks(admin, portico.LinkFilter{Limit: 1}); err != nil || n == 0 {
			t.Errorf("%d demo share links (%v)", n, err)
		}
	})
}

// demoAdmin is the demo's documented admin.
func demoAdmin(t *testing.T, db *sqlstore.DB) *portico.User {
	t.Helper()
	_, u, err := db.Services().Auth.SignIn(context.Background(), AdminEmail, Password)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
