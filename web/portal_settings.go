package web

import "net/http"

// Portal settings and branding: the agency default and a client's own, the
// images and colour they bring to the portal, and a job's recruiters.

func (s *Server) agencyPortalSettingsForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) setAgencyPortalSettings(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) clientPortalSettingsForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) setClientPortalSettings(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) jobRecruitersForm(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) setJobRecruiters(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) portalImage(w http.ResponseWriter, r *http.Request)              { s.notFound(w, r) }
func (s *Server) portalTheme(w http.ResponseWriter, r *http.Request)              { s.notFound(w, r) }
func (s *Server) portalApprove(w http.ResponseWriter, r *http.Request)            { s.notFound(w, r) }
func (s *Server) portalDocument(w http.ResponseWriter, r *http.Request)           { s.notFound(w, r) }
