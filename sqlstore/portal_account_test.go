package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestPortalSetAccess(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		accts := db.Services().PortalAccounts
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		j1 := testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Ward Nurse")
		j2 := testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Theatre Nurse")
		theirs := testkit.AddJob(t, db, w.other.ID, w.rec.ID, "Care Assistant")

		// Chosen jobs, given twice and out of order, are kept once each.
		ok(t, accts.SetAccess(admin(w.rec), k.ID, false, []int64{j2.ID, j1.ID, j2.ID}))
		a, err := accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.AllJobs || !slices.Equal(a.JobIDs, []int64{j1.ID, j2.ID}) {
			t.Fatalf("account %+v", a)
		}
		ev := events(t, db, "contact.access_changed")
		if len(ev) != 1 || ev[0].ClientID != w.client.ID || ev[0].SubjectID != k.ID || ev[0].Details["jobs"] != "2" || ev[0].Details["all_jobs"] != "false" {
			t.Fatalf("events %+v", ev)
		}
		// Saving the same again changes nothing and writes no event.
		ok(t, accts.SetAccess(admin(w.rec), k.ID, false, []int64{j1.ID, j2.ID}))
		if n := len(events(t, db, "contact.access_changed")); n != 1 {
			t.Fatalf("%d events after a no-op", n)
		}

		// Another client's job, an unknown one or none at all is refused,
		// and nothing changes.
		for _, ids := range [][]int64{{j1.ID, theirs.ID}, {9999}, {}, nil, {-1}, {0}} {
			wantField(t, accts.SetAccess(admin(w.rec), k.ID, false, ids), portico.EINVALID, "jobs")
		}
		a, err = accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.AllJobs || !slices.Equal(a.JobIDs, []int64{j1.ID, j2.ID}) {
			t.Fatalf("account changed by a refused change: %+v", a)
		}

		// All jobs clears the chosen ones.
		clock.Advance(time.Minute)
		ok(t, accts.SetAccess(admin(w.rec), k.ID, true, []int64{j1.ID}))
		a, err = accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if !a.AllJobs || len(a.JobIDs) != 0 {
			t.Fatalf("account %+v", a)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contact_jobs WHERE contact_id = ?`, k.ID); n != 0 {
			t.Fatalf("%d chosen jobs left", n)
		}
		if ev := events(t, db, "contact.access_changed")[0]; ev.Details["all_jobs"] != "true" {
			t.Fatalf("event %+v", ev)
		}

		wantCode(t, accts.SetAccess(admin(w.rec), 9999, true, nil), portico.ENOTFOUND)
		_, err = accts.FindAccount(admin(w.rec), 9999)
		wantCode(t, err, portico.ENOTFOUND)
		wantRefused(t, accts.SetAccess(testkit.AsContact(k), k.ID, true, nil))
		wantRefused(t, accts.SetAccess(fromIP("203.0.113.9"), k.ID, true, nil))
	})
}

func TestPortalInviteConnectedStaysConnected(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		accts := db.Services().PortalAccounts
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		ok(t, accts.Invite(admin(w.rec), k.ID))
		a, err := accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalConnected {
			t.Fatalf("status %s", a.Status)
		}
		if ev := events(t, db, "contact.invited")[0]; ev.Details["again"] != "true" {
			t.Fatalf("event %+v", ev)
		}
	})
}

// TestPortalClientAccounts reads a client's accounts together: each the
// same as FindAccount reads it, another client's contacts left out.
func TestPortalClientAccounts(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		accts := db.Services().PortalAccounts
		hana := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		ivo := testkit.PortalContact(t, db, w.client.ID, "Ivo Interviewer", "ivo@acme.test")
		other := testkit.PortalContact(t, db, w.other.ID, "Olga Other", "olga@other.test")
		j1 := testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Ward Nurse")
		j2 := testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Theatre Nurse")
		ok(t, accts.SetAccess(admin(w.rec), ivo.ID, false, []int64{j2.ID, j1.ID}))

		got, err := accts.ClientAccounts(admin(w.rec), w.client.ID)
		ok(t, err)
		if got[other.ID] != nil {
			t.Fatalf("another client's contact is among the accounts: %+v", got[other.ID])
		}
		for _, k := range []*portico.Contact{hana, ivo} {
			want, err := accts.FindAccount(admin(w.rec), k.ID)
			ok(t, err)
			a := got[k.ID]
			if a == nil || a.AllJobs != want.AllJobs || !slices.Equal(a.JobIDs, want.JobIDs) || a.Status != want.Status {
				t.Errorf("%s: %+v, want %+v", k.Name, a, want)
			}
		}
		if !slices.Equal(got[ivo.ID].JobIDs, []int64{j1.ID, j2.ID}) {
			t.Errorf("chosen jobs %v", got[ivo.ID].JobIDs)
		}
		_, err = accts.ClientAccounts(testkit.AsContact(hana), w.client.ID)
		wantRefused(t, err)
	})
}
