package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
	"portico/web"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// site is a running console on a real store, for HTTP tests.
type site struct {
	t     *testing.T
	db    *sqlstore.DB
	clock *testkit.Clock
	srv   *httptest.Server
	admin *portico.User
}

// newSite serves the web handler on a store that is set up with an admin.
func newSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *site {
	t.Helper()
	admin := testkit.SetUp(t, db)
	s := newBareSite(t, db, clock)
	s.admin = admin
	return s
}

// newBareSite serves a store that is not set up yet.
func newBareSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *site {
	t.Helper()
	s := &site{t: t, db: db, clock: clock}
	w, err := web.New(web.Options{Services: db.Services(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: testkit.BaseURL, Ready: db.Ping, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(w.Handler())
	t.Cleanup(s.srv.Close)
	return s
}

// client is one browser: a cookie jar and no automatic redirects, so tests
// see each 303.
type client struct {
	s    *site
	http *http.Client
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signedIn returns a client signed in as email.
func (s *site) signedIn(email string) *client {
	c := s.client()
	res := c.post("/signin", url.Values{"email": {email}, "password": {testkit.Password}})
	if res.status != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: status %d: %s", email, res.status, res.body)
	}
	return c
}

type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) response {
	c.s.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) response {
	c.s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.s.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form the way a browser does from one of our pages.
func (c *client) post(path string, form url.Values) response {
	c.s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// scenario is one request and what its answer must and must not contain.
type scenario struct {
	name      string
	as        string // email of the signed-in user; "" is a visitor
	method    string
	path      string
	form      url.Values
	status    int
	contains  []string
	forbidden []string
	location  string // for redirects: where to
}

func (s *site) run(t *testing.T, scs []scenario) {
	t.Helper()
	s.runWith(t, scs, s.signedIn)
}

// runWith runs scenarios, signing each scenario's as in with signIn.
func (s *site) runWith(t *testing.T, scs []scenario, signIn func(email string) *client) {
	t.Helper()
	clients := map[string]*client{}
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			c, ok := clients[sc.as]
			if !ok {
				c = s.client()
				if sc.as != "" {
					c = signIn(sc.as)
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
