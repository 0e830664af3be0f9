package web

import "net/http"

// Being built: each handler answers 501 until its page exists.
func (s *Server) portalRate(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalFeedback(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalInterview(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalHire(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalReject(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }
