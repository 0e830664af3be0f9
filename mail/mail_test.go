package mail_test

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	portmail "portico/mail"
)

func composer(t *testing.T) *portmail.Composer {
	t.Helper()
	// A trailing slash on the base URL must not double up in links.
	c, err := portmail.NewComposer("http://portico.test/", "Harbour Portal")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func resetData(name string) map[string]any {
	return map[string]any{"Name": name, "Path": "/reset/TOKEN123", "Minutes": 60}
}

func TestComposePasswordReset(t *testing.T) {
	c := composer(t)
	to := []string{"ada@agency.test"}
	e, err := c.Compose("password_reset", to, resetData("Ada"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(e.To, to) {
		t.Errorf("to = %v", e.To)
	}
	if e.Subject != "Reset your Harbour Portal password" {
		t.Errorf("subject = %q", e.Subject)
	}
	const link = "http://portico.test/reset/TOKEN123"
	for _, want := range []string{"Hello Ada,", link, "within 60 minutes", "Harbour Portal account"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	if strings.Contains(e.Text, "portico.test//") || strings.HasPrefix(e.Text, " ") || strings.HasPrefix(e.Text, "\n") || !strings.HasSuffix(e.Text, ".\n") {
		t.Errorf("text is badly formed:\n%q", e.Text)
	}
	for _, want := range []string{`href="` + link + `"`, "Hello Ada,", "<!doctype html>", "Harbour Portal</td>"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, e.HTML)
		}
	}
	if strings.Contains(e.Text, "<no value>") || strings.Contains(e.HTML, "<no value>") || strings.Contains(e.HTML, "{{") {
		t.Errorf("unfilled template:\n%s\n%s", e.Text, e.HTML)
	}
}

func TestComposeEscapesHTML(t *testing.T) {
	c := composer(t)
	e, err := c.Compose("password_reset", []string{"x@agency.test"}, map[string]any{
		"Name": `<script>alert("hi")</script>`, "Path": "/reset/T", "Minutes": 60, "SiteName": "Smith & <b>Jones</b>",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.HTML, "<script>") || strings.Contains(e.HTML, "<b>Jones") {
		t.Fatalf("HTML carries the markup from data:\n%s", e.HTML)
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;", "Smith &amp; &lt;b&gt;Jones&lt;/b&gt;"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("HTML lacks the escaped %q:\n%s", want, e.HTML)
		}
	}
	// Plain text is not HTML: the name stays as typed, and the subject
	// uses the site name given in data.
	if !strings.Contains(e.Text, `Hello <script>alert("hi")</script>,`) {
		t.Errorf("text altered the name:\n%s", e.Text)
	}
	if e.Subject != "Reset your Smith & <b>Jones</b> password" {
		t.Errorf("subject = %q", e.Subject)
	}
}

func TestComposeUnknownTemplate(t *testing.T) {
	c := composer(t)
	for _, name := range []string{"no_such_email", "", "layout", "password_reset.txt"} {
		if _, err := c.Compose(name, []string{"x@agency.test"}, resetData("A")); err == nil {
			t.Errorf("Compose(%q) succeeded", name)
		}
	}
}

// TestComposeIsRepeatable: composing twice gives the same email, and
// composing one template doesn't disturb the next (the HTML templates are
// cloned per call).
func TestComposeIsRepeatable(t *testing.T) {
	c := composer(t)
	a, err := c.Compose("password_reset", []string{"x@agency.test"}, resetData("A"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Compose("password_reset", []string{"x@agency.test"}, resetData("A"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Subject != b.Subject || a.Text != b.Text || a.HTML != b.HTML {
		t.Fatal("two compositions of the same email differ")
	}
}

func TestNewSMTPRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"http://mail.example.com", "mail.example.com:25", "smtp://mail.example.com:port", "::"} {
		if _, err := portmail.NewSMTP(u, "Portico <portico@agency.test>"); err == nil {
			t.Errorf("NewSMTP(%q) succeeded", u)
		}
	}
	for _, u := range []string{"smtp://mail.example.com", "smtp://user:pw@mail.example.com:2525", "smtps://mail.example.com"} {
		if _, err := portmail.NewSMTP(u, "Portico <portico@agency.test>"); err != nil {
			t.Errorf("NewSMTP(%q): %v", u, err)
		}
	}
}

func TestSMTPSend(t *testing.T) {
	box := testkit.NewMailbox(t)
	s, err := portmail.NewSMTP(box.URL(), "Harbour Portal <portico@agency.test>")
	if err != nil {
		t.Fatal(err)
	}
	e, err := composer(t).Compose("password_reset", []string{"ada@agency.test", "bob@agency.test"}, resetData("Ada Lovelace-Økland"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Send(ctx, &e); err != nil {
		t.Fatal(err)
	}
	got := box.WaitFor(t, 1, 10*time.Second)[0]
	if got.From != "portico@agency.test" || !slices.Equal(got.To, e.To) {
		t.Fatalf("envelope from %q to %v", got.From, got.To)
	}
	if got.Subject != e.Subject {
		t.Errorf("subject %q, want %q", got.Subject, e.Subject)
	}
	if strings.TrimSpace(got.Text) != strings.TrimSpace(e.Text) {
		t.Errorf("text arrived as:\n%s\nwant:\n%s", got.Text, e.Text)
	}
	if !strings.Contains(got.HTML, `href="http://portico.test/reset/TOKEN123"`) || !strings.Contains(got.HTML, "Ada Lovelace-Økland") {
		t.Errorf("HTML arrived as:\n%s", got.HTML)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got.Data)))
	if err != nil {
		t.Fatal(err)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil || from.Name != "Harbour Portal" || from.Address != "portico@agency.test" {
		t.Errorf("From header %q (%v)", msg.Header.Get("From"), err)
	}
	to, err := mail.ParseAddressList(msg.Header.Get("To"))
	if err != nil || len(to) != 2 {
		t.Errorf("To header %q (%v)", msg.Header.Get("To"), err)
	}
}

// TestSMTPKeepsCredentialsOffPlainConnections: with a user and password in
// the URL and a server that offers neither TLS nor a challenge-response
// mechanism (only AUTH PLAIN), the password is not sent in clear: delivery
// fails instead.
func TestSMTPKeepsCredentialsOffPlainConnections(t *testing.T) {
	box := testkit.NewMailbox(t)
	s, err := portmail.NewSMTP("smtp://portico:s3cret@"+box.Addr(), "portico@agency.test")
	if err != nil {
		t.Fatal(err)
	}
	e := portico.Email{To: []string{"ada@agency.test"}, Subject: "Hello", Text: "Plain only.\n"}
	if err := s.Send(context.Background(), &e); err == nil {
		t.Fatal("sent with AUTH PLAIN over an unencrypted connection")
	}
	if n := len(box.Messages()); n != 0 {
		t.Fatalf("%d messages delivered", n)
	}
}

func TestSMTPSendFailure(t *testing.T) {
	box := testkit.NewMailbox(t)
	box.FailNext(1)
	s, err := portmail.NewSMTP(box.URL(), "portico@agency.test")
	if err != nil {
		t.Fatal(err)
	}
	e := portico.Email{To: []string{"ada@agency.test"}, Subject: "Hello", Text: "Hi.\n"}
	err = s.Send(context.Background(), &e)
	if err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("Send to a failing server = %v, want the 451", err)
	}
	if n := len(box.Messages()); n != 0 {
		t.Fatalf("%d messages stored", n)
	}
	// The same sender works again once the server does.
	if err := s.Send(context.Background(), &e); err != nil {
		t.Fatalf("second Send: %v", err)
	}
	got := box.WaitFor(t, 1, 10*time.Second)[0]
	if got.Subject != "Hello" || strings.TrimSpace(got.Text) != "Hi." || got.HTML != "" {
		t.Fatalf("plain-text email arrived as %+v", got)
	}

	// A bad recipient is refused before anything is sent.
	bad := portico.Email{To: []string{"not an address"}, Subject: "x", Text: "x"}
	if err := s.Send(context.Background(), &bad); err == nil {
		t.Fatal("Send to a malformed address succeeded")
	}
}
