package sqlstore_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// fromIP is an anonymous visitor's context, as the web builds it before
// anyone signs in: the system actor with the request's address.
func fromIP(ip string) context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorVisitor, IP: ip, UserAgent: "test-browser/1.0"})
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := portico.ErrorCode(err); got != code {
		t.Fatalf("got error code %q (%v), want %q", got, err, code)
	}
}

// ok fails the test on an error.
func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// count runs a COUNT(*) query (with ? placeholders) on the raw database.
func count(t testing.TB, db *sqlstore.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := sqlstore.SQLDB(db).QueryRowContext(context.Background(), sqlstore.Rebind(db, query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// column reads one text column from every row of a raw query.
func column(t testing.TB, db *sqlstore.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := sqlstore.SQLDB(db).QueryContext(context.Background(), sqlstore.Rebind(db, query), args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// admin returns a context acting as the user (who should be an admin).
func admin(u *portico.User) context.Context { return testkit.AsUser(u) }

// messages returns every outbox message, newest first.
func messages(t testing.TB, db *sqlstore.DB, adminUser *portico.User) []*portico.Message {
	t.Helper()
	ms, total, err := db.Services().Outbox.FindMessages(admin(adminUser), portico.MessageFilter{Limit: 500})
	ok(t, err)
	if total != len(ms) {
		t.Fatalf("FindMessages: total %d, but %d on the page", total, len(ms))
	}
	return ms
}

var resetLink = regexp.MustCompile(`http://portico\.test/reset/([A-Za-z0-9_-]+)`)

// resetToken pulls the token out of a password reset email's text.
func resetToken(t testing.TB, m *portico.Message) string {
	t.Helper()
	if m.Email == nil {
		t.Fatalf("message %d has no email", m.ID)
	}
	sub := resetLink.FindStringSubmatch(m.Email.Text)
	if sub == nil {
		t.Fatalf("no %s/reset/<token> link in the email text:\n%s", testkit.BaseURL, m.Email.Text)
	}
	if !strings.Contains(m.Email.HTML, sub[0]) {
		t.Fatalf("the HTML part lacks the link %s", sub[0])
	}
	return sub[1]
}

// requestReset asks for a reset link for email and returns its token from
// the newest outbox message.
func requestReset(t testing.TB, db *sqlstore.DB, adminUser *portico.User, email string) string {
	t.Helper()
	ok(t, db.Services().Auth.RequestPasswordReset(fromIP("203.0.113.5"), email))
	ms := messages(t, db, adminUser)
	if len(ms) == 0 {
		t.Fatal("no message queued")
	}
	return resetToken(t, ms[0])
}

// events returns the events with the action, newest first.
func events(t testing.TB, db *sqlstore.DB, action string) []*portico.Event {
	t.Helper()
	evs, total, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{Action: action, Limit: 500})
	ok(t, err)
	if total != len(evs) {
		t.Fatalf("FindEvents(%s): total %d, but %d on the page", action, total, len(evs))
	}
	return evs
}
