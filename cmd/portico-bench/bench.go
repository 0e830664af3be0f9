package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// engineReport is everything measured on one engine.
type engineReport struct {
	engine    string
	ds        *dataset
	dbBytes   int64
	targets   *targets
	results   []*result // endpoints, then the ceiling, each at every connection count
	peakRSS   int64     // the server's VmHWM after the run
	startRSS  int64     // its VmRSS once ready and signed in
	loadStart string    // /proc/loadavg before measuring
	loadEnd   string    // and after
	took      time.Duration
}

func (rep *engineReport) find(name string, conns int) *result {
	for _, r := range rep.results {
		if r.name == name && r.conns == conns {
			return r
		}
	}
	return nil
}

// benchEngine starts Portico on a data set and measures every endpoint at
// every connection count, then the ceiling.
func benchEngine(ctx context.Context, o *options, ds *dataset, bin, tmp string, logf func(string, ...any)) (*engineReport, error) {
	began := time.Now()
	engine := ds.engine
	if err := ds.start(); err != nil {
		return nil, err
	}
	defer ds.stop()
	rep := &engineReport{engine: engine, ds: ds}

	logf("%s: starting Portico", engine)
	srv, err := startServer(ctx, bin, ds, tmp, o.profile)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	logf("%s: Portico is up at %s (pid %d, log %s)", engine, srv.base, srv.pid(), srv.log)
	if o.profile && srv.pprof == "" {
		return nil, fmt.Errorf("portico serve did not start its profiler (--pprof-addr); is %s older than the benchmark? Or run with --profile=false", bin)
	}

	cookies := map[role]string{}
	for _, ep := range endpoints {
		if _, ok := cookies[ep.who]; ok {
			continue
		}
		sign, ok := signers[ep.who]
		if !ok {
			return nil, fmt.Errorf("no way to sign in as %s", ep.who)
		}
		if cookies[ep.who], err = sign(srv.base); err != nil {
			return nil, err
		}
	}
	if rep.targets, err = pickTargets(ctx, ds); err != nil {
		return nil, err
	}
	logf("%s: targets: %s", engine, rep.targets)
	rep.dbBytes = ds.size()

	header := func(who role) http.Header {
		return http.Header{"Cookie": {cookies[who]}, "User-Agent": {"portico-bench"}, "Accept": {"text/html"}}
	}
	// Each page once: it must work before it is measured.
	var ceilingBody []byte
	for _, ep := range endpoints {
		body, contentType, err := fetch(srv.base+ep.path(rep.targets), header(ep.who))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ep.name, err)
		}
		if check := checks[ep.name]; check != nil {
			if err := check(rep.targets, contentType, body); err != nil {
				return nil, fmt.Errorf("%s: GET %s: %w", ep.name, ep.path(rep.targets), err)
			}
		}
		if ep.name == ceilingOf {
			ceilingBody = body
		}
	}
	if ceilingBody == nil {
		return nil, fmt.Errorf("the ceiling's page %q is not among the endpoints", ceilingOf)
	}
	rep.startRSS, _ = memory(srv.pid())
	rep.loadStart = loadavg()

	for _, ep := range endpoints {
		if o.only != nil && !o.only.MatchString(ep.name) {
			continue
		}
		path := ep.path(rep.targets)
		for _, c := range o.conns {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			// At the highest connection count, a CPU profile of the
			// server over the measuring window.
			var prof chan *profileSummary
			if o.profile && c == slices.Max(o.conns) {
				prof = make(chan *profileSummary, 1)
				go func() {
					select {
					case <-time.After(o.warmup):
					case <-ctx.Done():
					}
					prof <- captureProfile(ctx, srv.pprof, max(1, int(o.duration/time.Second)), profileFile(o.data, engine, ep.name))
				}()
			}
			r := drive(ctx, srv.base+path, header(ep.who), c, o.warmup, o.duration, srv.pid())
			r.name, r.path = ep.name, path
			if prof != nil {
				r.profile = <-prof
			}
			rep.results = append(rep.results, r)
			logf("%s: %-32s %3d conns %8.1f req/s  p50 %8s  p99 %8s  errors %d%s", engine, ep.name, c, r.rps(), ms(r.p50()), ms(r.p99()), r.errors, errNote(r))
			select {
			case <-srv.done:
				return nil, fmt.Errorf("portico serve exited during the run: %v (log %s)", srv.err, srv.log)
			default:
			}
		}
	}
	_, rep.peakRSS = memory(srv.pid())

	// The ceiling: the same bytes from a bare handler, same load.
	ceil, err := startCeiling(ceilingBody)
	if err != nil {
		return nil, err
	}
	for _, c := range o.conns {
		r := drive(ctx, ceil.base+"/", http.Header{"User-Agent": {"portico-bench"}}, c, o.warmup, o.duration, 0)
		r.name, r.path = ceilingName, fmt.Sprintf("%d bytes, as %s", len(ceilingBody), ceilingOf)
		rep.results = append(rep.results, r)
		logf("%s: %-32s %3d conns %8.1f req/s  p50 %8s  p99 %8s  errors %d", engine, r.name, c, r.rps(), ms(r.p50()), ms(r.p99()), r.errors)
	}
	ceil.close()
	rep.loadEnd = loadavg()
	rep.took = time.Since(began)
	return rep, nil
}

func errNote(r *result) string {
	if r.firstErr == "" {
		return ""
	}
	return " (first: " + r.firstErr + ")"
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// machine describes where the benchmark ran.
type machine struct {
	Date, CPU, Kernel, Go string
	CPUs                  int
	Memory                int64
	Load                  string
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown", Kernel: "unknown", Load: loadavg()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		m.Memory = kb * 1024
	}
	return m
}

func (m machine) text() string {
	return fmt.Sprintf("Machine: %d CPUs (%s), %s memory, Linux %s, %s; load average at start %s; %s\n",
		m.CPUs, m.CPU, gib(m.Memory), m.Kernel, m.Go, m.Load, m.Date)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func mib(b int64) string {
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func gib(b int64) string {
	return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
}
