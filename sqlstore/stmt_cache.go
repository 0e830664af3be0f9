package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"
)

// maxCachedStmts bounds the cache: the store's queries are a few hundred
// fixed texts, and those built with a list of placeholders vary with its
// length, so a bound keeps a stream of odd lengths from growing it. A full
// cache makes room by dropping a statement, so a query first run late in
// a server's life is still kept.
const maxCachedStmts = 512

// maxCachedParams leaves long lists of IDs (a page's worth and more)
// unprepared: each length is its own text, rarely run twice.
const maxCachedParams = 64

// stmtCache keeps a prepared statement per read query text. The SQLite
// driver parses and plans every query it is given, which on the portal's
// pages cost about a sixth of their CPU; a prepared statement is planned
// once per connection. (PostgreSQL's driver caches its own.) The schema
// changing under a statement is SQLite's to notice: it prepares the
// statement again.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// get returns the query's statement, preparing it the first time; nil when
// there is no cache, it is full, or the query doesn't prepare (the caller
// then runs the text, and reports its error).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok || strings.Count(query, "?") > maxCachedParams {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had, ok := c.m[query]; ok { // prepared meanwhile by another request
		st.Close()
		return had
	}
	for q, old := range c.m { // any one: map order is random
		if len(c.m) < maxCachedStmts {
			break
		}
		// Closed a while later, not now: a request may have just taken it
		// from the cache and not yet run it (one already running is fine).
		time.AfterFunc(time.Minute, func() { old.Close() })
		delete(c.m, q)
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
