package web

import (
	"net/http"

	"portico"
)

// Being built: each handler answers 501 until its page exists.
func (s *Server) candidates(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) newCandidateForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createCandidate(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) editCandidateForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateCandidate(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) document(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

// candidateEventText says what a candidates event did, for history lists.
func candidateEventText(e *portico.Event) string { return e.Action }
