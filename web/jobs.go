package web

import (
	"net/http"

	"portico"
)

// Being built: each handler answers 501 until its page exists.
func (s *Server) jobs(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) newJobForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createJob(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) editJobForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateJob(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) addToShortlist(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) addToChosenShortlist(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) moveApplication(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) addNote(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) removeApplication(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) stages(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) createStage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) editStageForm(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) updateStage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) moveStage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) retireStage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

func (s *Server) restoreStage(w http.ResponseWriter, r *http.Request) { s.notBuilt(w, r) }

// jobEventText says what a jobs event did, for history lists.
func jobEventText(e *portico.Event) string { return e.Action }
