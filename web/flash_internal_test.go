package web

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// A confirmation longer than a flash holds is cut short at a character and
// still shown, not dropped.
func TestFlashLongMessage(t *testing.T) {
	s := &Server{}
	msg := "Recruiting team saved: " + strings.Repeat("Zoë Ångström-Ølsen, ", 30)
	rec := httptest.NewRecorder()
	s.flash(rec, msg)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	got := s.takeFlash(httptest.NewRecorder(), req)
	if got == "" || len(got) > maxFlash || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || !strings.HasPrefix(msg, strings.TrimSuffix(got, "…")) {
		t.Fatalf("flash of %d bytes read back as %d bytes: %q", len(msg), len(got), got)
	}
	short := "Saved."
	rec = httptest.NewRecorder()
	s.flash(rec, short)
	if v := rec.Result().Cookies()[0].Value; v != base64.RawURLEncoding.EncodeToString([]byte(short)) {
		t.Fatalf("short message stored as %q", v)
	}
}
