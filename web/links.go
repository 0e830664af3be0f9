package web

import "net/http"

// Share links: sharing a job's tracker, opening a link, and the pages an
// expired, revoked or unknown link shows; previews of the portal.

func (s *Server) shareTrackerForm(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) shareTracker(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) revokeLink(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) contactActivityCSV(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) startPreview(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) endPreview(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) shareLinkPage(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) openShareLink(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) renewShareLink(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
