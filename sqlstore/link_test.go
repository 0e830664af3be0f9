package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// linkWorld is an agency with two clients: Acme with two jobs, each with a
// shared candidate, and a connected portal contact; Bolt with one.
type linkWorld struct {
	*portalWorld
	nurse, porter, engineer *portico.Job
	hana, bea               *portico.Contact
}

func newLinkWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *linkWorld {
	t.Helper()
	w := &linkWorld{portalWorld: newPortalWorld(t, db, clock)}
	w.nurse = testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Senior Nurse")
	w.porter = testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Night Porter")
	w.engineer = testkit.AddJob(t, db, w.other.ID, w.rec.ID, "Site Engineer")
	for _, j := range []*portico.Job{w.nurse, w.porter, w.engineer} {
		c := testkit.AddCandidate(t, db, "Cand", j.Title[:4])
		_, err := db.Services().Applications.AddToShortlist(context.Background(), j.ID, []int64{c.ID})
		ok(t, err)
		apps, _, err := db.Services().Applications.FindApplications(context.Background(), portico.ApplicationFilter{JobID: j.ID})
		ok(t, err)
		testkit.ShareApplication(t, db, apps[0].ID)
	}
	w.hana = testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
	w.bea = testkit.PortalContact(t, db, w.other.ID, "Bea Bolt", "bea@bolt.test")
	return w
}

func links(db *sqlstore.DB) portico.LinkService { return db.Services().Links }

var shareLinkRe = regexp.MustCompile(`http://portico\.test/portal/l/([A-Za-z0-9_-]+)`)

// linkToken pulls the share link's token out of the newest email to the
// address, checking both parts carry it.
func (w *linkWorld) linkToken(t *testing.T, to string) string {
	t.Helper()
	e := w.newestEmail(t, to)
	m := shareLinkRe.FindStringSubmatch(e.Text)
	if m == nil {
		t.Fatalf("no share link in the email to %s:\n%s", to, e.Text)
	}
	if !strings.Contains(e.HTML, m[0]) {
		t.Fatalf("the HTML part lacks %s", m[0])
	}
	return m[1]
}

// visitor is a browser holding a link, before it opens it.
func visitor() context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorVisitor, IP: "198.51.100.7", UserAgent: "LinkBrowser/2.0"})
}

// asSession is the context the portal builds for a session: the contact,
// scoped to the session's link.
func asSession(t *testing.T, db *sqlstore.DB, token string) context.Context {
	t.Helper()
	k, ss, err := portalAuth(db).Authenticate(context.Background(), token)
	ok(t, err)
	return portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: k.ID, Name: k.Name,
		LinkID: ss.LinkID, LinkJobID: ss.LinkJobID, PreviewBy: ss.PreviewBy, IP: "198.51.100.7"})
}

func TestLinkCreateSendAndOpen(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID},
			Emails: []string{" Jane.Doe@Acme.test ", "jane.doe@acme.test"}, Message: "Here is where things stand.\r\n\r\nTalk soon.", Send: true})
		ok(t, err)
		if len(created) != 2 {
			t.Fatalf("created %d links, want 2 (Hana and one for the repeated address)", len(created))
		}
		// The other address became a contact of the client, named from it.
		jane := created[1].Link
		if created[0].Link.ContactID != w.hana.ID || jane.ContactName != "Jane Doe" || jane.ClientID != w.client.ID || jane.SentTo != "jane.doe@acme.test" {
			t.Fatalf("links = %+v, %+v", created[0].Link, jane)
		}
		k, err := db.Services().Clients.FindContactByID(admin(w.admin), jane.ContactID)
		ok(t, err)
		if k.PortalStatus != portico.PortalNotRegistered || k.Email != "jane.doe@acme.test" {
			t.Fatalf("new contact = %+v", k)
		}
		// Defaults from the portal settings: 14 days, no use limit.
		l := created[0].Link
		if l.ExpiresAt == nil || !l.ExpiresAt.Equal(clock.Now().Add(14*24*time.Hour)) || l.MaxUses != 0 || l.Status != portico.LinkActive || l.CreatedName != "Rita Recruiter" {
			t.Fatalf("link = %+v", l)
		}

		// Each got their own email with their own token; only hashes are stored.
		token := w.linkToken(t, "hana@acme.test")
		if token != created[0].Token || len(token) != 43 {
			t.Fatalf("emailed token %q, created %q", token, created[0].Token)
		}
		if w.linkToken(t, "jane.doe@acme.test") != created[1].Token {
			t.Fatal("Jane's email carries someone else's token")
		}
		e := w.newestEmail(t, "hana@acme.test")
		if e.Subject != "Harbour Recruitment shared the Senior Nurse tracker with you" || !strings.Contains(e.Text, "Talk soon.") ||
			!strings.Contains(e.Text, "This link works until Monday 16 March 2026") || !strings.Contains(e.HTML, "Open job tracker") {
			t.Fatalf("email:\n%s\n%s", e.Subject, e.Text)
		}
		sum := sha256.Sum256([]byte(token))
		if count(t, db, `SELECT COUNT(*) FROM portal_links WHERE token_hash = ?`, token) != 0 ||
			count(t, db, `SELECT COUNT(*) FROM portal_links WHERE token_hash = ?`, hex.EncodeToString(sum[:])) != 1 {
			t.Fatal("the token is not stored as its SHA-256 hash")
		}
		if n := len(events(t, db, "link.created")); n != 2 {
			t.Fatalf("%d link.created events", n)
		}

		// Looking at the link (a GET) counts nothing.
		got, err := links(db).CheckLink(visitor(), token)
		ok(t, err)
		if got.ID != l.ID || got.Uses != 0 || got.Status != portico.LinkActive || got.JobTitle != "Senior Nurse" || got.ContactEmail != "hana@acme.test" {
			t.Fatalf("CheckLink = %+v", got)
		}

		clock.Advance(time.Hour)
		visit, err := links(db).OpenLink(visitor(), token)
		ok(t, err)
		if visit.Contact.ID != w.hana.ID || visit.Link.Uses != 1 || visit.SessionToken == "" {
			t.Fatalf("visit = %+v", visit)
		}
		ls, _, err := links(db).FindLinks(admin(w.rec), portico.LinkFilter{ContactID: w.hana.ID})
		ok(t, err)
		if len(ls) != 1 || ls[0].Uses != 1 || ls[0].LastIP != "198.51.100.7" || ls[0].LastUsedAt == nil || !ls[0].LastUsedAt.Equal(clock.Now()) {
			t.Fatalf("FindLinks = %+v", ls)
		}
		uses, err := links(db).LinkUses(admin(w.rec), l.ID)
		ok(t, err)
		if len(uses) != 1 || uses[0].IP != "198.51.100.7" || uses[0].UserAgent != "LinkBrowser/2.0" || !uses[0].At.Equal(clock.Now()) {
			t.Fatalf("uses = %+v", uses)
		}
		k2, ss, err := portalAuth(db).Authenticate(context.Background(), visit.SessionToken)
		ok(t, err)
		if k2.ID != w.hana.ID || ss.LinkID != l.ID || ss.LinkJobID != w.nurse.ID || ss.PreviewBy != 0 || !ss.ExpiresAt.Equal(*l.ExpiresAt) {
			t.Fatalf("session = %+v", ss)
		}
		used := events(t, db, "link.used")
		if len(used) != 1 || used[0].ActorKind != portico.ActorContact || used[0].ActorID != w.hana.ID || used[0].IP != "198.51.100.7" ||
			used[0].JobID != w.nurse.ID || used[0].ClientID != w.client.ID {
			t.Fatalf("link.used = %+v", used)
		}
	})
}

func TestLinkTwoUses(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		before := len(messages(t, db, w.admin))
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}, Uses: 2})
		ok(t, err)
		l := created[0].Link
		if l.ExpiresAt != nil || l.MaxUses != 2 || l.SentTo != "" {
			t.Fatalf("link = %+v", l)
		}
		if len(messages(t, db, w.admin)) != before {
			t.Fatal("a link to copy sent an email")
		}
		for i := range 2 {
			if _, err := links(db).OpenLink(visitor(), created[0].Token); err != nil {
				t.Fatalf("use %d: %v", i+1, err)
			}
		}
		_, err = links(db).OpenLink(visitor(), created[0].Token)
		wantCode(t, err, portico.EFORBIDDEN)
		if !strings.Contains(portico.ErrorMessage(err), "expired") {
			t.Fatalf("message %q", portico.ErrorMessage(err))
		}
		got, err := links(db).CheckLink(visitor(), created[0].Token)
		ok(t, err)
		if got.Status != portico.LinkExpired || got.Uses != 2 {
			t.Fatalf("after two uses: %+v", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM portal_link_uses WHERE link_id = ?`, l.ID); n != 2 {
			t.Fatalf("%d uses logged", n)
		}
		if r := events(t, db, "link.refused"); len(r) != 1 || r[0].Details["status"] != "expired" || r[0].ActorKind != portico.ActorVisitor {
			t.Fatalf("link.refused = %+v", r)
		}
		// A token nobody issued is unknown, not expired.
		_, err = links(db).OpenLink(visitor(), "nope"+created[0].Token[4:])
		wantCode(t, err, portico.ENOTFOUND)
		_, err = links(db).CheckLink(visitor(), "")
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestLinkThreeDays(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}, Days: 3})
		ok(t, err)
		token := created[0].Token
		visit, err := links(db).OpenLink(visitor(), token)
		ok(t, err)
		// Day three, the last minute: it still works, and so does the session.
		clock.Advance(3*24*time.Hour - time.Minute)
		_, err = links(db).OpenLink(visitor(), token)
		ok(t, err)
		_, _, err = portalAuth(db).Authenticate(context.Background(), visit.SessionToken)
		ok(t, err)
		// The fourth day: expired, and the sessions it opened end with it.
		clock.Advance(time.Minute)
		_, err = links(db).OpenLink(visitor(), token)
		wantCode(t, err, portico.EFORBIDDEN)
		_, _, err = portalAuth(db).Authenticate(context.Background(), visit.SessionToken)
		wantCode(t, err, portico.EUNAUTHORIZED)
		got, err := links(db).CheckLink(visitor(), token)
		ok(t, err)
		if got.Status != portico.LinkExpired {
			t.Fatalf("status %s", got.Status)
		}
	})
}

func TestLinkRevoke(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		created, err := links(db).CreateLinks(admin(w.admin), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}, Send: true})
		ok(t, err)
		l := created[0].Link
		visit, err := links(db).OpenLink(visitor(), created[0].Token)
		ok(t, err)
		// Contacts and visitors can't revoke; any agency user can.
		wantCode(t, links(db).RevokeLink(testkit.AsContact(w.hana), l.ID), portico.EUNAUTHORIZED)
		wantCode(t, links(db).RevokeLink(visitor(), l.ID), portico.EUNAUTHORIZED)
		wantCode(t, links(db).RevokeLink(admin(w.rec), 999999), portico.ENOTFOUND)
		ok(t, links(db).RevokeLink(admin(w.rec), l.ID))
		// At once: the open session ends and the link opens no more.
		_, _, err = portalAuth(db).Authenticate(context.Background(), visit.SessionToken)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = links(db).OpenLink(visitor(), created[0].Token)
		wantCode(t, err, portico.EFORBIDDEN)
		got, err := links(db).CheckLink(visitor(), created[0].Token)
		ok(t, err)
		if got.Status != portico.LinkRevoked || got.RevokedAt == nil {
			t.Fatalf("revoked link = %+v", got)
		}
		ok(t, links(db).RevokeLink(admin(w.admin), l.ID)) // again: nothing to do
		revoked := events(t, db, "link.revoked")
		if len(revoked) != 1 || revoked[0].ActorID != w.rec.ID || revoked[0].SubjectID != w.hana.ID || revoked[0].JobID != w.nurse.ID {
			t.Fatalf("link.revoked = %+v", revoked)
		}
		// The contact's password sessions are not the link's: they stay.
		session := testkit.PortalSignIn(t, db, "hana@acme.test")
		created, err = links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}})
		ok(t, err)
		ok(t, links(db).RevokeLink(admin(w.rec), created[0].Link.ID))
		_, _, err = portalAuth(db).Authenticate(context.Background(), session)
		ok(t, err)
	})
}

func TestLinkScope(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		portal := db.Services().Portal
		// Jane has no portal account: the link is her invitation.
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, Emails: []string{"jane@acme.test"}})
		ok(t, err)
		visit, err := links(db).OpenLink(visitor(), created[0].Token)
		ok(t, err)
		if visit.Contact.PortalStatus != portico.PortalNotRegistered {
			t.Fatalf("opening a link changed the account to %s", visit.Contact.PortalStatus)
		}
		ctx := asSession(t, db, visit.SessionToken)
		_, err = portal.Job(ctx, w.nurse.ID)
		ok(t, err)
		_, err = portal.Job(ctx, w.porter.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = portal.Job(ctx, w.engineer.ID)
		wantCode(t, err, portico.ENOTFOUND)
		home, err := portal.Home(ctx)
		ok(t, err)
		if len(home.Jobs) != 1 || home.Jobs[0].ID != w.nurse.ID {
			t.Fatalf("a job link's home lists %d jobs", len(home.Jobs))
		}
		// What the visitor does is theirs, and the event names the link.
		shared, _, err := portal.Candidates(ctx, w.nurse.ID, portico.PortalCandidateFilter{Limit: 1})
		ok(t, err)
		ok(t, db.Services().PortalActions.Rate(ctx, w.nurse.ID, shared[0].ApplicationID, 4))
		rated := events(t, db, "portal.rated")
		if rated[0].ActorID != visit.Contact.ID || rated[0].Details["link"] != strconv.FormatInt(created[0].Link.ID, 10) {
			t.Fatalf("rating by a link visitor recorded as actor %d, details %v", rated[0].ActorID, rated[0].Details)
		}
		// Without the link a not-registered contact sees nothing.
		_, err = portal.Home(testkit.AsContact(visit.Contact))
		wantCode(t, err, portico.EUNAUTHORIZED)

		// A whole-portal link shows all the jobs the contact may see.
		created, err = links(db).CreateLinks(admin(w.rec), portico.LinkInput{ClientID: w.client.ID, ContactIDs: []int64{w.hana.ID}})
		ok(t, err)
		if created[0].Link.JobID != 0 {
			t.Fatalf("whole-portal link has job %d", created[0].Link.JobID)
		}
		visit, err = links(db).OpenLink(visitor(), created[0].Token)
		ok(t, err)
		ctx = asSession(t, db, visit.SessionToken)
		home, err = portal.Home(ctx)
		ok(t, err)
		if len(home.Jobs) != 2 {
			t.Fatalf("a whole-portal link's home lists %d jobs, want 2", len(home.Jobs))
		}
		_, err = portal.Job(ctx, w.engineer.ID)
		wantCode(t, err, portico.ENOTFOUND)

		// A contact who sees chosen jobs only is given the shared job.
		ok(t, db.Services().PortalAccounts.SetAccess(admin(w.rec), w.hana.ID, false, []int64{w.porter.ID}))
		created, err = links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}})
		ok(t, err)
		acct, err := db.Services().PortalAccounts.FindAccount(admin(w.rec), w.hana.ID)
		ok(t, err)
		if acct.AllJobs || len(acct.JobIDs) != 2 {
			t.Fatalf("access after sharing = %+v", acct)
		}
		if evs := events(t, db, "link.created"); evs[0].Details["access"] != "added" {
			t.Fatalf("link.created details = %v", evs[0].Details)
		}
		visit, err = links(db).OpenLink(visitor(), created[0].Token)
		ok(t, err)
		_, err = portal.Job(asSession(t, db, visit.SessionToken), w.nurse.ID)
		ok(t, err)
	})
}

// TestLinkFilterWholePortal: the "Share the portal" page lists one
// client's whole-portal links, not its job links nor another client's.
func TestLinkFilterWholePortal(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		create := func(in portico.LinkInput) int64 {
			t.Helper()
			created, err := links(db).CreateLinks(admin(w.rec), in)
			ok(t, err)
			return created[0].Link.ID
		}
		hanaJob := create(portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}})
		hanaPortal := create(portico.LinkInput{ClientID: w.client.ID, ContactIDs: []int64{w.hana.ID}})
		janePortal := create(portico.LinkInput{ClientID: w.client.ID, Emails: []string{"jane@acme.test"}})
		create(portico.LinkInput{ClientID: w.other.ID, ContactIDs: []int64{w.bea.ID}})
		create(portico.LinkInput{JobID: w.engineer.ID, ContactIDs: []int64{w.bea.ID}})

		ids := func(f portico.LinkFilter) ([]int64, int) {
			t.Helper()
			ls, total, err := links(db).FindLinks(admin(w.rec), f)
			ok(t, err)
			var out []int64
			for _, l := range ls {
				if f.ClientID != 0 && l.ClientID != f.ClientID {
					t.Errorf("link %d is of client %d, not %d", l.ID, l.ClientID, f.ClientID)
				}
				out = append(out, l.ID)
			}
			return out, total
		}
		got, total := ids(portico.LinkFilter{ClientID: w.client.ID, WholePortal: true})
		if !slices.Equal(got, []int64{janePortal, hanaPortal}) || total != 2 {
			t.Fatalf("Acme's whole-portal links = %v (total %d), want %v", got, total, []int64{janePortal, hanaPortal})
		}
		got, total = ids(portico.LinkFilter{ClientID: w.client.ID})
		if !slices.Equal(got, []int64{janePortal, hanaPortal, hanaJob}) || total != 3 {
			t.Fatalf("Acme's links = %v (total %d)", got, total)
		}
		// The total counts past the page.
		got, total = ids(portico.LinkFilter{ClientID: w.client.ID, WholePortal: true, Limit: 1})
		if !slices.Equal(got, []int64{janePortal}) || total != 2 {
			t.Fatalf("a page of one = %v (total %d)", got, total)
		}
		got, total = ids(portico.LinkFilter{ContactID: w.hana.ID, WholePortal: true})
		if !slices.Equal(got, []int64{hanaPortal}) || total != 1 {
			t.Fatalf("Hana's whole-portal links = %v (total %d)", got, total)
		}
		if got, total = ids(portico.LinkFilter{ClientID: 999999, WholePortal: true}); len(got) != 0 || total != 0 {
			t.Fatalf("an unknown client's links = %v (total %d)", got, total)
		}
		// Listing links is for agency users.
		_, _, err := links(db).FindLinks(testkit.AsContact(w.hana), portico.LinkFilter{ClientID: w.client.ID, WholePortal: true})
		if err == nil {
			t.Fatal("a contact listed links")
		}
	})
}

func TestLinkPeopleAndValidation(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		before := count(t, db, `SELECT COUNT(*) FROM contacts`)
		field := func(err error, name string) {
			t.Helper()
			wantCode(t, err, portico.EINVALID)
			if portico.ErrorFields(err)[name] == "" {
				t.Fatalf("no message for %s: %v", name, err)
			}
		}
		cases := []struct {
			name  string
			in    portico.LinkInput
			field string
		}{
			{"no one", portico.LinkInput{JobID: w.nurse.ID}, "contact_id"},
			{"another client's contact", portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.bea.ID}}, "contact_id"},
			{"another client's address", portico.LinkInput{JobID: w.nurse.ID, Emails: []string{"ok@acme.test", "BEA@bolt.test"}}, "emails"},
			{"a bad address", portico.LinkInput{JobID: w.nurse.ID, Emails: []string{"not an address"}}, "emails"},
			{"too many days", portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}, Days: 366}, "days"},
			{"negative uses", portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}, Uses: -1}, "uses"},
		}
		for _, c := range cases {
			_, err := links(db).CreateLinks(admin(w.rec), c.in)
			field(err, c.field)
		}
		_, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: 999999, ContactIDs: []int64{w.hana.ID}})
		wantCode(t, err, portico.ENOTFOUND)
		// Nothing half-made: no links, no contacts from the refused shares.
		if n := count(t, db, `SELECT COUNT(*) FROM portal_links`); n != 0 {
			t.Fatalf("%d links after refused shares", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contacts`); n != before {
			t.Fatalf("contacts went from %d to %d", before, n)
		}

		// Emailing needs an address; a disabled contact gets no link.
		noMail := testkit.AddContact(t, db, w.client.ID, "Nomi Nomail", "")
		_, err = links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{noMail.ID}, Send: true})
		field(err, "contact_id")
		_, err = links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{noMail.ID}})
		ok(t, err) // a link to copy needs no address
		ok(t, db.Services().PortalAccounts.Disable(admin(w.rec), w.hana.ID))
		_, err = links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, Emails: []string{"hana@acme.test"}})
		field(err, "emails")

		// An address of the client's own contact finds them.
		k := testkit.AddContact(t, db, w.client.ID, "Olga Owner", "olga@acme.test")
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{k.ID}, Emails: []string{"OLGA@acme.test"}})
		ok(t, err)
		if len(created) != 1 || created[0].Link.ContactID != k.ID {
			t.Fatalf("created = %+v", created)
		}

		// Only agency users share.
		for _, ctx := range []context.Context{testkit.AsContact(w.bea), visitor()} {
			_, err := links(db).CreateLinks(ctx, portico.LinkInput{JobID: w.engineer.ID, ContactIDs: []int64{w.bea.ID}})
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, _, err = links(db).FindLinks(ctx, portico.LinkFilter{})
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, err = links(db).LinkUses(ctx, created[0].Link.ID)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
	})
}

func TestLinkDisabledContact(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}})
		ok(t, err)
		visit, err := links(db).OpenLink(visitor(), created[0].Token)
		ok(t, err)
		ok(t, db.Services().PortalAccounts.Disable(admin(w.rec), w.hana.ID))
		_, _, err = portalAuth(db).Authenticate(context.Background(), visit.SessionToken)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = links(db).OpenLink(visitor(), created[0].Token)
		wantCode(t, err, portico.EFORBIDDEN)
		if n := count(t, db, `SELECT uses FROM portal_links WHERE id = ?`, created[0].Link.ID); n != 1 {
			t.Fatalf("a refused opening counted: %d uses", n)
		}
	})
}

func TestLinkRenew(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		created, err := links(db).CreateLinks(admin(w.rec), portico.LinkInput{JobID: w.nurse.ID, ContactIDs: []int64{w.hana.ID}, Uses: 1})
		ok(t, err)
		old := created[0].Token
		mails := func() int { return len(messages(t, db, w.admin)) }
		n0 := mails()
		// A link that still works, or one nobody issued: nothing is sent.
		ok(t, links(db).RenewLink(visitor(), old))
		ok(t, links(db).RenewLink(visitor(), "unknown-token"))
		if mails() != n0 {
			t.Fatal("a renewal was sent for a working or unknown link")
		}
		_, err = links(db).OpenLink(visitor(), old)
		ok(t, err)
		ok(t, links(db).RenewLink(visitor(), old))
		if mails() != n0+1 {
			t.Fatal("no renewal sent for the expired link")
		}
		e := w.newestEmail(t, "hana@acme.test")
		if !strings.Contains(e.Subject, "fresh link") || !strings.Contains(e.Text, "Senior Nurse") {
			t.Fatalf("renewal email: %s\n%s", e.Subject, e.Text)
		}
		fresh := w.linkToken(t, "hana@acme.test")
		visit, err := links(db).OpenLink(visitor(), fresh)
		ok(t, err)
		// Same contact and job, the settings' expiry (not the old link's).
		if visit.Link.JobID != w.nurse.ID || visit.Link.ContactID != w.hana.ID || visit.Link.MaxUses != 0 || visit.Link.ExpiresAt == nil {
			t.Fatalf("renewed link = %+v", visit.Link)
		}
		if r := events(t, db, "link.renewed"); len(r) != 1 || r[0].ActorKind != portico.ActorVisitor || r[0].Details["sent_to"] != "hana@acme.test" {
			t.Fatalf("link.renewed = %+v", r)
		}
		// At most three a day for one link.
		ok(t, links(db).RenewLink(visitor(), old))
		ok(t, links(db).RenewLink(visitor(), old))
		ok(t, links(db).RenewLink(visitor(), old))
		if mails() != n0+3 {
			t.Fatalf("%d renewals sent, want 3", mails()-n0)
		}
		clock.Advance(25 * time.Hour)
		ok(t, links(db).RenewLink(visitor(), old))
		if mails() != n0+4 {
			t.Fatal("no renewal the next day")
		}
		// A link the agency turned off is not renewed by whoever holds it:
		// the agency decides whether the contact gets another.
		ok(t, links(db).RevokeLink(admin(w.rec), visit.Link.ID))
		ok(t, links(db).RenewLink(visitor(), fresh))
		if mails() != n0+4 {
			t.Fatal("a revoked link was renewed")
		}
	})
}

func TestLinkPreview(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		_, err := portalAuth(db).StartPreview(testkit.AsContact(w.hana), w.hana.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = portalAuth(db).StartPreview(admin(w.rec), 999999)
		wantCode(t, err, portico.ENOTFOUND)
		fresh := testkit.AddContact(t, db, w.client.ID, "Nell New", "nell@acme.test")
		_, err = portalAuth(db).StartPreview(admin(w.rec), fresh.ID)
		wantCode(t, err, portico.EINVALID)

		token, err := portalAuth(db).StartPreview(admin(w.rec), w.hana.ID)
		ok(t, err)
		k, ss, err := portalAuth(db).Authenticate(context.Background(), token)
		ok(t, err)
		if k.ID != w.hana.ID || ss.PreviewBy != w.rec.ID || ss.LinkID != 0 || !ss.ExpiresAt.Equal(clock.Now().Add(portico.PreviewTTL)) {
			t.Fatalf("preview session = %+v", ss)
		}
		pv := events(t, db, "contact.previewed")
		if len(pv) != 1 || pv[0].ActorID != w.rec.ID || pv[0].ActorKind != portico.ActorUser || pv[0].SubjectID != w.hana.ID || pv[0].ClientID != w.client.ID {
			t.Fatalf("contact.previewed = %+v", pv)
		}
		// The preview reads as the contact.
		home, err := db.Services().Portal.Home(asSession(t, db, token))
		ok(t, err)
		if len(home.Jobs) != 2 {
			t.Fatalf("preview home lists %d jobs", len(home.Jobs))
		}
		// Ending it is not the contact signing out.
		signedOut := len(events(t, db, "contact.signed_out"))
		ok(t, portalAuth(db).SignOut(context.Background(), token))
		if len(events(t, db, "contact.signed_out")) != signedOut {
			t.Fatal("ending a preview recorded the contact signing out")
		}
		_, _, err = portalAuth(db).Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		// It lasts an hour at most.
		token, err = portalAuth(db).StartPreview(admin(w.rec), w.hana.ID)
		ok(t, err)
		clock.Advance(portico.PreviewTTL)
		_, _, err = portalAuth(db).Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestContactFeedbackList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newLinkWorld(t, db, clock)
		apps, _, err := db.Services().Applications.FindApplications(context.Background(), portico.ApplicationFilter{JobID: w.nurse.ID})
		ok(t, err)
		ok(t, db.Services().PortalActions.Feedback(testkit.AsContact(w.hana), w.nurse.ID, apps[0].ID, "Strong on triage."))
		clock.Advance(time.Minute)
		ok(t, db.Services().PortalActions.Feedback(testkit.AsContact(w.hana), w.nurse.ID, apps[0].ID, "Meet her again."))
		fs, total, err := db.Services().PortalAccounts.ContactFeedback(admin(w.rec), w.hana.ID, 0, 10)
		ok(t, err)
		if total != 2 || len(fs) != 2 || fs[0].Body != "Meet her again." || fs[0].JobTitle != "Senior Nurse" || fs[0].CandidateName != apps[0].CandidateName || fs[0].JobID != w.nurse.ID {
			t.Fatalf("feedback = %d %+v", total, fs)
		}
		_, _, err = db.Services().PortalAccounts.ContactFeedback(testkit.AsContact(w.hana), w.hana.ID, 0, 10)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = db.Services().PortalAccounts.ContactFeedback(admin(w.rec), 999999, 0, 10)
		wantCode(t, err, portico.ENOTFOUND)
	})
}
