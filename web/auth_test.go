package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestSignIn(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		s.run(t, []scenario{
			{name: "wrong password", method: "POST", path: "/signin", form: url.Values{"email": {testkit.AdminEmail}, "password": {"wrong-password"}}, status: 401,
				contains: []string{"don&#39;t match an account", `value="ada@agency.test"`}, forbidden: []string{"wrong-password"}},
			{name: "unknown email, same message", method: "POST", path: "/signin", form: url.Values{"email": {"nobody@agency.test"}, "password": {"wrong-password"}}, status: 401,
				contains: []string{"don&#39;t match an account"}},
			{name: "empty form", method: "POST", path: "/signin", form: url.Values{}, status: 401},
			{name: "success goes to next", method: "POST", path: "/signin", form: url.Values{"email": {"ADA@agency.test "}, "password": {testkit.Password}, "next": {"/users"}}, status: 303, location: "/users"},
			{name: "next can't leave the site", method: "POST", path: "/signin", form: url.Values{"email": {testkit.AdminEmail}, "password": {testkit.Password}, "next": {"//evil.test/x"}}, status: 303, location: "/"},
		})
	})
}

func TestSignInThrottled(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.client()
		for i := 0; i < portico.SignInFailuresAccount; i++ {
			if res := c.post("/signin", url.Values{"email": {testkit.AdminEmail}, "password": {"wrong-password"}}); res.status != 401 {
				t.Fatalf("attempt %d: %d", i, res.status)
			}
		}
		res := c.post("/signin", url.Values{"email": {testkit.AdminEmail}, "password": {testkit.Password}})
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many failed sign-in attempts") {
			t.Fatalf("over the limit: %d", res.status)
		}
		clock.Advance(portico.SignInWindow + time.Second)
		if res := c.post("/signin", url.Values{"email": {testkit.AdminEmail}, "password": {testkit.Password}}); res.status != 303 {
			t.Fatalf("after the window: %d", res.status)
		}
	})
}

func TestSignOut(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.signedIn(testkit.AdminEmail)
		if res := c.post("/signout", nil); res.status != 303 || res.header.Get("Location") != "/signin" {
			t.Fatalf("sign out: %d %q", res.status, res.header.Get("Location"))
		}
		if res := c.get("/signin"); !strings.Contains(res.body, "You have signed out.") {
			t.Error("no confirmation of signing out")
		}
		if res := c.get("/"); res.status != 303 {
			t.Errorf("still signed in: %d", res.status)
		}
	})
}

var resetLink = regexp.MustCompile(`http://portico\.test(/reset/[A-Z0-9]+)`)

// lastResetPath reads the newest reset link from the outbox.
func lastResetPath(t *testing.T, db *sqlstore.DB, admin *portico.User) string {
	t.Helper()
	ms, _, err := db.Services().Outbox.FindMessages(testkit.AsUser(admin), portico.MessageFilter{Limit: 1})
	if err != nil || len(ms) == 0 {
		t.Fatalf("no email queued: %v", err)
	}
	m := resetLink.FindStringSubmatch(ms[0].Email.Text)
	if m == nil {
		t.Fatalf("no reset link in %q", ms[0].Email.Text)
	}
	return m[1]
}

func TestPasswordReset(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.client()
		old := s.signedIn(testkit.AdminEmail)

		res := c.post("/forgot", url.Values{"email": {"nobody@agency.test"}})
		if res.status != 200 || !strings.Contains(res.body, "If <strong>nobody@agency.test</strong> belongs to an account") {
			t.Fatalf("unknown email: %d", res.status)
		}
		if res := c.post("/forgot", url.Values{"email": {"nonsense"}}); res.status != 422 {
			t.Errorf("malformed email: %d", res.status)
		}
		res = c.post("/forgot", url.Values{"email": {testkit.AdminEmail}})
		if res.status != 200 || !strings.Contains(res.body, "If <strong>ada@agency.test</strong> belongs to an account") {
			t.Fatalf("known email: %d", res.status)
		}
		path := lastResetPath(t, db, s.admin)

		if res := c.get(path); res.status != 200 || !strings.Contains(res.body, "Choose a new password") {
			t.Fatalf("reset form: %d", res.status)
		}
		if res := c.post(path, url.Values{"password": {"short"}}); res.status != 422 || !strings.Contains(res.body, "Use at least 10 characters.") {
			t.Errorf("weak password: %d", res.status)
		}
		res = c.post(path, url.Values{"password": {"a-brand-new-password"}})
		if res.status != 303 || res.header.Get("Location") != "/signin" {
			t.Fatalf("reset: %d %s", res.status, res.body)
		}
		// The session from before the reset has ended.
		if res := old.get("/"); res.status != 303 {
			t.Errorf("old session survived the reset: %d", res.status)
		}
		// Used: the link shows the request form with the reason, not a 500.
		for _, method := range []string{"GET", "POST"} {
			var res response
			if method == "GET" {
				res = c.get(path)
			} else {
				res = c.post(path, url.Values{"password": {"another-new-password"}})
			}
			if res.status != http.StatusGone || !strings.Contains(res.body, "expired or has been used") {
				t.Errorf("%s reused link: %d", method, res.status)
			}
		}
		if res := c.post("/signin", url.Values{"email": {testkit.AdminEmail}, "password": {"a-brand-new-password"}}); res.status != 303 {
			t.Errorf("sign in with the new password: %d", res.status)
		}

		// Expired.
		c.post("/forgot", url.Values{"email": {testkit.AdminEmail}})
		path = lastResetPath(t, db, s.admin)
		clock.Advance(portico.PasswordResetTTL + time.Minute)
		if res := c.get(path); res.status != http.StatusGone {
			t.Errorf("expired link: %d", res.status)
		}
		if res := c.get("/reset/NOTATOKEN"); res.status != http.StatusGone {
			t.Errorf("unknown link: %d", res.status)
		}
	})
}

func TestSetupPage(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newBareSite(t, db, clock)
		c := w.client()
		if res := c.get("/"); res.status != 200 || !strings.Contains(res.body, "Portico is not set up yet") {
			t.Fatalf("home before setup: %d", res.status)
		}
		token, err := db.Services().Agency.SetupToken(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"token": {token}, "agency_name": {""}, "time_zone": {"Mars/Olympus"}, "name": {"Ann"}, "email": {"ann@agency.test"}, "password": {"ann-password-1"}}
		res := c.post("/setup", form)
		if res.status != 422 || !strings.Contains(res.body, "Enter the agency&#39;s name.") || !strings.Contains(res.body, "Choose a time zone") {
			t.Fatalf("invalid setup: %d", res.status)
		}
		form.Set("agency_name", "Acme Staffing")
		form.Set("time_zone", "Europe/Paris")
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("token", "WRONG")
		if res := c.post("/setup", bad); res.status != 401 {
			t.Fatalf("wrong token: %d", res.status)
		}
		if res := c.post("/setup", form); res.status != 303 || res.header.Get("Location") != "/" {
			t.Fatalf("setup: %d", res.status)
		}
		if res := c.get("/"); res.status != 200 || !strings.Contains(res.body, "Hello, Ann") || !strings.Contains(res.body, "Acme Staffing") {
			t.Fatalf("home after setup: %d", res.status)
		}
	})
}
