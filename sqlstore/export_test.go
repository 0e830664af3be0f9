package sqlstore

import (
	"context"
	"database/sql"
)

// Test-only access to internals, for the external tests in package
// sqlstore_test: the raw connection pool (to look at what is stored, e.g.
// that tokens are hashed) and the dialect's placeholder rebinding.

// SQLDB returns the store's connection pool.
func SQLDB(db *DB) *sql.DB { return db.sql }

// Rebind turns ? placeholders into the engine's own.
func Rebind(db *DB, query string) string { return db.dialect.rebind(query) }

// MigrationVersions returns the version numbers of a dialect's migrations, in order.
func MigrationVersions(dialect string) ([]int, error) {
	ms, err := migrations(dialect)
	if err != nil {
		return nil, err
	}
	vs := make([]int, len(ms))
	for i, m := range ms {
		vs[i] = m.version
	}
	return vs, nil
}

// MigrateTo applies the missing migrations numbered up to last, so a test
// can store data as it was before a later migration and then Migrate.
func MigrateTo(ctx context.Context, db *DB, last int) (int, error) { return db.migrate(ctx, last) }

// HashToken is the stored form of a token.
func HashToken(token string) string { return hashToken(token) }

// SetReportBatch sets how many contacts the weekly reports' pass lists at
// a time, and returns a func that puts it back.
func SetReportBatch(n int) func() {
	old := reportBatch
	reportBatch = n
	return func() { reportBatch = old }
}

// SetQueryHook makes the store call hook with every query and queryRow's
// rebound SQL and arguments (nil to stop). Set it while nothing else uses
// the store.
func SetQueryHook(db *DB, hook func(query string, args []any)) { db.queryHook = hook }

// CandidateMatch returns the engine's full-text query argument for a
// search (on PostgreSQL, each word as the whole words it starts).
func CandidateMatch(ctx context.Context, db *DB, q string) (string, error) {
	_, arg, err := db.dialect.candidateMatch(ctx, db.read(), searchWords(q))
	return arg, err
}
