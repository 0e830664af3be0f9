package sqlstore

import (
	"context"
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
func (db *DB) BulkInsert(ctx context.Context, table string, columns []string, next func() ([]any, bool)) (int, error) {
	if !bulkTables[table] {
		return 0, fmt.Errorf("bulk insert into %q is not allowed", table)
	}
	perStmt := max(1, 8000/len(columns)) // well under both engines' parameter limits
	const perTx = 20000
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	total := 0
	done := false
	for !done {
		err := db.inTx(ctx, func(tx *Tx) error {
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
