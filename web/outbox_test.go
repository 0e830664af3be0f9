package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestOutboxMessage opens a queued email from the Outbox: the page an admin
// reads client emails on when no mail server is set.
func TestOutboxMessage(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		if res := s.client().post("/forgot", url.Values{"email": {testkit.AdminEmail}}); res.status != 200 {
			t.Fatalf("forgot: %d", res.status)
		}
		ms, _, err := db.Services().Outbox.FindMessages(testkit.AsUser(s.admin), portico.MessageFilter{Limit: 1})
		if err != nil || len(ms) == 0 {
			t.Fatalf("no email queued: %v", err)
		}
		c := s.signedIn(testkit.AdminEmail)
		list := c.get("/outbox")
		if list.status != 200 || !strings.Contains(list.body, ms[0].Email.Subject) {
			t.Fatalf("outbox list: %d", list.status)
		}
		res := c.get(fmt.Sprintf("/outbox/%d", ms[0].ID))
		if res.status != 200 {
			t.Fatalf("outbox message: status %d", res.status)
		}
		for _, want := range []string{ms[0].Email.Subject, testkit.AdminEmail, "Waiting", "/reset/"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("outbox message page lacks %q", want)
			}
		}
		// The HTML version runs sandboxed, loading images from Portico only
		// (a portal logo in a branded email), nothing from elsewhere.
		html := c.get(fmt.Sprintf("/outbox/%d/html", ms[0].ID))
		csp := html.header.Get("Content-Security-Policy")
		if html.status != 200 || !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "img-src 'self' data:") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("outbox HTML: status %d, policy %q", html.status, csp)
		}
	})
}
