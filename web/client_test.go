package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

const cjRita = "rita@agency.test"

// clientSite is a site with a recruiter, a deactivated user and a client
// with a contact, a location and a job.
type clientSite struct {
	*site
	rec, gone *portico.User
	acme      *portico.Client
	hal       *portico.Contact
	ward      *portico.Location
	job       *portico.Job
}

func newClientSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *clientSite {
	t.Helper()
	s := newSite(t, db, clock)
	cs := &clientSite{site: s}
	cs.rec = testkit.AddUser(t, db, "Rita Recruiter", cjRita, portico.RoleRecruiter)
	cs.gone = testkit.AddUser(t, db, "Gus Gone", "gus@agency.test", portico.RoleRecruiter)
	if _, err := db.Services().Users.UpdateUser(context.Background(), cs.gone.ID, portico.UserUpdate{Active: cjPtr(false)}); err != nil {
		t.Fatal(err)
	}
	var err error
	cs.acme, err = db.Services().Clients.CreateClient(context.Background(), portico.ClientInput{Name: "Acme Health", OwnerID: cs.rec.ID, Website: "acme.test", Notes: "Pays late; chase."})
	if err != nil {
		t.Fatal(err)
	}
	cs.hal = testkit.AddContact(t, db, cs.acme.ID, "Hal Hiring", "hal@acme.test")
	cs.ward = testkit.AddLocation(t, db, cs.acme.ID, "Ward 9")
	cs.job = testkit.AddJob(t, db, cs.acme.ID, cs.rec.ID, "Senior Nurse")
	return cs
}

func cjPtr[T any](v T) *T { return &v }

func cjPath(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestClientPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newClientSite(t, db, clock)
		other := testkit.AddClient(t, db, "Brightwater Care")
		_, err := db.Services().Clients.CreateClient(context.Background(), portico.ClientInput{Name: "Sleepy Ltd", Status: portico.ClientInactive})
		if err != nil {
			t.Fatal(err)
		}
		acme := cjPath("/clients/%d", s.acme.ID)
		s.run(t, []scenario{
			{name: "visitor list goes to sign-in", method: "GET", path: "/clients", status: 303, location: "/signin"},
			{name: "visitor can't add", method: "POST", path: "/clients", form: url.Values{"name": {"Evil"}}, status: 303, location: "/signin"},
			{name: "visitor can't see a client", method: "GET", path: acme, status: 303, location: "/signin"},
			{name: "list", as: cjRita, method: "GET", path: "/clients", status: 200,
				contains: []string{"Acme Health", "Brightwater Care", "Sleepy Ltd", "Rita Recruiter", `href="/jobs?client=` + fmt.Sprint(s.acme.ID) + `&amp;status=open"`, "1–3 of 3", `<th scope="col" class="cj-num">Open jobs</th>`}},
			{name: "search by name, any case", as: cjRita, method: "GET", path: "/clients?q=ACME", status: 200,
				contains: []string{"Acme Health", "Clear filters"}, forbidden: []string{"Brightwater Care", "Sleepy Ltd"}},
			{name: "search wildcard is literal", as: cjRita, method: "GET", path: "/clients?q=%25", status: 200,
				contains: []string{"No clients match these filters."}, forbidden: []string{"Acme Health"}},
			{name: "filter inactive", as: cjRita, method: "GET", path: "/clients?status=inactive", status: 200,
				contains: []string{"Sleepy Ltd"}, forbidden: []string{"Acme Health", "Brightwater Care"}},
			{name: "filter owner", as: cjRita, method: "GET", path: cjPath("/clients?owner=%d", s.rec.ID), status: 200,
				contains: []string{"Acme Health"}, forbidden: []string{"Brightwater Care", "Sleepy Ltd"}},
			{name: "nonsense filters are ignored", as: cjRita, method: "GET", path: "/clients?status=weird&owner=abc&offset=-5", status: 200,
				contains: []string{"Acme Health", "Brightwater Care"}},
			{name: "client page", as: cjRita, method: "GET", path: acme, status: 200, contains: []string{
				"<h1>Acme Health</h1>", "Pays late; chase.", `href="https://acme.test"`,
				"Hal Hiring", "hal@acme.test", "Not registered", "<th scope=\"col\">Portal account</th>",
				"Ward 9", "Europe/London", "Senior Nurse", `href="/jobs/new?client=` + fmt.Sprint(s.acme.ID) + `"`,
				"added the client Acme Health", "added the contact Hal Hiring", "added the location Ward 9",
			}, forbidden: []string{"Brightwater Care", "style="}},
			{name: "another client's page", as: cjRita, method: "GET", path: cjPath("/clients/%d", other.ID), status: 200,
				contains: []string{"No contacts yet.", "No locations yet.", "No jobs for Brightwater Care yet."}, forbidden: []string{"Hal Hiring", "Ward 9", "Senior Nurse"}},
			{name: "unknown client", as: cjRita, method: "GET", path: "/clients/999999", status: 404, contains: []string{"no such client"}},
			{name: "malformed client id", as: cjRita, method: "GET", path: "/clients/abc", status: 404},
			{name: "unknown client edit", as: cjRita, method: "GET", path: "/clients/999999/edit", status: 404},
			{name: "unknown client update", as: cjRita, method: "POST", path: "/clients/999999", form: url.Values{"name": {"X"}}, status: 404},
			{name: "unknown client new contact", as: cjRita, method: "GET", path: "/clients/999999/contacts/new", status: 404},
			{name: "unknown client add contact", as: cjRita, method: "POST", path: "/clients/999999/contacts", form: url.Values{"name": {"X"}}, status: 404},
			{name: "unknown client new location", as: cjRita, method: "GET", path: "/clients/999999/locations/new", status: 404},
			{name: "unknown client add location", as: cjRita, method: "POST", path: "/clients/999999/locations", form: url.Values{"name": {"X"}, "time_zone": {"UTC"}}, status: 404},
			{name: "new client form", as: cjRita, method: "GET", path: "/clients/new", status: 200,
				contains: []string{`<label for="f-name">Company name</label>`, `<label for="f-owner_id">Owner</label>`, "Rita Recruiter"}, forbidden: []string{"Gus Gone"}},
			{name: "add without a name", as: cjRita, method: "POST", path: "/clients", form: url.Values{"name": {"  "}, "website": {"kept.test"}}, status: 422,
				contains: []string{"Enter the company&#39;s name.", `aria-invalid="true"`, `aria-describedby="f-name-error"`, `value="kept.test"`}},
			{name: "add with a deactivated owner", as: cjRita, method: "POST", path: "/clients", form: url.Values{"name": {"Zed"}, "owner_id": {fmt.Sprint(s.gone.ID)}}, status: 422,
				contains: []string{"Choose an active member of the agency.", `aria-describedby="f-owner_id-error"`}},
			{name: "add with a bad status", as: cjRita, method: "POST", path: "/clients", form: url.Values{"name": {"Zed"}, "status": {"dormant"}}, status: 422,
				contains: []string{"Choose active or inactive."}},
			{name: "add", as: cjRita, method: "POST", path: "/clients", form: url.Values{"name": {"Zed Clinics"}, "status": {"active"}, "owner_id": {fmt.Sprint(s.rec.ID)}}, status: 303, location: "/clients/"},
			{name: "add with a long name", as: cjRita, method: "POST", path: "/clients", form: url.Values{"name": {strings.Repeat("Zy", 100)}}, status: 303},
			{name: "long name confirmed", as: cjRita, method: "GET", path: "/clients?q=zyzy", status: 200, contains: []string{"…", " was added."}},
			{name: "edit form keeps the values", as: cjRita, method: "GET", path: acme + "/edit", status: 200,
				contains: []string{`value="Acme Health"`, "Pays late; chase.", `value="acme.test"`}},
			{name: "edit refused keeps input", as: cjRita, method: "POST", path: acme, form: url.Values{"name": {""}, "notes": {"New notes"}}, status: 422,
				contains: []string{"Enter the company&#39;s name.", "New notes"}},
			{name: "edit", as: cjRita, method: "POST", path: acme, form: url.Values{"name": {"Acme Health Group"}, "status": {"active"}, "owner_id": {fmt.Sprint(s.rec.ID)}, "website": {"acme.test"}}, status: 303, location: acme},
			{name: "edit shows confirmation and history", as: cjRita, method: "GET", path: acme, status: 200,
				contains: []string{"Changes to Acme Health Group were saved.", "updated the client Acme Health Group (name, notes)"}},
		})
		if n := len(clientsNamed(t, db, "Zed ")); n != 1 {
			t.Fatalf("%d clients named Zed…, want only the one added", n)
		}
	})
}

// clientsNamed returns the clients whose names contain q.
func clientsNamed(t *testing.T, db *sqlstore.DB, q string) []*portico.Client {
	t.Helper()
	cs, _, err := db.Services().Clients.FindClients(context.Background(), portico.ClientFilter{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestClientListPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		for i := range 53 {
			testkit.AddClient(t, db, fmt.Sprintf("Client %02d", i))
		}
		s.run(t, []scenario{
			{name: "first page", as: testkit.AdminEmail, method: "GET", path: "/clients", status: 200,
				contains: []string{"Client 00", "Client 49", "1–50 of 53", `href="/clients?offset=50"`}, forbidden: []string{"Client 50", "rel=\"prev\""}},
			{name: "second page", as: testkit.AdminEmail, method: "GET", path: "/clients?offset=50", status: 200,
				contains: []string{"Client 50", "Client 52", "51–53 of 53", `href="/clients?offset=0"`}, forbidden: []string{"Client 49", "rel=\"next\""}},
			{name: "pages keep the filter", as: testkit.AdminEmail, method: "GET", path: "/clients?q=client&status=active", status: 200,
				contains: []string{`href="/clients?offset=50&amp;q=client&amp;status=active"`}},
		})
	})
}

func TestClientEmpty(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		s.run(t, []scenario{
			{name: "empty list", as: testkit.AdminEmail, method: "GET", path: "/clients", status: 200,
				contains: []string{"No clients yet. Add your first client", `href="/clients/new"`}},
		})
	})
}

func TestContactPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newClientSite(t, db, clock)
		other := testkit.AddClient(t, db, "Brightwater Care")
		hal := cjPath("/contacts/%d", s.hal.ID)
		newAt := cjPath("/clients/%d/contacts", s.acme.ID)
		s.run(t, []scenario{
			{name: "visitor", method: "GET", path: hal, status: 303, location: "/signin"},
			{name: "contact page", as: cjRita, method: "GET", path: hal, status: 200, contains: []string{
				"<h1>Hal Hiring</h1>", "Acme Health", "Hiring Manager", "hal@acme.test",
				"Portal access", "Not registered", "Not invited yet", "added the contact Hal Hiring",
			}, forbidden: []string{"style="}},
			{name: "unknown contact", as: cjRita, method: "GET", path: "/contacts/999999", status: 404, contains: []string{"no such contact"}},
			{name: "unknown contact edit", as: cjRita, method: "GET", path: "/contacts/999999/edit", status: 404},
			{name: "unknown contact update", as: cjRita, method: "POST", path: "/contacts/999999", form: url.Values{"name": {"X"}}, status: 404},
			{name: "new contact form", as: cjRita, method: "GET", path: newAt + "/new", status: 200,
				contains: []string{"Add a contact at Acme Health", `<label for="f-email">Email (optional)</label>`}},
			{name: "add without a name, bad email", as: cjRita, method: "POST", path: newAt, form: url.Values{"name": {""}, "email": {"nope"}, "title": {"Matron"}}, status: 422,
				contains: []string{"Enter the contact&#39;s name.", "Enter an email address like name@example.com", `value="Matron"`, `aria-describedby="f-email-error"`}},
			{name: "add with a taken email", as: cjRita, method: "POST", path: cjPath("/clients/%d/contacts", other.ID), form: url.Values{"name": {"Hal Twin"}, "email": {"HAL@acme.test"}}, status: 409,
				contains: []string{"Another contact has this email address already", `value="Hal Twin"`, `aria-describedby="f-email-error"`}},
			{name: "add", as: cjRita, method: "POST", path: newAt, form: url.Values{"name": {"Mo Matron"}, "title": {"Matron"}, "email": {"mo@acme.test"}}, status: 303, location: cjPath("/clients/%d", s.acme.ID)},
			{name: "added shows on the client", as: cjRita, method: "GET", path: cjPath("/clients/%d", s.acme.ID), status: 200,
				contains: []string{"Mo Matron was added as a contact at Acme Health.", "mo@acme.test", "added the contact Mo Matron"}},
			{name: "edit form", as: cjRita, method: "GET", path: hal + "/edit", status: 200, contains: []string{`value="Hal Hiring"`, `value="hal@acme.test"`}},
			{name: "edit to a taken email", as: cjRita, method: "POST", path: hal, form: url.Values{"name": {"Hal Hiring"}, "email": {"mo@acme.test"}}, status: 409,
				contains: []string{"Another contact has this email address already"}},
			{name: "edit", as: cjRita, method: "POST", path: hal, form: url.Values{"name": {"Hal Hiring"}, "title": {"Director"}, "email": {"hal@acme.test"}}, status: 303, location: hal},
			{name: "edit shows", as: cjRita, method: "GET", path: hal, status: 200, contains: []string{"Changes to Hal Hiring were saved.", "Director", "updated the contact Hal Hiring (title)"}},
		})
		ks, total, err := db.Services().Clients.FindContacts(context.Background(), other.ID, 0, 10)
		if err != nil || total != 0 {
			t.Fatalf("a refused contact was stored: %+v %v", ks, err)
		}
	})
}

func TestLocationPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newClientSite(t, db, clock)
		ward := cjPath("/locations/%d", s.ward.ID)
		newAt := cjPath("/clients/%d/locations", s.acme.ID)
		s.run(t, []scenario{
			{name: "new location form", as: cjRita, method: "GET", path: newAt + "/new", status: 200,
				contains: []string{"Add a location for Acme Health", `<option value="Europe/London" selected>`, `<label for="f-time_zone">Time zone</label>`}},
			{name: "add without a zone", as: cjRita, method: "POST", path: newAt, form: url.Values{"name": {"Clinic"}, "address": {"3 Lane"}}, status: 422,
				contains: []string{"Choose a time zone", "3 Lane", `aria-describedby="f-time_zone-error"`}},
			{name: "add with a made-up zone", as: cjRita, method: "POST", path: newAt, form: url.Values{"name": {"Clinic"}, "time_zone": {"Mars/Olympus"}}, status: 422,
				contains: []string{"Choose a time zone"}, forbidden: []string{"Mars/Olympus"}},
			{name: "add", as: cjRita, method: "POST", path: newAt, form: url.Values{"name": {"Bath clinic"}, "address": {"1 Spa Rd\nBath"}, "time_zone": {"Europe/London"}}, status: 303, location: cjPath("/clients/%d", s.acme.ID)},
			{name: "added shows on the client", as: cjRita, method: "GET", path: cjPath("/clients/%d", s.acme.ID), status: 200,
				contains: []string{"Bath clinic was added to Acme Health&#39;s locations.", "1 Spa Rd\nBath", "added the location Bath clinic"}},
			{name: "edit form", as: cjRita, method: "GET", path: ward + "/edit", status: 200, contains: []string{`value="Ward 9"`, `<option value="Europe/London" selected>`}},
			{name: "edit", as: cjRita, method: "POST", path: ward, form: url.Values{"name": {"Ward 9"}, "address": {"Level 2"}, "time_zone": {"Asia/Kathmandu"}}, status: 303},
			{name: "edit shows", as: cjRita, method: "GET", path: cjPath("/clients/%d", s.acme.ID), status: 200,
				contains: []string{"Changes to Ward 9 were saved.", "Asia/Kathmandu", "updated the location Ward 9 (address, time zone)"}},
			{name: "edit keeps an unlisted zone", as: cjRita, method: "GET", path: ward + "/edit", status: 200, contains: []string{`<option value="Asia/Kathmandu" selected>`}},
			{name: "unknown location edit", as: cjRita, method: "GET", path: "/locations/999999/edit", status: 404, contains: []string{"no such location"}},
			{name: "unknown location update", as: cjRita, method: "POST", path: "/locations/999999", form: url.Values{"name": {"X"}, "time_zone": {"UTC"}}, status: 404},
		})
	})
}

func TestClientHistoryPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newClientSite(t, db, clock)
		for i := range 25 {
			testkit.AddLocation(t, db, s.acme.ID, fmt.Sprintf("Site %02d", i))
		}
		c := s.signedIn(cjRita)
		res := c.get(cjPath("/clients/%d", s.acme.ID))
		if !strings.Contains(res.body, "1–20 of 29") || !strings.Contains(res.body, cjPath(`href="/clients/%d?history=20#history-h"`, s.acme.ID)) {
			t.Fatalf("history isn't paged:\n%s", res.body)
		}
		res = c.get(cjPath("/clients/%d?history=20", s.acme.ID))
		if res.status != http.StatusOK || !strings.Contains(res.body, "21–29 of 29") || !strings.Contains(res.body, "added the client Acme Health") {
			t.Fatalf("history page 2: %d", res.status)
		}
	})
}
