package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"portico"
)

// maxFormBytes bounds a form post; uploads get their own, larger limit.
const maxFormBytes = 1 << 20

const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies so a huge post can't exhaust memory.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxFormBytes && !isUpload(r) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "What you sent is too large. Forms take up to 1 MB.")
			return
		}
		if !isUpload(r) {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// isUpload reports whether a request may carry files; upload handlers set
// their own limits.
func isUpload(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

// Unwrap lets http.ResponseController reach Flush for server-sent events.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line per request. Paths that carry secrets are
// logged by their route pattern only.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			return
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("path", logPath(r)), slog.Int("status", sw.status),
			slog.Int("bytes", sw.size), slog.Duration("took", time.Since(start)), slog.String("ip", clientIP(r)))
	})
}

// logPath keeps tokens out of the logs.
func logPath(r *http.Request) string {
	for _, p := range []string{"/reset/", "/l/", "/activate/"} {
		if strings.HasPrefix(r.URL.Path, p) {
			return p + "…"
		}
	}
	return r.URL.Path
}

// recoverPanics turns a panic into a logged error and a friendly 500 page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "err", fmt.Sprint(v), "path", logPath(r), "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError, "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withActor puts the visitor's address into the context; signing in adds
// who they are.
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := portico.Actor{Kind: portico.ActorVisitor, IP: clientIP(r), UserAgent: r.UserAgent()}
		next.ServeHTTP(w, r.WithContext(portico.NewContextWithActor(r.Context(), a)))
	})
}

// clientIP is the connection's address. Portico does not trust
// X-Forwarded-For; a proxy in front must pass the connection through.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// parseForm parses a posted form and answers 413 or 400 itself when it
// can't; the handler returns when ok is false.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) (ok bool) {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "What you sent is too large. Forms take up to 1 MB.")
		} else {
			s.renderError(w, r, http.StatusBadRequest, "Portico couldn't read that form. Reload the page and try again.")
		}
		return false
	}
	if !storableText(r.Form) {
		s.renderError(w, r, http.StatusBadRequest, unstorableText)
		return false
	}
	return true
}

// unstorableText answers a form with text no database keeps as sent.
const unstorableText = "That form contains characters Portico can't store (a null character, or text that isn't valid UTF-8). Remove them and try again."

// storableText reports whether every name and value is valid UTF-8 without
// a NUL: PostgreSQL refuses both, and SQLite would keep bytes no page can
// show. One check for every form, so no store method meets them.
func storableText(v url.Values) bool {
	for k, vs := range v {
		if !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0 {
			return false
		}
		for _, s := range vs {
			if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
				return false
			}
		}
	}
	return true
}
