package web

import "net/http"

// Being built: each handler answers 501 until its page exists.
func (s *Server) shareForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) share(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) unshare(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) bulkShare(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) sendResumesForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) sendResumes(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) jobVisibilityForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) setJobVisibility(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) clientVisibilityForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) setClientVisibility(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) agencyVisibilityForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) setAgencyVisibility(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }
