package web

import (
	"net/http"

	"portico"
)

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	f := portico.MessageFilter{Kind: portico.MessageEmail, Offset: offset(r), Limit: 50}
	ms, total, err := s.svc.Outbox.FindMessages(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kept := false
	for _, m := range ms {
		kept = kept || m.Status == portico.MessageKept
	}
	p := s.page(r, "Outbox")
	p.Nav = "outbox"
	p.Data = map[string]any{"Messages": ms, "Kept": kept, "Pager": pager{Offset: f.Offset, Limit: f.Limit, Total: total, Path: "/outbox"}}
	s.render(w, r, http.StatusOK, "outbox", p)
}

func (s *Server) findMessage(w http.ResponseWriter, r *http.Request) *portico.Message {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	m, err := s.svc.Outbox.FindMessageByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return m
}

func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) {
	m := s.findMessage(w, r)
	if m == nil {
		return
	}
	p := s.page(r, "Email")
	p.Nav = "outbox"
	p.Data = map[string]any{"Message": m}
	s.render(w, r, http.StatusOK, "outbox_message", p)
}

// outboxMessageHTML shows an email's HTML as its recipient would see it,
// sandboxed: no script runs and nothing loads from elsewhere. Images may
// come from Portico itself: the portal's logo or header (public, as on the
// sign-in page), so the admin sees the email's branding as sent.
func (s *Server) outboxMessageHTML(w http.ResponseWriter, r *http.Request) {
	m := s.findMessage(w, r)
	if m == nil {
		return
	}
	if m.Email == nil || m.Email.HTML == "" {
		s.renderError(w, r, http.StatusNotFound, "This email has no HTML version.")
		return
	}
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(m.Email.HTML))
}
