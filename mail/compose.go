// Package mail composes Portico's emails from embedded templates and sends
// them over SMTP.
package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"

	"portico"
)

//go:embed templates
var templatesFS embed.FS

// Composer builds emails. Each email NAME has templates/NAME.txt, which
// defines "subject" and "text", and templates/NAME.html, the HTML body that
// the shared layout wraps.
type Composer struct {
	BaseURL  string // absolute links start here, e.g. https://portal.agency.com
	SiteName string // shown in the footer when no agency is set up yet

	text map[string]*texttemplate.Template // by file name: each defines its own "subject" and "text"
	html *htmltemplate.Template
}

// NewComposer parses the templates once.
func NewComposer(baseURL, siteName string) (*Composer, error) {
	c := &Composer{BaseURL: strings.TrimRight(baseURL, "/"), SiteName: siteName}
	funcs := map[string]any{"url": func(path string) string { return c.BaseURL + path }}
	names, err := fs.Glob(templatesFS, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	c.text = map[string]*texttemplate.Template{}
	for _, n := range names {
		t, err := texttemplate.New("").Funcs(funcs).ParseFS(templatesFS, n)
		if err != nil {
			return nil, err
		}
		c.text[path.Base(n)] = t
	}
	if c.html, err = htmltemplate.New("").Funcs(funcs).ParseFS(templatesFS, "templates/*.html"); err != nil {
		return nil, err
	}
	return c, nil
}

// Compose renders the named email for the recipients.
func (c *Composer) Compose(name string, to []string, data map[string]any) (portico.Email, error) {
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["SiteName"]; !ok {
		data["SiteName"] = c.SiteName
	}
	brand, _ := data["Brand"].(*portico.PortalBranding)
	look := c.look(brand)
	data["Look"] = look
	var subject, text, html bytes.Buffer
	t := c.text[name+".txt"]
	if t == nil {
		return portico.Email{}, fmt.Errorf("no email template %q", name)
	}
	if err := t.ExecuteTemplate(&subject, "subject", data); err != nil {
		return portico.Email{}, err
	}
	if err := t.ExecuteTemplate(&text, "text", data); err != nil {
		return portico.Email{}, err
	}
	h, err := c.html.Clone()
	if err != nil {
		return portico.Email{}, err
	}
	if _, err := h.New("content").Parse(`{{template "` + name + `.html" .}}`); err != nil {
		return portico.Email{}, err
	}
	if err := h.ExecuteTemplate(&html, "layout.html", data); err != nil {
		return portico.Email{}, err
	}
	body := strings.TrimSpace(text.String())
	if f := strings.TrimSpace(look.Footer); f != "" {
		// The portal's footer ends the plain text too, as it ends the HTML.
		body += "\n\n--\n" + f
	}
	return portico.Email{
		To:      to,
		Subject: strings.TrimSpace(subject.String()),
		Text:    body + "\n",
		HTML:    html.String(),
	}, nil
}

// defaultAccent is Portico's own colour, for emails without a brand.
const defaultAccent = "#1d4ed8"

// Look is how an email looks: the portal's branding (data["Brand"], a
// *portico.PortalBranding, when the store passes one) made ready for the
// layout and the templates' buttons, which use {{.Look.Accent}} and
// {{.Look.OnAccent}}. Emails may use inline styles: they are not pages.
type Look struct {
	Branded  bool   // a brand was given: the name or logo heads the email
	Name     string // the agency's name, at the top
	LogoAlt  string // whose logo it is: the client's (its own look) or the agency's
	Logo     string // absolute address of the logo, "" for none
	Header   string // absolute address of the header image, "" for none
	Footer   string
	Accent   string // "#rrggbb"
	OnAccent string // black or white, whichever reads better on Accent
}

func (c *Composer) look(b *portico.PortalBranding) Look {
	l := Look{Accent: defaultAccent, OnAccent: portico.White.String()}
	if b == nil {
		return l
	}
	l.Branded, l.Name, l.Footer, l.LogoAlt = true, b.AgencyName, b.Footer, b.AgencyName
	if b.Custom && b.ClientName != "" {
		l.LogoAlt = b.ClientName
	}
	if accent, ok := portico.ParseColour(b.Accent); ok {
		l.Accent, l.OnAccent = accent.String(), portico.TextOn(accent).String()
	}
	if b.ImageKey != "" {
		src := c.BaseURL + portico.PortalImagePath(b.ImageKey)
		switch b.Brand {
		case portico.BrandLogo:
			l.Logo = src
		case portico.BrandHeader:
			l.Header = src
		}
	}
	return l
}
