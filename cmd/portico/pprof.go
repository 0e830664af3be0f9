package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startProfiler serves Go's profiler (net/http/pprof) on its own address,
// when --pprof-addr asks for it: never on the public handler, so it is
// reachable only where the operator chose (a loopback address, usually).
// It prints the address it got, which is the real one even for port 0.
// The returned function stops it.
func startProfiler(addr string, stdout io.Writer, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--pprof-addr (PORTICO_PPROF_ADDR): %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No write timeout: a CPU profile or trace answers after the seconds
	// it was asked to record.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "Profiling at http://%s/debug/pprof/ (--pprof-addr)\n", ln.Addr())
	log.Warn("the profiler is on: keep its address private", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}
