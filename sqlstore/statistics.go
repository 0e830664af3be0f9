package sqlstore

import (
	"context"
	"fmt"
)

// keepPlansStable removes SQLite's sampled statistics (sqlite_stat4, which
// ANALYZE writes beside the per-index sqlite_stat1). With samples, SQLite
// plans a statement again whenever a value bound to it changes, so every
// request paid to parse and plan its queries although they are prepared
// once (stmtCache). The per-index statistics are enough for the store's
// queries: sqlstore/plan_test.go holds every list to its indexes on a
// database analysed this way.
func (db *DB) keepPlansStable(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	var n int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	var samples int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM sqlite_stat4`).Scan(&samples); err != nil || samples == 0 {
		return err
	}
	// Reading sqlite_schema's statistics again makes connections drop the
	// samples they loaded.
	for _, q := range []string{`DELETE FROM sqlite_stat4`, `ANALYZE sqlite_schema`} {
		if _, err := db.read().exec(ctx, q); err != nil {
			return fmt.Errorf("statistics: %w", err)
		}
	}
	return nil
}
