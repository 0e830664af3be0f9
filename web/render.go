package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"portico"
)

//go:embed templates
var templatesFS embed.FS

// Page is what every template gets.
type Page struct {
	Title  string
	Nav    string // which navigation item is current
	User   *portico.User
	Agency *portico.Agency
	Flash  string
	Form   *Form
	Data   any

	UnreadAlerts int // for the navigation's badge

	// The client portal: Portal marks its pages (signed in or not), which
	// carry the agency's branding instead of the console's navigation.
	Portal  bool
	Contact *portico.Contact
	// Brand is the portal's look: the contact's client's settings, a
	// client's portal key on a sign-in page, or the agency default.
	Brand *portico.PortalBranding
	// Preview is set when an agency user sees the portal as the contact
	// (read-only); ViaLink when the contact came in by a share link.
	Preview *portico.User
	ViaLink bool

	// rememberBrand is a client's portal key for render to keep in the
	// brand cookie, so the pages before sign-in keep the client's look.
	rememberBrand string
}

// Form carries a form's input and messages back to the page after a
// failed post, so nothing typed is lost.
type Form struct {
	Values  url.Values
	Errors  map[string]string
	Order   []string // Errors' keys in form order
	Message string
}

// FieldMessage is one field's problem, for the summary above a form.
type FieldMessage struct{ Name, Message string }

// List returns the field messages in form order.
func (f *Form) List() []FieldMessage {
	if f == nil {
		return nil
	}
	var out []FieldMessage
	seen := map[string]bool{}
	for _, k := range f.Order {
		if m, ok := f.Errors[k]; ok && !seen[k] {
			out, seen[k] = append(out, FieldMessage{k, m}), true
		}
	}
	var rest []string
	for k := range f.Errors {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, FieldMessage{k, f.Errors[k]})
	}
	return out
}

// Get returns the submitted value of a field.
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Error returns the message for a field.
func (f *Form) Error(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// page starts the data for a page.
func (s *Server) page(r *http.Request, title string) *Page {
	p := &Page{Title: title, User: currentUser(r.Context())}
	if p.User == nil {
		// Pages outside the signed-in area (404s, errors) still show the
		// navigation to someone signed in.
		if c, err := r.Cookie(sessionCookie); err == nil {
			if u, _, err := s.svc.Auth.Authenticate(r.Context(), c.Value); err == nil {
				p.User = u
			}
		}
	}
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil {
		p.Agency = a
	}
	if p.User != nil && s.svc.Alerts != nil {
		p.UnreadAlerts, _ = s.svc.Alerts.CountUnread(r.Context())
	}
	return p
}

// portalPage starts the data for a portal page, in the branding of the
// contact's client (see portalBrand).
func (s *Server) portalPage(r *http.Request, title string) *Page {
	p := &Page{Title: title, Portal: true, Contact: currentContact(r.Context())}
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil {
		p.Agency = a
	}
	p.ViaLink = portico.ActorFromContext(r.Context()).LinkID != 0
	p.Preview = previewUser(r.Context())
	p.Brand, p.rememberBrand = s.portalBrand(r, p.Contact)
	return p
}

// formFrom returns a Form holding the request's input and err's messages.
func formFrom(r *http.Request, err error) *Form {
	f := &Form{Values: r.PostForm, Errors: portico.ErrorFields(err), Order: portico.ErrorOrder(err), Message: portico.ErrorMessage(err)}
	if f.Values == nil {
		f.Values = url.Values{}
	}
	// Never send a password back to the browser.
	for k := range f.Values {
		if strings.Contains(k, "password") {
			f.Values.Del(k)
		}
	}
	return f
}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset": s.static.url,
		"when":  func(t time.Time, a *portico.Agency) string { return inZone(t, a).Format("2 Jan 2006, 15:04") },
		"whenp": func(t *time.Time, a *portico.Agency) string {
			if t == nil {
				return "—"
			}
			return inZone(*t, a).Format("2 Jan 2006, 15:04")
		},
		"field": func(f *Form, name, label, kind string, attrs ...string) fieldArgs {
			return fieldArgs{Form: f, Name: name, Label: label, Type: kind, Attrs: attrs}
		},
		"attr":      func(a string) template.HTMLAttr { return template.HTMLAttr(a) },
		"add":       func(a, b int) int { return a + b },
		"roles":     func() []portico.Role { return portico.Roles },
		"pages":     pagesOf,
		"eventText": eventText,
		"eventLink": eventLink,
		"zoneLabel": func(z string) string { return strings.ReplaceAll(z, "_", " ") },
		"history": func(evs []*portico.Event, a *portico.Agency) map[string]any {
			return map[string]any{"Events": evs, "Agency": a}
		},
		"date":          func(d portico.Date) string { return d.Format() },
		"jobOptions":    jobOptions,
		"maxImageBytes": func() int { return portico.MaxPortalImage },
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templatesFS, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templatesFS, n); err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return pages, nil
}

func inZone(t time.Time, a *portico.Agency) time.Time {
	if a == nil {
		return t.UTC()
	}
	return t.In(a.Location())
}

// fieldArgs feeds the "field" partial: a labelled input with its message.
type fieldArgs struct {
	Form  *Form
	Name  string
	Label string
	Type  string
	Attrs []string
}

// render writes a page. It renders to a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.pages[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("no template %q", name))
		return
	}
	if p.Flash == "" {
		p.Flash = s.takeFlash(w, r)
	}
	if p.rememberBrand != "" {
		s.setCookie(w, brandCookie, p.rememberBrand, brandCookieAge)
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("Something went wrong on our side. Please try again."))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderBuffers hold pages while they render (a page is sent only once
// it rendered whole, so a template error can still become an error page).
// Reusing them spares growing a fresh buffer to a page's size, tens of
// kilobytes, on every request.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps the odd huge page's buffer out of the pool.
const maxPooledBuffer = 1 << 20

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}

// renderError shows an error page with a status and a message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if msg == "" {
		msg = "Something went wrong on our side. It has been logged. Please try again in a moment."
	}
	p := s.page(r, errorTitle(status))
	p.Data = map[string]any{"Status": status, "Message": msg}
	s.render(w, r, status, "error", p)
}

// errorTitle heads an error page in words people use.
func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Portico couldn't read that"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusForbidden:
		return "You can't open this page"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusConflict:
		return "That can't be done right now"
	case http.StatusGone:
		return "This link has expired"
	case http.StatusRequestEntityTooLarge:
		return "Too large"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusInternalServerError:
		return "Something went wrong"
	}
	return http.StatusText(status)
}

// statusOf maps a domain error code to an HTTP status: the one place that
// knows both.
func statusOf(err error) int {
	switch portico.ErrorCode(err) {
	case portico.EINVALID:
		return http.StatusUnprocessableEntity
	case portico.ENOTFOUND:
		return http.StatusNotFound
	case portico.ECONFLICT:
		return http.StatusConflict
	case portico.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case portico.EFORBIDDEN:
		return http.StatusForbidden
	case portico.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// fail answers with the error's status and message, logging internal ones.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "path", logPath(r), "err", err)
	}
	s.renderError(w, r, status, portico.ErrorMessage(err))
}

// pager describes a page of a list for the "pager" partial.
type pager struct {
	Offset, Limit, Total int
	// Window, when set, is how far Total was counted: a Total past it
	// means "more than Window".
	Window int
	Base   url.Values
	Path   string
}

func pagesOf(p pager) map[string]any {
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range p.Base {
			v[k] = vs
		}
		v.Set("offset", fmt.Sprint(off))
		return p.Path + "?" + v.Encode()
	}
	m := map[string]any{"From": min(p.Offset+1, p.Total), "To": min(p.Offset+p.Limit, p.Total), "Total": p.Total,
		"Of": countText(p.Total, p.Window)}
	if p.Offset > 0 {
		m["Prev"] = link(max(p.Offset-p.Limit, 0))
	}
	if p.Offset+p.Limit < p.Total {
		m["Next"] = link(p.Offset + p.Limit)
	}
	return m
}

// countText writes a count with thousands separators, as "more than"
// the window when the count went past how far it was counted (window 0:
// exact).
func countText(n, window int) string {
	if window > 0 && n > window {
		return "more than " + groupDigits(window)
	}
	return groupDigits(n)
}

// groupDigits writes 12345 as "12,345".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
