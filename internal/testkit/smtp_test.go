package testkit_test

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"portico/internal/testkit"
)

// crlf turns a readable message literal into wire format.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

func TestMailboxAlternative(t *testing.T) {
	t.Parallel()
	box := testkit.NewMailbox(t)
	if want := "smtp://" + box.Addr(); box.URL() != want {
		t.Errorf("URL() = %q, want %q", box.URL(), want)
	}

	msg := crlf(`From: Portico <noreply@example.com>
To: ana@example.com
Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_from?= Portico
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Hello Ana, a long line that quoted-printable wraps with a soft line brea=
k. Caf=C3=A9.
--b1
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: base64

PHA+SGVsbG8gPGI+QW5hPC9iPiwgQ2Fmw6kuPC9wPg==
--b1--
`)
	// PLAIN auth over plain text is what the app does against a local
	// relay; net/smtp allows it only because the host is 127.0.0.1.
	auth := smtp.PlainAuth("", "user", "secret", "127.0.0.1")
	if err := smtp.SendMail(box.Addr(), auth, "noreply@example.com", []string{"ana@example.com", "bcc@example.com"}, msg); err != nil {
		t.Fatalf("SendMail: %v", err)
	}

	mails := box.WaitFor(t, 1, 5*time.Second)
	if len(mails) != 1 {
		t.Fatalf("got %d messages, want 1", len(mails))
	}
	m := mails[0]
	if m.From != "noreply@example.com" {
		t.Errorf("From = %q", m.From)
	}
	if want := []string{"ana@example.com", "bcc@example.com"}; !slices.Equal(m.To, want) {
		t.Errorf("To = %q, want %q", m.To, want)
	}
	if want := "Grüße from Portico"; m.Subject != want {
		t.Errorf("Subject = %q, want %q", m.Subject, want)
	}
	if want := "Hello Ana, a long line that quoted-printable wraps with a soft line break. Café."; m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
	if want := "<p>Hello <b>Ana</b>, Café.</p>"; m.HTML != want {
		t.Errorf("HTML = %q, want %q", m.HTML, want)
	}
	if !strings.Contains(string(m.Data), "Content-Type: multipart/alternative") {
		t.Errorf("Data does not hold the raw message:\n%s", m.Data)
	}
}

func TestMailboxMixed(t *testing.T) {
	t.Parallel()
	box := testkit.NewMailbox(t)

	msg := crlf(`From: a@example.com
To: b@example.com
Subject: Invoice
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain

Your invoice is attached.
--inner
Content-Type: text/html

<p>Your invoice is attached.</p>
--inner--
--outer
Content-Type: text/plain; name=notes.txt
Content-Disposition: attachment; filename=notes.txt
Content-Transfer-Encoding: base64

bm90IHRoZSBib2R5
--outer--
`)
	if err := smtp.SendMail(box.Addr(), nil, "a@example.com", []string{"b@example.com"}, msg); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	m := box.WaitFor(t, 1, 5*time.Second)[0]
	if want := "Your invoice is attached."; m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
	if want := "<p>Your invoice is attached.</p>"; m.HTML != want {
		t.Errorf("HTML = %q, want %q", m.HTML, want)
	}
}

func TestMailboxSinglePart(t *testing.T) {
	t.Parallel()
	box := testkit.NewMailbox(t)

	msg := crlf(`From: a@example.com
To: b@example.com
Subject: plain
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

PHA+aGk8L3A+
`)
	if err := smtp.SendMail(box.Addr(), nil, "a@example.com", []string{"b@example.com"}, msg); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	m := box.WaitFor(t, 1, 5*time.Second)[0]
	if m.Text != "<p>hi</p>" || m.HTML != "<p>hi</p>" {
		t.Errorf("Text = %q, HTML = %q, want both %q", m.Text, m.HTML, "<p>hi</p>")
	}
}

func TestMailboxFailNext(t *testing.T) {
	t.Parallel()
	box := testkit.NewMailbox(t)
	msg := crlf("From: a@example.com\nTo: b@example.com\nSubject: retry\n\nbody\n")
	send := func() error {
		return smtp.SendMail(box.Addr(), nil, "a@example.com", []string{"b@example.com"}, msg)
	}

	box.FailNext(1)
	err := send()
	var perr *textproto.Error
	if !errors.As(err, &perr) || perr.Code != 451 {
		t.Fatalf("first send: got %v, want a 451 error", err)
	}
	if n := len(box.Messages()); n != 0 {
		t.Fatalf("failed send stored %d messages", n)
	}

	if err := send(); err != nil {
		t.Fatalf("second send: %v", err)
	}
	m := box.WaitFor(t, 1, 5*time.Second)
	if len(m) != 1 || m[0].Subject != "retry" || m[0].Text != "body\n" {
		t.Errorf("got %+v, want the one message sent after the failure", m)
	}
}

func TestMailboxRefusesMalformed(t *testing.T) {
	t.Parallel()
	box := testkit.NewMailbox(t)
	msg := crlf("From: a@example.com\nContent-Type: multipart/alternative\n\nno boundary\n")
	err := smtp.SendMail(box.Addr(), nil, "a@example.com", []string{"b@example.com"}, msg)
	var perr *textproto.Error
	if !errors.As(err, &perr) || perr.Code != 554 {
		t.Fatalf("got %v, want a 554 error", err)
	}
}
