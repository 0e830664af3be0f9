package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// auditWorld: Acme Health (whose contact Ann signs in and gives feedback)
// and Bolt Engineering (whose contact Bea only signs in), over three days.
type auditWorld struct {
	s                *site
	acme, bolt       *portico.Client
	nurse, engineer  *portico.Job
	ann, bea         *portico.Contact
	annApp           int64
	recruiter        *portico.User
	day1, day2, day3 time.Time
}

func newAuditWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *auditWorld {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	w := &auditWorld{day1: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	w.day2, w.day3 = w.day1.AddDate(0, 0, 1), w.day1.AddDate(0, 0, 2)
	clock.Set(w.day1)
	w.s = newSite(t, db, clock)
	w.recruiter = testkit.AddUser(t, db, "Rick Recruiter", "rick@agency.test", portico.RoleRecruiter)
	w.acme = testkit.AddClient(t, db, "Acme Health")
	w.bolt = testkit.AddClient(t, db, "Bolt Engineering")
	w.nurse = testkit.AddJob(t, db, w.acme.ID, w.s.admin.ID, "Senior Nurse")
	w.engineer = testkit.AddJob(t, db, w.bolt.ID, w.s.admin.ID, "Site Engineer")
	cand := testkit.AddCandidate(t, db, "Alex", "Archer")
	if _, err := svc.Applications.AddToShortlist(ctx, w.nurse.ID, []int64{cand.ID}); err != nil {
		t.Fatal(err)
	}
	apps, _, err := svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: w.nurse.ID})
	if err != nil || len(apps) != 1 {
		t.Fatalf("shortlist: %v", err)
	}
	w.annApp = apps[0].ID
	testkit.ShareApplication(t, db, w.annApp)
	w.ann = testkit.PortalContact(t, db, w.acme.ID, "Ann Hiring", "ann@acme.test")
	w.bea = testkit.PortalContact(t, db, w.bolt.ID, "Bea Bolt", "bea@bolt.test")

	clock.Set(w.day2)
	w.s.portalSignedIn("ann@acme.test")
	if err := svc.PortalActions.Feedback(testkit.AsContact(w.ann), w.nurse.ID, w.annApp, "Strong on wards."); err != nil {
		t.Fatal(err)
	}
	clock.Set(w.day3)
	w.s.portalSignedIn("bea@bolt.test")
	return w
}

func TestAudit(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newAuditWorld(t, db, clock)
		ann, acme, nurse := fmt.Sprint(w.ann.ID), fmt.Sprint(w.acme.ID), fmt.Sprint(w.nurse.ID)
		w.s.run(t, []scenario{
			{name: "visitor", path: "/audit", status: http.StatusSeeOther, location: "/signin"},
			{name: "recruiter", as: "rick@agency.test", path: "/audit", status: http.StatusForbidden, forbidden: []string{"Ann Hiring"}},
			{name: "recruiter csv", as: "rick@agency.test", path: "/audit.csv", status: http.StatusForbidden},
			{name: "recruiter nav", as: "rick@agency.test", path: "/jobs", status: http.StatusOK, forbidden: []string{`href="/audit"`}},
			{name: "all", as: testkit.AdminEmail, path: "/audit", status: http.StatusOK,
				contains: []string{`href="/audit" aria-current="page"`, "<h1>Audit</h1>", "Ann Hiring", "Bea Bolt", "Ada Admin", "Client contact", "Agency user",
					"gave feedback", "signed in to the portal", "set up the agency", `href="/audit.csv"`, "192.0.2.20", `<label for="f-from">From</label>`},
				forbidden: []string{"Nothing matches"}},
			{name: "contact", as: testkit.AdminEmail, path: "/audit?contact=" + ann, status: http.StatusOK,
				contains:  []string{"Ann Hiring", "gave feedback", "signed in to the portal", `href="/audit.csv?contact=` + ann + `"`, "Clear filters"},
				forbidden: []string{"Bea Bolt", "set up the agency", "invited Ann Hiring"}},
			{name: "client", as: testkit.AdminEmail, path: "/audit?client=" + acme, status: http.StatusOK,
				contains:  []string{"Ann Hiring", "Senior Nurse", `<option value="` + ann + `">Ann Hiring</option>`, `<option value="` + nurse + `">Senior Nurse</option>`},
				forbidden: []string{"Bea Bolt", "Site Engineer"}},
			{name: "job and action", as: testkit.AdminEmail, path: "/audit?job=" + nurse + "&action=portal.feedback", status: http.StatusOK,
				contains:  []string{"gave feedback", `<option value="portal.feedback" selected>Gave feedback</option>`},
				forbidden: []string{"signed in to the portal", "Bea Bolt"}},
			{name: "one day", as: testkit.AdminEmail, path: "/audit?from=2026-03-04&to=2026-03-04", status: http.StatusOK,
				contains:  []string{"Bea Bolt", "signed in to the portal"},
				forbidden: []string{"Ann Hiring", "gave feedback"}},
			{name: "from a day", as: testkit.AdminEmail, path: "/audit?from=2026-03-03&action=contact.signed_in", status: http.StatusOK,
				contains: []string{"Ann Hiring", "Bea Bolt"}},
			{name: "nothing matches", as: testkit.AdminEmail, path: "/audit?contact=" + ann + "&action=portal.hired", status: http.StatusOK,
				contains: []string{"Nothing matches these filters"}},
			{name: "bad date", as: testkit.AdminEmail, path: "/audit?from=yesterday", status: http.StatusUnprocessableEntity,
				contains: []string{"Enter a date like 2026-03-02.", `aria-invalid="true"`}, forbidden: []string{"Nothing matches"}},
			{name: "dates reversed", as: testkit.AdminEmail, path: "/audit?from=2026-03-04&to=2026-03-02", status: http.StatusUnprocessableEntity,
				contains: []string{"The end date is before the start date."}},
			{name: "junk ids", as: testkit.AdminEmail, path: "/audit?client=x&contact=-3&job=99999999&action=%3Cscript%3E", status: http.StatusOK,
				forbidden: []string{"<script>"}},
		})
	})
}

// auditCSV downloads the audit export and parses it.
func auditCSV(t *testing.T, c *client, query string) [][]string {
	t.Helper()
	res := c.get("/audit.csv" + query)
	if res.status != http.StatusOK {
		t.Fatalf("GET /audit.csv%s: %d\n%s", query, res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".csv") {
		t.Errorf("content disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatalf("the export doesn't parse as CSV: %v", err)
	}
	return rows
}

func TestAuditCSV(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newAuditWorld(t, db, clock)
		ctx := testkit.AsUser(w.s.admin)
		// A contact whose name is a formula signs in: the actor's cell.
		testkit.PortalContact(t, db, w.bolt.ID, "=SUM(A1:A9)", "sum@bolt.test")
		adm := w.s.signedIn(testkit.AdminEmail)
		evil := testkit.AddClient(t, db, "Evil Ltd")

		_, total, err := db.Services().Events.FindEvents(ctx, portico.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		rows := auditCSV(t, adm, "")
		want := []string{"time", "actor kind", "actor", "action", "subject", "client", "job", "candidate", "IP", "user agent", "details"}
		if !slices.Equal(rows[0], want) {
			t.Fatalf("header %q", rows[0])
		}
		if len(rows)-1 != total {
			t.Errorf("%d rows, want %d events", len(rows)-1, total)
		}
		// Newest first: the client just added.
		first := rows[1]
		if first[3] != "client.created" || first[1] != "system" || first[2] != "Portico" || first[4] != fmt.Sprintf("client %d (Evil Ltd)", evil.ID) {
			t.Errorf("first row %q", first)
		}
		if _, err := time.Parse(time.RFC3339, first[0]); err != nil || !strings.HasSuffix(first[0], "Z") {
			t.Errorf("time %q is not ISO 8601 UTC", first[0])
		}
		defused := false
		for _, row := range rows[1:] {
			defused = defused || row[2] == "'=SUM(A1:A9)"
			for i, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("column %s starts with a formula character: %q", rows[0][i], cell)
				}
			}
		}
		if !defused {
			t.Error("no row by the contact named =SUM(A1:A9), defused")
		}

		// Filtered as on the page: Ann's feedback, with its job, candidate,
		// client, address and details.
		rows = auditCSV(t, adm, "?contact="+fmt.Sprint(w.ann.ID)+"&action=portal.feedback")
		if len(rows) != 2 {
			t.Fatalf("Ann's feedback: %d rows", len(rows)-1)
		}
		r := rows[1]
		if r[1] != "contact" || r[2] != "Ann Hiring" || r[5] != fmt.Sprint(w.acme.ID)+" Acme Health" || r[6] != fmt.Sprint(w.nurse.ID)+" Senior Nurse" ||
			!strings.HasSuffix(r[7], " Alex Archer") || r[8] != "192.0.2.20" || r[9] != "testkit" || !strings.Contains(r[10], "excerpt=Strong on wards.") {
			t.Errorf("feedback row %q", r)
		}
		res := adm.get("/audit.csv?to=nonsense")
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Enter a date like") {
			t.Errorf("bad date: %d", res.status)
		}
	})
}

// TestAuditCSVPages: an export longer than a page of the store streams
// every event once, newest first, even while events are being written.
func TestAuditCSVPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		latest, err := db.Services().Events.LatestEventID(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		const n = 1234
		i := 0
		_, err = db.BulkInsert(context.Background(), "events", []string{"id", "at", "actor_kind", "actor_id", "actor_name", "action", "subject_type", "subject_id", "ip", "details"},
			func() ([]any, bool) {
				if i == n {
					return nil, false
				}
				i++
				return []any{latest + int64(i), clock.Now(), "user", s.admin.ID, "Ada Admin", "user.signed_in", "user", s.admin.ID, fmt.Sprintf("198.51.100.%d", i%250), "{}"}, true
			})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.FinishBulk(context.Background()); err != nil {
			t.Fatal(err)
		}
		rows := auditCSV(t, s.signedIn(testkit.AdminEmail), "?action=user.signed_in")
		// The sign-in that downloads it is one more.
		if len(rows)-1 != n+1 {
			t.Fatalf("%d rows, want %d", len(rows)-1, n+1)
		}
		prev := ""
		for _, r := range rows[1:] {
			if prev != "" && r[0] > prev {
				t.Fatalf("not newest first: %s after %s", r[0], prev)
			}
			prev = r[0]
		}
	})
}

// TestAuditRecordByAddress: an event that names its contact only by the
// address it emailed (a portal sign-in link) shows that address as its
// record, not "contact 7".
func TestAuditRecordByAddress(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newAuditWorld(t, db, clock)
		if res := w.s.client().post("/portal/link", url.Values{"email": {"ann@acme.test"}}); res.status != http.StatusOK {
			t.Fatalf("ask for a sign-in link: %d", res.status)
		}
		ann := fmt.Sprint(w.ann.ID)
		w.s.run(t, []scenario{
			{name: "sign-in link", as: testkit.AdminEmail, path: "/audit?action=contact.sign_in_link_sent", status: http.StatusOK,
				contains:  []string{"emailed a portal sign-in link to ann@acme.test", `<a href="/contacts/` + ann + `">ann@acme.test</a>`},
				forbidden: []string{">contact " + ann + "<"}},
		})
	})
}
