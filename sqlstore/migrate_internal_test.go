package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigrationParity checks that both dialects have a migration for every
// version number, so a change written for one engine is not forgotten on
// the other.
func TestMigrationParity(t *testing.T) {
	lite, err := migrations("sqlite")
	if err != nil {
		t.Fatalf("read sqlite migrations: %v", err)
	}
	pg, err := migrations("postgres")
	if err != nil {
		t.Fatalf("read postgres migrations: %v", err)
	}
	if len(lite) == 0 || len(pg) == 0 {
		t.Fatalf("no migrations found: sqlite %d, postgres %d", len(lite), len(pg))
	}
	index := func(dialect string, ms []migration) map[int]migration {
		t.Helper()
		byVersion := map[int]migration{}
		for _, m := range ms {
			if prev, dup := byVersion[m.version]; dup {
				t.Errorf("migrations/%s: %s and %s share the number %04d", dialect, prev.name, m.name, m.version)
			}
			if m.version <= 0 {
				t.Errorf("migrations/%s/%s: number must be positive", dialect, m.name)
			}
			byVersion[m.version] = m
		}
		return byVersion
	}
	liteByV, pgByV := index("sqlite", lite), index("postgres", pg)
	for v, m := range liteByV {
		if _, ok := pgByV[v]; !ok {
			t.Errorf("migrations/postgres has no %04d_*.sql to match migrations/sqlite/%s", v, m.name)
		}
	}
	for v, m := range pgByV {
		if _, ok := liteByV[v]; !ok {
			t.Errorf("migrations/sqlite has no %04d_*.sql to match migrations/postgres/%s", v, m.name)
		}
	}
	for i, m := range lite {
		if i > 0 && lite[i-1].version >= m.version {
			t.Errorf("sqlite migrations out of order at %s", m.name)
		}
		if m.sql == "" {
			t.Errorf("migrations/sqlite/%s is empty", m.name)
		}
	}
	for _, m := range pg {
		if m.sql == "" {
			t.Errorf("migrations/postgres/%s is empty", m.name)
		}
	}
}

// TestMigrateAppliesEveryMigrationOnce runs on a fresh SQLite file (the
// PostgreSQL side is covered by the external tests, which have the test kit).
func TestMigrateAppliesEveryMigrationOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "sub", "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("first Migrate: %v", err)
	}
	if n != len(ms) {
		t.Fatalf("first Migrate applied %d, want %d", n, len(ms))
	}
	n, err = db.Migrate(ctx)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if n != 0 {
		t.Fatalf("second Migrate applied %d, want 0", n)
	}
	var rows int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(ms) {
		t.Fatalf("schema_migrations has %d rows, want %d", rows, len(ms))
	}
}
