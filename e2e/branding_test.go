package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"portico/internal/testkit"
)

// TestBrandingJourney is the acceptance journey of portal branding: the
// admin sets the agency's default look (welcome, footer, accent) and gives
// one client, in the browser, custom settings with its own logo, welcome,
// footer and accent. That client's contact sees its look on the sign-in
// address shown on the client's settings page and on every portal page
// after signing in; a contact of another client sees the agency default,
// and never the first client's logo. It runs on SQLite (the contacts on a
// phone) and PostgreSQL (desktop), with axe on every page.
func TestBrandingJourney(t *testing.T) {
	onEachEngine(t, brandingJourney)
}

// The two clients, their contacts and the looks they get.
const (
	bjClientA, bjContactA, bjEmailA, bjPasswordA = "Lakeside Foods", "Clara Client", "clara@lakeside.test", "clara-hires-well-2030"
	bjJobA, bjCandidateA                         = "Warehouse Supervisor", "Priya Shah"
	bjClientB, bjContactB, bjEmailB, bjPasswordB = "Northgate Health", "Hana Manager", "hana@northgate.test", "hana-reads-shortlists-7"
	bjJobB, bjCandidateB                         = "Staff Nurse", "Nora Quinn"

	bjWelcomeA = "Welcome to the Lakeside Foods hiring portal. Your shortlists are below."
	bjFooterA  = "Lakeside Foods · 1 Quay Street, York"
	bjAccentA  = "#7a1f5c"

	bjWelcomeDefault = "Harbour Recruitment puts your candidates here first."
	bjFooterDefault  = "Harbour Recruitment Ltd · 020 7946 0000"
	bjAccentDefault  = "#0f766e"
)

// portalLook is what a portal page should show of its branding.
type portalLook struct {
	Logo    string // the logo's address; "" for none
	Welcome string // checked on the pages that show it
	Footer  string
	Accent  string // #rrggbb
}

func brandingJourney(t *testing.T, engine string, contactVP viewport) {
	start := time.Now()
	box := testkit.NewMailbox(t)
	p := startPortico(t, options{Engine: engine, SMTPURL: box.URL()})
	admin := p.setUpOverHTTP()

	// Two clients, each with a contact who has a password and a job with
	// a shared candidate, over HTTP.
	clientA := p.addClient(admin, bjClientA)
	contactA := p.addContact(admin, clientA, bjContactA, bjEmailA)
	jobA := p.addJob(admin, adminName, clientA, bjJobA)
	p.shareApp(admin, p.shortlistNew(admin, jobA, bjCandidateA)[0])
	p.activateContact(admin, box, contactA, bjEmailA, bjPasswordA)
	clientB := p.addClient(admin, bjClientB)
	contactB := p.addContact(admin, clientB, bjContactB, bjEmailB)
	jobB := p.addJob(admin, adminName, clientB, bjJobB)
	p.shareApp(admin, p.shortlistNew(admin, jobB, bjCandidateB)[0])
	p.activateContact(admin, box, contactB, bjEmailB, bjPasswordB)

	// The admin, in the browser: the agency default first.
	a := newBrowser(t, viewport{Name: "desktop"}, p.URL)
	a.signIn(adminName, adminEmail, adminPassword)
	a.visit("agency-portal-settings", "/settings/portal")
	a.fill("Welcome message", bjWelcomeDefault)
	a.fill("Footer", bjFooterDefault)
	a.fill("or type it", bjAccentDefault)
	a.clickButton("agency-portal-settings-saved", "Save portal settings")
	if path, flash := a.path(), a.text(".flash"); path != "/settings/portal" || !strings.Contains(flash, "Portal settings saved.") {
		t.Fatalf("after saving the agency default the admin is at %s with the message %q", path, flash)
	}

	// Then client A's own settings, from the client's page; its link is
	// found by address, as the navigation's "Portal settings" link (to
	// the agency default) has the same text.
	a.visit("client-a", fmt.Sprintf("/clients/%d", clientA))
	a.pressAt("client-a-portal-settings", selector(fmt.Sprintf(`main a[href="/clients/%d/portal"]`, clientA)))
	if h := a.mustText("h1"); h != "Portal settings for "+bjClientA {
		t.Fatalf("the client's portal settings page is headed %q", h)
	}
	if badge := a.text(".pst-head .badge"); badge != "Uses the agency default" {
		t.Errorf("before saving, client A's settings page says %q", badge)
	}
	a.tapOrClick("“Use custom settings for this client”", selector(`input[name="mode"][value="custom"]`))
	a.tapOrClick("“A logo”", selector(`input[name="brand"][value="logo"]`))
	// A file over 2 MB is refused in the browser before anything is sent,
	// so nothing typed in the form is lost.
	a.setFile("f-image", writeFile(t, "huge.png", make([]byte, 3<<20)))
	if msg := eval[string](a, `document.getElementById("f-image").validationMessage`); !strings.Contains(msg, "larger than 2 MB") {
		t.Errorf("a 3 MB image is not refused in the browser (message %q)", msg)
	}
	a.setFile("f-image", writeFile(t, "lakeside-logo.png", testPNG(t, 240, 80)))
	if msg := eval[string](a, `document.getElementById("f-image").validationMessage`); msg != "" {
		t.Errorf("the logo is refused after a file too large was chosen: %q", msg)
	}
	a.fill("Welcome message", bjWelcomeA)
	a.fill("Footer", bjFooterA)
	a.fill("or type it", bjAccentA)
	a.clickButton("client-a-portal-settings-saved", "Save portal settings")
	if path, flash := a.path(), a.text(".flash"); path != fmt.Sprintf("/clients/%d/portal", clientA) || !strings.Contains(flash, "Portal settings saved.") {
		t.Fatalf("after saving client A's settings the admin is at %s with the message %q", path, flash)
	}
	if badge := a.text(".pst-head .badge"); badge != "Custom settings" {
		t.Errorf("after saving, client A's settings page says %q", badge)
	}
	logo := a.attr(".pst-current img", "src")
	if !strings.HasPrefix(logo, "/portal/images/") || !a.imageShown(".pst-current img") {
		t.Fatalf("client A's settings page does not show the uploaded logo (src %q)", logo)
	}
	signinA := a.value("#signin-url")
	if !strings.HasPrefix(signinA, p.URL+"/portal/signin?b=") {
		t.Fatalf("client A's sign-in address is %q, want %s/portal/signin?b=KEY", signinA, p.URL)
	}

	lookA := portalLook{Logo: logo, Welcome: bjWelcomeA, Footer: bjFooterA, Accent: bjAccentA}
	lookDefault := portalLook{Welcome: bjWelcomeDefault, Footer: bjFooterDefault, Accent: bjAccentDefault}

	// Client A's contact, at A's sign-in address and then everywhere.
	walkPortal(t, a.freshSession(t, contactVP), portalVisit{Name: "a", Signin: signinA, Email: bjEmailA, Password: bjPasswordA, Job: bjJobA, Candidate: bjCandidateA}, lookA, logo)

	// Client B's contact, at the portal's own sign-in address: the
	// agency's look, and nothing of client A's.
	walkPortal(t, a.freshSession(t, contactVP), portalVisit{Name: "b", Signin: "/portal/signin", Email: bjEmailB, Password: bjPasswordB, Job: bjJobB, Candidate: bjCandidateB}, lookDefault, logo)

	t.Logf("branding journey on %s took %v", engine, time.Since(start).Round(100*time.Millisecond))
}

// portalVisit is a contact's walk through the portal: where they sign in,
// as whom, and the job and candidate they open.
type portalVisit struct {
	Name            string // for screenshots
	Signin          string
	Email, Password string
	Job, Candidate  string
}

// walkPortal signs a contact in at the sign-in address and opens their
// home, job and candidate pages, checking each shows the look; otherLogo
// is a logo none of the pages may show unless it is the look's own.
func walkPortal(t *testing.T, c *browser, w portalVisit, look portalLook, otherLogo string) {
	t.Helper()
	if status := c.visit("signin-"+w.Name, w.Signin); status != http.StatusOK {
		t.Fatalf("%s: the sign-in page answered %d", w.Signin, status)
	}
	checkLook(t, c, "the sign-in page", look, true, otherLogo)
	if c.count("main .btn:not(.btn-secondary):not(.btn-danger)") == 0 {
		t.Errorf("the sign-in page has no button in the accent colour to check")
	}
	c.fill("Email", w.Email)
	c.fill("Password", w.Password)
	c.clickButton("home-"+w.Name, "Sign in")
	if path := c.path(); path != "/portal" {
		t.Fatalf("after signing in, %s is at %s", w.Email, path)
	}
	checkLook(t, c, "the portal's home page", look, true, otherLogo)
	c.clickLink("job-"+w.Name, w.Job)
	checkLook(t, c, "the job page", look, false, otherLogo)
	c.clickLink("candidate-"+w.Name, w.Candidate)
	if h := c.mustText("h1"); h != w.Candidate {
		t.Fatalf("the candidate page is headed %q, want %q", h, w.Candidate)
	}
	checkLook(t, c, "the candidate page", look, false, otherLogo)
	if c.count("main .btn:not(.btn-secondary):not(.btn-danger)") == 0 {
		t.Errorf("the candidate page has no button in the accent colour to check")
	}
}

// checkLook checks the open portal page shows the look: its logo loaded
// (or none, and never otherLogo unless it is the look's), its footer, its
// accent on the line along the top and on the main buttons, and, when
// welcome is set, its welcome message.
func checkLook(t *testing.T, b *browser, page string, look portalLook, welcome bool, otherLogo string) {
	t.Helper()
	if look.Logo != "" {
		if src := b.attr(".pb-logo", "src"); src != look.Logo {
			t.Errorf("%s shows the logo %q, want %q", page, src, look.Logo)
		} else if !b.imageShown(".pb-logo") {
			t.Errorf("%s: the logo %s did not load", page, src)
		}
	} else if b.exists(".pb-logo") {
		t.Errorf("%s shows a logo (%s), want none", page, b.attr(".pb-logo", "src"))
	}
	if otherLogo != look.Logo && b.exists(fmt.Sprintf(`img[src=%q]`, otherLogo)) {
		t.Errorf("%s shows another client's logo %s", page, otherLogo)
	}
	if got := b.text(".pb-footer-text"); got != look.Footer {
		t.Errorf("%s's footer says %q, want %q", page, got, look.Footer)
	}
	accent := rgb(t, look.Accent)
	if got := b.style(".portal-bar", "border-top-color"); got != accent {
		t.Errorf("%s: the line along the top is %s, want the accent %s (%s)", page, got, accent, look.Accent)
	}
	// Every main button takes the accent; hidden ones (a closed form) too.
	buttons := eval[[]string](b, `[...document.querySelectorAll("main .btn:not(.btn-secondary):not(.btn-danger)")].map(el => getComputedStyle(el).backgroundColor)`)
	for i, got := range buttons {
		if got != accent {
			t.Errorf("%s: main button %d is %s, want the accent %s", page, i+1, got, accent)
		}
	}
	if welcome {
		if got := b.text(".pb-welcome"); got != look.Welcome {
			t.Errorf("%s welcomes with %q, want %q", page, got, look.Welcome)
		}
	}
}
