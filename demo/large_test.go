package demo

import (
	"context"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestLargePortal loads the large data set at a small scale and checks its
// client portal: every contact signs in with the demo password, the known
// contact's client has a job with exactly jobShared candidates shared and
// one with exportShared, about a third of the other applications are
// shared, and the known contact rated and commented.
func TestLargePortal(t *testing.T) {
	saved := large
	t.Cleanup(func() { large = saved })
	large = largeCounts{
		clients: 3, contactsPer: 3, locationsPer: 1, jobsPer: 4,
		candidates: 1000, applications: 3000, events: 9000,
		bigJobs: 3, bigJobApps: 150,
		jobShared: 100, exportApps: 600, exportShared: 500,
	}
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		ctx := context.Background()
		if _, err := Load(ctx, db, Options{Size: SizeLarge, Seed: 3}, nil); err != nil {
			t.Fatal(err)
		}
		svc := db.Services()
		_, k, err := svc.PortalAuth.SignIn(ctx, PortalEmail, Password)
		if err != nil {
			t.Fatalf("the known contact's sign-in: %v", err)
		}
		if k.ID != portalContact || k.ClientID != portalClient || k.Name != portalContactName {
			t.Errorf("known contact %+v", k)
		}
		admin := as(demoAdmin(t, db))
		clients, _, err := svc.Clients.FindClients(admin, portico.ClientFilter{Limit: 10})
		if err != nil || len(clients) != large.clients {
			t.Fatalf("%d clients (%v)", len(clients), err)
		}
		// Jobs 1 and 2, the forced ones, apart: the rest is shared as it falls.
		shared, apps := 0, 0
		for _, c := range clients {
			if c.PortalKey == "" {
				t.Errorf("client %s has no portal key", c.Name)
			}
			ks, _, err := svc.Clients.FindContacts(admin, c.ID, 0, 50)
			if err != nil || len(ks) != large.contactsPer {
				t.Fatalf("%d contacts at %s (%v)", len(ks), c.Name, err)
			}
			for _, x := range ks {
				if x.PortalStatus != portico.PortalConnected {
					t.Errorf("%s's portal account is %s", x.Email, x.PortalStatus)
				}
			}
			if _, _, err := svc.PortalAuth.SignIn(ctx, ks[len(ks)-1].Email, Password); err != nil {
				t.Errorf("%s signs in: %v", ks[len(ks)-1].Email, err)
			}
			kctx := asContact(ks[0])
			jobs, _, err := svc.Jobs.FindJobs(admin, portico.JobFilter{ClientID: c.ID, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range jobs {
				_, n, err := svc.Portal.Candidates(kctx, j.ID, portico.PortalCandidateFilter{Limit: 1})
				if err != nil {
					t.Fatalf("job %d on the portal: %v", j.ID, err)
				}
				_, all, err := svc.Applications.FindApplications(admin, portico.ApplicationFilter{JobID: j.ID, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				switch j.ID {
				case portalJob:
					if n != large.jobShared || all != large.bigJobApps {
						t.Errorf("the portal job has %d of %d shared, want %d of %d", n, all, large.jobShared, large.bigJobApps)
					}
				case exportJob:
					if n != large.exportShared || all != large.exportApps {
						t.Errorf("the export job has %d of %d shared, want %d of %d", n, all, large.exportShared, large.exportApps)
					}
				default:
					shared += n
					apps += all
				}
			}
		}
		if f := float64(shared) / float64(apps); f < 0.25 || f > 0.42 {
			t.Errorf("%d of %d applications shared (%.0f%%), want about a third", shared, apps, 100*f)
		}

		kctx := portico.NewContextWithActor(ctx, portico.Actor{Kind: portico.ActorContact, ID: k.ID, Name: k.Name})
		home, err := svc.Portal.Home(kctx)
		if err != nil || home.OpenJobs < 2 {
			t.Fatalf("the known contact's home: %d open jobs (%v)", home.OpenJobs, err)
		}
		list, _, err := svc.Portal.Candidates(kctx, portalJob, portico.PortalCandidateFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		mine, others := 0, 0
		for _, c := range list {
			if c.MyRating > 0 {
				mine++
			}
			if c.Ratings > 1 || c.Ratings == 1 && c.MyRating == 0 {
				others++
			}
		}
		if mine < 60 || mine > 70 || others == 0 {
			t.Errorf("on the portal job the known contact rated %d of %d (want two in three), colleagues %d", mine, len(list), others)
		}
		if _, n, err := svc.Events.FindEvents(admin, portico.EventFilter{Action: "portal.feedback", ContactID: k.ID, Limit: 1}); err != nil || n == 0 {
			t.Errorf("%d feedback events by the known contact (%v)", n, err)
		}
		if _, n, err := svc.Events.FindEvents(admin, portico.EventFilter{ActorKind: portico.ActorContact, Action: "contact.signed_in", Limit: 1}); err != nil || n == 0 {
			t.Errorf("%d contact sign-ins in the history (%v)", n, err)
		}
		if _, n, err := svc.Events.FindEvents(admin, portico.EventFilter{Limit: 1}); err != nil || n < large.events {
			t.Errorf("%d events, want at least %d (%v)", n, large.events, err)
		}
	})
}
