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

// reportSite: Acme Health, with its own portal look, an open job and Ann,
// who got last week's report (sent Monday 2 March 2026).
func reportSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) (*site, *portico.Contact, string) {
	t.Helper()
	clock.Set(time.Date(2026, 2, 25, 9, 0, 0, 0, time.UTC))
	s := newSite(t, db, clock)
	acme := testkit.AddClient(t, db, "Acme Health")
	testkit.AddJob(t, db, acme.ID, s.admin.ID, "Senior Nurse")
	ann := testkit.PortalContact(t, db, acme.ID, "Ann Hiring", "ann@acme.test")
	clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if n, err := db.Services().WeeklyReports.SendWeeklyReports(context.Background()); err != nil || n != 1 {
		t.Fatalf("sent %d reports: %v", n, err)
	}
	return s, ann, testkit.PortalLink(t, db, "ann@acme.test", "/portal/unsubscribe/")
}

func subscribed(t *testing.T, db *sqlstore.DB, token string) bool {
	t.Helper()
	k, err := db.Services().WeeklyReports.CheckUnsubscribe(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return k.WeeklyReport
}

func TestUnsubscribe(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s, ann, token := reportSite(t, db, clock)
		path := "/portal/unsubscribe/" + token
		s.portalRun(t, []scenario{
			// Opening the link (as a mail scanner would) changes nothing.
			{name: "page", path: path, status: http.StatusOK,
				contains: []string{"Unsubscribe from the weekly report", "ann@acme.test", `action="` + path + `"`, "Client portal for Acme Health", ">Unsubscribe</button>"}},
			{name: "unknown", path: "/portal/unsubscribe/nope", status: http.StatusNotFound,
				contains:  []string{"This link doesn&#39;t work", "This unsubscribe link has expired or isn&#39;t one we sent", `href="/portal/signin"`},
				forbidden: []string{"Page not found", "<button"}},
			{name: "too long", path: "/portal/unsubscribe/" + strings.Repeat("x", 300), status: http.StatusNotFound,
				contains: []string{"This unsubscribe link has expired"}},
			{name: "unknown post", method: http.MethodPost, path: "/portal/unsubscribe/nope", status: http.StatusNotFound,
				contains: []string{"This unsubscribe link has expired"}},
		})
		if !subscribed(t, db, token) {
			t.Fatal("opening the link unsubscribed")
		}

		// The page's button.
		res := s.client().post(path, url.Values{})
		if res.status != http.StatusOK || !strings.Contains(res.body, "You&#39;re unsubscribed") || !strings.Contains(res.body, "ann@acme.test") {
			t.Fatalf("unsubscribe: %d\n%s", res.status, res.body)
		}
		if subscribed(t, db, token) {
			t.Fatal("still subscribed")
		}
		evs, _, err := db.Services().Events.FindEvents(testkit.AsUser(s.admin), portico.EventFilter{ContactID: ann.ID, Action: "contact.unsubscribed"})
		if err != nil || len(evs) != 1 || evs[0].IP == "" {
			t.Fatalf("unsubscribe events %+v, %v", evs, err)
		}
		res = s.client().get(path)
		if res.status != http.StatusOK || !strings.Contains(res.body, "already unsubscribed") || strings.Contains(res.body, "<button") {
			t.Errorf("page after unsubscribing: %d\n%s", res.status, res.body)
		}
	})
}

// TestUnsubscribeOneClick: a mail client's one-click unsubscribe (RFC
// 8058) is a POST from its server: no cookies, no Origin, the body
// List-Unsubscribe=One-Click.
func TestUnsubscribeOneClick(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s, _, token := reportSite(t, db, clock)
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/portal/unsubscribe/"+token, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res := s.client().do(req)
		if res.status != http.StatusOK {
			t.Fatalf("one-click: %d\n%s", res.status, res.body)
		}
		if subscribed(t, db, token) {
			t.Fatal("still subscribed")
		}
		// Next week, nothing for Ann.
		clock.Advance(7 * 24 * time.Hour)
		if n, err := db.Services().WeeklyReports.SendWeeklyReports(context.Background()); err != nil || n != 0 {
			t.Errorf("next week sent %d: %v", n, err)
		}
	})
}

func TestWeeklyReportSwitch(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s, ann, token := reportSite(t, db, clock)
		testkit.AddUser(t, db, "Rick Recruiter", "rick@agency.test", portico.RoleRecruiter)
		path := fmt.Sprintf("/contacts/%d/weekly-report", ann.ID)
		s.run(t, []scenario{
			{name: "visitor", method: http.MethodPost, path: path, form: url.Values{"on": {"0"}}, status: http.StatusSeeOther, location: "/signin"},
			{name: "off", as: "rick@agency.test", method: http.MethodPost, path: path, form: url.Values{"on": {"0"}},
				status: http.StatusSeeOther, location: fmt.Sprintf("/contacts/%d", ann.ID)},
			{name: "flash", as: "rick@agency.test", path: fmt.Sprintf("/contacts/%d", ann.ID), status: http.StatusOK,
				contains: []string{"Ann Hiring won&#39;t get the weekly report any more."}},
		})
		if subscribed(t, db, token) {
			t.Fatal("still subscribed after the switch")
		}
		s.run(t, []scenario{
			{name: "on", as: testkit.AdminEmail, method: http.MethodPost, path: path, form: url.Values{"on": {"1"}},
				status: http.StatusSeeOther, location: fmt.Sprintf("/contacts/%d", ann.ID)},
			{name: "neither", as: testkit.AdminEmail, method: http.MethodPost, path: path, form: url.Values{"on": {"maybe"}},
				status: http.StatusBadRequest, contains: []string{"Choose whether Ann Hiring gets the weekly report."}},
			{name: "unknown contact", as: testkit.AdminEmail, method: http.MethodPost, path: "/contacts/999999/weekly-report", form: url.Values{"on": {"1"}},
				status: http.StatusNotFound},
			{name: "history", as: testkit.AdminEmail, path: fmt.Sprintf("/contacts/%d", ann.ID), status: http.StatusOK,
				contains: []string{"turned the weekly report off for Ann Hiring", "turned the weekly report on for Ann Hiring", "sent Ann Hiring the weekly report for the week of 23 Feb 2026"}},
		})
		if !subscribed(t, db, token) {
			t.Fatal("not subscribed after switching on")
		}
	})
}

// TestWeeklyReportPromise: the contact page promises the weekly report only
// to those it goes to (connected contacts); others are told what it waits
// for.
func TestWeeklyReportPromise(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s, ann, _ := reportSite(t, db, clock)
		ctx := testkit.AsUser(s.admin)
		pat := testkit.AddContact(t, db, ann.ClientID, "Pat Pending", "pat@acme.test")
		if err := db.Services().PortalAccounts.Invite(ctx, pat.ID); err != nil {
			t.Fatal(err)
		}
		nora := testkit.AddContact(t, db, ann.ClientID, "Nora New", "nora@acme.test")
		const each = "gets a summary of their jobs each Monday"
		s.run(t, []scenario{
			{name: "connected", as: testkit.AdminEmail, path: fmt.Sprintf("/contacts/%d", ann.ID), status: http.StatusOK,
				contains: []string{"Ann Hiring " + each + "."}},
			{name: "pending", as: testkit.AdminEmail, path: fmt.Sprintf("/contacts/%d", pat.ID), status: http.StatusOK,
				contains: []string{"Pat Pending " + each + ", once they have signed in to the portal."}},
			{name: "not registered", as: testkit.AdminEmail, path: fmt.Sprintf("/contacts/%d", nora.ID), status: http.StatusOK,
				contains: []string{"Nora New " + each + ", once they have signed in to the portal."}},
		})
		if err := db.Services().PortalAccounts.Disable(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		s.run(t, []scenario{
			{name: "disabled", as: testkit.AdminEmail, path: fmt.Sprintf("/contacts/%d", ann.ID), status: http.StatusOK,
				contains: []string{"Ann Hiring " + each + ", if their portal access is turned back on."}},
		})
	})
}
