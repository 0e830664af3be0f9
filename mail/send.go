package mail

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"

	gomail "github.com/wneessen/go-mail"

	"portico"
)

// SMTP sends email through a mail server.
type SMTP struct {
	client *gomail.Client
	from   string
}

// NewSMTP configures delivery from an smtp:// (STARTTLS when offered) or
// smtps:// (TLS from the start) URL with optional user:password.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	opts := []gomail.Option{gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	port := 587
	switch u.Scheme {
	case "smtp":
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		return nil, fmt.Errorf("SMTP URL must start with smtp:// or smtps://")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP URL: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP: %w", err)
	}
	return &SMTP{client: c, from: from}, nil
}

// Send delivers one email.
func (s *SMTP) Send(ctx context.Context, e *portico.Email) error {
	m := gomail.NewMsg()
	if err := m.From(s.from); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := m.To(e.To...); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	m.Subject(e.Subject)
	for _, k := range slices.Sorted(maps.Keys(e.Headers)) {
		m.SetGenHeader(gomail.Header(k), e.Headers[k])
	}
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return s.client.DialAndSendWithContext(ctx, m)
}
