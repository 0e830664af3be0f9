package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProfilerOwnAddress runs serve with --pprof-addr: the profiler answers
// on its own address, and the public one knows nothing of it.
func TestProfilerOwnAddress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	env := map[string]string{"PORTICO_DATA": filepath.Join(t.TempDir(), "data")}
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--pprof-addr", "127.0.0.1:0", "--delivery=false"},
			func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})

	var public, profiler string
	lines := bufio.NewScanner(pr)
	for (public == "" || profiler == "") && lines.Scan() {
		line := lines.Text()
		if rest, ok := strings.CutPrefix(line, "Profiling at "); ok {
			profiler, _, _ = strings.Cut(rest, " ")
		}
		if rest, ok := strings.CutPrefix(line, "Portico is running at "); ok {
			public, _, _ = strings.Cut(rest, " ")
		}
	}
	go io.Copy(io.Discard, pr)
	if public == "" || profiler == "" {
		t.Fatalf("serve printed no addresses (public %q, profiler %q)", public, profiler)
	}
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(profiler + "cmdline"); code != http.StatusOK || !strings.Contains(body, "portico") {
		t.Errorf("profiler's cmdline: %d %q", code, body)
	}
	if code, body := get(profiler + "goroutine?debug=1"); code != http.StatusOK || !strings.Contains(body, "goroutine profile") {
		t.Errorf("profiler's goroutines: %d %.100q", code, body)
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/cmdline", "/debug/pprof/goroutine?debug=1"} {
		if code, body := get(public + path); code == http.StatusOK || strings.Contains(body, "goroutine profile") {
			t.Errorf("public %s: %d, want no profiler there", path, code)
		}
	}
}
