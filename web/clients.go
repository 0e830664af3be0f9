package web

import (
	"net/http"

	"portico"
)

// Being built: each handler answers 501 until its page exists.
func (s *Server) clients(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) newClientForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createClient(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) clientPage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) editClientForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateClient(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) newContactForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) editContactForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) newLocationForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createLocation(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) editLocationForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateLocation(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

// clientEventText says what a clients event did, for history lists.
func clientEventText(e *portico.Event) string { return e.Action }
