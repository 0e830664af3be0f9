package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"
)

// Live updates: GET /live?topic=job:7&topic=candidate:3 is a stream of
// server-sent events for an open console page (see live_hub.go and
// static/live.js):
//
//	event: unread   data: {"count":N}                   on connect, and when it changes
//	event: change   data: {"topic":"job:7","event":123}  for each new event on a topic
//	: ping                                               every 25 s
//
// A stream ends after liveMaxAge; the browser reconnects, and so passes
// the session check again.

const (
	livePing   = 25 * time.Second
	liveMaxAge = 30 * time.Minute
)

var liveTopic = regexp.MustCompile(`^(job|candidate|client|application|task|user):[1-9][0-9]{0,17}$`)

// liveTopics checks the requested topics: staff may follow anything in the
// console, so only the form and the number are limited.
func liveTopics(raw []string) ([]string, error) {
	if len(raw) > liveMaxTopics {
		return nil, fmt.Errorf("a page can follow at most %d topics", liveMaxTopics)
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range raw {
		if !liveTopic.MatchString(t) {
			return nil, fmt.Errorf("%q is not a topic: use a record type and its number, such as job:7", t)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	topics, err := liveTopics(r.URL.Query()["topic"])
	if err != nil {
		http.Error(w, "Portico can't follow that: "+err.Error()+".", http.StatusBadRequest)
		return
	}
	u := currentUser(r.Context())
	sub, err := s.hub.subscribe(r.Context(), u.ID, topics)
	switch {
	case errors.Is(err, errLiveTooMany):
		w.Header().Set("Retry-After", "60")
		http.Error(w, "You have too many Portico pages open at once. Close some and reload this one.", http.StatusTooManyRequests)
		return
	case errors.Is(err, errLiveClosed):
		w.Header().Set("Retry-After", "5")
		http.Error(w, "Portico is restarting. This page will reconnect by itself.", http.StatusServiceUnavailable)
		return
	case err != nil:
		s.log.Error("live updates: subscribe", "err", err)
		http.Error(w, "Live updates are unavailable just now.", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(sub)
	if err := s.hub.countUnread(sub, func() (int, error) { return s.svc.Alerts.CountUnread(r.Context()) }); err != nil {
		s.log.Error("live updates: count unread alerts", "err", err)
		http.Error(w, "Live updates are unavailable just now.", http.StatusServiceUnavailable)
		return
	}

	rc := http.NewResponseController(w)
	// The server's timeouts are for ordinary pages; this one stays open (a
	// client that vanished is noticed when a ping can't be written).
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return
	}
	if err := rc.SetReadDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: don't hold the stream back
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}

	ping := time.NewTicker(livePing)
	defer ping.Stop()
	end := time.NewTimer(liveMaxAge)
	defer end.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-sub.done:
			return
		case <-end.C:
			return
		case <-ping.C:
			_, err = fmt.Fprint(w, ": ping\n\n")
		case m := <-sub.ch:
			_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.event, m.data)
			// Send what else is waiting in the same write.
			for more := true; more && err == nil; {
				select {
				case m := <-sub.ch:
					_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.event, m.data)
				default:
					more = false
				}
			}
		}
		if err != nil || rc.Flush() != nil {
			return
		}
	}
}

// CloseStreams ends the live-update streams and stops their hub, so that
// http.Server.Shutdown, which waits for open requests, can finish: pass it
// to the server's RegisterOnShutdown. Pages reconnect to another instance,
// or to this one when it is back.
func (s *Server) CloseStreams() { s.hub.Close() }
