package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"portico"
)

// TestTxAlert checks the rules every feature's alerts follow: nobody hears
// about their own action, deactivated and unknown users hear nothing, and
// an alert is written with the change or not at all.
func TestTxAlert(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	var ada, rita, gone int64
	err = db.inTx(ctx, func(tx *Tx) error {
		for _, u := range []struct {
			id     *int64
			email  string
			active bool
		}{{&ada, "ada@agency.test", true}, {&rita, "rita@agency.test", true}, {&gone, "gone@agency.test", false}} {
			if *u.id, err = tx.insert(ctx, `INSERT INTO users (name, email, role, active, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				u.email, u.email, "recruiter", u.active, "x", now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	asAda := portico.NewContextWithActor(ctx, portico.Actor{Kind: portico.ActorUser, ID: ada, Name: "Ada"})
	write := func(ctx context.Context, users ...int64) error {
		return db.inTx(ctx, func(tx *Tx) error {
			ev, err := tx.event("test.happened", "user", ada, nil)
			if err != nil {
				return err
			}
			for _, u := range users {
				if err := tx.alert(u, ev); err != nil {
					return err
				}
			}
			return nil
		})
	}
	alerted := func() map[int64]int {
		rows, err := db.sql.QueryContext(ctx, `SELECT user_id, COUNT(*) FROM alerts GROUP BY user_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[int64]int{}
		for rows.Next() {
			var u int64
			var n int
			if err := rows.Scan(&u, &n); err != nil {
				t.Fatal(err)
			}
			m[u] = n
		}
		return m
	}
	if err := write(asAda, ada, rita, gone, 0, 987654); err != nil {
		t.Fatal(err)
	}
	if got := alerted(); len(got) != 1 || got[rita] != 1 {
		t.Fatalf("alerts = %v, want only rita's", got)
	}
	// The system acting alerts everyone active, Ada too.
	if err := write(ctx, ada, rita); err != nil {
		t.Fatal(err)
	}
	if got := alerted(); got[ada] != 1 || got[rita] != 2 {
		t.Fatalf("alerts = %v after the system acted", got)
	}
	// A change that fails takes its alerts with it.
	err = db.inTx(ctx, func(tx *Tx) error {
		ev, err := tx.event("test.failed", "user", ada, nil)
		if err != nil {
			return err
		}
		if err := tx.alert(rita, ev); err != nil {
			return err
		}
		return portico.Errorf(portico.ECONFLICT, "no")
	})
	if portico.ErrorCode(err) != portico.ECONFLICT {
		t.Fatal(err)
	}
	if got := alerted(); got[rita] != 2 {
		t.Fatalf("alerts = %v after a failed change", got)
	}
}
