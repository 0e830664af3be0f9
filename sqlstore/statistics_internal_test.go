package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTestSQLite(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// After a bulk load the planner has per-index statistics and no samples,
// and a database analysed before (by an older Portico or by hand) loses
// its samples when it is opened and migrated.
func TestStatisticsWithoutSamples(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	if _, err := db.BulkInsert(ctx, "candidates", []string{"id", "first_name", "last_name", "city", "created_at", "updated_at"}, func() ([]any, bool) {
		i++
		return []any{int64(i), "Pat", fmt.Sprint("Number", i), []string{"Leeds", "York", "Hull"}[i%3], now, now}, i <= 300
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishBulk(ctx); err != nil {
		t.Fatal(err)
	}
	count := func(table string) int {
		var n int
		if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count("sqlite_stat1") == 0 || count("sqlite_stat4") != 0 {
		t.Fatalf("after a bulk load: %d per-index rows, %d samples", count("sqlite_stat1"), count("sqlite_stat4"))
	}

	if _, err := db.read().exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	if count("sqlite_stat4") == 0 {
		t.Fatal("ANALYZE wrote no samples: this SQLite has no STAT4, and the test proves nothing")
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if count("sqlite_stat1") == 0 || count("sqlite_stat4") != 0 {
		t.Fatalf("after opening an analysed database: %d per-index rows, %d samples", count("sqlite_stat1"), count("sqlite_stat4"))
	}
}

// The statement cache answers like the plain query, stops growing at its
// bound, and survives the schema changing under a statement.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	if db.stmts == nil {
		t.Fatal("no statement cache on SQLite")
	}
	for n := range maxCachedStmts + 40 {
		var got int
		if err := db.read().queryRow(ctx, fmt.Sprintf(`SELECT ? + %d`, n), 1).Scan(&got); err != nil || got != n+1 {
			t.Fatalf("query %d: %d, %v", n, got, err)
		}
	}
	if len(db.stmts.m) != maxCachedStmts {
		t.Fatalf("cache holds %d statements, want %d", len(db.stmts.m), maxCachedStmts)
	}
	// A full cache still takes a new query, making room for it.
	if _, ok := db.stmts.m[fmt.Sprintf(`SELECT ? + %d`, maxCachedStmts+39)]; !ok {
		t.Fatal("the newest query wasn't kept by a full cache")
	}
	// A long list of IDs isn't kept: each length is a text of its own.
	long := `SELECT COUNT(*) FROM clients WHERE id IN (?` + strings.Repeat(`, ?`, maxCachedParams) + `)`
	args := make([]any, maxCachedParams+1)
	for i := range args {
		args[i] = i
	}
	if err := db.read().queryRow(ctx, long, args...).Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	if _, ok := db.stmts.m[long]; ok {
		t.Fatal("a long list of IDs was kept")
	}
	db.stmts.close()
	db.stmts = newStmtCache(db.sql)

	q := `SELECT COUNT(*) FROM clients WHERE name = ?`
	var n int
	if err := db.read().queryRow(ctx, q, "Acme").Scan(&n); err != nil || n != 0 {
		t.Fatalf("before: %d, %v", n, err)
	}
	if _, err := db.read().exec(ctx, `CREATE INDEX clients_name_test ON clients (name)`); err != nil {
		t.Fatal(err)
	}
	if err := db.read().queryRow(ctx, q, "Acme").Scan(&n); err != nil || n != 0 {
		t.Fatalf("after a schema change: %d, %v", n, err)
	}
	if len(db.stmts.m) != 1 {
		t.Fatalf("cache holds %d statements, want 1", len(db.stmts.m))
	}
	// A query that doesn't prepare reports its error, and isn't kept.
	if err := db.read().queryRow(ctx, `SELECT nothing FROM nowhere`).Scan(&n); err == nil {
		t.Fatal("a bad query answered")
	}
	if len(db.stmts.m) != 1 {
		t.Fatalf("a bad query was kept: %d", len(db.stmts.m))
	}
}

// A bulk load drops the table's own indexes for the load and builds every
// one of them again; the indexes of keys and constraints stay.
func TestBulkInsertRebuildsIndexes(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	indexes := func() []string {
		rows, err := db.read().query(ctx, `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		return names
	}
	before := indexes()
	if len(before) < 5 {
		t.Fatalf("events has %d indexes: %v", len(before), before)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	if _, err := db.BulkInsert(ctx, "events", []string{"id", "at", "actor_kind", "action", "subject_type", "subject_id", "job_id"}, func() ([]any, bool) {
		i++
		return []any{int64(i), now, "user", "job.created", "job", int64(i), int64(i % 7)}, i <= 1000
	}); err != nil {
		t.Fatal(err)
	}
	if after := indexes(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("indexes after the load: %v, before: %v", after, before)
	}
	var n int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM events INDEXED BY events_job WHERE job_id = 3`).Scan(&n); err != nil || n != 143 {
		t.Fatalf("through the rebuilt index: %d, %v", n, err)
	}
}
