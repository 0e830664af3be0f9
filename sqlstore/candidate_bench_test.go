package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

var (
	benchFirst  = strings.Fields("Jane John Amira Wei Olu Priya Tom Sofia Liam Chloe Noah Ava Ethan Mia Lucas Zoe Omar Leah Ryan Ella")
	benchLast   = strings.Fields("Smith Jones Khan Patel Brown Taylor Wilson Evans Thomas Roberts Walker Wright Hughes Green Hall Lewis Clarke Young")
	benchTitles = []string{"Staff Nurse", "Senior Staff Nurse", "Healthcare Assistant", "Software Engineer", "Data Analyst", "Payroll Administrator",
		"Forklift Driver", "Head Chef", "Maintenance Engineer", "Finance Manager", "Warehouse Operative", "Ward Manager"}
	benchSkills = strings.Fields("Triage Phlebotomy Go Python PostgreSQL Kubernetes Sage Excel Payroll Forklift Lean CNC Barista Safeguarding Dementia AWS React")
	benchCities = strings.Fields("London Manchester Birmingham Leeds Glasgow Bristol Liverpool Edinburgh Cardiff Sheffield York Oxford")
)

// seedCandidates bulk-inserts n made-up candidates.
func seedCandidates(b testing.TB, db *sqlstore.DB, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	_, err := db.BulkInsert(context.Background(), "candidates",
		[]string{"id", "first_name", "last_name", "email", "city", "current_title", "skills", "summary", "created_at", "updated_at"},
		func() ([]any, bool) {
			if i == n {
				return nil, false
			}
			i++
			first, last := pick(benchFirst), pick(benchLast)
			return []any{int64(i), first, last, strings.ToLower(first+"."+last+strconv.Itoa(i)) + "@example.com", pick(benchCities), pick(benchTitles),
				pick(benchSkills) + ", " + pick(benchSkills) + ", " + pick(benchSkills), strings.Repeat("Experienced and reliable. ", 10), now, now}, true
		})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.FinishBulk(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCandidateSearch measures the candidate list and search over
// 200,000 candidates (PORTICO_BENCH_CANDIDATES changes the number).
func BenchmarkCandidateSearch(b *testing.B) {
	n := 200_000
	if s := os.Getenv("PORTICO_BENCH_CANDIDATES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, be := range testkit.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			db := testkit.OpenStore(b, be, nil)
			seedCandidates(b, db, n)
			ctx := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorUser, ID: 1, Name: "Bench", Role: portico.RoleRecruiter})
			svc := db.Services().Candidates
			for _, f := range []portico.CandidateFilter{
				{}, {Offset: 5000}, {Query: "nurse"}, {Query: "staff nurse leeds"}, {Query: "jane"}, {Query: "j"},
				{Query: "python london"}, {Query: "nurse", Offset: 1000}, {Query: "nobodyatall"},
			} {
				b.Run(fmt.Sprintf("q=%q,offset=%d", f.Query, f.Offset), func(b *testing.B) {
					f.Limit = 50
					for b.Loop() {
						if _, _, err := svc.FindCandidates(ctx, f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
