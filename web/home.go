package web

import (
	"net/http"

	"portico"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	evs, _, err := s.svc.Events.FindEvents(r.Context(), portico.EventFilter{Work: true, Limit: 20})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inbox, err := s.inboxSummary(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Home")
	p.Nav = "home"
	p.Data = map[string]any{"Events": evs, "Inbox": inbox}
	s.render(w, r, http.StatusOK, "home", p)
}
