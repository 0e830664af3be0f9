// Package web serves Portico's server-rendered pages: the agency console
// now, the client portal beside it. routes.go lists every route.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"portico"
)

// Server holds what the handlers need. Create it with New.
type Server struct {
	svc     portico.Services
	log     *slog.Logger
	baseURL string
	secure  bool // cookies get Secure when the base URL is https
	ready   func(context.Context) error
	now     func() time.Time

	pages  map[string]*template.Template
	static *assets
	hub    *liveHub // live updates; see live.go
}

// Options configures a Server.
type Options struct {
	Services portico.Services
	Log      *slog.Logger
	BaseURL  string
	// Ready reports whether the database answers, for /readyz.
	Ready func(context.Context) error
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// New parses the templates and static files and returns a Server.
func New(o Options) (*Server, error) {
	s := &Server{svc: o.Services, log: o.Log, baseURL: strings.TrimRight(o.BaseURL, "/"), ready: o.Ready, now: o.Now}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.secure = strings.HasPrefix(s.baseURL, "https://")
	s.hub = newLiveHub(s.svc, s.log)
	var err error
	if s.static, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the whole site with its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This form was sent from another site, so Portico refused it. Go back to the page, reload it and try again.")
	}))
	var h http.Handler = mux
	h = s.withActor(h)
	h = cop.Handler(h)
	h = s.limitBody(h)
	h = securityHeaders(h, s.secure)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	return h
}

// NewHTTPServer returns an http.Server with timeouts that keep slow clients
// from holding connections.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second, // uploads
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
