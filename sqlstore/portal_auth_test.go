package sqlstore_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// portalWorld is an agency with a client, a recruiter and contacts.
type portalWorld struct {
	db     *sqlstore.DB
	clock  *testkit.Clock
	admin  *portico.User
	rec    *portico.User
	client *portico.Client
	other  *portico.Client
}

func newPortalWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *portalWorld {
	t.Helper()
	w := &portalWorld{db: db, clock: clock, admin: testkit.SetUp(t, db)}
	w.rec = testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	w.client = testkit.AddClient(t, db, "Acme Hospitals")
	w.other = testkit.AddClient(t, db, "Borealis Care")
	return w
}

// newestEmail is the newest outbox message to the address.
func (w *portalWorld) newestEmail(t *testing.T, to string) *portico.Email {
	t.Helper()
	for _, m := range messages(t, w.db, w.admin) {
		for _, a := range m.Email.To {
			if a == to {
				return m.Email
			}
		}
	}
	t.Fatalf("no email to %s", to)
	return nil
}

func portalAuth(db *sqlstore.DB) portico.PortalAuthService { return db.Services().PortalAuth }

func TestPortalContactFixture(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		if k.PortalStatus != portico.PortalConnected || k.ClientID != w.client.ID {
			t.Fatalf("contact = %+v", k)
		}
		token := testkit.PortalSignIn(t, db, "hana@acme.test")
		got, ss, err := portalAuth(db).Authenticate(context.Background(), token)
		ok(t, err)
		if got.ID != k.ID || ss.ContactID != k.ID || got.ClientName != "Acme Hospitals" {
			t.Fatalf("Authenticate = %+v, %+v", got, ss)
		}
	})
}

func TestPortalInviteActivate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		accts := db.Services().PortalAccounts
		k := testkit.AddContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		a, err := accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalNotRegistered || !a.AllJobs || a.InvitedAt != nil || a.ActivatedAt != nil || a.LastVisitAt != nil {
			t.Fatalf("new account = %+v", a)
		}

		// Nobody signs in before an invitation.
		_, _, err = portalAuth(db).SignIn(fromIP("203.0.113.9"), "hana@acme.test", testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)

		ok(t, accts.Invite(admin(w.rec), k.ID))
		a, err = accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalPending || a.InvitedAt == nil || !a.InvitedAt.Equal(clock.Now()) {
			t.Fatalf("invited account = %+v", a)
		}
		e := w.newestEmail(t, "hana@acme.test")
		if e.Subject != "Harbour Recruitment invites you to its client portal" {
			t.Errorf("subject %q", e.Subject)
		}
		for _, want := range []string{"Hello Hana Hiring,", "Rita Recruiter has invited you", "for Acme Hospitals", "within 7 days", testkit.BaseURL + "/portal/activate/"} {
			if !strings.Contains(e.Text, want) {
				t.Errorf("invitation lacks %q:\n%s", want, e.Text)
			}
		}
		first := testkit.PortalLink(t, db, "hana@acme.test", "/portal/activate/")
		if !strings.Contains(e.HTML, "/portal/activate/"+first) {
			t.Errorf("HTML lacks the link")
		}
		evs := events(t, db, "contact.invited")
		if len(evs) != 1 || evs[0].ClientID != w.client.ID || evs[0].SubjectID != k.ID || evs[0].ActorID != w.rec.ID {
			t.Fatalf("invited events %+v", evs)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox WHERE event_id = ?`, evs[0].ID); n != 1 {
			t.Errorf("%d emails tied to the event", n)
		}
		// Only the token's hash is stored.
		if n := count(t, db, `SELECT COUNT(*) FROM contact_tokens WHERE token_hash = ?`, sqlstore.HashToken(first)); n != 1 {
			t.Fatalf("token hash stored %d times", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contact_tokens WHERE token_hash = ?`, first); n != 0 {
			t.Fatal("the raw token is stored")
		}

		// Re-inviting ends the older link.
		clock.Advance(time.Hour)
		ok(t, accts.Invite(admin(w.rec), k.ID))
		second := testkit.PortalLink(t, db, "hana@acme.test", "/portal/activate/")
		if second == first {
			t.Fatal("re-invite reused the token")
		}
		_, err = portalAuth(db).CheckActivation(context.Background(), first)
		wantCode(t, err, portico.EUNAUTHORIZED)
		got, err := portalAuth(db).CheckActivation(context.Background(), second)
		ok(t, err)
		if got.ID != k.ID {
			t.Fatalf("CheckActivation = %+v", got)
		}

		// A short password is refused and the link still works.
		_, _, err = portalAuth(db).Activate(fromIP("203.0.113.9"), second, "short")
		wantField(t, err, portico.EINVALID, "password")
		_, err = portalAuth(db).CheckActivation(context.Background(), second)
		ok(t, err)

		clock.Advance(time.Minute)
		session, got, err := portalAuth(db).Activate(fromIP("203.0.113.9"), second, testkit.Password)
		ok(t, err)
		if got.PortalStatus != portico.PortalConnected || session == "" {
			t.Fatalf("activated %+v", got)
		}
		a, err = accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalConnected || a.ActivatedAt == nil || !a.ActivatedAt.Equal(clock.Now()) || a.LastVisitAt == nil {
			t.Fatalf("activated account = %+v", a)
		}
		// The link works once.
		_, _, err = portalAuth(db).Activate(fromIP("203.0.113.9"), second, testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		act := events(t, db, "contact.activated")
		if len(act) != 1 || act[0].ActorKind != portico.ActorContact || act[0].ActorID != k.ID || act[0].ClientID != w.client.ID || act[0].IP != "203.0.113.9" {
			t.Fatalf("activated events %+v", act)
		}
		in := events(t, db, "contact.signed_in")
		if len(in) != 1 || in[0].Details["method"] != "activation" || in[0].ClientID != w.client.ID {
			t.Fatalf("signed-in events %+v", in)
		}
		// The session is stored as a hash and authenticates.
		if n := count(t, db, `SELECT COUNT(*) FROM portal_sessions WHERE token_hash = ?`, sqlstore.HashToken(session)); n != 1 {
			t.Fatal("session not stored by hash")
		}
		me, _, err := portalAuth(db).Authenticate(context.Background(), session)
		ok(t, err)
		if me.ID != k.ID {
			t.Fatalf("Authenticate = %+v", me)
		}
		// And the password works from now on.
		_, _, err = portalAuth(db).SignIn(fromIP("203.0.113.9"), "  HANA@acme.test ", testkit.Password)
		ok(t, err)
	})
}

func TestPortalActivationExpires(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		k := testkit.AddContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		ok(t, db.Services().PortalAccounts.Invite(admin(w.rec), k.ID))
		token := testkit.PortalLink(t, db, "hana@acme.test", "/portal/activate/")
		clock.Advance(portico.ActivationTTL - time.Second)
		_, err := portalAuth(db).CheckActivation(context.Background(), token)
		ok(t, err)
		clock.Advance(time.Second)
		_, err = portalAuth(db).CheckActivation(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = portalAuth(db).Activate(context.Background(), token, testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		if !strings.Contains(portico.ErrorMessage(err), "expired") {
			t.Errorf("message %q", portico.ErrorMessage(err))
		}
		for _, bad := range []string{"", "nope", strings.Repeat("A", 300)} {
			_, err = portalAuth(db).CheckActivation(context.Background(), bad)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
	})
}

func TestPortalSignIn(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		first := clock.Now()
		clock.Advance(24 * time.Hour)

		for _, c := range []struct{ email, password string }{
			{"hana@acme.test", "wrong-password-here"}, {"nobody@acme.test", testkit.Password}, {"", testkit.Password}, {"hana@acme.test", ""},
			{strings.Repeat("h", 20000) + "@acme.test", testkit.Password},
		} {
			_, _, err := portalAuth(db).SignIn(fromIP("203.0.113.9"), c.email, c.password)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		failed := events(t, db, "contact.sign_in_failed")
		if len(failed) != 1 || failed[0].ClientID != w.client.ID || failed[0].SubjectID != k.ID || failed[0].ActorKind != portico.ActorVisitor {
			t.Fatalf("failed events %+v", failed)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM signin_attempts WHERE area = 'portal' AND NOT succeeded`); n != 2 { // the wrong password and the unknown address
			t.Fatalf("%d failed portal attempts recorded", n)
		}

		token, got, err := portalAuth(db).SignIn(fromIP("203.0.113.9"), "hana@acme.test", testkit.Password)
		ok(t, err)
		if got.ID != k.ID || got.PortalStatus != portico.PortalConnected {
			t.Fatalf("signed in %+v", got)
		}
		ev := events(t, db, "contact.signed_in")[0]
		if ev.ActorKind != portico.ActorContact || ev.ActorID != k.ID || ev.ActorName != "Hana Hiring" || ev.ClientID != w.client.ID || ev.Details["method"] != "password" {
			t.Fatalf("signed-in event %+v", ev)
		}
		// The visit is stamped; the one before is kept.
		if n := count(t, db, `SELECT COUNT(*) FROM contacts WHERE id = ? AND previous_visit_at = ?`, k.ID, first); n != 1 {
			t.Fatal("the previous visit was not kept")
		}
		a, err := db.Services().PortalAccounts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if !a.LastVisitAt.Equal(clock.Now()) {
			t.Fatalf("last visit %v, want %v (first was %v)", a.LastVisitAt, clock.Now(), first)
		}

		// Signing out ends the session.
		ok(t, portalAuth(db).SignOut(fromIP("203.0.113.9"), token))
		_, _, err = portalAuth(db).Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)
		out := events(t, db, "contact.signed_out")
		if len(out) != 2 || out[0].ActorID != k.ID || out[0].IP != "203.0.113.9" || out[0].ClientID != w.client.ID {
			t.Fatalf("signed-out events %+v", out)
		}
		ok(t, portalAuth(db).SignOut(context.Background(), token)) // unknown: ignored
		ok(t, portalAuth(db).SignOut(context.Background(), ""))

		// A console user's password is no portal password, and a portal
		// sign-in doesn't open the console.
		_, _, err = portalAuth(db).SignIn(fromIP("203.0.113.9"), testkit.AdminEmail, testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		portalToken := testkit.PortalSignIn(t, db, "hana@acme.test")
		_, _, err = db.Services().Auth.Authenticate(context.Background(), portalToken)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestPortalSessionExpiry(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		auth := portalAuth(db)

		// Idle expiry: used now and then, it lives; left alone, it ends.
		token := testkit.PortalSignIn(t, db, "hana@acme.test")
		clock.Advance(portico.PortalSessionIdle - time.Minute)
		_, _, err := auth.Authenticate(context.Background(), token)
		ok(t, err)
		clock.Advance(portico.PortalSessionIdle - time.Minute)
		_, _, err = auth.Authenticate(context.Background(), token)
		ok(t, err)
		clock.Advance(portico.PortalSessionIdle)
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)

		// Absolute expiry: however busy, it ends after the maximum age.
		token = testkit.PortalSignIn(t, db, "hana@acme.test")
		start := clock.Now()
		for clock.Now().Before(start.Add(portico.PortalSessionMaxAge - 24*time.Hour)) {
			clock.Advance(24 * time.Hour)
			_, _, err = auth.Authenticate(context.Background(), token)
			ok(t, err)
		}
		clock.Set(start.Add(portico.PortalSessionMaxAge))
		_, _, err = auth.Authenticate(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)

		for _, bad := range []string{"", "not-a-token"} {
			_, _, err = auth.Authenticate(context.Background(), bad)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
	})
}

func TestPortalSignInAttemptsLimited(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		auth := portalAuth(db)
		for range portico.SignInFailuresAccount {
			_, _, err := auth.SignIn(fromIP("203.0.113.9"), "hana@acme.test", "wrong-password-here")
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		// Now even the right password is refused, from any address.
		_, _, err := auth.SignIn(fromIP("198.51.100.1"), "hana@acme.test", testkit.Password)
		wantCode(t, err, portico.ETOOMANY)
		// The console's count is its own.
		_, _, err = db.Services().Auth.SignIn(fromIP("203.0.113.9"), testkit.AdminEmail, testkit.Password)
		ok(t, err)
		clock.Advance(portico.SignInWindow)
		_, _, err = auth.SignIn(fromIP("198.51.100.1"), "hana@acme.test", testkit.Password)
		ok(t, err)

		// Per address: many accounts tried from one place.
		for i := range portico.SignInFailuresAddress {
			_, _, err := auth.SignIn(fromIP("203.0.113.66"), "guess"+strconv.Itoa(i)+"@acme.test", "wrong-password-here")
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		_, _, err = auth.SignIn(fromIP("203.0.113.66"), "hana@acme.test", testkit.Password)
		wantCode(t, err, portico.ETOOMANY)
	})
}

func TestPortalDisable(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		accts := db.Services().PortalAccounts
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		s1 := testkit.PortalSignIn(t, db, "hana@acme.test")
		s2 := testkit.PortalSignIn(t, db, "hana@acme.test")
		ok(t, portalAuth(db).RequestSignInLink(fromIP("203.0.113.9"), "hana@acme.test", "/portal"))
		link := testkit.PortalLink(t, db, "hana@acme.test", "/portal/link/")
		ok(t, portalAuth(db).RequestPasswordReset(fromIP("203.0.113.9"), "hana@acme.test"))
		reset := testkit.PortalLink(t, db, "hana@acme.test", "/portal/reset/")

		// Contacts can't disable anyone.
		wantRefused(t, accts.Disable(testkit.AsContact(k), k.ID))
		ok(t, accts.Disable(admin(w.rec), k.ID))
		a, err := accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalDisabled {
			t.Fatalf("status %s", a.Status)
		}
		// Sessions end at once; links stop working.
		for _, s := range []string{s1, s2} {
			_, _, err := portalAuth(db).Authenticate(context.Background(), s)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM portal_sessions WHERE contact_id = ?`, k.ID); n != 0 {
			t.Fatalf("%d sessions left", n)
		}
		_, _, _, err = portalAuth(db).UseSignInLink(context.Background(), link)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = portalAuth(db).ResetPassword(context.Background(), reset, "another-good-password")
		wantCode(t, err, portico.EUNAUTHORIZED)
		ev := events(t, db, "contact.disabled")
		if len(ev) != 1 || ev[0].ClientID != w.client.ID || ev[0].Details["sessions_ended"] != "2" {
			t.Fatalf("disabled events %+v", ev)
		}

		// The right password gets the clear message; a wrong one doesn't
		// tell a stranger the account exists.
		_, _, err = portalAuth(db).SignIn(fromIP("203.0.113.9"), "hana@acme.test", testkit.Password)
		wantCode(t, err, portico.EFORBIDDEN)
		if msg := portico.ErrorMessage(err); !strings.Contains(msg, "turned off") || !strings.Contains(msg, "Harbour Recruitment") {
			t.Errorf("message %q", msg)
		}
		_, _, err = portalAuth(db).SignIn(fromIP("203.0.113.9"), "hana@acme.test", "wrong-password-here")
		wantCode(t, err, portico.EUNAUTHORIZED)
		// Nor do links go to a disabled contact.
		before := len(messages(t, db, w.admin))
		ok(t, portalAuth(db).RequestSignInLink(fromIP("203.0.113.9"), "hana@acme.test", ""))
		ok(t, portalAuth(db).RequestPasswordReset(fromIP("203.0.113.9"), "hana@acme.test"))
		if after := len(messages(t, db, w.admin)); after != before {
			t.Fatalf("%d emails sent to a disabled contact", after-before)
		}
		ok(t, accts.Disable(admin(w.rec), k.ID)) // again: nothing to do
		if n := len(events(t, db, "contact.disabled")); n != 1 {
			t.Fatalf("%d disabled events", n)
		}

		// Invite enables again: pending until they sign in, when their
		// old password still works.
		ok(t, accts.Invite(admin(w.rec), k.ID))
		a, err = accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalPending {
			t.Fatalf("status after enabling %s", a.Status)
		}
		if ev := events(t, db, "contact.invited")[0]; ev.Details["enabled"] != "true" {
			t.Errorf("enable event %+v", ev)
		}
		_, got, err := portalAuth(db).SignIn(fromIP("203.0.113.9"), "hana@acme.test", testkit.Password)
		ok(t, err)
		if got.PortalStatus != portico.PortalConnected {
			t.Fatalf("status after sign-in %s", got.PortalStatus)
		}

		// A contact never invited has nothing to disable; an unknown one is not found.
		never := testkit.AddContact(t, db, w.client.ID, "Ned Never", "ned@acme.test")
		wantCode(t, accts.Disable(admin(w.rec), never.ID), portico.ECONFLICT)
		wantCode(t, accts.Disable(admin(w.rec), 9999), portico.ENOTFOUND)
	})
}

func TestPortalInviteNeedsEmail(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		accts := db.Services().PortalAccounts
		k, err := db.Services().Clients.CreateContact(context.Background(), w.client.ID, portico.ContactInput{Name: "No Mail"})
		ok(t, err)
		wantField(t, accts.Invite(admin(w.rec), k.ID), portico.EINVALID, "email")
		a, err := accts.FindAccount(admin(w.rec), k.ID)
		ok(t, err)
		if a.Status != portico.PortalNotRegistered || a.InvitedAt != nil {
			t.Fatalf("half-written invitation: %+v", a)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contact_tokens`); n != 0 {
			t.Fatalf("%d tokens", n)
		}
		wantCode(t, accts.Invite(admin(w.rec), 9999), portico.ENOTFOUND)
		// Contacts and visitors can't invite or read accounts.
		wantRefused(t, accts.Invite(asContact(), k.ID))
		wantRefused(t, accts.Invite(fromIP("203.0.113.9"), k.ID))
		_, err = accts.FindAccount(asContact(), k.ID)
		wantRefused(t, err)
	})
}

func TestPortalSignInLink(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		auth := portalAuth(db)

		wantField(t, auth.RequestSignInLink(fromIP("203.0.113.9"), "not-an-email", ""), portico.EINVALID, "email")
		// Unknown addresses get the same answer, and no email.
		before := len(messages(t, db, w.admin))
		ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), "nobody@acme.test", ""))
		if len(messages(t, db, w.admin)) != before {
			t.Fatal("an email went to an unknown address")
		}

		ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), " Hana@Acme.test", "/portal/jobs/12"))
		e := w.newestEmail(t, "hana@acme.test")
		if !strings.Contains(e.Subject, "sign-in link") || !strings.Contains(e.Text, "within 20 minutes") {
			t.Errorf("email %q:\n%s", e.Subject, e.Text)
		}
		token := testkit.PortalLink(t, db, "hana@acme.test", "/portal/link/")
		got, err := auth.CheckSignInLink(context.Background(), token)
		ok(t, err)
		if got.ID != k.ID {
			t.Fatalf("CheckSignInLink = %+v", got)
		}
		// Checking doesn't use it up (mail scanners open GET links).
		_, err = auth.CheckSignInLink(context.Background(), token)
		ok(t, err)
		session, got, next, err := auth.UseSignInLink(fromIP("203.0.113.9"), token)
		ok(t, err)
		if got.ID != k.ID || next != "/portal/jobs/12" || session == "" {
			t.Fatalf("UseSignInLink = %+v %q", got, next)
		}
		if ev := events(t, db, "contact.signed_in")[0]; ev.Details["method"] != "link" || ev.ActorID != k.ID {
			t.Fatalf("event %+v", ev)
		}
		// Once only.
		_, _, _, err = auth.UseSignInLink(fromIP("203.0.113.9"), token)
		wantCode(t, err, portico.EUNAUTHORIZED)

		// Expired after SignInLinkTTL.
		ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), "hana@acme.test", "https://evil.test/portal"))
		token = testkit.PortalLink(t, db, "hana@acme.test", "/portal/link/")
		clock.Advance(portico.SignInLinkTTL)
		_, err = auth.CheckSignInLink(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)

		// A destination off the portal is dropped.
		for _, bad := range []string{"https://evil.test/portal", "//evil.test/portal", "/jobs/1", "/portalx", "/\\evil.test"} {
			ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), "hana@acme.test", bad))
			token = testkit.PortalLink(t, db, "hana@acme.test", "/portal/link/")
			_, _, next, err = auth.UseSignInLink(fromIP("203.0.113.9"), token)
			ok(t, err)
			if next != "" {
				t.Errorf("next %q kept for %q", next, bad)
			}
			clock.Advance(portico.SignInWindow) // past the sending limit
		}

		// A flood of requests sends a few emails, then stops quietly.
		before = len(messages(t, db, w.admin))
		for range 10 {
			ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), "hana@acme.test", ""))
		}
		if sent := len(messages(t, db, w.admin)) - before; sent != 5 {
			t.Fatalf("%d links sent for 10 requests, want 5", sent)
		}

		// A pending contact (invited, no password yet) may use links too,
		// and becomes Connected.
		p := testkit.AddContact(t, db, w.client.ID, "Pat Pending", "pat@acme.test")
		ok(t, db.Services().PortalAccounts.Invite(admin(w.rec), p.ID))
		ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), "pat@acme.test", ""))
		_, got, _, err = auth.UseSignInLink(fromIP("203.0.113.9"), testkit.PortalLink(t, db, "pat@acme.test", "/portal/link/"))
		ok(t, err)
		if got.PortalStatus != portico.PortalConnected {
			t.Fatalf("status %s", got.PortalStatus)
		}
		// A contact never invited gets nothing.
		n := testkit.AddContact(t, db, w.client.ID, "Ned Never", "ned@acme.test")
		before = len(messages(t, db, w.admin))
		ok(t, auth.RequestSignInLink(fromIP("203.0.113.9"), n.Email, ""))
		if len(messages(t, db, w.admin)) != before {
			t.Fatal("an uninvited contact was sent a link")
		}
	})
}

func TestPortalSignInLinkUsedOnce(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		ok(t, portalAuth(db).RequestSignInLink(fromIP("203.0.113.9"), "hana@acme.test", ""))
		token := testkit.PortalLink(t, db, "hana@acme.test", "/portal/link/")
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 8 {
			wg.Go(func() {
				_, _, _, err := portalAuth(db).UseSignInLink(fromIP("203.0.113.9"), token)
				if err == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				} else if portico.ErrorCode(err) != portico.EUNAUTHORIZED {
					t.Errorf("UseSignInLink: %v", err)
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d sign-ins with one link", wins)
		}
	})
}

func TestPortalPasswordReset(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPortalWorld(t, db, clock)
		k := testkit.PortalContact(t, db, w.client.ID, "Hana Hiring", "hana@acme.test")
		auth := portalAuth(db)
		session := testkit.PortalSignIn(t, db, "hana@acme.test")

		wantField(t, auth.RequestPasswordReset(fromIP("203.0.113.9"), ""), portico.EINVALID, "email")
		ok(t, auth.RequestPasswordReset(fromIP("203.0.113.9"), "hana@acme.test"))
		e := w.newestEmail(t, "hana@acme.test")
		if !strings.Contains(e.Subject, "new password") || !strings.Contains(e.Text, "within 60 minutes") {
			t.Errorf("email %q:\n%s", e.Subject, e.Text)
		}
		token := testkit.PortalLink(t, db, "hana@acme.test", "/portal/reset/")
		got, err := auth.CheckPasswordReset(context.Background(), token)
		ok(t, err)
		if got.ID != k.ID {
			t.Fatalf("CheckPasswordReset = %+v", got)
		}
		// A reset link is no sign-in link, and the other way round.
		_, err = auth.CheckSignInLink(context.Background(), token)
		wantCode(t, err, portico.EUNAUTHORIZED)

		_, err = auth.ResetPassword(fromIP("203.0.113.9"), token, "short")
		wantField(t, err, portico.EINVALID, "password")
		got, err = auth.ResetPassword(fromIP("203.0.113.9"), token, "a-brand-new-password")
		ok(t, err)
		if got.ID != k.ID {
			t.Fatalf("ResetPassword = %+v", got)
		}
		// Sessions end; the old password is gone; the new one works.
		_, _, err = auth.Authenticate(context.Background(), session)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.SignIn(fromIP("203.0.113.9"), "hana@acme.test", testkit.Password)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = auth.SignIn(fromIP("203.0.113.9"), "hana@acme.test", "a-brand-new-password")
		ok(t, err)
		_, err = auth.ResetPassword(fromIP("203.0.113.9"), token, "a-third-password-x")
		wantCode(t, err, portico.EUNAUTHORIZED)
		if ev := events(t, db, "contact.password_reset"); len(ev) != 1 || ev[0].ActorID != k.ID || ev[0].ClientID != w.client.ID {
			t.Fatalf("events %+v", ev)
		}

		// An invited contact whose invitation expired sets a password this
		// way, and is activated by it.
		p := testkit.AddContact(t, db, w.client.ID, "Pat Pending", "pat@acme.test")
		ok(t, db.Services().PortalAccounts.Invite(admin(w.rec), p.ID))
		clock.Advance(portico.ActivationTTL)
		ok(t, auth.RequestPasswordReset(fromIP("203.0.113.9"), "pat@acme.test"))
		_, err = auth.ResetPassword(fromIP("203.0.113.9"), testkit.PortalLink(t, db, "pat@acme.test", "/portal/reset/"), testkit.Password)
		ok(t, err)
		a, err := db.Services().PortalAccounts.FindAccount(admin(w.rec), p.ID)
		ok(t, err)
		if a.ActivatedAt == nil || a.Status != portico.PortalPending {
			t.Fatalf("account after reset %+v", a)
		}
		_, got, err = auth.SignIn(fromIP("203.0.113.9"), "pat@acme.test", testkit.Password)
		ok(t, err)
		if got.PortalStatus != portico.PortalConnected {
			t.Fatalf("status %s", got.PortalStatus)
		}
	})
}
