package web

import (
	"encoding/base64"
	"net/http"
	"unicode/utf8"
)

const flashCookie = "portico_flash"

// maxFlash bounds a confirmation, in bytes, so its cookie stays small.
const maxFlash = 300

// flash shows msg once, on the page the redirect leads to: the
// confirmation that an action was done. A longer one is cut short at a
// character, never dropped.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	if len(msg) > maxFlash {
		cut := maxFlash - len("…")
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
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
	if err != nil || len(b) > maxFlash {
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
