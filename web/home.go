package web

import (
	"net/http"

	"portico"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	evs, _, err := s.svc.Events.FindEvents(r.Context(), portico.EventFilter{Limit: 20})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Home")
	p.Nav = "home"
	p.Data = map[string]any{"Events": evs}
	s.render(w, r, http.StatusOK, "home", p)
}
