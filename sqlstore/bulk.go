package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// bulkTables are the tables BulkInsert may write, so a table name never
// comes from anywhere else.
var bulkTables = map[string]bool{
	"clients": true, "contacts": true, "locations": true, "jobs": true, "candidates": true,
	"applications": true, "events": true, "notes": true, "tasks": true, "alerts": true, "documents": true,
}

// BulkInsert writes many rows into a table in large multi-row INSERTs, a
// transaction per batch, bypassing the services. It is for the demo
// generator's large size, where going through the services would take
// hours; rows carry explicit IDs. next returns the next row, or false when
// there are no more. Call FinishBulk afterwards.
//
// The table's secondary indexes are dropped for the load and built again
// after it: building an index from all its rows at once is several times
// faster than adding millions of entries one by one all over it.
func (db *DB) BulkInsert(ctx context.Context, table string, columns []string, next func() ([]any, bool)) (n int, err error) {
	if !bulkTables[table] {
		return 0, fmt.Errorf("bulk insert into %q is not allowed", table)
	}
	indexes, err := db.dropIndexes(ctx, table)
	if err != nil {
		return 0, err
	}
	defer func() {
		if ierr := db.buildIndexes(ctx, indexes); err == nil {
			err = ierr
		}
	}()
	return db.bulkInsert(ctx, table, columns, next)
}

func (db *DB) bulkInsert(ctx context.Context, table string, columns []string, next func() ([]any, bool)) (int, error) {
	perStmt := max(1, 8000/len(columns)) // well under both engines' parameter limits
	const perTx = 20000
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	one := "(" + placeholders(len(columns)) + ")"
	total := 0
	done := false
	for !done {
		err := db.inTx(ctx, func(tx *Tx) error {
			if q := db.dialect.bulkCache(); q != "" {
				if _, err := tx.exec(ctx, q); err != nil {
					return err
				}
			}
			for n := 0; n < perTx && !done; {
				args := make([]any, 0, perStmt*len(columns))
				rows := 0
				for rows < perStmt {
					row, ok := next()
					if !ok {
						done = true
						break
					}
					if len(row) != len(columns) {
						return fmt.Errorf("bulk insert into %s: row has %d values for %d columns", table, len(row), len(columns))
					}
					args = append(args, row...)
					rows++
				}
				if rows == 0 {
					break
				}
				q := head + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
				if _, err := tx.exec(ctx, q, args...); err != nil {
					return fmt.Errorf("bulk insert into %s: %w", table, err)
				}
				n += rows
				total += rows
			}
			return nil
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// dropIndexes drops a table's secondary indexes (not those of its primary
// key and constraints) and returns their definitions.
func (db *DB) dropIndexes(ctx context.Context, table string) ([]string, error) {
	rows, err := db.read().query(ctx, db.dialect.secondaryIndexes(), table)
	if err != nil {
		return nil, fmt.Errorf("list %s indexes: %w", table, err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, name := range names {
		if _, err := db.read().exec(ctx, `DROP INDEX `+name); err != nil {
			return nil, errors.Join(fmt.Errorf("drop index %s: %w", name, err), db.buildIndexes(ctx, defs[:i]))
		}
	}
	return defs, nil
}

// buildIndexes runs index definitions, on one connection with a cache
// large enough to sort them.
func (db *DB) buildIndexes(ctx context.Context, defs []string) error {
	if len(defs) == 0 {
		return nil
	}
	c, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if q := db.dialect.bulkCache(); q != "" {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for _, def := range defs {
		if _, err := c.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("build index: %s: %w", def, err)
		}
	}
	return nil
}

// FinishBulk makes the database ready after bulk inserts: identity
// counters continue after the inserted IDs, and the planner's statistics
// are fresh.
func (db *DB) FinishBulk(ctx context.Context) error {
	for t := range bulkTables {
		if q := db.dialect.resetIdentity(t); q != "" {
			if _, err := db.read().exec(ctx, q); err != nil {
				return fmt.Errorf("reset %s identity: %w", t, err)
			}
		}
	}
	if _, err := db.read().exec(ctx, "ANALYZE"); err != nil {
		return err
	}
	return db.keepPlansStable(ctx)
}
