package web_test

import (
	"net/http"
	"net/url"
	"strings"
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
	clients := map[string]*client{}
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			c, ok := clients[sc.as]
			if !ok {
				c = s.client()
				if sc.as != "" {
					c = s.portalSignedIn(sc.as)
				}
				clients[sc.as] = c
			}
			var res response
			if sc.method == http.MethodPost {
				res = c.post(sc.path, sc.form)
			} else {
				res = c.get(sc.path)
			}
			if res.status != sc.status {
				t.Fatalf("%s %s: status %d, want %d\n%s", sc.method, sc.path, res.status, sc.status, res.body)
			}
			for _, want := range sc.contains {
				if !strings.Contains(res.body, want) {
					t.Errorf("%s %s: body lacks %q", sc.method, sc.path, want)
				}
			}
			for _, bad := range sc.forbidden {
				if strings.Contains(res.body, bad) {
					t.Errorf("%s %s: body contains forbidden %q", sc.method, sc.path, bad)
				}
			}
			if sc.location != "" && !strings.HasPrefix(res.header.Get("Location"), sc.location) {
				t.Errorf("%s %s: Location %q, want prefix %q", sc.method, sc.path, res.header.Get("Location"), sc.location)
			}
		})
	}
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
