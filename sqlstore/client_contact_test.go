package sqlstore_test

import (
	"fmt"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestClientContacts(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ctx := admin(adm)
		svc := db.Services().Clients
		acme := testkit.AddClient(t, db, "Acme")
		other := testkit.AddClient(t, db, "Other")

		k, err := svc.CreateContact(ctx, acme.ID, portico.ContactInput{Name: " Hal Hiring ", Title: "Ward Manager", Email: " Hal@Acme.Test ", Phone: "07700 900000"})
		ok(t, err)
		if k.Name != "Hal Hiring" || k.Email != "hal@acme.test" || k.ClientID != acme.ID || k.ClientName != "Acme" ||
			k.PortalStatus != portico.PortalNotRegistered || !k.CreatedAt.Equal(clock.Now()) {
			t.Fatalf("created %+v", k)
		}
		got, err := svc.FindContactByID(ctx, k.ID)
		ok(t, err)
		if *got != *k {
			t.Fatalf("FindContactByID = %+v, want %+v", got, k)
		}
		evs := events(t, db, "contact.created")
		if len(evs) != 1 || evs[0].SubjectType != "contact" || evs[0].SubjectID != k.ID || evs[0].ClientID != acme.ID || evs[0].Details["name"] != "Hal Hiring" {
			t.Fatalf("contact.created events = %+v", evs)
		}

		// The email is a portal sign-in: one contact per address, at any client.
		_, err = svc.CreateContact(ctx, other.ID, portico.ContactInput{Name: "Someone", Email: "HAL@acme.test"})
		wantField(t, err, portico.ECONFLICT, "email")
		// Without emails, any number.
		_, err = svc.CreateContact(ctx, acme.ID, portico.ContactInput{Name: "Bea"})
		ok(t, err)
		_, err = svc.CreateContact(ctx, acme.ID, portico.ContactInput{Name: "Cal"})
		ok(t, err)
		_, err = svc.CreateContact(ctx, acme.ID, portico.ContactInput{Name: "", Email: "not an email"})
		wantField(t, err, portico.EINVALID, "name")
		wantField(t, err, portico.EINVALID, "email")
		_, err = svc.CreateContact(ctx, 987654, portico.ContactInput{Name: "Nobody"})
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.CreateContact(asContact(), acme.ID, portico.ContactInput{Name: "Eve"})
		wantRefused(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM contacts`); n != 3 {
			t.Fatalf("%d contacts stored, want 3", n)
		}
		if n := len(events(t, db, "contact.created")); n != 3 {
			t.Fatalf("%d contact.created events, want 3", n)
		}

		// Update.
		bea, err := svc.CreateContact(ctx, other.ID, portico.ContactInput{Name: "Bea Other", Email: "bea@other.test"})
		ok(t, err)
		_, err = svc.UpdateContact(ctx, bea.ID, portico.ContactInput{Name: "Bea Other", Email: "hal@acme.test"})
		wantField(t, err, portico.ECONFLICT, "email")
		u, err := svc.UpdateContact(ctx, bea.ID, portico.ContactInput{Name: "Bea Other", Title: "Director", Email: "bea@other.test"})
		ok(t, err)
		if u.Title != "Director" || u.Email != "bea@other.test" {
			t.Fatalf("updated %+v", u)
		}
		evs = events(t, db, "contact.updated")
		if len(evs) != 1 || evs[0].ClientID != other.ID || evs[0].SubjectID != bea.ID || evs[0].Details["changed"] != "title" {
			t.Fatalf("contact.updated events = %+v", evs)
		}
		_, err = svc.UpdateContact(ctx, 987654, portico.ContactInput{Name: "Nobody"})
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.FindContactByID(ctx, 987654)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestClientContactList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ctx := admin(adm)
		acme := testkit.AddClient(t, db, "Acme")
		other := testkit.AddClient(t, db, "Other")
		for i := range 7 {
			testkit.AddContact(t, db, acme.ID, fmt.Sprintf("Person %d", 6-i), fmt.Sprintf("p%d@acme.test", i))
		}
		testkit.AddContact(t, db, other.ID, "Elsewhere", "e@other.test")
		ks, total, err := db.Services().Clients.FindContacts(ctx, acme.ID, 5, 5)
		ok(t, err)
		if total != 7 || len(ks) != 2 || ks[0].Name != "Person 5" || ks[1].Name != "Person 6" {
			t.Fatalf("second page: %d of %d, first %+v", len(ks), total, ks[0])
		}
		_, total, err = db.Services().Clients.FindContacts(ctx, 987654, 0, 5)
		ok(t, err)
		if total != 0 {
			t.Fatalf("unknown client has %d contacts", total)
		}
	})
}

func TestClientLocations(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		ctx := admin(adm)
		svc := db.Services().Clients
		acme := testkit.AddClient(t, db, "Acme")
		l, err := svc.CreateLocation(ctx, acme.ID, portico.LocationInput{Name: " Head office ", Address: "1 Quay St\nBristol", TimeZone: "Europe/London"})
		ok(t, err)
		if l.Name != "Head office" || l.ClientID != acme.ID || l.Address != "1 Quay St\nBristol" || l.TimeZone != "Europe/London" {
			t.Fatalf("created %+v", l)
		}
		testkit.AddLocation(t, db, acme.ID, "Bath clinic")
		_, err = svc.CreateLocation(ctx, acme.ID, portico.LocationInput{Name: "Moon base", TimeZone: "Moon/Crater"})
		wantField(t, err, portico.EINVALID, "time_zone")
		_, err = svc.CreateLocation(ctx, acme.ID, portico.LocationInput{TimeZone: "Europe/London"})
		wantField(t, err, portico.EINVALID, "name")
		_, err = svc.CreateLocation(ctx, 987654, portico.LocationInput{Name: "Nowhere", TimeZone: "UTC"})
		wantCode(t, err, portico.ENOTFOUND)

		ls, err := svc.FindLocations(ctx, acme.ID)
		ok(t, err)
		if len(ls) != 2 || ls[0].Name != "Bath clinic" || ls[1].ID != l.ID {
			t.Fatalf("FindLocations = %+v", ls)
		}
		evs := events(t, db, "location.created")
		if len(evs) != 2 || evs[1].SubjectType != "location" || evs[1].SubjectID != l.ID || evs[1].ClientID != acme.ID {
			t.Fatalf("location.created events = %+v", evs)
		}

		u, err := svc.UpdateLocation(ctx, l.ID, portico.LocationInput{Name: "Head office", Address: "2 Quay St", TimeZone: "America/New_York"})
		ok(t, err)
		if u.Address != "2 Quay St" || u.TimeZone != "America/New_York" {
			t.Fatalf("updated %+v", u)
		}
		evs = events(t, db, "location.updated")
		if len(evs) != 1 || evs[0].ClientID != acme.ID || evs[0].Details["changed"] != "address, time zone" {
			t.Fatalf("location.updated events = %+v", evs)
		}
		_, err = svc.UpdateLocation(ctx, l.ID, portico.LocationInput{Name: "Head office", TimeZone: ""})
		wantField(t, err, portico.EINVALID, "time_zone")
		_, err = svc.UpdateLocation(ctx, 987654, portico.LocationInput{Name: "X", TimeZone: "UTC"})
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.FindLocationByID(ctx, 987654)
		wantCode(t, err, portico.ENOTFOUND)
		got, err := svc.FindLocationByID(ctx, l.ID)
		ok(t, err)
		if *got != *u {
			t.Fatalf("FindLocationByID = %+v, want %+v", got, u)
		}
	})
}
