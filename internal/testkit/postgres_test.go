package testkit_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"portico/internal/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func TestNewPostgresDatabase(t *testing.T) {
	t.Parallel()
	dbURL := testkit.NewPostgresDatabase(t)
	ctx := t.Context()

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())

	if _, err := conn.Exec(ctx, `CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL)`); err != nil {
		t.Fatalf("create table: %v", err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO things (id, name) VALUES ($1, $2)`, 1, "grüße"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var name string
	if err := conn.QueryRow(ctx, `SELECT name FROM things WHERE id = $1`, 1).Scan(&name); err != nil {
		t.Fatalf("select: %v", err)
	}
	if name != "grüße" {
		t.Errorf("read back %q, want %q", name, "grüße")
	}
}

func TestNewPostgresDatabaseIsFresh(t *testing.T) {
	t.Parallel()
	ctx := t.Context()

	names := make(map[string]bool)
	for range 2 {
		conn, err := pgx.Connect(ctx, testkit.NewPostgresDatabase(t))
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		defer conn.Close(context.Background())

		var name string
		if err := conn.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatalf("current_database: %v", err)
		}
		if names[name] {
			t.Errorf("two calls returned the same database %s", name)
		}
		names[name] = true

		var tables int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
			t.Fatalf("count tables: %v", err)
		}
		if tables != 0 {
			t.Errorf("database %s has %d tables, want an empty database", name, tables)
		}
		// A table in one database must not show up in the next.
		if _, err := conn.Exec(ctx, `CREATE TABLE leftover (id int)`); err != nil {
			t.Fatalf("create table: %v", err)
		}
	}
}
