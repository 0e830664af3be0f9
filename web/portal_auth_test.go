package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// paSite is a site with a recruiter, two clients, and contacts in each
// portal state.
type paSite struct {
	*site
	rec            *portico.User
	acme, boreal   *portico.Client
	hana, pat, ned *portico.Contact // connected, pending, never invited (Acme)
	bo             *portico.Contact // connected (Borealis)
	job, theirJob  *portico.Job
}

const (
	paRita = "rita@agency.test"
	paHana = "hana@acme.test"
	paBo   = "bo@borealis.test"
)

func newPASite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *paSite {
	t.Helper()
	s := &paSite{site: newSite(t, db, clock)}
	s.rec = testkit.AddUser(t, db, "Rita Recruiter", paRita, portico.RoleRecruiter)
	s.acme = testkit.AddClient(t, db, "Acme Hospitals")
	s.boreal = testkit.AddClient(t, db, "Borealis Care")
	s.hana = testkit.PortalContact(t, db, s.acme.ID, "Hana Hiring", paHana)
	s.pat = testkit.AddContact(t, db, s.acme.ID, "Pat Pending", "pat@acme.test")
	if err := db.Services().PortalAccounts.Invite(testkit.AsUser(s.rec), s.pat.ID); err != nil {
		t.Fatal(err)
	}
	s.ned = testkit.AddContact(t, db, s.acme.ID, "Ned Never", "ned@acme.test")
	s.bo = testkit.PortalContact(t, db, s.boreal.ID, "Bo Borealis", paBo)
	s.job = testkit.AddJob(t, db, s.acme.ID, s.rec.ID, "Ward Nurse")
	s.theirJob = testkit.AddJob(t, db, s.boreal.ID, s.rec.ID, "Care Assistant")
	return s
}

func paPath(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestPortalSignInPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		jobPath := paPath("/portal/jobs/%d", s.job.ID)
		s.portalRun(t, []scenario{
			{name: "sign-in page", method: "GET", path: "/portal/signin", status: 200, contains: []string{
				"Harbour Recruitment", "Client portal", "<h1>Sign in</h1>", `action="/portal/signin"`, `formaction="/portal/link"`,
				"Email me a sign-in link", `href="/portal/forgot"`, "autocomplete=current-password", `<label for="f-email">Email</label>`,
			}, forbidden: []string{`href="/candidates"`, `href="/clients"`, "style=", "Sign out"}},
			{name: "home needs sign-in", method: "GET", path: "/portal", status: 303, location: "/portal/signin"},
			{name: "a job link leads through sign-in", method: "GET", path: jobPath, status: 303, location: "/portal/signin?next=" + url.QueryEscape(jobPath)},
			{name: "next is kept on the form", method: "GET", path: "/portal/signin?next=" + url.QueryEscape(jobPath), status: 200,
				contains: []string{`name="next" value="` + jobPath + `"`}},
			{name: "next off the portal is dropped", method: "GET", path: "/portal/signin?next=" + url.QueryEscape("https://evil.test/portal"), status: 200,
				contains: []string{`name="next" value="/portal"`}, forbidden: []string{"evil.test"}},
			{name: "a form without a session", method: "POST", path: "/portal/columns", form: url.Values{"columns": {"email"}}, status: 401,
				contains: []string{"Your session has ended", `action="/portal/signin"`}},
			{name: "console pages are not the portal's", method: "GET", path: "/clients", status: 303, location: "/signin"},
			{name: "wrong password", method: "POST", path: "/portal/signin", form: url.Values{"email": {paHana}, "password": {"wrong-password-here"}, "next": {jobPath}}, status: 401,
				contains: []string{"don&#39;t match a portal account", `value="` + paHana + `"`, `name="next" value="` + jobPath + `"`}, forbidden: []string{"wrong-password-here"}},
			{name: "no password yet", method: "POST", path: "/portal/signin", form: url.Values{"email": {"pat@acme.test"}, "password": {testkit.Password}}, status: 401,
				contains: []string{"don&#39;t match a portal account"}},
			{name: "a console user", method: "POST", path: "/portal/signin", form: url.Values{"email": {paRita}, "password": {testkit.Password}}, status: 401},
			{name: "sign in leads to next", method: "POST", path: "/portal/signin", form: url.Values{"email": {" HANA@acme.test"}, "password": {testkit.Password}, "next": {jobPath}}, status: 303, location: jobPath},
			{name: "signed in, the sign-in page moves on", as: paHana, method: "GET", path: "/portal/signin?next=" + url.QueryEscape(jobPath), status: 303, location: jobPath},
			{name: "signed in to the portal is not the console", as: paHana, method: "GET", path: "/clients", status: 303, location: "/signin"},
			{name: "forgot page", method: "GET", path: "/portal/forgot", status: 200, contains: []string{"Reset your password", `action="/portal/forgot"`}},
			{name: "forgot with a bad address", method: "POST", path: "/portal/forgot", form: url.Values{"email": {"nope"}}, status: 422,
				contains: []string{"Enter an email address like name@example.com", `aria-describedby="f-email-error"`}},
			{name: "forgot says the same for anyone", method: "POST", path: "/portal/forgot", form: url.Values{"email": {"nobody@acme.test"}}, status: 200,
				contains: []string{"If <strong>nobody@acme.test</strong> can use this portal"}},
			{name: "link page", method: "GET", path: "/portal/link?email=hana%40acme.test&next=" + url.QueryEscape(jobPath), status: 200,
				contains: []string{"Email me a sign-in link", `value="hana@acme.test"`, `name="next" value="` + jobPath + `"`}},
			{name: "link with a bad address", method: "POST", path: "/portal/link", form: url.Values{"email": {""}}, status: 422,
				contains: []string{"Enter an email address like name@example.com"}},
			{name: "link says the same for anyone", method: "POST", path: "/portal/link", form: url.Values{"email": {"nobody@acme.test"}}, status: 200,
				contains: []string{"If <strong>nobody@acme.test</strong> can use this portal", "20 minutes"}},
			{name: "unknown activation link", method: "GET", path: "/portal/activate/nope", status: 410,
				contains: []string{"This invitation link has expired", "Set your password", `action="/portal/forgot"`}},
			{name: "unknown sign-in link", method: "GET", path: "/portal/link/nope", status: 410,
				contains: []string{"This sign-in link has expired", `action="/portal/link"`}},
			{name: "unknown sign-in link posted", method: "POST", path: "/portal/link/nope", status: 410,
				contains: []string{"This sign-in link has expired"}},
			{name: "unknown reset link", method: "GET", path: "/portal/reset/nope", status: 410,
				contains: []string{"This reset link has expired", `action="/portal/forgot"`}},
			{name: "unknown reset link posted", method: "POST", path: "/portal/reset/nope", form: url.Values{"password": {"a-good-long-password"}}, status: 410},
			{name: "sign out with no session", method: "POST", path: "/portal/signout", status: 303, location: "/portal/signin"},
		})
	})
}

func TestPortalSignInFlow(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		c := s.portalSignedIn(paHana)
		token := c.cookie("portico_portal")
		if token == "" {
			t.Fatal("no portal cookie")
		}
		if c.cookie("portico_session") != "" {
			t.Fatal("a portal sign-in set the console's cookie")
		}
		k, _, err := db.Services().PortalAuth.Authenticate(context.Background(), token)
		if err != nil || k.ID != s.hana.ID {
			t.Fatalf("Authenticate = %+v, %v", k, err)
		}
		// The portal's pages let the contact in (whatever they show).
		if res := c.get("/portal"); res.status == http.StatusSeeOther && strings.HasPrefix(res.header.Get("Location"), "/portal/signin") {
			t.Fatal("a signed-in contact was sent to sign in")
		}
		// Signing in again replaces the old session.
		res := c.post("/portal/signin", url.Values{"email": {paHana}, "password": {testkit.Password}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal" {
			t.Fatalf("second sign-in: %d %s", res.status, res.header.Get("Location"))
		}
		if _, _, err := db.Services().PortalAuth.Authenticate(context.Background(), token); portico.ErrorCode(err) != portico.EUNAUTHORIZED {
			t.Fatalf("the old session lives on: %v", err)
		}
		// Signing out ends the session and the cookie.
		token = c.cookie("portico_portal")
		res = c.post("/portal/signout", nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal/signin" {
			t.Fatalf("sign out: %d %s", res.status, res.header.Get("Location"))
		}
		if c.cookie("portico_portal") != "" {
			t.Fatal("the cookie is still set")
		}
		if _, _, err := db.Services().PortalAuth.Authenticate(context.Background(), token); portico.ErrorCode(err) != portico.EUNAUTHORIZED {
			t.Fatalf("the session lives on: %v", err)
		}
		if res := c.get("/portal/signin"); !strings.Contains(res.body, "You have signed out.") {
			t.Errorf("no confirmation:\n%s", res.body)
		}
		// A stale cookie is cleared and leads to sign-in.
		stale := s.client()
		u, _ := url.Parse(s.srv.URL)
		stale.http.Jar.SetCookies(u, []*http.Cookie{{Name: "portico_portal", Value: token, Path: "/"}})
		if res := stale.get("/portal"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/portal/signin") {
			t.Fatalf("stale cookie: %d %s", res.status, res.header.Get("Location"))
		}
		if stale.cookie("portico_portal") != "" {
			t.Fatal("the stale cookie was kept")
		}
	})
}

func TestPortalSignInRefusals(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		c := s.portalSignedIn(paHana)
		// Disabled: the session ends at once, and sign-in says why.
		rita := s.signedIn(paRita)
		if res := rita.post(paPath("/contacts/%d/disable", s.hana.ID), url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("disable: %d\n%s", res.status, res.body)
		}
		if res := c.get("/portal"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/portal/signin") {
			t.Fatalf("a disabled contact's session lives on: %d", res.status)
		}
		res := s.client().post("/portal/signin", url.Values{"email": {paHana}, "password": {testkit.Password}})
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "Your access to this portal has been turned off. Contact Harbour Recruitment") {
			t.Fatalf("disabled sign-in: %d\n%s", res.status, res.body)
		}

		// Too many attempts.
		v := s.client()
		for range portico.SignInFailuresAccount {
			v.post("/portal/signin", url.Values{"email": {paBo}, "password": {"wrong-password-here"}})
		}
		res = v.post("/portal/signin", url.Values{"email": {paBo}, "password": {testkit.Password}})
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many failed sign-in attempts") || !strings.Contains(res.body, "Email me a sign-in link") {
			t.Fatalf("too many: %d\n%s", res.status, res.body)
		}
		// The emailed link still works: it proves the address.
		v.post("/portal/link", url.Values{"email": {paBo}})
		token := testkit.PortalLink(t, db, paBo, "/portal/link/")
		if res := v.post("/portal/link/"+token, nil); res.status != http.StatusSeeOther {
			t.Fatalf("link after lock-out: %d", res.status)
		}
	})
}

func TestPortalActivationFlow(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		token := testkit.PortalLink(t, db, "pat@acme.test", "/portal/activate/")
		path := "/portal/activate/" + token
		c := s.client()
		res := c.get(path)
		if res.status != http.StatusOK {
			t.Fatalf("activate page: %d\n%s", res.status, res.body)
		}
		for _, want := range []string{"Set your password", "Welcome, Pat Pending.", "Harbour Recruitment has invited you", "for Acme Hospitals", "pat@acme.test", "autocomplete=new-password"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("activate page lacks %q", want)
			}
		}
		// A GET uses nothing up (mail scanners open links).
		c.get(path)
		res = c.post(path, url.Values{"password": {"short"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Use at least 10 characters.") || !strings.Contains(res.body, `aria-describedby="f-password-error"`) {
			t.Fatalf("short password: %d\n%s", res.status, res.body)
		}
		res = c.post(path, url.Values{"password": {"pat-chose-this-one"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal" || c.cookie("portico_portal") == "" {
			t.Fatalf("activate: %d %s", res.status, res.header.Get("Location"))
		}
		k, _, err := db.Services().PortalAuth.Authenticate(context.Background(), c.cookie("portico_portal"))
		if err != nil || k.ID != s.pat.ID || k.PortalStatus != portico.PortalConnected {
			t.Fatalf("after activation %+v %v", k, err)
		}
		// Once only: a second use offers a fresh link instead.
		res = s.client().get(path)
		if res.status != http.StatusGone || !strings.Contains(res.body, `action="/portal/forgot"`) {
			t.Fatalf("used activation link: %d\n%s", res.status, res.body)
		}
		// From now on the password signs in.
		if res := s.client().post("/portal/signin", url.Values{"email": {"pat@acme.test"}, "password": {"pat-chose-this-one"}}); res.status != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: %d", res.status)
		}
	})
}

func TestPortalLinkFlow(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		jobPath := paPath("/portal/jobs/%d", s.job.ID)
		c := s.client()
		// From the sign-in form's second button, keeping next.
		res := c.post("/portal/link", url.Values{"email": {paHana}, "password": {""}, "next": {jobPath}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "If <strong>hana@acme.test</strong> can use this portal") {
			t.Fatalf("request link: %d\n%s", res.status, res.body)
		}
		token := testkit.PortalLink(t, db, paHana, "/portal/link/")
		res = c.get("/portal/link/" + token)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Hana Hiring") || !strings.Contains(res.body, `<form method="post" action="/portal/link/`+token+`">`) {
			t.Fatalf("link page: %d\n%s", res.status, res.body)
		}
		if c.cookie("portico_portal") != "" {
			t.Fatal("opening the link signed in: a GET must not")
		}
		res = c.post("/portal/link/"+token, nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != jobPath || c.cookie("portico_portal") == "" {
			t.Fatalf("use link: %d %s", res.status, res.header.Get("Location"))
		}
		// Used: the page offers a fresh one.
		res = s.client().get("/portal/link/" + token)
		if res.status != http.StatusGone || !strings.Contains(res.body, "has expired or has been used already") || !strings.Contains(res.body, `action="/portal/link"`) {
			t.Fatalf("used link: %d\n%s", res.status, res.body)
		}
		// Expired likewise.
		s.client().post("/portal/link", url.Values{"email": {paHana}})
		token = testkit.PortalLink(t, db, paHana, "/portal/link/")
		clock.Advance(portico.SignInLinkTTL + time.Second)
		if res := s.client().post("/portal/link/"+token, nil); res.status != http.StatusGone {
			t.Fatalf("expired link: %d", res.status)
		}
	})
}

func TestPortalResetFlow(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		signedIn := s.portalSignedIn(paHana)
		c := s.client()
		if res := c.post("/portal/forgot", url.Values{"email": {paHana}}); res.status != http.StatusOK {
			t.Fatalf("forgot: %d", res.status)
		}
		path := "/portal/reset/" + testkit.PortalLink(t, db, paHana, "/portal/reset/")
		if res := c.get(path); res.status != http.StatusOK || !strings.Contains(res.body, "For hana@acme.test") {
			t.Fatalf("reset page: %d\n%s", res.status, res.body)
		}
		if res := c.post(path, url.Values{"password": {"short"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Use at least 10 characters.") {
			t.Fatalf("short: %d", res.status)
		}
		res := c.post(path, url.Values{"password": {"hana-new-password"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/portal/signin" {
			t.Fatalf("reset: %d %s", res.status, res.header.Get("Location"))
		}
		if res := c.get("/portal/signin"); !strings.Contains(res.body, "Your password is changed.") {
			t.Error("no confirmation")
		}
		// Sessions ended; the new password signs in.
		if res := signedIn.get("/portal"); res.status != http.StatusSeeOther {
			t.Fatalf("old session: %d", res.status)
		}
		if res := c.post("/portal/signin", url.Values{"email": {paHana}, "password": {"hana-new-password"}}); res.status != http.StatusSeeOther {
			t.Fatalf("new password: %d", res.status)
		}
	})
}

func TestPortalAccessPanel(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newPASite(t, db, clock)
		noMail, err := db.Services().Clients.CreateContact(context.Background(), s.acme.ID, portico.ContactInput{Name: "Mo NoMail"})
		if err != nil {
			t.Fatal(err)
		}
		hana, pat, ned, bo := paPath("/contacts/%d", s.hana.ID), paPath("/contacts/%d", s.pat.ID), paPath("/contacts/%d", s.ned.ID), paPath("/contacts/%d", s.bo.ID)
		s.run(t, []scenario{
			{name: "visitor can't invite", method: "POST", path: ned + "/invite", status: 303, location: "/signin"},
			{name: "never invited", as: paRita, method: "GET", path: ned, status: 200, contains: []string{
				"Not registered", "Not invited yet", `action="` + ned + `/invite"`, "Invite to the portal", `action="` + ned + `/access"`,
				`value="all" checked`, "Ward Nurse",
			}, forbidden: []string{"Care Assistant", "Disable access", "style="}},
			{name: "pending", as: paRita, method: "GET", path: pat, status: 200, contains: []string{
				"Pending activation", "Re-send invitation", "Disable access", "Invited</dt>",
			}},
			{name: "connected", as: paRita, method: "GET", path: hana, status: 200, contains: []string{
				"Connected", "Last visit</dt>", "Password set</dt>", "Disable access",
			}, forbidden: []string{"Re-send invitation"}},
			{name: "invite", as: paRita, method: "POST", path: ned + "/invite", status: 303, location: ned + "#portal-h"},
			{name: "invite shows", as: paRita, method: "GET", path: ned, status: 200, contains: []string{
				"Invitation sent to ned@acme.test.", "Pending activation",
			}},
			{name: "re-invite", as: paRita, method: "POST", path: ned + "/invite", status: 303},
			{name: "re-invite shows", as: paRita, method: "GET", path: ned, status: 200, contains: []string{"A new invitation went to ned@acme.test."}},
			{name: "no email", as: paRita, method: "GET", path: paPath("/contacts/%d", noMail.ID), status: 200,
				contains: []string{"add an email address before inviting"}, forbidden: []string{"Invite to the portal"}},
			{name: "invite without email", as: paRita, method: "POST", path: paPath("/contacts/%d/invite", noMail.ID), status: 422,
				contains: []string{"Add an email address to Mo NoMail before inviting them", "<h1>Mo NoMail</h1>"}},
			{name: "unknown contact invite", as: paRita, method: "POST", path: "/contacts/999999/invite", status: 404},
			{name: "bad contact id", as: paRita, method: "POST", path: "/contacts/abc/disable", status: 404},
			{name: "disable asks first", as: paRita, method: "POST", path: hana + "/disable", status: 200, contains: []string{
				"Disable portal access for Hana Hiring?", `name="confirm" value="yes"`, `href="` + hana + `#portal-h">Cancel`,
			}},
			{name: "the confirmation by link", as: paRita, method: "GET", path: hana + "?confirm=disable", status: 200, contains: []string{"Disable portal access for Hana Hiring?"}},
			{name: "still connected", as: paRita, method: "GET", path: hana, status: 200, contains: []string{"badge-ok\">Connected"}},
			{name: "disable", as: paRita, method: "POST", path: hana + "/disable", form: url.Values{"confirm": {"yes"}}, status: 303, location: hana},
			{name: "disabled shows", as: paRita, method: "GET", path: hana, status: 200, contains: []string{
				"Portal access for Hana Hiring is disabled. They were signed out.", "badge-bad\">Disabled", "Enable and send an invitation",
			}},
			{name: "never invited can't be disabled", as: paRita, method: "POST", path: paPath("/contacts/%d/disable", noMail.ID), form: url.Values{"confirm": {"yes"}}, status: 409,
				contains: []string{"has no portal account to disable"}},
			{name: "enable", as: paRita, method: "POST", path: hana + "/invite", status: 303},
			{name: "enabled shows", as: paRita, method: "GET", path: hana, status: 200, contains: []string{"Portal access for Hana Hiring is on again", "Pending activation"}},
			{name: "chosen jobs", as: paRita, method: "POST", path: pat + "/access", form: url.Values{"access": {"chosen"}, "jobs": {paPath("%d", s.job.ID)}}, status: 303, location: pat},
			{name: "chosen shows", as: paRita, method: "GET", path: pat, status: 200, contains: []string{
				"Pat Pending now sees 1 chosen job on the portal.", `value="chosen" checked`, paPath(`value="%d" checked`, s.job.ID),
			}},
			{name: "none chosen", as: paRita, method: "POST", path: pat + "/access", form: url.Values{"access": {"chosen"}}, status: 422,
				contains: []string{"Choose at least one job", `value="chosen" checked`, `aria-describedby="f-jobs-error"`}},
			{name: "another client's job", as: paRita, method: "POST", path: pat + "/access", form: url.Values{"access": {"chosen"}, "jobs": {paPath("%d", s.theirJob.ID)}}, status: 422,
				contains: []string{"Choose only jobs of Acme Hospitals."}, forbidden: []string{"Care Assistant"}},
			{name: "a nonsense job", as: paRita, method: "POST", path: pat + "/access", form: url.Values{"access": {"chosen"}, "jobs": {"x"}}, status: 422,
				contains: []string{"Choose jobs from the list."}},
			{name: "all jobs", as: paRita, method: "POST", path: pat + "/access", form: url.Values{"access": {"all"}}, status: 303},
			{name: "all shows", as: paRita, method: "GET", path: pat, status: 200, contains: []string{"Pat Pending now sees all of the client&#39;s jobs on the portal.", `value="all" checked`}},
			{name: "other client's contact lists their jobs only", as: paRita, method: "GET", path: bo, status: 200,
				contains: []string{"Care Assistant"}, forbidden: []string{"Ward Nurse"}},
		})
		// A contact signed in to the portal can't reach the console's actions.
		c := s.portalSignedIn(paBo)
		if res := c.post(paPath("/contacts/%d/access", s.bo.ID), url.Values{"access": {"all"}}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
			t.Fatalf("contact reached the console: %d %s", res.status, res.header.Get("Location"))
		}
		// The invitations went out.
		if n := len(testkit.PortalLink(t, db, "ned@acme.test", "/portal/activate/")); n == 0 {
			t.Fatal("no invitation")
		}
	})
}
