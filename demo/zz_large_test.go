package demo

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"portico/sqlstore"
)

// Temporary (portico-bench work): load the large size into LARGE_DB
// (a postgres:// URL or a SQLite path), divided by LARGE_SCALE.
func TestLargeLoad(t *testing.T) {
	url := os.Getenv("LARGE_DB")
	if url == "" {
		t.Skip("LARGE_DB unset")
	}
	if s, _ := strconv.Atoi(os.Getenv("LARGE_SCALE")); s > 1 {
		large.clients /= s
		large.candidates /= s
		large.applications /= s
		large.events /= s
		large.bigJobs /= s
	}
	if url == "sqlite" {
		url = filepath.Join(t.TempDir(), "p.db")
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Load(ctx, db, Options{Size: SizeLarge, Seed: 1}, func(s string) { t.Logf("%6.1fs %s", time.Since(start).Seconds(), s) }); err != nil {
		t.Fatal(err)
	}
	id, err := db.Services().Events.LatestEventID(ctx)
	t.Logf("latest event %d, %v", id, err)
}
