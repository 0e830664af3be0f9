package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"portico"
	"portico/internal/testkit"
)

// BenchmarkPortalJobPage measures what a job's portal page reads (the
// job with its progress, the visible fields, the board's candidates with
// their ratings) and a candidate's page, for a job with 100 shared
// candidates in an agency of 5,000 applications.
func BenchmarkPortalJobPage(b *testing.B) {
	for _, be := range testkit.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			db := testkit.OpenStore(b, be, testkit.NewClock())
			admin := testkit.SetUp(b, db)
			ctx := context.Background()
			svc := db.Services()
			acme := testkit.AddClient(b, db, "Acme Health")
			other := testkit.AddClient(b, db, "Other Ltd")
			job := testkit.AddJob(b, db, acme.ID, admin.ID, "Senior Nurse")
			seedCandidates(b, db, 5000)
			var ids []int64
			for i := int64(1); i <= 5000; i++ {
				ids = append(ids, i)
			}
			// 100 shared on the job, the rest on other jobs.
			if _, err := svc.Applications.AddToShortlist(ctx, job.ID, ids[:100]); err != nil {
				b.Fatal(err)
			}
			for k := 0; k < 49; k++ {
				j := testkit.AddJob(b, db, other.ID, admin.ID, fmt.Sprintf("Other %d", k))
				if _, err := svc.Applications.AddToShortlist(ctx, j.ID, ids[100+k*100:200+k*100]); err != nil {
					b.Fatal(err)
				}
			}
			apps, _, err := svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: job.ID, Limit: 500})
			if err != nil {
				b.Fatal(err)
			}
			var appIDs []int64
			for _, a := range apps {
				appIDs = append(appIDs, a.ID)
			}
			if _, err := svc.Sharing.SetShared(ctx, job.ID, appIDs, true); err != nil {
				b.Fatal(err)
			}
			k := testkit.PortalContact(b, db, acme.ID, "Ann Hiring", "ann@acme.test")
			as := testkit.AsContact(k)
			for i, id := range appIDs[:30] {
				if err := svc.PortalActions.Rate(as, job.ID, id, 1+i%5); err != nil {
					b.Fatal(err)
				}
			}
			v := svc.Portal
			b.Run("job page", func(b *testing.B) {
				for b.Loop() {
					if _, err := v.Job(as, job.ID); err != nil {
						b.Fatal(err)
					}
					cs, total, err := v.Candidates(as, job.ID, portico.PortalCandidateFilter{Limit: 200})
					if err != nil || total != 100 || len(cs) != 100 {
						b.Fatalf("%d of %d: %v", len(cs), total, err)
					}
				}
			})
			b.Run("candidate page", func(b *testing.B) {
				for b.Loop() {
					if _, err := v.Candidate(as, job.ID, appIDs[50]); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("home", func(b *testing.B) {
				for b.Loop() {
					if _, err := v.Home(as); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
