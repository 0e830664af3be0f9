// Package sqlstore implements Portico's services on SQLite and PostgreSQL
// with hand-written, portable SQL. Every change runs in one transaction that
// also writes its Event and any outgoing messages.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"portico"
)

// DB is an open Portico database.
type DB struct {
	sql     *sql.DB
	dialect dialect

	// Now is the clock; tests set it.
	Now func() time.Time

	// Mail composes the emails that changes queue.
	Mail portico.Composer

	mu        sync.Mutex
	onEnqueue []func() // told after a commit that queued messages

	// queryHook, when set (by tests, before use), sees every query and
	// queryRow with its rebound SQL and arguments.
	queryHook func(query string, args []any)

	// stmts keeps SQLite's prepared read statements (nil on PostgreSQL,
	// whose driver keeps its own).
	stmts *stmtCache
}

// Open connects to a database URL: postgres:// or postgresql:// for
// PostgreSQL; sqlite:PATH, file:PATH or a plain path for SQLite (its folder
// is created). It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	var (
		db *sql.DB
		d  dialect
	)
	switch {
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		var err error
		if db, err = sql.Open("pgx", dbURL); err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		d = postgresDialect{}
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite://"), "sqlite:"), "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if path == "" {
			return nil, errors.New("database URL names no file")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
		// busy_timeout must come before WAL; _txlock=immediate makes a
		// transaction take the write lock at BEGIN, so two read-then-write
		// transactions wait for each other instead of failing with
		// "database is locked".
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		q.Set("_time_format", "sqlite")
		var err error
		if db, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode()); err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		d = sqliteDialect{}
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.name(), err)
	}
	out := &DB{sql: db, dialect: d, Now: time.Now}
	if d.name() == "sqlite" {
		out.stmts = newStmtCache(db)
	}
	return out, nil
}

// Close closes the connections.
func (db *DB) Close() error {
	db.stmts.close()
	return db.sql.Close()
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name() }

// Ping checks that the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// OnEnqueue registers f to be called after any transaction that queued an
// outgoing message commits, so the delivery worker wakes at once.
func (db *DB) OnEnqueue(f func()) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.onEnqueue = append(db.onEnqueue, f)
}

// Services returns the store as the domain's service interfaces.
func (db *DB) Services() portico.Services {
	return portico.Services{
		Agency:       (*AgencyService)(db),
		Users:        (*UserService)(db),
		Auth:         (*AuthService)(db),
		Events:       (*EventService)(db),
		Outbox:       (*OutboxService)(db),
		Clients:      db.clientService(),
		Jobs:         db.jobService(),
		Candidates:   db.candidateService(),
		Stages:       db.stageService(),
		Applications: db.applicationService(),
		Alerts:       db.alertService(),
		Tasks:        db.taskService(),

		Sharing:        db.sharingService(),
		PortalAccounts: db.portalAccountService(),
		PortalAuth:     db.portalAuthService(),
		Portal:         db.portalService(),
		PortalActions:  db.portalActionService(),
		PortalSettings: db.portalSettingsService(),
		Links:          db.linkService(),
		WeeklyReports:  db.weeklyReportService(),
	}
}

// now returns the clock's time in the form every timestamp is stored in:
// UTC, to the microsecond (PostgreSQL's precision), so values compare the
// same on both engines.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs portable SQL on a database or in a transaction.
type conn struct {
	q     querier
	d     dialect
	hook  func(query string, args []any) // DB.queryHook
	stmts *stmtCache                     // reads outside a transaction on SQLite
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.rebind(query), args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = c.d.rebind(query)
	if c.hook != nil {
		c.hook(query, args)
	}
	if st := c.stmts.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, query, args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = c.d.rebind(query)
	if c.hook != nil {
		c.hook(query, args)
	}
	if st := c.stmts.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, query, args...)
}

// ids runs a query of one integer column and returns its values, nil for
// none.
func (c conn) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// insert runs an INSERT … RETURNING id and returns the id.
func (c conn) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := c.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// read returns a conn for queries outside a transaction.
func (db *DB) read() conn {
	return conn{q: db.sql, d: db.dialect, hook: db.queryHook, stmts: db.stmts}
}

// Tx is one unit of work: a change, its event and its outgoing messages.
type Tx struct {
	conn
	ctx      context.Context
	db       *DB
	now      time.Time
	actor    portico.Actor
	enqueued bool
}

// inTx runs fn in a transaction and commits when it returns nil. Domain
// errors pass through; anything else is wrapped as internal.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{conn: conn{q: stx, d: db.dialect, hook: db.queryHook}, ctx: ctx, db: db, now: db.now(), actor: portico.ActorFromContext(ctx)}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tx.enqueued {
		db.mu.Lock()
		fs := db.onEnqueue
		db.mu.Unlock()
		for _, f := range fs {
			f()
		}
	}
	return nil
}

// nullTime turns an optional time into something every driver binds.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// timePtr returns the scanned time, nil when NULL.
func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// page clamps pagination to sane bounds.
func page(offset, limit int) (int, int) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return max(offset, 0), limit
}
