package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationsFS embed.FS

// migration is one numbered SQL file of a dialect's folder.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns a dialect's migrations in order. Files are named
// NNNN_what.sql; both folders must hold the same numbers (a test checks).
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		b, err := fs.ReadFile(migrationsFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies the migrations the database doesn't have yet, all in one
// transaction, and returns how many it applied. On PostgreSQL an advisory
// lock makes instances starting together take turns; on SQLite the
// immediate transaction does the same.
func (db *DB) Migrate(ctx context.Context) (int, error) { return db.migrate(ctx, 0) }

// migrate applies the missing migrations numbered up to last (0: all of
// them). Tests stop short of a migration to load data as it was before it.
func (db *DB) migrate(ctx context.Context, last int) (int, error) {
	ms, err := migrations(db.dialect.name())
	if err != nil {
		return 0, err
	}
	applied := 0
	err = db.inTx(ctx, func(tx *Tx) error {
		if lock := db.dialect.lockMigrations(); lock != "" {
			if _, err := tx.exec(ctx, lock); err != nil {
				return fmt.Errorf("lock migrations: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		have := map[int]bool{}
		rows, err := tx.query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			have[v] = true
		}
		rows.Close()
		for _, m := range ms {
			if have[m.version] || last > 0 && m.version > last {
				continue
			}
			if _, err := tx.exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, tx.now.Format("2006-01-02T15:04:05Z")); err != nil {
				return err
			}
			applied++
		}
		return nil
	})
	if err != nil {
		return applied, err
	}
	return applied, db.keepPlansStable(ctx)
}
