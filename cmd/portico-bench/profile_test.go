package main

import (
	"bytes"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"
)

//go:noinline
func spin(until time.Time) int {
	n := 0
	for time.Now().Before(until) {
		for i := 0; i < 1000; i++ {
			n += i * i
		}
	}
	return n
}

// TestParseProfile reads a real CPU profile of this process: the function
// that burnt the CPU is on the stacks, with most of the time.
func TestParseProfile(t *testing.T) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		t.Skip("CPU profiling is busy:", err)
	}
	spin(time.Now().Add(400 * time.Millisecond))
	pprof.StopCPUProfile()
	p, err := parseProfile(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.total < int64(50*time.Millisecond) || len(p.samples) == 0 {
		t.Fatalf("%d samples, %s of CPU", len(p.samples), time.Duration(p.total))
	}
	var in int64
	for _, s := range p.samples {
		if slices.ContainsFunc(s.stack, func(f string) bool { return strings.HasSuffix(f, ".spin") }) {
			in += s.value
		}
	}
	if float64(in) < 0.5*float64(p.total) {
		t.Errorf("spin is in %s of %s sampled", time.Duration(in), time.Duration(p.total))
	}
	if _, err := parseProfile([]byte{0x0a, 0xff}); err == nil {
		t.Error("a truncated profile parsed")
	}
}

// TestProfileSummary checks what the report shows: Portico's functions by
// cumulative time without those under every request, and any function by
// its own time.
func TestProfileSummary(t *testing.T) {
	p := &cpuProfile{total: 100}
	add := func(v int64, stack ...string) { p.samples = append(p.samples, stackSample{stack: stack, value: v}) }
	handler := []string{"portico/web.(*Server).portalJob", "portico/web.(*Server).contact.func1", "net/http.(*conn).serve"}
	add(40, append([]string{"modernc.org/sqlite/lib.sqlite3VdbeExec", "database/sql.(*DB).QueryContext", "portico/sqlstore.(*PortalService).Candidates"}, handler...)...)
	add(30, append([]string{"html/template.(*Template).Execute", "portico/web.(*Server).render"}, handler...)...)
	add(20, append([]string{"runtime.mallocgc", "portico/sqlstore.loadScope"}, handler...)...)
	add(10, "runtime.gcBgMarkWorker")
	portico, flat := p.summary(5)
	want := []share{{"portico/sqlstore.(*PortalService).Candidates", 0.4}, {"portico/web.(*Server).render", 0.3}, {"portico/sqlstore.loadScope", 0.2}}
	if !slices.Equal(portico, want) {
		t.Errorf("portico: %v, want %v", portico, want)
	}
	if len(flat) != 4 || flat[0] != (share{"modernc.org/sqlite/lib.sqlite3VdbeExec", 0.4}) || flat[3] != (share{"runtime.gcBgMarkWorker", 0.1}) {
		t.Errorf("flat: %v", flat)
	}
}
