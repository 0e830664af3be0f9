package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestContactPagePortalUse(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		contact := "/contacts/" + strconv.FormatInt(w.a1.ID, 10)
		// Ann opens a link she was sent, from a browser that names itself
		// with a formula, as anyone can.
		clock.Advance(time.Hour)
		nl, err := db.Services().Links.CreateLinks(testkit.AsUser(w.rita), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.a1.ID}, Send: true, Uses: 5})
		must(t, err)
		visitor := w.s.client()
		req, _ := http.NewRequest(http.MethodPost, w.s.srv.URL+"/portal/l/"+nl[0].Token, nil)
		req.Header.Set("Origin", w.s.srv.URL)
		req.Header.Set("User-Agent", `=HYPERLINK("http://evil.test","Click")`)
		if res := visitor.do(req); res.status != http.StatusSeeOther {
			t.Fatalf("open link: %d", res.status)
		}

		rita := w.s.signedIn(w.rita.Email)
		res := rita.get(contact)
		if res.status != http.StatusOK {
			t.Fatalf("contact page: %d", res.status)
		}
		for _, want := range []string{
			"Links sent", "Emailed to ann.hiring@acme.test by Rita Recruiter", "Senior Nurse", "1 of 5", "Active", `action="/links/` + strconv.FormatInt(nl[0].Link.ID, 10) + `/revoke"`, "Expire",
			"Feedback given", "Portal activity", "Rated Ann Archer 4 of 5 stars for Senior Nurse", "Asked to interview Ben Baker for Senior Nurse",
			"Opened the Senior Nurse tracker with a share link (use 1 of 5)", "192.0.2.20", "127.0.0.1",
			`action="/contacts/` + strconv.FormatInt(w.a1.ID, 10) + `/weekly-report"`, "Turn off the weekly report",
			"emailed Ann Hiring a link to the Senior Nurse tracker at ann.hiring@acme.test", // the history
		} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the contact page lacks %q", want)
			}
		}
		if !strings.Contains(res.body, "hasn’t given any feedback yet") {
			t.Error("no empty state for Ann's feedback")
		}
		// Carl's page has his feedback.
		if res := rita.get("/contacts/" + strconv.FormatInt(w.a2.ID, 10)); !strings.Contains(res.body, "Good bedside manner, by all accounts.") {
			t.Error("Carl's page lacks his feedback")
		}

		// Filters: by action, by dates (days in the agency's zone).
		res = rita.get(contact + "?action=portal.rated")
		if !strings.Contains(res.body, "Rated Ann Archer") || strings.Contains(res.body, "Asked to interview") || !strings.Contains(res.body, `value="portal.rated" selected`) {
			t.Error("the action filter doesn't filter")
		}
		res = rita.get(contact + "?from=2026-03-03")
		if !strings.Contains(res.body, "No portal activity matches this filter.") {
			t.Error("a date after everything still lists actions")
		}
		res = rita.get(contact + "?from=2026-03-02&to=2026-03-02")
		if !strings.Contains(res.body, "Rated Ann Archer") {
			t.Error("today's actions are missing from today's range")
		}
		res = rita.get(contact + "?from=yesterday&action=nonsense")
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Enter a date like 2026-03-02.") || !strings.Contains(res.body, "Choose an action from the list.") {
			t.Fatalf("bad filter: %d", res.status)
		}

		// The export: same filter, readable, and safe in a spreadsheet.
		res = rita.get(contact + "/activity.csv")
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") || !strings.Contains(res.header.Get("Content-Disposition"), "portal-activity-ann-hiring.csv") {
			t.Fatalf("export: %d %q %q", res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
		}
		rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
		must(t, err)
		evs, total, err := db.Services().Events.FindEvents(testkit.AsUser(w.rita), portico.EventFilter{ContactID: w.a1.ID, Limit: 500})
		must(t, err)
		if len(rows) != total+1 || len(evs) != total || strings.Join(rows[0], "|") != "Time (UTC)|Action|What|Job|IP address|Browser" {
			t.Fatalf("export has %d rows for %d events: %v", len(rows), total, rows[0])
		}
		var used []string
		for _, r := range rows[1:] {
			if r[1] == "link.used" {
				used = r
			}
			for _, cell := range r {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("a cell starts a formula: %q", cell)
				}
			}
		}
		if used == nil || used[5] != `'=HYPERLINK("http://evil.test","Click")` || used[3] != "Senior Nurse" || used[4] != "127.0.0.1" {
			t.Fatalf("the link's use in the export: %q", used)
		}
		if _, err := time.Parse(time.RFC3339, rows[1][0]); err != nil {
			t.Errorf("time %q is not ISO 8601", rows[1][0])
		}
		res = rita.get(contact + "/activity.csv?action=portal.rated")
		rows, err = csv.NewReader(strings.NewReader(res.body)).ReadAll()
		must(t, err)
		if len(rows) != 2 || rows[1][1] != "portal.rated" {
			t.Fatalf("filtered export: %v", rows)
		}
		if res := rita.get(contact + "/activity.csv?to=someday"); res.status != http.StatusBadRequest {
			t.Fatalf("export with a bad date: %d", res.status)
		}
		if res := w.s.client().get(contact + "/activity.csv"); res.status != http.StatusSeeOther {
			t.Fatalf("visitor export: %d", res.status)
		}
		if res := w.s.portalSignedIn(w.a1.Email).get(contact + "/activity.csv"); res.status != http.StatusSeeOther {
			t.Fatalf("contact export: %d", res.status)
		}

		// Expire from the contact's page.
		res = rita.post("/links/"+strconv.FormatInt(nl[0].Link.ID, 10)+"/revoke", url.Values{"next": {contact + "#links-h"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("expire: %d", res.status)
		}
		res = rita.get(contact)
		if !strings.Contains(res.body, "Revoked") || !strings.Contains(res.body, "expired Ann Hiring’s link to the Senior Nurse tracker") {
			t.Error("the revoke isn't shown")
		}

		// The weekly report switch shows what is stored.
		if res := rita.post(contact+"/weekly-report", url.Values{"on": {"0"}}); res.status != http.StatusSeeOther {
			t.Fatalf("weekly report off: %d", res.status)
		}
		if res := rita.get(contact); !strings.Contains(res.body, "Turn on the weekly report") || !strings.Contains(res.body, `name="on" value="1"`) {
			t.Error("the switch doesn't show the report is off")
		}
	})
}

func TestContactPagePager(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		for range 30 {
			testkit.PortalSignIn(t, db, w.a1.Email)
		}
		rita := w.s.signedIn(w.rita.Email)
		contact := "/contacts/" + strconv.FormatInt(w.a1.ID, 10)
		res := rita.get(contact + "?action=contact.signed_in")
		next := contact + "?action=contact.signed_in&amp;aoffset=25#actions-h"
		if !strings.Contains(res.body, "1–25 of 31") || !strings.Contains(res.body, `href="`+next+`"`) {
			t.Fatalf("no pager for 31 sign-ins:\n%s", mainOf(res.body))
		}
		res = rita.get(contact + "?action=contact.signed_in&aoffset=25")
		if !strings.Contains(res.body, "26–31 of 31") {
			t.Fatal("the second page is wrong")
		}
	})
}
