package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"portico/internal/testkit"
)

// portalSignedIn returns a client signed in to the portal as the contact
// with the address (made with testkit.PortalContact).
func (s *site) portalSignedIn(email string) *client {
	s.t.Helper()
	c := s.client()
	res := c.post("/portal/signin", url.Values{"email": {email}, "password": {testkit.Password}})
	if res.status != http.StatusSeeOther {
		s.t.Fatalf("portal sign in as %s: status %d: %s", email, res.status, res.body)
	}
	return c
}

// portalRun runs scenarios on the portal: each scenario's as is the email
// of a contact signed in to the portal ("" is a visitor).
func (s *site) portalRun(t *testing.T, scs []scenario) {
	t.Helper()
	s.runWith(t, scs, s.portalSignedIn)
}

// cookie returns the value of a cookie the client holds for the site, ""
// when it has none.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.s.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}
