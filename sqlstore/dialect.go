package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the seam where SQLite and PostgreSQL really differ. Everything
// else is written once, in the SQL both engines share, with ? placeholders.
type dialect interface {
	name() string
	// rebind turns ? placeholders into the engine's own.
	rebind(query string) string
	// isUnique reports whether err is a unique-constraint violation.
	isUnique(err error) bool
	// skipLocked is appended to a SELECT that claims rows, so that workers
	// on several instances never claim the same row.
	skipLocked() string
	// lockMigrations is run first in the migration transaction.
	lockMigrations() string
	// resetIdentity returns a statement that makes a table's next ID follow
	// its largest, after rows were inserted with explicit IDs ("" if the
	// engine does so by itself).
	resetIdentity(table string) string
	// lockUsers is run first in a transaction that changes a user's role
	// or active flag, so that two such changes (two admins demoting each
	// other) take turns and can't both pass the last-admin check.
	lockUsers() string
	// candidateMatch returns a query selecting, as "id", the candidates
	// having each of the words as the start of a word of their name,
	// skills, current title or city, through the engine's own text index,
	// and its one argument. The words hold only letters and digits. It may
	// read what it needs to write the query through c.
	candidateMatch(ctx context.Context, c conn, words []string) (query string, arg string, err error)
	// containsFold returns a condition that the column contains a LIKE
	// pattern (with \ as its escape), ignoring case. SQLite's LIKE already
	// ignores ASCII case (and its LOWER knows no more than ASCII), so
	// wrapping both sides in LOWER would only cost a call per row.
	containsFold(column string) string
	// bulkCache returns a statement giving a bulk load's connection a
	// page cache large enough for its indexes, or "".
	bulkCache() string
	// secondaryIndexes lists a table's indexes that back no key or
	// constraint, as name and definition; its one argument is the table.
	secondaryIndexes() string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string                { return "sqlite" }
func (sqliteDialect) rebind(q string) string      { return q }
func (sqliteDialect) skipLocked() string          { return "" } // writers are serialised by _txlock=immediate
func (sqliteDialect) lockMigrations() string      { return "" }
func (sqliteDialect) resetIdentity(string) string { return "" }
func (sqliteDialect) lockUsers() string           { return "" } // writers are serialised by _txlock=immediate
func (sqliteDialect) isUnique(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func (sqliteDialect) containsFold(column string) string { return column + ` LIKE ? ESCAPE '\'` }

// FTS5: each word a quoted prefix term; terms side by side must all match.
func (sqliteDialect) candidateMatch(_ context.Context, _ conn, words []string) (string, string, error) {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"*`
	}
	return `SELECT rowid AS id FROM candidates_fts WHERE candidates_fts MATCH ?`, strings.Join(terms, " "), nil
}

// SQLite's default page cache is 2 MB: a bulk load's index entries land
// all over indexes far larger than that, and each insert read pages from
// disk again. 512 MB for the loading connection (the server never bulk
// loads, and the cache is only used as it fills).
func (sqliteDialect) bulkCache() string { return "PRAGMA cache_size = -524288" }

// Indexes SQLite made for a key or UNIQUE constraint have no SQL.
func (sqliteDialect) secondaryIndexes() string {
	return `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`
}

type postgresDialect struct{}

func (postgresDialect) bulkCache() string { return "" }

// The table is found through the search path, as every other statement
// finds it.
func (postgresDialect) secondaryIndexes() string {
	return `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indrelid = CAST(? AS regclass) AND NOT x.indisprimary
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
		ORDER BY i.relname`
}

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) containsFold(column string) string { return column + ` ILIKE ? ESCAPE '\'` }

func (postgresDialect) rebind(q string) string {
	n := strings.Count(q, "?")
	if n == 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + n*2)
	i := 0
	for _, r := range q {
		if r == '?' {
			i++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (postgresDialect) resetIdentity(table string) string {
	return "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)"
}

// A fixed key: any number, the same on every instance.
func (postgresDialect) lockMigrations() string { return "SELECT pg_advisory_xact_lock(7261001)" }

// Under READ COMMITTED, counting the admins doesn't stop another
// transaction from changing one at the same time; this lock does.
func (postgresDialect) lockUsers() string { return "SELECT pg_advisory_xact_lock(7261002)" }

func (postgresDialect) isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}
