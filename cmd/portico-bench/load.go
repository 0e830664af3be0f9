package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is one endpoint measured at one connection count.
type result struct {
	name     string
	path     string
	conns    int
	requests int             // completed in the measuring window
	errors   int             // non-2xx answers and transport errors
	firstErr string          // the first error, to show
	window   time.Duration   // from the start of measuring to the last answer
	lat      []time.Duration // sorted
	bytes    int             // size of an answer's body
	rss      int64           // the server's highest VmRSS seen while measuring
	cpu      time.Duration   // the server's CPU time while measuring (user and system)
	profile  *profileSummary // its CPU profile meanwhile, when one was taken
}

// cpuPerRequest is the server's CPU time per measured request: unlike
// latency, hardly disturbed by other work on the machine.
func (r *result) cpuPerRequest() time.Duration {
	if r.requests == 0 {
		return 0
	}
	return r.cpu / time.Duration(r.requests)
}

func (r *result) rps() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.requests) / r.window.Seconds()
}

// quantile is the nearest-rank quantile of the latencies.
func (r *result) quantile(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(float64(len(r.lat))*q+0.999999) - 1
	return r.lat[min(max(i, 0), len(r.lat)-1)]
}

func (r *result) p50() time.Duration { return r.quantile(0.50) }
func (r *result) p99() time.Duration { return r.quantile(0.99) }

// drive sends GET requests for url from conns goroutines, each on its own
// keep-alive connection, one after another, for warmup and then for
// measure; only requests started after the warm-up count. header is sent
// with every request. When pid is not 0 the process's VmRSS is sampled.
func drive(ctx context.Context, target string, header http.Header, conns int, warmup, measure time.Duration, pid int) *result {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	start := time.Now()
	from, until := start.Add(warmup), start.Add(warmup+measure)
	type worker struct {
		lat      []time.Duration
		errors   int
		firstErr string
		last     time.Time
		bytes    int
	}
	ws := make([]worker, conns)
	var wg sync.WaitGroup
	for i := range ws {
		w := &ws[i]
		w.lat = make([]time.Duration, 0, 4096)
		wg.Go(func() {
			buf := make([]byte, 64<<10)
			h := header.Clone()
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				n, err := get(ctx, client, target, h, buf)
				t1 := time.Now()
				if t0.Before(from) {
					continue
				}
				w.last = t1
				if err != nil {
					w.errors++
					if w.firstErr == "" {
						w.firstErr = err.Error()
					}
					continue
				}
				w.lat = append(w.lat, t1.Sub(t0))
				w.bytes = n
			}
		})
	}

	// Sample the server's memory while it works, and its CPU time over
	// the measuring window.
	var rss int64
	var cpu0, cpu1 time.Duration
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		if pid == 0 {
			return
		}
		select {
		case <-time.After(time.Until(from)):
		case <-stop:
			return
		}
		cpu0 = cpuTime(pid)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if r, _ := memory(pid); r > rss {
				rss = r
			}
			select {
			case <-stop:
				cpu1 = cpuTime(pid)
				return
			case <-tick.C:
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-sampled

	r := &result{conns: conns, rss: rss}
	if cpu1 > 0 {
		r.cpu = cpu1 - cpu0
	}
	var last time.Time
	for _, w := range ws {
		r.lat = append(r.lat, w.lat...)
		r.errors += w.errors
		if r.firstErr == "" {
			r.firstErr = w.firstErr
		}
		if w.last.After(last) {
			last = w.last
		}
		r.bytes = max(r.bytes, w.bytes)
	}
	slices.Sort(r.lat)
	r.requests = len(r.lat) + r.errors
	if !last.IsZero() {
		r.window = last.Sub(from)
	}
	return r
}

// get makes one request and reads the whole answer; a non-2xx status is
// an error.
func get(ctx context.Context, client *http.Client, target string, header http.Header, buf []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	req.Header = header
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.CopyBuffer(io.Discard, resp.Body, buf)
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return int(n), fmt.Errorf("%s: %s", target, resp.Status)
	}
	return int(n), err
}

// fetch gets a page once, to check it works and for its bytes and
// content type.
func fetch(target string, header http.Header) ([]byte, string, error) {
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header = header
	client := &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s: %s, want 200 OK", target, resp.Status)
	}
	return b, resp.Header.Get("Content-Type"), nil
}

// ceiling serves body from a bare net/http handler in this process, on a
// loopback port: what the machine can do for a page of that size.
type ceiling struct {
	srv  *http.Server
	base string
}

func startCeiling(body []byte) (*ceiling, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})}
	go srv.Serve(ln)
	return &ceiling{srv: srv, base: "http://" + ln.Addr().String()}, nil
}

func (c *ceiling) close() { c.srv.Close() }
