package web

import (
	"net/http"

	"portico"
)

// Being built: each handler answers 501 until its page exists.
func (s *Server) alerts(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) readAlert(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) readAllAlerts(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) tasks(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) newTaskForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) taskPage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) setTaskStatus(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) live(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

// taskEventText says what a inbox event did, for history lists.
func taskEventText(e *portico.Event) string { return e.Action }
