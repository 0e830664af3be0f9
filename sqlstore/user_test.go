package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func role(r portico.Role) *portico.Role { return &r }
func flag(b bool) *bool                 { return &b }

func TestCreateUser(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		users := db.Services().Users
		u, err := users.CreateUser(admin(adm), portico.NewUser{
			Name: "  Rita Recruiter ", Email: " Rita@Agency.Test", Phone: " +44 20 7946 0000 ", Role: portico.RoleRecruiter, Password: "a long enough pass",
		})
		ok(t, err)
		if u.Name != "Rita Recruiter" || u.Email != "rita@agency.test" || u.Phone != "+44 20 7946 0000" ||
			u.Role != portico.RoleRecruiter || !u.Active || u.LastSignInAt != nil || !u.CreatedAt.Equal(clock.Now()) {
			t.Fatalf("created %+v", u)
		}
		got, err := users.FindUserByID(context.Background(), u.ID)
		ok(t, err)
		if *got != *u {
			t.Fatalf("FindUserByID = %+v, want %+v", got, u)
		}

		evs := events(t, db, "user.created")
		if len(evs) != 2 {
			t.Fatalf("%d user.created events, want 2 (admin and recruiter)", len(evs))
		}
		ev := evs[0]
		if ev.SubjectID != u.ID || ev.ActorKind != portico.ActorUser || ev.ActorID != adm.ID || ev.ActorName != adm.Name ||
			ev.IP != "192.0.2.10" || ev.UserAgent != "testkit" || ev.Details["role"] != "recruiter" || !ev.At.Equal(clock.Now()) {
			t.Fatalf("user.created event = %+v", ev)
		}

		// The password is stored as an argon2id hash, not as typed.
		hashes := column(t, db, `SELECT password_hash FROM users WHERE id = ?`, u.ID)
		if len(hashes) != 1 || !strings.HasPrefix(hashes[0], "$argon2id$") || strings.Contains(hashes[0], "a long enough pass") {
			t.Fatalf("password stored as %q", hashes)
		}

		_, err = users.FindUserByID(context.Background(), 987654)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestCreateUserPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		users := db.Services().Users
		in := portico.NewUser{Name: "Sam", Email: "sam@agency.test", Role: portico.RoleAdmin, Password: testkit.Password}
		_, err := users.CreateUser(testkit.AsUser(rec), in)
		wantCode(t, err, portico.EFORBIDDEN)
		contact := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: 1, Name: "Hiring Manager"})
		_, err = users.CreateUser(contact, in)
		wantCode(t, err, portico.EUNAUTHORIZED)
		// A contact who claims an admin role is still a contact.
		sneaky := portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: adm.ID, Role: portico.RoleAdmin})
		_, err = users.CreateUser(sneaky, in)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = users.CreateUser(fromIP("203.0.113.9"), in)
		wantCode(t, err, portico.EUNAUTHORIZED)
		if _, err := users.FindUserByEmail(context.Background(), "sam@agency.test"); portico.ErrorCode(err) != portico.ENOTFOUND {
			t.Fatalf("refused user exists: %v", err)
		}
		_, err = users.CreateUser(admin(adm), in)
		ok(t, err)
	})
}

func TestCreateUserDuplicateEmail(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		users := db.Services().Users
		_, err := users.CreateUser(admin(adm), portico.NewUser{Name: "Rita", Email: "rita@agency.test", Role: portico.RoleRecruiter, Password: testkit.Password})
		ok(t, err)
		before := count(t, db, `SELECT COUNT(*) FROM events`)
		for _, email := range []string{"rita@agency.test", "RITA@Agency.Test", "  rita@AGENCY.test  ", strings.ToUpper(testkit.AdminEmail)} {
			_, err = users.CreateUser(admin(adm), portico.NewUser{Name: "Other", Email: email, Role: portico.RoleRecruiter, Password: testkit.Password})
			wantCode(t, err, portico.ECONFLICT)
			if portico.ErrorFields(err)["email"] == "" {
				t.Fatalf("%q: conflict has no message for email: %v", email, portico.ErrorFields(err))
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != 2 {
			t.Fatalf("%d users, want 2", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM events`); n != before {
			t.Fatalf("refused creations wrote %d events", n-before)
		}
	})
}

// TestCreateUserConcurrentDuplicate has several admins add the same address
// at once: one wins, the others get ECONFLICT (not an internal error from the
// unique index).
func TestCreateUserConcurrentDuplicate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		const n = 4
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = db.Services().Users.CreateUser(admin(adm), portico.NewUser{
					Name: fmt.Sprintf("Twin %d", i), Email: "twin@agency.test", Role: portico.RoleRecruiter, Password: testkit.Password})
			})
		}
		close(start)
		wg.Wait()
		created := 0
		for _, err := range errs {
			switch portico.ErrorCode(err) {
			case "":
				created++
			case portico.ECONFLICT:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if created != 1 {
			t.Fatalf("%d created, want exactly 1", created)
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		users := db.Services().Users
		cases := []struct {
			name   string
			in     portico.NewUser
			fields map[string]string
		}{
			{"empty", portico.NewUser{}, map[string]string{
				"name": "Enter a name.", "email": "Enter an email address like name@example.com.",
				"role": "Choose a role.", "password": "Use at least 10 characters."}},
			{"bad email", portico.NewUser{Name: "A", Email: "Ada <ada@agency.test>", Role: portico.RoleAdmin, Password: testkit.Password},
				map[string]string{"email": "Enter an email address like name@example.com."}},
			{"email without dot", portico.NewUser{Name: "A", Email: "ada@localhost", Role: portico.RoleAdmin, Password: testkit.Password},
				map[string]string{"email": "Enter an email address like name@example.com."}},
			{"unknown role", portico.NewUser{Name: "A", Email: "a@agency.test", Role: "owner", Password: testkit.Password},
				map[string]string{"role": "Choose a role."}},
			{"short password", portico.NewUser{Name: "A", Email: "a@agency.test", Role: portico.RoleRecruiter, Password: "123456789"},
				map[string]string{"password": "Use at least 10 characters."}},
			{"long password", portico.NewUser{Name: "A", Email: "a@agency.test", Role: portico.RoleRecruiter, Password: strings.Repeat("x", 201)},
				map[string]string{"password": "Use at most 200 characters."}},
			{"long name", portico.NewUser{Name: strings.Repeat("n", 201), Email: "a@agency.test", Role: portico.RoleRecruiter, Password: testkit.Password},
				map[string]string{"name": "Keep the name under 200 characters."}},
			{"long phone", portico.NewUser{Name: "A", Email: "a@agency.test", Phone: strings.Repeat("1", 51), Role: portico.RoleRecruiter, Password: testkit.Password},
				map[string]string{"phone": "Keep the phone number under 50 characters."}},
		}
		for _, c := range cases {
			_, err := users.CreateUser(admin(adm), c.in)
			if portico.ErrorCode(err) != portico.EINVALID {
				t.Errorf("%s: got %v, want EINVALID", c.name, err)
				continue
			}
			got := portico.ErrorFields(err)
			if len(got) != len(c.fields) {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
			}
			for f, msg := range c.fields {
				if got[f] != msg {
					t.Errorf("%s: field %s = %q, want %q", c.name, f, got[f], msg)
				}
			}
		}
		// Ten characters of any kind are enough (counted as characters, not bytes).
		_, err := users.CreateUser(admin(adm), portico.NewUser{Name: "Émile", Email: "emile@agency.test", Role: portico.RoleRecruiter, Password: "ééééééééé1"})
		ok(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != 2 {
			t.Fatalf("%d users, want 2", n)
		}
	})
}

func TestFindUsers(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db) // "Ada Admin"
		for _, name := range []string{"Eve", "Bob", "Dan", "Cat"} {
			testkit.AddUser(t, db, name, strings.ToLower(name)+"@agency.test", portico.RoleRecruiter)
		}
		bob, err := db.Services().Users.FindUserByEmail(context.Background(), "bob@agency.test")
		ok(t, err)
		_, err = db.Services().Users.UpdateUser(admin(adm), bob.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)

		// Active users by name, then the inactive.
		want := []string{"Ada Admin", "Cat", "Dan", "Eve", "Bob"}
		var got []string
		for offset := 0; offset < 6; offset += 2 {
			us, total, err := db.Services().Users.FindUsers(context.Background(), portico.UserFilter{Offset: offset, Limit: 2})
			ok(t, err)
			if total != 5 {
				t.Fatalf("total = %d, want 5", total)
			}
			if wantLen := min(2, 5-offset); len(us) != wantLen {
				t.Fatalf("offset %d: %d users, want %d", offset, len(us), wantLen)
			}
			for _, u := range us {
				got = append(got, u.Name)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("pages = %v, want %v", got, want)
		}

		us, total, err := db.Services().Users.FindUsers(context.Background(), portico.UserFilter{Active: flag(false)})
		ok(t, err)
		if total != 1 || len(us) != 1 || us[0].Name != "Bob" || us[0].Active {
			t.Fatalf("inactive = %v (total %d)", us, total)
		}
		us, total, err = db.Services().Users.FindUsers(context.Background(), portico.UserFilter{Active: flag(true), Offset: 3})
		ok(t, err)
		if total != 4 || len(us) != 1 || us[0].Name != "Eve" {
			t.Fatalf("active from 3 = %v (total %d)", us, total)
		}
		// Past the end: an empty page, the total still counted.
		us, total, err = db.Services().Users.FindUsers(context.Background(), portico.UserFilter{Offset: 50})
		ok(t, err)
		if total != 5 || len(us) != 0 {
			t.Fatalf("past the end: %d users, total %d", len(us), total)
		}
	})
}

func TestFindUserByEmail(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		for _, email := range []string{testkit.AdminEmail, "ADA@agency.test", "  Ada@Agency.Test "} {
			u, err := db.Services().Users.FindUserByEmail(context.Background(), email)
			ok(t, err)
			if u.ID != adm.ID {
				t.Fatalf("%q found user %d, want %d", email, u.ID, adm.ID)
			}
		}
		_, err := db.Services().Users.FindUserByEmail(context.Background(), "nobody@agency.test")
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestUpdateUserRole(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		users := db.Services().Users

		_, err := users.UpdateUser(testkit.AsUser(rec), rec.ID, portico.UserUpdate{Role: role(portico.RoleAdmin)})
		wantCode(t, err, portico.EFORBIDDEN)
		_, err = users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Role: role("owner")})
		wantCode(t, err, portico.EINVALID)
		if portico.ErrorFields(err)["role"] == "" {
			t.Errorf("no role message: %v", portico.ErrorFields(err))
		}
		_, err = users.UpdateUser(admin(adm), 424242, portico.UserUpdate{Role: role(portico.RoleAdmin)})
		wantCode(t, err, portico.ENOTFOUND)
		if n := len(events(t, db, "user.role_changed")); n != 0 {
			t.Fatalf("refused changes wrote %d events", n)
		}

		u, err := users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Role: role(portico.RoleAdmin)})
		ok(t, err)
		if u.Role != portico.RoleAdmin || !u.Active {
			t.Fatalf("updated %+v", u)
		}
		evs := events(t, db, "user.role_changed")
		if len(evs) != 1 || evs[0].SubjectID != rec.ID || evs[0].ActorID != adm.ID ||
			evs[0].Details["from"] != "recruiter" || evs[0].Details["to"] != "admin" {
			t.Fatalf("role_changed events = %+v", evs)
		}
		// No change, no event.
		_, err = users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Role: role(portico.RoleAdmin), Active: flag(true)})
		ok(t, err)
		if n := len(events(t, db, "user.role_changed")) + len(events(t, db, "user.reactivated")); n != 1 {
			t.Fatalf("a no-op update wrote events: %d", n-1)
		}
	})
}

func TestDeactivateEndsSessions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		auth, users := db.Services().Auth, db.Services().Users
		token1, _, err := auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		ok(t, err)
		token2, _, err := auth.SignIn(fromIP("198.51.100.2"), "rita@agency.test", testkit.Password)
		ok(t, err)
		adminToken, _, err := auth.SignIn(fromIP("198.51.100.3"), testkit.AdminEmail, testkit.Password)
		ok(t, err)

		u, err := users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		if u.Active {
			t.Fatal("still active")
		}
		for _, tok := range []string{token1, token2} {
			_, _, err = auth.Authenticate(context.Background(), tok)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, rec.ID); n != 0 {
			t.Fatalf("%d sessions left for the deactivated user", n)
		}
		// Other users stay signed in.
		if _, _, err := auth.Authenticate(context.Background(), adminToken); err != nil {
			t.Fatalf("admin's session ended too: %v", err)
		}
		// An inactive user can't sign in, and is told the same as for a wrong password.
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		evs := events(t, db, "user.deactivated")
		if len(evs) != 1 || evs[0].SubjectID != rec.ID || evs[0].ActorID != adm.ID {
			t.Fatalf("deactivated events = %+v", evs)
		}

		// Coming back does not bring the old sessions back.
		_, err = users.UpdateUser(admin(adm), rec.ID, portico.UserUpdate{Active: flag(true)})
		ok(t, err)
		_, _, err = auth.Authenticate(context.Background(), token1)
		wantCode(t, err, portico.EUNAUTHORIZED)
		if n := len(events(t, db, "user.reactivated")); n != 1 {
			t.Fatalf("%d reactivated events", n)
		}
		if _, _, err := auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password); err != nil {
			t.Fatalf("reactivated user can't sign in: %v", err)
		}
	})
}

func TestAdminCantRemoveOwnAccess(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		other := testkit.AddUser(t, db, "Otto Admin", "otto@agency.test", portico.RoleAdmin)
		users := db.Services().Users
		// Even with another admin around, an admin can't demote or
		// deactivate themselves.
		_, err := users.UpdateUser(admin(adm), adm.ID, portico.UserUpdate{Active: flag(false)})
		wantCode(t, err, portico.ECONFLICT)
		_, err = users.UpdateUser(admin(adm), adm.ID, portico.UserUpdate{Role: role(portico.RoleRecruiter)})
		wantCode(t, err, portico.ECONFLICT)
		u, err := users.FindUserByID(context.Background(), adm.ID)
		ok(t, err)
		if u.Role != portico.RoleAdmin || !u.Active {
			t.Fatalf("admin changed anyway: %+v", u)
		}
		// Another admin can.
		u, err = users.UpdateUser(admin(other), adm.ID, portico.UserUpdate{Role: role(portico.RoleRecruiter)})
		ok(t, err)
		if u.Role != portico.RoleRecruiter {
			t.Fatalf("not demoted: %+v", u)
		}
	})
}

func TestLastActiveAdminStays(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		otto := testkit.AddUser(t, db, "Otto Admin", "otto@agency.test", portico.RoleAdmin)
		users := db.Services().Users
		sys := context.Background()

		// An inactive admin doesn't count.
		_, err := users.UpdateUser(admin(adm), otto.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		_, err = users.UpdateUser(sys, adm.ID, portico.UserUpdate{Active: flag(false)})
		wantCode(t, err, portico.ECONFLICT)
		_, err = users.UpdateUser(sys, adm.ID, portico.UserUpdate{Role: role(portico.RoleRecruiter)})
		wantCode(t, err, portico.ECONFLICT)
		u, err := users.FindUserByID(sys, adm.ID)
		ok(t, err)
		if u.Role != portico.RoleAdmin || !u.Active {
			t.Fatalf("last admin changed: %+v", u)
		}
		// Changing an inactive admin doesn't touch the rule.
		_, err = users.UpdateUser(sys, otto.ID, portico.UserUpdate{Role: role(portico.RoleRecruiter)})
		ok(t, err)
		// With a second active admin, the first may go.
		_, err = users.UpdateUser(sys, otto.ID, portico.UserUpdate{Role: role(portico.RoleAdmin), Active: flag(true)})
		ok(t, err)
		_, err = users.UpdateUser(sys, adm.ID, portico.UserUpdate{Active: flag(false)})
		ok(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = ?`, true); n != 1 {
			t.Fatalf("%d active admins, want 1", n)
		}
	})
}

// TestLastActiveAdminConcurrent has two admins demote each other at the same
// moment, many times over. However the two transactions interleave, at least
// one active admin must remain.
func TestLastActiveAdminConcurrent(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		a := testkit.SetUp(t, db)
		b := testkit.AddUser(t, db, "Bea Admin", "bea@agency.test", portico.RoleAdmin)
		users := db.Services().Users
		for round := range 25 {
			var wg sync.WaitGroup
			var errA, errB error
			start := make(chan struct{})
			upd := portico.UserUpdate{Role: role(portico.RoleRecruiter)}
			if round%2 == 1 {
				upd = portico.UserUpdate{Active: flag(false)}
			}
			wg.Go(func() { <-start; _, errA = users.UpdateUser(admin(a), b.ID, upd) })
			wg.Go(func() { <-start; _, errB = users.UpdateUser(admin(b), a.ID, upd) })
			close(start)
			wg.Wait()
			for _, err := range []error{errA, errB} {
				if c := portico.ErrorCode(err); c != "" && c != portico.ECONFLICT {
					t.Fatalf("round %d: unexpected error %v", round, err)
				}
			}
			if n := count(t, db, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = ?`, true); n != 1 {
				t.Fatalf("round %d: %d active admins after both tried to demote the other (errors: %v, %v); want exactly 1", round, n, errA, errB)
			}
			for _, id := range []int64{a.ID, b.ID} {
				_, err := users.UpdateUser(context.Background(), id, portico.UserUpdate{Role: role(portico.RoleAdmin), Active: flag(true)})
				ok(t, err)
			}
		}
	})
}

func TestSetPassword(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita", "rita@agency.test", portico.RoleRecruiter)
		auth, users := db.Services().Auth, db.Services().Users
		token, _, err := auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		ok(t, err)

		err = users.SetPassword(testkit.AsUser(rec), rec.ID, "a brand new password")
		wantCode(t, err, portico.EFORBIDDEN)
		err = users.SetPassword(admin(adm), rec.ID, "short")
		wantCode(t, err, portico.EINVALID)
		if portico.ErrorFields(err)["password"] == "" {
			t.Errorf("no password message: %v", portico.ErrorFields(err))
		}
		err = users.SetPassword(admin(adm), 424242, "a brand new password")
		wantCode(t, err, portico.ENOTFOUND)
		// Nothing refused has ended the session.
		_, _, err = auth.Authenticate(context.Background(), token)
		ok(t, err)

		ok(t, users.SetPassword(admin(adm), rec.ID, "a brand new password"))
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", "a brand new password")
		ok(t, err)
		evs := events(t, db, "user.password_set")
		if len(evs) != 1 || evs[0].SubjectID != rec.ID || evs[0].ActorID != adm.ID || evs[0].Details["sessions_ended"] != "1" {
			t.Fatalf("password_set events = %+v", evs)
		}
		// The command line (system actor) may set passwords too.
		ok(t, users.SetPassword(context.Background(), rec.ID, "the command line one"))
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "rita@agency.test", "the command line one")
		ok(t, err)
	})
}
