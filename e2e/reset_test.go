package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"portico/internal/testkit"
)

// TestPasswordResetSurvivesRestart is the acceptance test for durable
// email: "a password-reset email enqueued just before the process is killed
// is delivered after restart". The first process queues the email but does
// not deliver (--delivery=false) and dies by SIGKILL; the second delivers it,
// and the link in it works once, in the browser.
func TestPasswordResetSurvivesRestart(t *testing.T) {
	eachViewport(t, passwordResetSurvivesRestart)
}

var resetLink = regexp.MustCompile(`https?://\S+/reset/[A-Za-z0-9_-]+`)

func passwordResetSurvivesRestart(t *testing.T, vp viewport) {
	box := testkit.NewMailbox(t)
	p := startPortico(t, options{SMTPURL: box.URL(), NoDelivery: true})
	oldSession := p.setUpOverHTTP()

	// Ask for a reset as a signed-out admin would.
	if res := p.get("/forgot"); res.Status != http.StatusOK {
		t.Fatalf("GET /forgot: %d", res.Status)
	}
	res := p.postForm("/forgot", url.Values{"email": {adminEmail}})
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "sent it a link") {
		t.Fatalf("POST /forgot: status %d, want 200 and the sent message\n%s", res.Status, res.Body)
	}

	// Killed before any delivery: nothing has gone out.
	p.kill()
	if n := len(box.Messages()); n != 0 {
		t.Fatalf("the mailbox has %d messages before delivery was allowed", n)
	}

	// The next process delivers what the dead one queued.
	p.Opts.NoDelivery = false
	p.start()
	mails := box.WaitFor(t, 1, 20*time.Second)
	if len(mails) != 1 {
		t.Fatalf("got %d emails, want exactly the one reset email", len(mails))
	}
	m := mails[0]
	if !slices.Equal(m.To, []string{adminEmail}) {
		t.Errorf("reset email went to %v, want %s", m.To, adminEmail)
	}
	if !strings.Contains(strings.ToLower(m.Subject), "reset") {
		t.Errorf("reset email subject = %q", m.Subject)
	}
	link := resetLink.FindString(m.Text)
	if link == "" {
		t.Fatalf("no reset link in the email text:\n%s", m.Text)
	}
	if !strings.HasPrefix(link, p.URL+"/reset/") {
		t.Fatalf("reset link %s does not point at Portico (%s)", link, p.URL)
	}
	if html := resetLink.FindString(m.HTML); m.HTML != "" && html != link {
		t.Errorf("the HTML part links to %q, the text part to %q", html, link)
	}

	// Open the link in the browser and choose a new password.
	const newPassword = "lighthouse-keeper-77"
	b := newBrowser(t, vp, p.URL)
	if status := b.visit("reset-form", link); status != http.StatusOK {
		t.Fatalf("reset link: status %d, want 200", status)
	}
	if h := b.mustText("h1"); h != "Choose a new password" {
		t.Fatalf("reset link shows %q", h)
	}
	if got := b.mustText("h1 + p"); !strings.Contains(got, adminEmail) {
		t.Errorf("reset page %q does not say whose password it is", got)
	}

	// Too short first: the message is beside the field, the link still works.
	b.fill("New password (at least 10 characters)", "tiny")
	if status := b.clickButton("reset-too-short", "Save password"); status != http.StatusUnprocessableEntity {
		t.Errorf("short new password: status %d, want 422", status)
	}
	if msg := b.text("#f-password-error"); !strings.Contains(msg, "at least 10 characters") {
		t.Errorf("message beside the new password = %q", msg)
	}

	b.fill("New password (at least 10 characters)", newPassword)
	b.clickButton("signin-after-reset", "Save password")
	if path := b.path(); !strings.HasPrefix(path, "/signin") {
		t.Fatalf("after saving the password the browser is at %s, want /signin", path)
	}
	if flash := b.text(".flash"); !strings.Contains(flash, "password is changed") {
		t.Errorf("flash after reset = %q", flash)
	}
	b.fill("Email", adminEmail)
	b.fill("Password", newPassword)
	b.clickButton("home-after-reset", "Sign in")
	if path := b.path(); path != "/" {
		t.Fatalf("signing in with the new password led to %s, want /", path)
	}
	if h := b.mustText("h1"); h != "Hello, "+adminName {
		t.Errorf("home heading after reset = %q", h)
	}

	// Saving the new password ended the sessions that were open before
	// (one from setup, from before the restart).
	if res := p.get("/", oldSession); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/signin") {
		t.Errorf("GET / with the session from before the reset: %d to %q, want 303 to /signin", res.Status, res.Location)
	}

	// The old password no longer works.
	if res := p.postForm("/signin", url.Values{"email": {adminEmail}, "password": {adminPassword}}); res.Status != http.StatusUnauthorized {
		t.Errorf("sign-in with the old password: status %d, want 401", res.Status)
	}

	// The link works once: a second visit explains, with a 4xx.
	if status := b.visit("reset-link-used", link); status != http.StatusGone {
		t.Errorf("used reset link in the browser: status %d, want 410", status)
	}
	if msg := b.text("[role=alert]"); !strings.Contains(msg, "expired or has been used") {
		t.Errorf("used reset link says %q, want the expired-or-used message", msg)
	}
	if !b.exists(`form[action="/forgot"]`) {
		t.Errorf("the used-link page offers no way to ask for a new link")
	}
	res = p.get(link)
	if res.Status < 400 || res.Status > 499 {
		t.Errorf("GET used reset link: status %d, want 4xx", res.Status)
	}
	if !strings.Contains(res.Body, "expired or has been used") {
		t.Errorf("GET used reset link: body lacks the expired-or-used message")
	}
	// And it can't be used to set a password either.
	if res := p.postForm(strings.TrimPrefix(link, p.URL), url.Values{"password": {"another-one-entirely"}}); res.Status < 400 || res.Status > 499 {
		t.Errorf("POST to a used reset link: status %d, want 4xx", res.Status)
	}

	// Delivered once: the worker has polled again since (every 2 s) and
	// sent no duplicate.
	if n := len(box.Messages()); n != 1 {
		t.Errorf("the mailbox has %d messages, want 1", n)
	}
}
