package web

import "net/http"

// Being built: each handler answers 501 until its page exists.
func (s *Server) inviteContact(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) disableContact(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) setContactAccess(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalSigninForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalSignin(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalSignout(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalActivateForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalActivate(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalLinkForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalRequestLink(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalLinkPage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalUseLink(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalForgotForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalForgot(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalResetForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalReset(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

// contact wraps a handler for signed-in client contacts. (Being built.)
func (s *Server) contact(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) })
}
