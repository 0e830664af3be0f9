package web

import (
	"net/http"

	"portico"
)

// Share links and previews, agency side: expiring a link, and opening the
// portal as a contact sees it. Sharing a job's tracker is in
// links_share.go; what a link's visitor sees, in links_portal.go.

func (s *Server) revokeLink(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Links.RevokeLink(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	next := localPath(r.PostForm.Get("next"))
	s.redirect(w, r, next, "The link is expired: it no longer opens, and anyone using it was signed out.")
}

func (s *Server) startPreview(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	k, _, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token, err := s.svc.PortalAuth.StartPreview(r.Context(), k.ID)
	if err != nil {
		s.accessProblem(w, r, err)
		return
	}
	// The browser's own portal session, if any, gives way to the preview.
	if c, err := r.Cookie(portalCookie); err == nil && c.Value != token {
		_ = s.svc.PortalAuth.SignOut(r.Context(), c.Value)
	}
	s.setCookie(w, portalCookie, token, int(portico.PreviewTTL.Seconds()))
	s.redirect(w, r, "/portal", "")
}

// isPreview reports whether the browser's portal session is a preview.
func (s *Server) isPreview(r *http.Request) bool {
	c, err := r.Cookie(portalCookie)
	if err != nil {
		return false
	}
	_, ss, err := s.svc.PortalAuth.Authenticate(r.Context(), c.Value)
	return err == nil && ss.PreviewBy != 0
}

// endPreview ends a preview and goes back to the contact's page. It ends
// nothing else: a contact's own session is not a preview's to end.
func (s *Server) endPreview(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(portalCookie)
	if err != nil {
		s.redirect(w, r, "/", "The preview had ended already.")
		return
	}
	k, ss, err := s.svc.PortalAuth.Authenticate(r.Context(), c.Value)
	switch {
	case err != nil && portico.ErrorCode(err) == portico.EINTERNAL:
		s.fail(w, r, err)
		return
	case err != nil:
		s.clearCookie(w, portalCookie)
		s.redirect(w, r, "/", "The preview had ended already.")
		return
	case ss.PreviewBy == 0:
		s.redirect(w, r, "/portal", "")
		return
	}
	if err := s.svc.PortalAuth.SignOut(r.Context(), c.Value); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearCookie(w, portalCookie)
	s.redirect(w, r, contactPath(k.ID), "Preview ended.")
}
