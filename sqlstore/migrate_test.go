package sqlstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestMigrateTwice(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		// OpenStore has migrated; a second run finds nothing to do.
		n, err := db.Migrate(context.Background())
		ok(t, err)
		if n != 0 {
			t.Fatalf("second Migrate applied %d migrations, want 0", n)
		}
		want, err := sqlstore.MigrationVersions(db.Engine())
		ok(t, err)
		if got := count(t, db, `SELECT COUNT(*) FROM schema_migrations`); got != len(want) {
			t.Fatalf("schema_migrations has %d rows, want %d", got, len(want))
		}
		for _, v := range want {
			if count(t, db, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v) != 1 {
				t.Errorf("version %d not recorded", v)
			}
		}
	})
}

// TestMigrateConcurrently starts several instances on one fresh database at
// once, as a rolling deploy does: every migration is applied exactly once
// and none of them fails.
func TestMigrateConcurrently(t *testing.T) {
	for _, b := range testkit.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL
			if b.Name == "postgres" {
				url = testkit.NewPostgresDatabase(t)
			} else {
				url = filepath.Join(t.TempDir(), "fresh.db")
			}
			want, err := sqlstore.MigrationVersions(b.Name)
			ok(t, err)
			const instances = 4
			dbs := make([]*sqlstore.DB, instances)
			for i := range dbs {
				dbs[i], err = sqlstore.Open(context.Background(), url)
				ok(t, err)
				defer dbs[i].Close()
			}
			applied := make([]int, instances)
			errs := make([]error, instances)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, db := range dbs {
				wg.Go(func() {
					<-start
					applied[i], errs[i] = db.Migrate(context.Background())
				})
			}
			close(start)
			wg.Wait()
			total := 0
			for i := range dbs {
				if errs[i] != nil {
					t.Errorf("instance %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			if total != len(want) {
				t.Fatalf("instances applied %v migrations in all, want %d in total", applied, len(want))
			}
			if n, err := dbs[0].Migrate(context.Background()); err != nil || n != 0 {
				t.Fatalf("Migrate afterwards = %d, %v", n, err)
			}
		})
	}
}

// TestMigrationImageKeys stores logos and settings as they were before
// images had keys (migration 15), then migrates: every image gets its own
// key of the promised shape, stays whole and is found by it, and settings
// naming an image carry its key, so the portal shows it at once.
func TestMigrationImageKeys(t *testing.T) {
	const before = 14 // the last migration without image keys
	for _, b := range testkit.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL
			if b.Name == "postgres" {
				url = testkit.NewPostgresDatabase(t)
			}
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, url)
			ok(t, err)
			defer db.Close()
			_, err = sqlstore.MigrateTo(ctx, db, before)
			ok(t, err)
			raw := sqlstore.SQLDB(db)
			exec := func(query string, args ...any) error {
				_, err := raw.ExecContext(ctx, sqlstore.Rebind(db, query), args...)
				return err
			}

			at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
			logo, header := testkit.PNG(120, 40), testkit.JPEG(600, 80)
			ok(t, exec(`INSERT INTO portal_images (id, client_id, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				1, 0, "image/png", len(logo), logo, at))
			ok(t, exec(`INSERT INTO portal_images (id, client_id, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				2, 7, "image/jpeg", len(header), header, at))
			for _, row := range []struct {
				client int64
				doc    string
			}{
				{0, `{"brand":"logo","image_id":1,"welcome":"Welcome to Harbour","accent":"#112233"}`},
				{7, `{"brand":"header","image_id":2,"welcome":"Hello Northwind"}`},
				{8, `{"brand":"","image_id":0,"welcome":"No image here"}`},
			} {
				ok(t, exec(`INSERT INTO portal_settings (client_id, custom, settings, updated_at) VALUES (?, ?, ?, ?)`, row.client, true, row.doc, at))
			}
			if db.Engine() == "postgres" {
				// The rows above name their IDs: the unnamed one below must
				// fail for want of a key, not for taking ID 1.
				ok(t, exec(`SELECT setval(pg_get_serial_sequence('portal_images', 'id'), 2)`))
			}

			n, err := db.Migrate(ctx)
			ok(t, err)
			if n == 0 {
				t.Fatal("Migrate applied nothing after migration 14")
			}

			keys := map[int64]string{}
			rows, err := raw.QueryContext(ctx, `SELECT id, address_key FROM portal_images ORDER BY id`)
			ok(t, err)
			for rows.Next() {
				var id int64
				var key string
				ok(t, rows.Scan(&id, &key))
				keys[id] = key
			}
			ok(t, rows.Err())
			rows.Close()
			if len(keys) != 2 || keys[1] == keys[2] {
				t.Fatalf("keys after the migration: %v", keys)
			}
			for id, key := range keys {
				if !imageKey.MatchString(key) || !portico.ValidPortalImageKey(key) {
					t.Errorf("image %d's key %q isn't %d lowercase hex digits", id, key, portico.PortalImageKeyLen)
				}
			}

			svc := db.Services().PortalSettings
			visitor := fromIP("198.51.100.7")
			for id, want := range map[int64][]byte{1: logo, 2: header} {
				img, content, err := svc.ImageByKey(visitor, keys[id])
				ok(t, err)
				if img.ID != id || !bytes.Equal(content, want) || !img.CreatedAt.Equal(at) {
					t.Errorf("image %d read back as %+v, %d bytes", id, img, len(content))
				}
			}

			// The settings carry their image's key beside its ID; the rest
			// of each document is as it was.
			for client, want := range map[int64]struct {
				imageID float64
				key     any
				welcome string
			}{0: {1, keys[1], "Welcome to Harbour"}, 7: {2, keys[2], "Hello Northwind"}, 8: {0, nil, "No image here"}} {
				doc := column(t, db, `SELECT settings FROM portal_settings WHERE client_id = ?`, client)
				var d map[string]any
				if len(doc) != 1 || json.Unmarshal([]byte(doc[0]), &d) != nil {
					t.Fatalf("client %d's settings %q", client, doc)
				}
				if d["image_id"] != want.imageID || d["image_key"] != want.key || d["welcome"] != want.welcome {
					t.Errorf("client %d's settings after the migration: %v", client, d)
				}
			}
			// The agency's sign-in page shows its logo at the key address.
			brand, err := svc.Branding(visitor, 0)
			ok(t, err)
			if brand.Brand != portico.BrandLogo || brand.ImageKey != keys[1] || brand.Welcome != "Welcome to Harbour" {
				t.Errorf("the agency's branding after the migration: %+v", brand)
			}

			// New rows must have a key of their own, and a key names one image.
			err = exec(`INSERT INTO portal_images (client_id, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?)`,
				0, "image/png", len(logo), logo, at)
			if err == nil {
				t.Error("an image without a key was stored")
			}
			err = exec(`INSERT INTO portal_images (address_key, client_id, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				keys[1], 0, "image/png", len(logo), logo, at)
			if err == nil {
				t.Error("two images were stored with the same key")
			}
			err = exec(`INSERT INTO portal_images (address_key, client_id, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				strings.Repeat("c", portico.PortalImageKeyLen), 0, "image/png", len(logo), logo, at)
			ok(t, err)
		})
	}
}
