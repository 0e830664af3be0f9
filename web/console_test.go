package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestPermissions checks who may open and change what in the console.
func TestPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		ritaPage := fmt.Sprintf("/users/%d", rec.ID)
		s.run(t, []scenario{
			{name: "visitor home goes to sign-in", method: "GET", path: "/", status: 303, location: "/signin"},
			{name: "visitor users goes to sign-in and back", method: "GET", path: "/users", status: 303, location: "/signin?next=%2Fusers"},
			{name: "visitor outbox", method: "GET", path: "/outbox", status: 303, location: "/signin"},
			{name: "visitor can't add users", method: "POST", path: "/users", form: url.Values{"name": {"X"}}, status: 303, location: "/signin"},
			{name: "sign-in page", method: "GET", path: "/signin", status: 200, contains: []string{"Harbour Recruitment", "Forgot your password?"}},
			{name: "admin home", as: testkit.AdminEmail, method: "GET", path: "/", status: 200, contains: []string{"Hello, Ada Admin", `href="/users"`, `href="/outbox"`}},
			{name: "admin users", as: testkit.AdminEmail, method: "GET", path: "/users", status: 200, contains: []string{"Rita Recruiter", "rita@agency.test"}},
			{name: "admin user page", as: testkit.AdminEmail, method: "GET", path: ritaPage, status: 200, contains: []string{"Rita Recruiter", "Deactivate"}},
			{name: "admin unknown user", as: testkit.AdminEmail, method: "GET", path: "/users/999999", status: 404, contains: []string{"There is no such user."}},
			{name: "admin malformed id", as: testkit.AdminEmail, method: "GET", path: "/users/abc", status: 404},
			{name: "admin outbox", as: testkit.AdminEmail, method: "GET", path: "/outbox", status: 200, contains: []string{"No emails yet"}},
			{name: "admin unknown message", as: testkit.AdminEmail, method: "GET", path: "/outbox/42", status: 404},
			{name: "recruiter home has no admin links", as: "rita@agency.test", method: "GET", path: "/", status: 200, contains: []string{"Hello, Rita Recruiter"}, forbidden: []string{`href="/users"`, `href="/outbox"`}},
			{name: "recruiter users forbidden", as: "rita@agency.test", method: "GET", path: "/users", status: 403, forbidden: []string{"ada@agency.test"}},
			{name: "recruiter outbox forbidden", as: "rita@agency.test", method: "GET", path: "/outbox", status: 403},
			{name: "recruiter can't add users", as: "rita@agency.test", method: "POST", path: "/users", form: url.Values{"name": {"Eve"}, "email": {"eve@x.test"}, "role": {"admin"}, "password": {"0123456789ab"}}, status: 403},
			{name: "recruiter can't promote self", as: "rita@agency.test", method: "POST", path: ritaPage, form: url.Values{"action": {"role"}, "role": {"admin"}}, status: 403},
			{name: "unknown page", as: testkit.AdminEmail, method: "GET", path: "/no/such/page", status: 404, contains: []string{"no page at this address"}},
			{name: "setup after setup", method: "GET", path: "/setup?token=x", status: 303, location: "/signin"},
			{name: "setup post after setup", method: "POST", path: "/setup", form: url.Values{"token": {"x"}, "agency_name": {"Evil"}, "time_zone": {"UTC"}, "name": {"E"}, "email": {"e@x.test"}, "password": {"0123456789ab"}}, status: 409},
		})
		u, err := db.Services().Users.FindUserByID(context.Background(), rec.ID)
		if err != nil || u.Role != portico.RoleRecruiter {
			t.Fatalf("recruiter changed their own role: %+v %v", u, err)
		}
	})
}

// TestAddUser walks the add-user form: errors beside fields with input
// kept, then success with a confirmation.
func TestAddUser(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.signedIn(testkit.AdminEmail)
		res := c.post("/users", url.Values{"name": {"Sam Smith"}, "email": {"not-an-email"}, "role": {"recruiter"}, "password": {"tiny-pw"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid form: status %d", res.status)
		}
		for _, want := range []string{"Enter an email address like name@example.com.", "Use at least 10 characters.", `value="Sam Smith"`, `aria-invalid="true"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("invalid form: body lacks %q", want)
			}
		}
		if strings.Contains(res.body, "tiny-pw") {
			t.Error("the password was sent back to the browser")
		}
		res = c.post("/users", url.Values{"name": {"Sam Smith"}, "email": {"SAM@agency.test"}, "role": {"recruiter"}, "password": {testkit.Password}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/users" {
			t.Fatalf("add: status %d location %q", res.status, res.header.Get("Location"))
		}
		res = c.get("/users")
		if !strings.Contains(res.body, "Sam Smith was added as Recruiter") || !strings.Contains(res.body, "sam@agency.test") {
			t.Errorf("users page after adding lacks the confirmation or the user:\n%s", res.body)
		}
		res = c.post("/users", url.Values{"name": {"Sam Again"}, "email": {"sam@agency.test"}, "role": {"recruiter"}, "password": {testkit.Password}})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "A user with this email address exists already.") {
			t.Errorf("duplicate: status %d", res.status)
		}
		// The new user can sign in.
		s.signedIn("sam@agency.test")
	})
}

// TestDeactivateEndsSessions checks that a deactivated user is out at once.
func TestDeactivateEndsSessions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		rita := s.signedIn("rita@agency.test")
		if res := rita.get("/"); res.status != 200 {
			t.Fatalf("rita home: %d", res.status)
		}
		admin := s.signedIn(testkit.AdminEmail)
		res := admin.post(fmt.Sprintf("/users/%d", rec.ID), url.Values{"action": {"deactivate"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d %s", res.status, res.body)
		}
		if res := rita.get("/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
			t.Errorf("deactivated user still in: %d", res.status)
		}
		res = rita.post("/signin", url.Values{"email": {"rita@agency.test"}, "password": {testkit.Password}})
		if res.status != http.StatusUnauthorized {
			t.Errorf("deactivated user signed in: %d", res.status)
		}
		// The admin can't lock themselves out.
		res = admin.post(fmt.Sprintf("/users/%d", s.admin.ID), url.Values{"action": {"deactivate"}})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "own admin access") {
			t.Errorf("self-deactivation: %d", res.status)
		}
		res = admin.post(fmt.Sprintf("/users/%d", rec.ID), url.Values{"action": {"explode"}})
		if res.status != http.StatusBadRequest {
			t.Errorf("unknown action: %d", res.status)
		}
	})
}
