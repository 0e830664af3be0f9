package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portico"
)

func TestPanicBecomesFriendlyPage(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil)), svc: portico.Services{Agency: noAgency{}}}
	var err error
	if s.static, err = loadAssets(); err != nil {
		t.Fatal(err)
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		t.Fatal(err)
	}
	h := s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Something went wrong on our side") || strings.Contains(rec.Body.String(), "boom") {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body.String())
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/users": "/users", "/users?offset=50": "/users?offset=50", "": "/", "https://evil.test/": "/",
		"//evil.test": "/", "/\\evil.test": "/", "users": "/", "javascript:alert(1)": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// noAgency is an AgencyService before setup, for handler tests that need
// no database.
type noAgency struct{ portico.AgencyService }

func (noAgency) Agency(ctx context.Context) (*portico.Agency, error) {
	return nil, portico.Errorf(portico.ENOTFOUND, "not set up")
}
