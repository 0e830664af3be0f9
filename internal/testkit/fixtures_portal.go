package testkit

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"portico"
	"portico/sqlstore"
)

// asOutboxReader is an admin context for reading the outbox, where
// fixtures find the links the store emailed.
var asOutboxReader = portico.NewContextWithActor(context.Background(), portico.Actor{
	Kind: portico.ActorUser, Role: portico.RoleAdmin, Name: "testkit", IP: "192.0.2.10", UserAgent: "testkit",
})

// PortalLink returns the token of the newest link to path (for example
// "/portal/activate/") emailed to the address, failing the test when
// there is none.
func PortalLink(t testing.TB, db *sqlstore.DB, email, path string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(BaseURL+path) + `([A-Za-z0-9]+)`)
	ms, _, err := db.Services().Outbox.FindMessages(asOutboxReader, portico.MessageFilter{Kind: portico.MessageEmail, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms { // newest first
		if m.Email == nil || !slices.Contains(m.Email.To, portico.NormalizeEmail(email)) {
			continue
		}
		if sub := re.FindStringSubmatch(m.Email.Text); sub != nil {
			return sub[1]
		}
	}
	t.Fatalf("no email to %s with a link to %s", email, path)
	return ""
}

// PortalContact creates a contact of a client with a portal account: they
// are invited (by the system), set Password with the invitation's link
// and so are Connected, with access to all of the client's jobs. The
// activation's session is signed out.
func PortalContact(t testing.TB, db *sqlstore.DB, clientID int64, name, email string) *portico.Contact {
	t.Helper()
	ctx := context.Background()
	k := AddContact(t, db, clientID, name, email)
	svc := db.Services()
	if err := svc.PortalAccounts.Invite(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	session, k, err := svc.PortalAuth.Activate(ctx, PortalLink(t, db, email, "/portal/activate/"), Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.PortalAuth.SignOut(ctx, session); err != nil {
		t.Fatal(err)
	}
	return k
}

// PortalSignIn signs a portal contact in with Password and returns the
// session token.
func PortalSignIn(t testing.TB, db *sqlstore.DB, email string) string {
	t.Helper()
	token, _, err := db.Services().PortalAuth.SignIn(context.Background(), email, Password)
	if err != nil {
		t.Fatalf("portal sign-in as %s: %v", email, err)
	}
	return token
}

// AsContact returns a context in which the contact acts on the portal,
// from a test address.
func AsContact(k *portico.Contact) context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{
		Kind: portico.ActorContact, ID: k.ID, Name: k.Name, IP: "192.0.2.20", UserAgent: "testkit",
	})
}
