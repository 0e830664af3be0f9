package web

import (
	"net/http"
	"net/url"
	"strings"

	"portico"
)

// The portal's doors: sign-in with a password or an emailed one-time link,
// activation from an invitation, password reset. A portal session is its
// own cookie, apart from the console's.

// contact wraps a handler for signed-in client contacts. Others are sent
// to the portal's sign-in page and brought back afterwards (a GET), or
// told to sign in again (a form sent after the session ended). A share
// link's visitor acts within their link; a preview reads as the contact
// and changes nothing, and lasts only while the agency user who started
// it is signed in to the console.
func (s *Server) contact(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var k *portico.Contact
		var ss *portico.PortalSession
		var preview *portico.User
		c, cookieErr := r.Cookie(portalCookie)
		err := cookieErr
		if cookieErr == nil {
			k, ss, err = s.svc.PortalAuth.Authenticate(r.Context(), c.Value)
		}
		if err == nil && ss.PreviewBy != 0 {
			if preview = s.previewer(r, ss.PreviewBy); preview == nil {
				_ = s.svc.PortalAuth.SignOut(r.Context(), c.Value)
				s.clearCookie(w, portalCookie)
				s.redirect(w, r, "/signin", "The preview ended when you signed out of the console.")
				return
			}
		}
		if err != nil {
			if cookieErr == nil && portico.ErrorCode(err) == portico.EINTERNAL {
				s.fail(w, r, err)
				return
			}
			if c != nil {
				s.clearCookie(w, portalCookie)
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, signinPath(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			// A form sent after the session ended: sign in, then back to
			// the page it came from.
			p := s.portalPage(r, "Sign in")
			p.Data = map[string]any{"Next": portalNext(refererPath(r)), "Notice": "Your session has ended, so that wasn't saved. Sign in and try again."}
			s.render(w, r, http.StatusUnauthorized, "portal_signin", p)
			return
		}
		r = r.WithContext(withContact(r.Context(), k, ss, preview))
		if preview != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.previewRefused(w, r)
			return
		}
		h(w, r)
	})
}

// previewer returns the agency user signed in to the console in this
// browser when they are the one who started the preview, else nil.
func (s *Server) previewer(r *http.Request, userID int64) *portico.User {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	u, _, err := s.svc.Auth.Authenticate(r.Context(), c.Value)
	if err != nil || u.ID != userID {
		return nil
	}
	return u
}

// previewRefused answers any change tried in a preview: nothing is done.
func (s *Server) previewRefused(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "This is a preview")
	p.Preview = previewUser(r.Context())
	p.Data = map[string]any{"Back": portalNext(refererPath(r))}
	s.render(w, r, http.StatusForbidden, "preview_refused", p)
}

// signinPath is the portal's sign-in page, leading on to next.
func signinPath(next string) string {
	next = portalNext(next)
	if next == "/portal" {
		return "/portal/signin"
	}
	return "/portal/signin?next=" + url.QueryEscape(next)
}

// portalNext returns p when it is a portal page of this site, else the
// portal's home: a next parameter must lead nowhere else.
func portalNext(p string) string {
	p = localPath(p)
	if p == "/portal" || strings.HasPrefix(p, "/portal/") || strings.HasPrefix(p, "/portal?") {
		if strings.ContainsAny(p, "\\\r\n") || len(p) > 500 {
			return "/portal"
		}
		return p
	}
	return "/portal"
}

// refererPath is the path of the page a form was sent from, "" when it is
// not this site's.
func refererPath(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host {
		return ""
	}
	return u.RequestURI()
}

// signedInContact returns the contact of a valid portal cookie, or nil.
func (s *Server) signedInContact(r *http.Request) *portico.Contact {
	c, err := r.Cookie(portalCookie)
	if err != nil {
		return nil
	}
	k, _, err := s.svc.PortalAuth.Authenticate(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return k
}

// startPortalSession sets the session cookie, ending the browser's old
// portal session if it had one, and sends the contact on.
func (s *Server) startPortalSession(w http.ResponseWriter, r *http.Request, token, next, msg string) {
	if c, err := r.Cookie(portalCookie); err == nil && c.Value != token {
		_ = s.svc.PortalAuth.SignOut(r.Context(), c.Value)
	}
	s.setCookie(w, portalCookie, token, int(portico.PortalSessionMaxAge.Seconds()))
	s.redirect(w, r, portalNext(next), msg)
}

func (s *Server) portalSigninForm(w http.ResponseWriter, r *http.Request) {
	next := portalNext(r.URL.Query().Get("next"))
	if s.signedInContact(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := s.portalPage(r, "Sign in")
	p.Data = map[string]any{"Next": next}
	s.render(w, r, http.StatusOK, "portal_signin", p)
}

func (s *Server) portalSignin(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	next := portalNext(r.PostForm.Get("next"))
	token, k, err := s.svc.PortalAuth.SignIn(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"))
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		p := s.portalPage(r, "Sign in")
		p.Form = formFrom(r, err)
		p.Data = map[string]any{"Next": next}
		s.render(w, r, statusOf(err), "portal_signin", p)
		return
	}
	s.startPortalSession(w, r, token, next, "Welcome back, "+clipName(k.Name)+".")
}

func (s *Server) portalSignout(w http.ResponseWriter, r *http.Request) {
	if s.isPreview(r) {
		s.endPreview(w, r)
		return
	}
	if c, err := r.Cookie(portalCookie); err == nil {
		if err := s.svc.PortalAuth.SignOut(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w, portalCookie)
	s.redirect(w, r, "/portal/signin", "You have signed out.")
}

// linkProblem shows why an emailed link can't be used, with the form that
// sends a fresh one: never a dead end.
func (s *Server) linkProblem(w http.ResponseWriter, r *http.Request, err error, form string) {
	if statusOf(err) == http.StatusInternalServerError {
		s.fail(w, r, err)
		return
	}
	switch form {
	case "signin":
		p := s.portalPage(r, "Email me a sign-in link")
		p.Data = map[string]any{"Problem": portico.ErrorMessage(err), "Next": "/portal"}
		s.render(w, r, http.StatusGone, "portal_link", p)
	default:
		title := "Reset your password"
		if form == "activate" {
			title = "Set your password"
		}
		p := s.portalPage(r, title)
		p.Data = map[string]any{"Problem": portico.ErrorMessage(err), "Heading": title}
		s.render(w, r, http.StatusGone, "portal_forgot", p)
	}
}

func (s *Server) portalActivateForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	k, err := s.svc.PortalAuth.CheckActivation(r.Context(), token)
	if err != nil {
		s.linkProblem(w, r, err, "activate")
		return
	}
	s.activateForm(w, r, http.StatusOK, token, k, nil)
}

func (s *Server) activateForm(w http.ResponseWriter, r *http.Request, status int, token string, k *portico.Contact, form *Form) {
	p := s.portalPage(r, "Set your password")
	p.Form = form
	p.Data = map[string]any{"Token": token, "Invitee": k}
	s.brandAs(r, p, k)
	s.render(w, r, status, "portal_activate", p)
}

func (s *Server) portalActivate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	token := r.PathValue("token")
	session, _, err := s.svc.PortalAuth.Activate(r.Context(), token, r.PostForm.Get("password"))
	switch portico.ErrorCode(err) {
	case "":
		s.startPortalSession(w, r, session, "/portal", "Your password is set and you're signed in. Welcome to the portal.")
	case portico.EINVALID:
		k, cerr := s.svc.PortalAuth.CheckActivation(r.Context(), token)
		if cerr != nil {
			s.linkProblem(w, r, cerr, "activate")
			return
		}
		s.activateForm(w, r, statusOf(err), token, k, formFrom(r, err))
	default:
		s.linkProblem(w, r, err, "activate")
	}
}

func (s *Server) portalLinkForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "Email me a sign-in link")
	q := r.URL.Query()
	p.Form = &Form{Values: url.Values{"email": {portico.NormalizeEmail(q.Get("email"))}}}
	p.Data = map[string]any{"Next": portalNext(q.Get("next"))}
	s.render(w, r, http.StatusOK, "portal_link", p)
}

func (s *Server) portalRequestLink(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	email := portico.NormalizeEmail(r.PostForm.Get("email"))
	next := portalNext(r.PostForm.Get("next"))
	p := s.portalPage(r, "Email me a sign-in link")
	if err := s.svc.PortalAuth.RequestSignInLink(r.Context(), email, next); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		p.Form = formFrom(r, err)
		p.Data = map[string]any{"Next": next}
		s.render(w, r, statusOf(err), "portal_link", p)
		return
	}
	p.Title = "Check your email"
	p.Data = map[string]any{"Sent": true, "Email": email, "Minutes": int(portico.SignInLinkTTL.Minutes()), "Next": next}
	s.render(w, r, http.StatusOK, "portal_link", p)
}

func (s *Server) portalLinkPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	k, err := s.svc.PortalAuth.CheckSignInLink(r.Context(), token)
	if err != nil {
		s.linkProblem(w, r, err, "signin")
		return
	}
	p := s.portalPage(r, "Sign in")
	p.Data = map[string]any{"Token": token, "Invitee": k}
	s.brandAs(r, p, k)
	s.render(w, r, http.StatusOK, "portal_link_use", p)
}

func (s *Server) portalUseLink(w http.ResponseWriter, r *http.Request) {
	session, k, next, err := s.svc.PortalAuth.UseSignInLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.linkProblem(w, r, err, "signin")
		return
	}
	s.startPortalSession(w, r, session, next, "Welcome back, "+clipName(k.Name)+".")
}

func (s *Server) portalForgotForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "Reset your password")
	p.Data = map[string]any{"Heading": "Reset your password"}
	s.render(w, r, http.StatusOK, "portal_forgot", p)
}

func (s *Server) portalForgot(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	email := portico.NormalizeEmail(r.PostForm.Get("email"))
	p := s.portalPage(r, "Reset your password")
	if err := s.svc.PortalAuth.RequestPasswordReset(r.Context(), email); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		p.Form = formFrom(r, err)
		p.Data = map[string]any{"Heading": "Reset your password"}
		s.render(w, r, statusOf(err), "portal_forgot", p)
		return
	}
	p.Title = "Check your email"
	p.Data = map[string]any{"Heading": "Reset your password", "Sent": true, "Email": email, "Minutes": int(portico.PasswordResetTTL.Minutes())}
	s.render(w, r, http.StatusOK, "portal_forgot", p)
}

func (s *Server) portalResetForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	k, err := s.svc.PortalAuth.CheckPasswordReset(r.Context(), token)
	if err != nil {
		s.linkProblem(w, r, err, "reset")
		return
	}
	p := s.portalPage(r, "Choose a new password")
	p.Data = map[string]any{"Token": token, "Invitee": k}
	s.brandAs(r, p, k)
	s.render(w, r, http.StatusOK, "portal_reset", p)
}

func (s *Server) portalReset(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	token := r.PathValue("token")
	k, err := s.svc.PortalAuth.ResetPassword(r.Context(), token, r.PostForm.Get("password"))
	switch portico.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/portal/signin", "Your password is changed. Sign in with it now, "+clipName(k.Name)+".")
	case portico.EINVALID:
		k, cerr := s.svc.PortalAuth.CheckPasswordReset(r.Context(), token)
		if cerr != nil {
			s.linkProblem(w, r, cerr, "reset")
			return
		}
		p := s.portalPage(r, "Choose a new password")
		p.Form = formFrom(r, err)
		p.Data = map[string]any{"Token": token, "Invitee": k}
		s.brandAs(r, p, k)
		s.render(w, r, statusOf(err), "portal_reset", p)
	default:
		s.linkProblem(w, r, err, "reset")
	}
}
