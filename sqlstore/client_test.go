package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// asContact is a portal contact's context: not agency staff.
func asContact() context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: 1, Name: "Hal Hiring", IP: "198.51.100.7"})
}

// wantRefused fails unless err refuses a portal contact: console records
// are for the agency's staff.
func wantRefused(t testing.TB, err error) {
	t.Helper()
	if c := portico.ErrorCode(err); c != portico.EUNAUTHORIZED && c != portico.EFORBIDDEN {
		t.Fatalf("got error code %q (%v), want a refusal", c, err)
	}
}

// wantField fails unless err is a domain error with a message for field.
func wantField(t testing.TB, err error, code, field string) {
	t.Helper()
	wantCode(t, err, code)
	if portico.ErrorFields(err)[field] == "" {
		t.Fatalf("no message for %s in %+v", field, err)
	}
}

func TestClientCreate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		svc := db.Services().Clients
		c, err := svc.CreateClient(testkit.AsUser(rec), portico.ClientInput{
			Name: "  Acme Health ", OwnerID: adm.ID, Website: " https://acme.test ", Phone: "020 7946 0000", Notes: "Pays on time.",
		})
		ok(t, err)
		if c.Name != "Acme Health" || c.Status != portico.ClientActive || c.OwnerID != adm.ID || c.OwnerName != adm.Name ||
			c.Website != "https://acme.test" || c.Notes != "Pays on time." || !c.CreatedAt.Equal(clock.Now()) || c.OpenJobs != 0 {
			t.Fatalf("created %+v", c)
		}
		got, err := svc.FindClientByID(testkit.AsUser(rec), c.ID)
		ok(t, err)
		if *got != *c {
			t.Fatalf("FindClientByID = %+v, want %+v", got, c)
		}
		evs := events(t, db, "client.created")
		if len(evs) != 1 || evs[0].SubjectType != "client" || evs[0].SubjectID != c.ID || evs[0].ClientID != c.ID ||
			evs[0].ActorID != rec.ID || evs[0].Details["name"] != "Acme Health" {
			t.Fatalf("client.created events = %+v", evs)
		}

		// No owner is fine.
		c2, err := svc.CreateClient(testkit.AsUser(rec), portico.ClientInput{Name: "Brightwater"})
		ok(t, err)
		if c2.OwnerID != 0 || c2.OwnerName != "" {
			t.Fatalf("ownerless client = %+v", c2)
		}

		_, err = svc.FindClientByID(testkit.AsUser(rec), 987654)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestClientRules(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		gone := testkit.AddUser(t, db, "Gus Gone", "gus@agency.test", portico.RoleRecruiter)
		_, err := db.Services().Users.UpdateUser(admin(adm), gone.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		svc := db.Services().Clients
		ctx := admin(adm)

		_, err = svc.CreateClient(ctx, portico.ClientInput{Name: "   "})
		wantField(t, err, portico.EINVALID, "name")
		_, err = svc.CreateClient(ctx, portico.ClientInput{Name: "Acme", Status: "dormant"})
		wantField(t, err, portico.EINVALID, "status")
		_, err = svc.CreateClient(ctx, portico.ClientInput{Name: "Acme", OwnerID: gone.ID})
		wantField(t, err, portico.EINVALID, "owner_id")
		_, err = svc.CreateClient(ctx, portico.ClientInput{Name: "Acme", OwnerID: 987654})
		wantField(t, err, portico.EINVALID, "owner_id")
		_, err = svc.CreateClient(asContact(), portico.ClientInput{Name: "Acme"})
		wantRefused(t, err)
		_, _, err = svc.FindClients(asContact(), portico.ClientFilter{})
		wantRefused(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM clients`); n != 0 {
			t.Fatalf("%d clients stored after refused creates", n)
		}
		if n := len(events(t, db, "client.created")); n != 0 {
			t.Fatalf("%d client.created events after refused creates", n)
		}
	})
}

func TestClientUpdate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		svc := db.Services().Clients
		ctx := admin(adm)
		c, err := svc.CreateClient(ctx, portico.ClientInput{Name: "Acme", OwnerID: rec.ID})
		ok(t, err)

		clock.Advance(60e9)
		u, err := svc.UpdateClient(ctx, c.ID, portico.ClientInput{Name: "Acme Health", Status: portico.ClientInactive, OwnerID: rec.ID})
		ok(t, err)
		if u.Name != "Acme Health" || u.Status != portico.ClientInactive || !u.UpdatedAt.Equal(clock.Now()) || !u.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("updated %+v", u)
		}
		evs := events(t, db, "client.updated")
		if len(evs) != 1 || evs[0].ClientID != c.ID || evs[0].Details["changed"] != "name, status" || evs[0].Details["status"] != "inactive" {
			t.Fatalf("client.updated events = %+v", evs)
		}

		// Saving without a change records nothing.
		_, err = svc.UpdateClient(ctx, c.ID, portico.ClientInput{Name: "Acme Health", Status: portico.ClientInactive, OwnerID: rec.ID})
		ok(t, err)
		if n := len(events(t, db, "client.updated")); n != 1 {
			t.Fatalf("%d client.updated events after a save without changes, want 1", n)
		}

		// An owner since deactivated may stay, but can't be newly chosen.
		_, err = db.Services().Users.UpdateUser(ctx, rec.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		_, err = svc.UpdateClient(ctx, c.ID, portico.ClientInput{Name: "Acme Health", Notes: "Keep Rita.", OwnerID: rec.ID})
		ok(t, err)
		other, err := svc.CreateClient(ctx, portico.ClientInput{Name: "Other"})
		ok(t, err)
		_, err = svc.UpdateClient(ctx, other.ID, portico.ClientInput{Name: "Other", OwnerID: rec.ID})
		wantField(t, err, portico.EINVALID, "owner_id")

		_, err = svc.UpdateClient(ctx, 987654, portico.ClientInput{Name: "Nobody"})
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.UpdateClient(ctx, c.ID, portico.ClientInput{Name: ""})
		wantField(t, err, portico.EINVALID, "name")
		got, err := svc.FindClientByID(ctx, c.ID)
		ok(t, err)
		if got.Name != "Acme Health" {
			t.Fatalf("a refused update changed the client: %+v", got)
		}
	})
}

func TestClientList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		svc := db.Services().Clients
		ctx := admin(adm)
		for i := range 12 {
			in := portico.ClientInput{Name: fmt.Sprintf("Client %02d", i)}
			if i%3 == 0 {
				in.OwnerID = rec.ID
			}
			if i%4 == 0 {
				in.Status = portico.ClientInactive
			}
			_, err := svc.CreateClient(ctx, in)
			ok(t, err)
		}
		pct, err := svc.CreateClient(ctx, portico.ClientInput{Name: "100% Staffing"})
		ok(t, err)
		under, err := svc.CreateClient(ctx, portico.ClientInput{Name: "Under_Score Ltd"})
		ok(t, err)
		testkit.AddJob(t, db, pct.ID, adm.ID, "Nurse")
		testkit.AddJob(t, db, pct.ID, adm.ID, "Carer")
		closed := testkit.AddJob(t, db, pct.ID, adm.ID, "Porter")
		_, err = db.Services().Jobs.UpdateJob(ctx, closed.ID, portico.JobInput{ClientID: pct.ID, OwnerID: adm.ID, Title: "Porter", Openings: 1, Status: portico.JobClosed})
		ok(t, err)

		names := func(cs []*portico.Client) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Name)
			}
			return out
		}
		for _, tc := range []struct {
			f     portico.ClientFilter
			total int
			want  []string
		}{
			{portico.ClientFilter{Limit: 3}, 14, []string{"100% Staffing", "Client 00", "Client 01"}},
			{portico.ClientFilter{Offset: 12, Limit: 3}, 14, []string{"Client 11", "Under_Score Ltd"}},
			{portico.ClientFilter{Query: "client 1"}, 2, []string{"Client 10", "Client 11"}},
			{portico.ClientFilter{Query: "%"}, 1, []string{"100% Staffing"}},
			{portico.ClientFilter{Query: "t_0"}, 0, nil}, // _ is no wildcard
			{portico.ClientFilter{Query: "R_S"}, 1, []string{"Under_Score Ltd"}},
			{portico.ClientFilter{Query: "_"}, 1, []string{"Under_Score Ltd"}},
			{portico.ClientFilter{Status: portico.ClientInactive}, 3, []string{"Client 00", "Client 04", "Client 08"}},
			{portico.ClientFilter{OwnerID: rec.ID}, 4, []string{"Client 00", "Client 03", "Client 06", "Client 09"}},
			{portico.ClientFilter{OwnerID: rec.ID, Status: portico.ClientActive}, 3, []string{"Client 03", "Client 06", "Client 09"}},
		} {
			cs, total, err := svc.FindClients(ctx, tc.f)
			ok(t, err)
			if total != tc.total || fmt.Sprint(names(cs)) != fmt.Sprint(tc.want) {
				t.Errorf("FindClients(%+v) = %v (total %d), want %v (total %d)", tc.f, names(cs), total, tc.want, tc.total)
			}
		}
		cs, _, err := svc.FindClients(ctx, portico.ClientFilter{Query: "staffing"})
		ok(t, err)
		if len(cs) != 1 || cs[0].OpenJobs != 2 {
			t.Fatalf("open jobs in the list = %+v", cs)
		}
		got, err := svc.FindClientByID(ctx, pct.ID)
		ok(t, err)
		if got.OpenJobs != 2 || under.OpenJobs != 0 {
			t.Fatalf("FindClientByID open jobs = %d", got.OpenJobs)
		}
	})
}
