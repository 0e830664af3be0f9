package sqlstore_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestMigrateTwice(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		// OpenStore has migrated; a second run finds nothing to do.
		n, err := db.Migrate(context.Background())
		ok(t, err)
		if n != 0 {
			t.Fatalf("second Migrate applied %d migrations, want 0", n)
		}
		want, err := sqlstore.MigrationVersions(db.Engine())
		ok(t, err)
		if got := count(t, db, `SELECT COUNT(*) FROM schema_migrations`); got != len(want) {
			t.Fatalf("schema_migrations has %d rows, want %d", got, len(want))
		}
		for _, v := range want {
			if count(t, db, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v) != 1 {
				t.Errorf("version %d not recorded", v)
			}
		}
	})
}

// TestMigrateConcurrently starts several instances on one fresh database at
// once, as a rolling deploy does: every migration is applied exactly once
// and none of them fails.
func TestMigrateConcurrently(t *testing.T) {
	for _, b := range testkit.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL
			if b.Name == "postgres" {
				url = testkit.NewPostgresDatabase(t)
			} else {
				url = filepath.Join(t.TempDir(), "fresh.db")
			}
			want, err := sqlstore.MigrationVersions(b.Name)
			ok(t, err)
			const instances = 4
			dbs := make([]*sqlstore.DB, instances)
			for i := range dbs {
				dbs[i], err = sqlstore.Open(context.Background(), url)
				ok(t, err)
				defer dbs[i].Close()
			}
			applied := make([]int, instances)
			errs := make([]error, instances)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, db := range dbs {
				wg.Go(func() {
					<-start
					applied[i], errs[i] = db.Migrate(context.Background())
				})
			}
			close(start)
			wg.Wait()
			total := 0
			for i := range dbs {
				if errs[i] != nil {
					t.Errorf("instance %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			if total != len(want) {
				t.Fatalf("instances applied %v migrations in all, want %d in total", applied, len(want))
			}
			if n, err := dbs[0].Migrate(context.Background()); err != nil || n != 0 {
				t.Fatalf("Migrate afterwards = %d, %v", n, err)
			}
		})
	}
}
