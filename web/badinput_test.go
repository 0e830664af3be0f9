package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestBadInput sends what browsers never would and checks each gets a clear
// 4xx, not a 500, and changes nothing.
func TestBadInput(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.signedIn(testkit.AdminEmail)
		send := func(method, path, contentType, body string, header map[string]string) response {
			req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			for k, v := range header {
				req.Header.Set(k, v)
			}
			return c.do(req)
		}
		form := "application/x-www-form-urlencoded"
		same := map[string]string{"Origin": s.srv.URL, "Sec-Fetch-Site": "same-origin"}
		huge := "name=" + strings.Repeat("x", 2<<20)
		cases := []struct {
			name     string
			res      response
			status   int
			contains string
		}{
			{"oversized form", send("POST", "/users", form, huge, same), 413, "too large"},
			{"oversized sign-in", send("POST", "/signin", form, huge, same), 413, "too large"},
			{"malformed form", send("POST", "/users", form, "name=%zz&email=%", same), 400, "couldn&#39;t read that form"},
			{"cross-site post", send("POST", "/users", form, "name=Eve&email=eve@evil.test&role=admin&password=0123456789ab",
				map[string]string{"Origin": "https://evil.test", "Sec-Fetch-Site": "cross-site"}), 403, "another site"},
			{"cross-site sign-out", send("POST", "/signout", form, "", map[string]string{"Sec-Fetch-Site": "cross-site"}), 403, "another site"},
			{"origin mismatch", send("POST", "/users", form, "name=Eve", map[string]string{"Origin": "https://evil.test"}), 403, "another site"},
			{"wrong method", send("DELETE", "/users", form, "", same), 405, ""},
			{"null character", send("POST", "/users", form, "name=Eve%00&email=eve@nul.test&role=admin&password=0123456789ab", same), 400, "can&#39;t store"},
			{"broken UTF-8", send("POST", "/users", form, "name=Eve%FF%FE&email=eve@utf.test&role=admin&password=0123456789ab", same), 400, "can&#39;t store"},
			{"null in sign-in", send("POST", "/signin", form, "email=a%00@b.test&password=x", same), 400, "can&#39;t store"},
		}
		for _, tc := range cases {
			if tc.res.status != tc.status {
				t.Errorf("%s: status %d, want %d", tc.name, tc.res.status, tc.status)
			}
			if tc.contains != "" && !strings.Contains(tc.res.body, tc.contains) {
				t.Errorf("%s: body lacks %q:\n%s", tc.name, tc.contains, tc.res.body)
			}
		}
		if res := c.get("/users"); strings.Contains(res.body, "evil.test") || strings.Contains(res.body, "nul.test") || strings.Contains(res.body, "utf.test") {
			t.Error("a refused post added a user")
		}
		// Still signed in: the cross-site sign-out did nothing.
		if res := c.get("/"); res.status != 200 {
			t.Errorf("cross-site sign-out signed the user out: %d", res.status)
		}
	})
}

// TestHeadersAndAssets checks what every response carries and how static
// files are cached.
func TestHeadersAndAssets(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		c := s.client()
		for _, path := range []string{"/signin", "/nope", "/healthz"} {
			res := c.get(path)
			csp := res.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			if res.header.Get("X-Content-Type-Options") != "nosniff" || res.header.Get("Referrer-Policy") == "" {
				t.Errorf("%s: missing nosniff or referrer policy", path)
			}
		}
		page := c.get("/signin")
		if strings.Contains(page.body, "style=") || strings.Contains(page.body, "<script>") {
			t.Error("inline style or script on a page: the CSP would block it")
		}
		css := regexp.MustCompile(`/static/app\.[0-9a-f]{8}\.css`).FindString(page.body)
		if css == "" {
			t.Fatal("no fingerprinted stylesheet link")
		}
		res := c.get(css)
		if res.status != 200 || !strings.Contains(res.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
			t.Errorf("stylesheet: %d %q %q", res.status, res.header.Get("Cache-Control"), res.header.Get("Content-Type"))
		}
		if res := c.get("/static/app.00000000.css"); res.status != 404 {
			t.Errorf("unknown asset: %d", res.status)
		}
		if res := c.get("/healthz"); res.status != 200 {
			t.Errorf("healthz: %d", res.status)
		}
		if res := c.get("/readyz"); res.status != 200 {
			t.Errorf("readyz: %d", res.status)
		}
		db.Close()
		if res := c.get("/readyz"); res.status != http.StatusServiceUnavailable {
			t.Errorf("readyz with the database closed: %d", res.status)
		}
	})
}
