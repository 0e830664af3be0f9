package web

import (
	"net/http"

	"portico"
)

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Agency.Agency(r.Context()); portico.ErrorCode(err) == portico.ENOTFOUND {
		s.render(w, r, http.StatusOK, "not_setup", s.page(r, "Set up Portico"))
		return
	}
	p := s.page(r, "Sign in")
	p.Data = map[string]string{"Next": localPath(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, "signin", p)
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	next := localPath(r.PostForm.Get("next"))
	token, u, err := s.svc.Auth.SignIn(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"))
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		p := s.page(r, "Sign in")
		p.Form = formFrom(r, err)
		p.Data = map[string]string{"Next": next}
		s.render(w, r, statusOf(err), "signin", p)
		return
	}
	// A fresh token at every sign-in; the old session, if any, ends.
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.svc.Auth.SignOut(r.Context(), c.Value)
	}
	s.setCookie(w, sessionCookie, token, int(portico.SessionMaxAge.Seconds()))
	s.redirect(w, r, next, "Welcome back, "+u.Name+".")
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.svc.Auth.SignOut(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w, sessionCookie)
	s.redirect(w, r, "/signin", "You have signed out.")
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Reset your password")
	p.Data = map[string]any{}
	s.render(w, r, http.StatusOK, "forgot", p)
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	email := portico.NormalizeEmail(r.PostForm.Get("email"))
	p := s.page(r, "Reset your password")
	if err := s.svc.Auth.RequestPasswordReset(r.Context(), email); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		p.Form = formFrom(r, err)
		p.Data = map[string]any{}
		s.render(w, r, statusOf(err), "forgot", p)
		return
	}
	p.Data = map[string]any{"Sent": true, "Email": email}
	s.render(w, r, http.StatusOK, "forgot", p)
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := s.svc.Auth.CheckPasswordReset(r.Context(), token)
	if err != nil {
		s.resetLinkProblem(w, r, err)
		return
	}
	p := s.page(r, "Choose a new password")
	p.Data = map[string]string{"Token": token, "Email": u.Email}
	s.render(w, r, http.StatusOK, "reset", p)
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	token := r.PathValue("token")
	u, err := s.svc.Auth.ResetPassword(r.Context(), token, r.PostForm.Get("password"))
	switch portico.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/signin", "Your password is changed. Sign in with the new one, "+u.Name+".")
	case portico.EINVALID:
		u, cerr := s.svc.Auth.CheckPasswordReset(r.Context(), token)
		if cerr != nil {
			s.resetLinkProblem(w, r, cerr)
			return
		}
		p := s.page(r, "Choose a new password")
		p.Form = formFrom(r, err)
		p.Data = map[string]string{"Token": token, "Email": u.Email}
		s.render(w, r, statusOf(err), "reset", p)
	default:
		s.resetLinkProblem(w, r, err)
	}
}

// resetLinkProblem shows the forgot-password form with the reason, so a
// dead link leads straight to a new one.
func (s *Server) resetLinkProblem(w http.ResponseWriter, r *http.Request, err error) {
	if statusOf(err) == http.StatusInternalServerError {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Reset your password")
	p.Data = map[string]any{"Problem": portico.ErrorMessage(err)}
	s.render(w, r, http.StatusGone, "forgot", p)
}
