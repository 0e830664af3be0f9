package web

import "net/http"

// The weekly report's subscription: a contact's switch in the console and
// the one-click unsubscribe link of every report.

func (s *Server) setContactWeeklyReport(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request)            { s.notFound(w, r) }
