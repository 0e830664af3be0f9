package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGracefulShutdown: a request in flight when SIGTERM arrives is
// answered in full, new connections are refused meanwhile, and the process
// then exits with status 0.
func TestGracefulShutdown(t *testing.T) {
	p := startPortico(t, options{})
	if res := p.get("/healthz"); res.Status != http.StatusOK || strings.TrimSpace(res.Body) != "ok" {
		t.Fatalf("GET /healthz: %d %q", res.Status, res.Body)
	}

	// A slow client: the headers and part of the form are sent, the rest
	// comes later, so the handler is blocked reading the body.
	conn, err := net.DialTimeout("tcp", p.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	body := url.Values{"email": {"someone@example.com"}}.Encode()
	if _, err := fmt.Fprintf(conn, "POST /forgot HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		p.addr, len(body), body[:6]); err != nil {
		t.Fatal(err)
	}
	// Give the server a moment to read the headers: only then is the
	// connection active rather than new, which is what a request in flight
	// means to http.Server.Shutdown.
	time.Sleep(300 * time.Millisecond)

	from := p.stderr.len()
	if !p.signal(syscall.SIGTERM) {
		t.Fatal("portico is not running")
	}
	if _, ok := p.stderr.waitFor(from, func(l string) bool { return strings.Contains(l, "shutting down") }, 10*time.Second, nil); !ok {
		t.Fatal(`portico did not log "shutting down" after SIGTERM`)
	}

	// New connections are refused once the listener is closed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("portico still accepts connections 5 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !p.running() {
		t.Fatalf("portico exited (%v) with a request in flight", p.proc.err)
	}

	// The rest of the form arrives; the answer is complete.
	if _, err := io.WriteString(conn, body[6:]); err != nil {
		t.Fatalf("sending the rest of the body: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response to the request in flight: %v", err)
	}
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("reading the body of the response in flight: %v", err)
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "sent it a link") {
		t.Errorf("request in flight: status %d, want 200 and the whole page\n%s", res.StatusCode, page)
	}

	// Then the process exits cleanly.
	err, ok := p.wait(10 * time.Second)
	if !ok {
		t.Fatal("portico did not exit within 10 s of finishing the last request")
	}
	if err != nil {
		t.Errorf("portico exited with %v after SIGTERM, want status 0", err)
	}
}
