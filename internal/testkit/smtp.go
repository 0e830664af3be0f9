package testkit

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mailbox is a real SMTP server inside the test process that keeps every
// message it accepts. It speaks plain SMTP without TLS and accepts any
// AUTH PLAIN credentials, or none.
type Mailbox struct {
	addr string

	mu       sync.Mutex
	mails    []Mail
	rejected []string      // why malformed messages were refused, for WaitFor's failure
	arrived  chan struct{} // closed and replaced whenever a message arrives
	failNext int
}

// Mail is a message the Mailbox accepted.
type Mail struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	Data []byte   // the raw RFC 5322 message, as sent

	// Subject is the decoded Subject header.
	Subject string
	// Text is the decoded text/plain part if there is one, else the
	// decoded body of a single-part message of any type. Line endings
	// are normalised to "\n".
	Text string
	// HTML is the decoded text/html part if there is one, with line
	// endings normalised to "\n".
	HTML string
}

// NewMailbox starts a Mailbox on 127.0.0.1 and closes it when the test ends.
func NewMailbox(t testing.TB) *Mailbox {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailbox: listen: %v", err)
	}
	m := &Mailbox{addr: l.Addr().String(), arrived: make(chan struct{})}

	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailboxSession{box: m}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 32 << 20
	srv.MaxRecipients = 1000
	logger := &testLogger{t: t}
	srv.ErrorLog = logger

	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		// Close only closes listeners Serve has registered, which it may
		// not have done yet.
		l.Close()
		<-served
		// Connections may still be winding down; t.Log after the test
		// has finished would panic.
		logger.stop()
	})
	return m
}

// Addr returns the host:port the Mailbox listens on.
func (m *Mailbox) Addr() string { return m.addr }

// URL returns the Mailbox's address as smtp://127.0.0.1:PORT (plain, no TLS).
func (m *Mailbox) URL() string { return "smtp://" + m.addr }

// Messages returns the messages accepted so far, in arrival order.
func (m *Mailbox) Messages() []Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneMails(m.mails)
}

// WaitFor waits until at least n messages have arrived and returns them all,
// failing the test if that takes longer than timeout. Like t.Fatal, it must
// be called from the goroutine running the test.
func (m *Mailbox) WaitFor(t testing.TB, n int, timeout time.Duration) []Mail {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		m.mu.Lock()
		if len(m.mails) >= n {
			mails := cloneMails(m.mails)
			m.mu.Unlock()
			return mails
		}
		arrived, got, rejected := m.arrived, len(m.mails), slices.Clone(m.rejected)
		m.mu.Unlock()

		select {
		case <-arrived:
		case <-timer.C:
			msg := fmt.Sprintf("mailbox: got %d messages within %v, want at least %d", got, timeout, n)
			if len(rejected) > 0 {
				msg += "; refused malformed messages: " + strings.Join(rejected, "; ")
			}
			t.Fatal(msg)
			return nil
		}
	}
}

// FailNext makes the Mailbox answer the next n DATA commands with a
// temporary 451 error, as a struggling server would, so tests can exercise
// retries.
func (m *Mailbox) FailNext(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failNext = n
}

// deliver handles a message's DATA: it fails on request, refuses what it
// cannot parse, and otherwise stores the message.
func (m *Mailbox) deliver(from string, to []string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()

	if m.failNext > 0 {
		m.failNext--
		return &smtp.SMTPError{
			Code:         451,
			EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message:      "Temporary failure requested by the test (FailNext)",
		}
	}

	mail, err := parseMail(data)
	if err != nil {
		// Refusing, rather than storing half a message, makes the sender
		// under test see that it produced something a mail client could
		// not read.
		m.rejected = append(m.rejected, err.Error())
		return &smtp.SMTPError{
			Code:         554,
			EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message:      "Malformed message: " + err.Error(),
		}
	}
	mail.From, mail.To = from, to
	m.mails = append(m.mails, mail)
	close(m.arrived)
	m.arrived = make(chan struct{})
	return nil
}

// mailboxSession collects one SMTP transaction's envelope.
type mailboxSession struct {
	box  *Mailbox
	from string
	to   []string
}

func (s *mailboxSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailboxSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error { return nil }), nil
}

func (s *mailboxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from, s.to = from, nil
	return nil
}

func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *mailboxSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return s.box.deliver(s.from, slices.Clone(s.to), data)
}

func (s *mailboxSession) Reset() { s.from, s.to = "", nil }

func (s *mailboxSession) Logout() error { return nil }

// parseMail decodes the parts of a raw message that tests look at.
func parseMail(data []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Mail{}, fmt.Errorf("reading header: %w", err)
	}
	m := Mail{Data: data}

	m.Subject = msg.Header.Get("Subject")
	// Without a charset converter, words in charsets other than UTF-8,
	// US-ASCII and ISO-8859-1 fail to decode; the raw header is still
	// more useful to a test than refusing the message.
	if subject, err := new(mime.WordDecoder).DecodeHeader(m.Subject); err == nil {
		m.Subject = subject
	}

	header := textproto.MIMEHeader(msg.Header)
	mediaType, _, err := contentType(header)
	if err != nil {
		return Mail{}, err
	}
	var p parts
	if err := p.collect(header, msg.Body); err != nil {
		return Mail{}, err
	}
	if p.text == nil && !strings.HasPrefix(mediaType, "multipart/") {
		p.text = p.single
	}
	m.Text = normaliseNewlines(p.text)
	m.HTML = normaliseNewlines(p.html)
	return m, nil
}

// parts gathers the first inline text/plain and text/html parts of a
// message, however deeply nested (multipart/mixed around
// multipart/alternative is the usual shape).
type parts struct {
	text, html []byte
	single     []byte // the decoded body when the message is not multipart
}

func (p *parts) collect(header textproto.MIMEHeader, body io.Reader) error {
	mediaType, params, err := contentType(header)
	if err != nil {
		return err
	}

	if strings.HasPrefix(mediaType, "multipart/") {
		boundary := params["boundary"]
		if boundary == "" {
			return fmt.Errorf("%s without a boundary", mediaType)
		}
		mr := multipart.NewReader(body, boundary)
		for {
			// NextRawPart, not NextPart: NextPart decodes quoted-printable
			// itself but not base64, and we want one path for both.
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading %s: %w", mediaType, err)
			}
			if err := p.collect(part.Header, part); err != nil {
				return err
			}
		}
	}

	decoded, err := decodeBody(header.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return fmt.Errorf("decoding %s body: %w", mediaType, err)
	}
	if p.single == nil {
		p.single = decoded
	}
	if disposition, _, _ := mime.ParseMediaType(header.Get("Content-Disposition")); disposition == "attachment" {
		return nil
	}
	switch {
	case mediaType == "text/plain" && p.text == nil:
		p.text = decoded
	case mediaType == "text/html" && p.html == nil:
		p.html = decoded
	}
	return nil
}

// contentType parses a Content-Type header, defaulting to text/plain as
// RFC 2045 says a missing one means.
func contentType(header textproto.MIMEHeader) (string, map[string]string, error) {
	v := header.Get("Content-Type")
	if v == "" {
		return "text/plain", map[string]string{}, nil
	}
	mediaType, params, err := mime.ParseMediaType(v)
	if err != nil {
		return "", nil, fmt.Errorf("parsing Content-Type %q: %w", v, err)
	}
	return mediaType, params, nil
}

func decodeBody(encoding string, body io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "7bit", "8bit", "binary":
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		// The decoder skips the CRLFs that wrap base64 lines.
		body = base64.NewDecoder(base64.StdEncoding, body)
	default:
		return nil, fmt.Errorf("unknown Content-Transfer-Encoding %q", encoding)
	}
	b, err := io.ReadAll(body)
	if b == nil {
		b = []byte{}
	}
	return b, err
}

func normaliseNewlines(b []byte) string {
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func cloneMails(mails []Mail) []Mail {
	out := make([]Mail, len(mails))
	for i, m := range mails {
		m.To = slices.Clone(m.To)
		m.Data = bytes.Clone(m.Data)
		out[i] = m
	}
	return out
}

// testLogger sends the SMTP server's internal errors to the test log until
// the test is over.
type testLogger struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (l *testLogger) Printf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Logf("mailbox: "+format, v...)
	}
}

func (l *testLogger) Println(v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Log(append([]any{"mailbox:"}, v...)...)
	}
}

func (l *testLogger) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}
