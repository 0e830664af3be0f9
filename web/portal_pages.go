package web

import "net/http"

// Being built: each handler answers 501 until its page exists.
func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalJob(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalSetColumns(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalExport(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalCandidate(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) portalResume(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }
