package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// engines are the databases the first-run journey runs on. PostgreSQL is
// skipped locally when it can't be had, and fails under CI.
var engines = []string{engineSQLite, enginePostgres}

// TestFirstRunAndTeam: a new agency sets Portico up from the printed link,
// the admin adds a recruiter (getting the form wrong once), and the
// recruiter signs in and cannot reach the admin pages.
func TestFirstRunAndTeam(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			eachViewport(t, func(t *testing.T, vp viewport) {
				firstRunAndTeam(t, engine, vp)
			})
		})
	}
}

// The recruiter the admin adds.
const (
	recruiterName     = "Rita Recruiter"
	recruiterEmail    = "rita@harbour.test"
	recruiterPassword = "shortlist-sunday-42"
)

func firstRunAndTeam(t *testing.T, engine string, vp viewport) {
	p := startPortico(t, options{Engine: engine})
	b := newBrowser(t, vp, p.URL)

	// Before setup, the sign-in page explains what to do.
	if status := b.visit("not-set-up", "/signin"); status != http.StatusOK {
		t.Errorf("GET /signin before setup: status %d, want 200", status)
	}
	if h := b.mustText("h1"); h != "Welcome to Portico" {
		t.Errorf("before setup, /signin shows %q, want the welcome page", h)
	}

	// The link printed in the terminal opens the setup form.
	if status := b.visit("setup", p.setupURL()); status != http.StatusOK {
		t.Fatalf("setup link: status %d, want 200", status)
	}
	if h := b.mustText("h1"); h != "Set up Portico" {
		t.Fatalf("setup link shows %q, want the setup form", h)
	}
	b.fill("Agency name", agencyName)
	b.choose("Time zone", "Europe/Berlin")
	b.fill("Your name", adminName)
	b.fill("Email", adminEmail)
	b.fill("Password (at least 10 characters)", adminPassword)
	if status := b.clickButton("home-after-setup", "Create agency"); status != http.StatusOK {
		t.Fatalf("after setup: status %d, want 200", status)
	}

	// Signed in on the console home, with the confirmation.
	if path := b.path(); path != "/" {
		t.Fatalf("after setup the browser is at %s, want /", path)
	}
	if flash := b.mustText(".flash"); !strings.Contains(flash, "Your agency is ready") {
		t.Errorf("flash after setup = %q, want it to say the agency is ready", flash)
	}
	if h := b.mustText("h1"); h != "Hello, "+adminName {
		t.Errorf("home heading = %q, want %q", h, "Hello, "+adminName)
	}
	if brand := b.text(".brand"); brand != agencyName {
		t.Errorf("top bar shows %q, want the agency name %q", brand, agencyName)
	}

	// Users → Add user.
	b.clickLink("users", "Users")
	if path := b.path(); path != "/users" {
		t.Fatalf("the Users link led to %s", path)
	}
	if cur := b.attr(`.mainnav a[href="/users"]`, "aria-current"); cur != "page" {
		t.Errorf(`the Users link has aria-current=%q on the Users page, want "page"`, cur)
	}
	b.clickLink("add-user", "Add user")
	if path := b.path(); path != "/users/new" {
		t.Fatalf("the Add user link led to %s", path)
	}

	// A bad email and a short password: messages beside the fields, the
	// summary focused, and what was typed kept (but never the password).
	b.fill("Name", recruiterName)
	b.fill("Email", "rita.harbour.test")
	b.fill("Password (at least 10 characters)", "short")
	if status := b.clickButton("add-user-invalid", "Add user"); status != http.StatusUnprocessableEntity {
		t.Errorf("invalid new user: status %d, want 422", status)
	}
	if path := b.path(); path != "/users" {
		t.Errorf("after the invalid post the browser is at %s, want /users", path)
	}
	for _, f := range []struct{ id, want string }{
		{"email", "email address"},
		{"password", "at least 10 characters"},
	} {
		msg := b.text("#f-" + f.id + "-error")
		if !strings.Contains(strings.ToLower(msg), f.want) {
			t.Errorf("message beside %s = %q, want it to mention %q", f.id, msg, f.want)
		}
		if got := b.attr("#f-"+f.id, "aria-invalid"); got != "true" {
			t.Errorf("#f-%s aria-invalid = %q, want true", f.id, got)
		}
		if got := b.attr("#f-"+f.id, "aria-describedby"); got != "f-"+f.id+"-error" {
			t.Errorf("#f-%s aria-describedby = %q, want its message", f.id, got)
		}
	}
	if b.exists("#f-name-error") {
		t.Errorf("the name was fine but has a message: %q", b.text("#f-name-error"))
	}
	if got := b.value("#f-name"); got != recruiterName {
		t.Errorf("name field after the failed post = %q, want the typed %q", got, recruiterName)
	}
	if got := b.value("#f-email"); got != "rita.harbour.test" {
		t.Errorf("email field after the failed post = %q, want the typed value kept", got)
	}
	if got := b.value("#f-password"); got != "" {
		t.Errorf("the password came back to the browser: %q", got)
	}
	if !b.exists("#form-errors") {
		t.Errorf("no error summary above the form")
	} else if got := b.focused(); got != "form-errors" {
		t.Errorf("focus after the failed post is on %q, want the error summary", got)
	}

	// Corrected: the recruiter is added.
	b.fill("Email", recruiterEmail)
	b.fill("Password (at least 10 characters)", recruiterPassword)
	if status := b.clickButton("users-after-add", "Add user"); status != http.StatusOK {
		t.Errorf("after adding a user: status %d, want 200", status)
	}
	if path := b.path(); path != "/users" {
		t.Fatalf("after adding a user the browser is at %s, want /users", path)
	}
	if flash := b.mustText(".flash"); !strings.Contains(flash, recruiterName+" was added as Recruiter") {
		t.Errorf("flash after adding = %q", flash)
	}
	if row := b.rowWith(recruiterName); !strings.Contains(row, recruiterEmail) || !strings.Contains(row, "Recruiter") || !strings.Contains(row, "Active") {
		t.Errorf("users list row for %s = %q, want their email, role Recruiter and Active", recruiterName, row)
	}
	if row := b.rowWith(adminName); !strings.Contains(row, "Admin") {
		t.Errorf("users list row for %s = %q, want role Admin", adminName, row)
	}

	// Sign out.
	b.clickButton("signed-out", "Sign out")
	if path := b.path(); !strings.HasPrefix(path, "/signin") {
		t.Fatalf("after signing out the browser is at %s, want /signin", path)
	}
	if flash := b.text(".flash"); !strings.Contains(flash, "signed out") {
		t.Errorf("flash after signing out = %q", flash)
	}

	// The recruiter gets the password wrong, then right.
	b.fill("Email", recruiterEmail)
	b.fill("Password", "shortlist-monday-42")
	if status := b.clickButton("signin-wrong-password", "Sign in"); status != http.StatusUnauthorized {
		t.Errorf("wrong password: status %d, want 401", status)
	}
	if msg := b.mustText("#form-errors"); !strings.Contains(msg, "don't match") {
		t.Errorf("wrong password message = %q, want a clear one", msg)
	}
	if got := b.value("#f-email"); got != recruiterEmail {
		t.Errorf("email after a wrong password = %q, want it kept", got)
	}
	b.fill("Password", recruiterPassword)
	b.clickButton("recruiter-home", "Sign in")
	if path := b.path(); path != "/" {
		t.Fatalf("after signing in the recruiter is at %s, want /", path)
	}
	if flash := b.text(".flash"); !strings.Contains(flash, "Welcome back, "+recruiterName) {
		t.Errorf("flash after signing in = %q", flash)
	}
	if h := b.mustText("h1"); h != "Hello, "+recruiterName {
		t.Errorf("recruiter's home heading = %q", h)
	}
	// Home is the agency name at the top left, marked as the current page.
	if cur := b.attr(`header a[href="/"]`, "aria-current"); cur != "page" {
		t.Errorf(`the recruiter's link home has aria-current=%q on the home page, want "page"`, cur)
	}
	for _, admin := range []string{"/users", "/stages", "/outbox"} {
		if b.exists(`a[href="` + admin + `"]`) {
			t.Errorf("a recruiter sees the admin link %s: navigation %q", admin, b.text(".mainnav"))
		}
	}

	// Typing the admin address anyway gives the 403 page.
	if status := b.visit("users-forbidden", "/users"); status != http.StatusForbidden {
		t.Errorf("recruiter GET /users: status %d, want 403", status)
	}
	if msg := b.text("main"); !strings.Contains(msg, "Only agency admins") {
		t.Errorf("recruiter's /users page says %q, want the admins-only message", msg)
	}
	if b.exists("table") || strings.Contains(b.text("main"), adminEmail) {
		t.Errorf("the 403 page shows the users list")
	}

	// Everything is stored: after a restart the recruiter is still signed
	// in, the team is still there, and setup can't be run again.
	p.restart()
	if status := b.visit("recruiter-home-after-restart", "/"); status != http.StatusOK {
		t.Errorf("GET / after a restart: status %d, want 200", status)
	}
	if h := b.mustText("h1"); h != "Hello, "+recruiterName {
		t.Errorf("after a restart the home page shows %q, want the recruiter still signed in", h)
	}
	if res := p.get("/setup?" + url.Values{"token": {"x"}}.Encode()); res.Status != http.StatusSeeOther || res.Location != "/signin" {
		t.Errorf("GET /setup after setup: %d to %q, want 303 to /signin", res.Status, res.Location)
	}
	if res := p.postForm("/signin", url.Values{"email": {adminEmail}, "password": {adminPassword}}); res.Status != http.StatusSeeOther {
		t.Errorf("admin sign-in after a restart: status %d, want 303", res.Status)
	}
}
