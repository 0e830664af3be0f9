package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"portico"
)

// A share link as its visitor meets it: a landing page (a GET, which mail
// scanners make too, so it counts nothing) with a button that opens the
// tracker (a POST, which counts a use), and for a link that no longer
// works a page that says why and offers a fresh one — never an error page.

// linkPage starts a page about a link, in its client's branding.
func (s *Server) linkPage(r *http.Request, l *portico.Link, title string) *Page {
	p := s.portalPage(r, title)
	if l == nil {
		return p
	}
	if b, err := s.svc.PortalSettings.Branding(r.Context(), l.ClientID); err == nil {
		p.Brand = b
		if b.Key != "" {
			p.rememberBrand = b.Key
		}
	}
	return p
}

// linkWhat names what a link opens, for headings: "the Senior Nurse
// tracker" or "the client portal".
func linkWhat(l *portico.Link) string {
	if l.JobTitle != "" {
		return "the " + l.JobTitle + " tracker"
	}
	return "the client portal"
}

func (s *Server) agencyName(r *http.Request) string {
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil && a.Name != "" {
		return a.Name
	}
	return "Your agency"
}

func (s *Server) shareLinkPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := s.svc.Links.CheckLink(r.Context(), token)
	if err != nil {
		s.linkGone(w, r, token, nil, err)
		return
	}
	if l.Status != portico.LinkActive {
		s.linkGone(w, r, token, l, nil)
		return
	}
	p := s.linkPage(r, l, s.agencyName(r)+" shared "+linkWhat(l)+" with you")
	p.Data = map[string]any{"Link": l, "Token": token, "Agency": s.agencyName(r), "What": linkWhat(l), "Expiry": l.Expiry(s.zone(r))}
	s.render(w, r, http.StatusOK, "share_link", p)
}

// zone is the agency's time zone, UTC before setup.
func (s *Server) zone(r *http.Request) *time.Location {
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil {
		return a.Location()
	}
	return time.UTC
}

func (s *Server) openShareLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	visit, err := s.svc.Links.OpenLink(r.Context(), token)
	if err != nil {
		l, _ := s.svc.Links.CheckLink(r.Context(), token)
		s.linkGone(w, r, token, l, err)
		return
	}
	next, msg := "/portal", "Welcome, "+clipName(visit.Contact.Name)+"."
	if visit.Link.JobID != 0 {
		next = "/portal/jobs/" + strconv.FormatInt(visit.Link.JobID, 10)
		msg = "Welcome, " + clipName(visit.Contact.Name) + ". Here is the " + clipName(visit.Link.JobTitle) + " tracker."
	}
	s.startPortalSession(w, r, visit.SessionToken, next, msg)
}

// linkGone shows why a link can't be opened: expired or revoked (410,
// with a button that emails a fresh one), unknown (404, with the
// sign-in link request), or the contact's access turned off (403).
func (s *Server) linkGone(w http.ResponseWriter, r *http.Request, token string, l *portico.Link, err error) {
	if err != nil && statusOf(err) == http.StatusInternalServerError {
		s.fail(w, r, err)
		return
	}
	status, title := http.StatusNotFound, "We don't recognise this link"
	switch {
	case l == nil:
	case l.Status == portico.LinkRevoked:
		status, title = http.StatusGone, "This link has been turned off"
	case l.Status == portico.LinkExpired:
		status, title = http.StatusGone, "This link has expired"
	default: // a working link refused: the contact's access is off
		status, title = http.StatusForbidden, "This link can't be opened"
	}
	p := s.linkPage(r, l, title)
	p.Form = &Form{}
	data := map[string]any{"Link": l, "Token": token, "Heading": title, "Agency": s.agencyName(r)}
	if status == http.StatusForbidden {
		data["Problem"] = portico.ErrorMessage(err)
	}
	if l != nil {
		data["What"] = linkWhat(l)
	}
	p.Data = data
	s.render(w, r, status, "share_link_problem", p)
}

func (s *Server) renewShareLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := s.svc.Links.RenewLink(r.Context(), token); err != nil {
		s.fail(w, r, err)
		return
	}
	// Post, then redirect: reloading the confirmation mustn't send again.
	http.Redirect(w, r, "/portal/l/"+url.PathEscape(token)+"/renewed", http.StatusSeeOther)
}

// shareLinkRenewed confirms a fresh link was asked for. The page reads the
// same whether or not the link was known; it shows where the fresh one
// went only half-hidden.
func (s *Server) shareLinkRenewed(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	to := ""
	l, err := s.svc.Links.CheckLink(r.Context(), token)
	if err == nil && l.Status != portico.LinkActive {
		to = maskEmail(l.ContactEmail)
	}
	p := s.linkPage(r, l, "Check your email")
	p.Data = map[string]any{"To": to, "Agency": s.agencyName(r)}
	s.render(w, r, http.StatusOK, "share_link_renewed", p)
}

// maskEmail half-hides an address: "hana@acme.test" is "h•••@acme.test".
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return ""
	}
	r := []rune(local)
	return string(r[0]) + "•••@" + domain
}
