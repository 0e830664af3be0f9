package web

import (
	"encoding/base64"
	"net/http"
)

const flashCookie = "portico_flash"

// flash shows msg once, on the page the redirect leads to: the
// confirmation that an action was done.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	s.setCookie(w, flashCookie, base64.RawURLEncoding.EncodeToString([]byte(msg)), 60)
}

// takeFlash reads and clears the flash message.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	s.clearCookie(w, flashCookie)
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > 300 {
		return ""
	}
	return string(b)
}

// redirect confirms an action and sends the browser on (POST/redirect/GET).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, msg string) {
	if msg != "" {
		s.flash(w, msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
