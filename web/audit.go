package web

import "net/http"

// The audit: every event, filtered, on a page and as CSV.

func (s *Server) audit(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
