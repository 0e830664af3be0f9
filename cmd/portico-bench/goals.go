package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// goal is a target from an issue, checked against the results.
type goal struct {
	issue int
	text  string
	check func(reps []*engineReport) []verdict
}

// verdict is one goal's outcome on one engine, page or connection count.
type verdict struct {
	issue  int
	goal   string
	where  string
	value  string
	met    bool
	detail string
}

// p50Under is met when every matching endpoint answers under limit at the
// median on engines (none: all engines). A latency target is checked at the
// lowest connection count measured: at more connections than cores the
// median is mostly time spent queueing, which the throughput columns show.
func p50Under(limit time.Duration, name *regexp.Regexp, engines ...string) func([]*engineReport) []verdict {
	return func(reps []*engineReport) []verdict {
		var vs []verdict
		for _, rep := range reps {
			if len(engines) > 0 && !slices.Contains(engines, rep.engine) {
				continue
			}
			lowest := 0
			for _, r := range rep.results {
				if lowest == 0 || r.conns < lowest {
					lowest = r.conns
				}
			}
			for _, r := range rep.results {
				if name.MatchString(r.name) && r.conns == lowest {
					vs = append(vs, verdict{where: fmt.Sprintf("%s, %s, %d conns", rep.engine, r.name, r.conns),
						value: ms(r.p50()), met: r.p50() < limit && r.errors == 0})
				}
			}
		}
		return vs
	}
}

// highest returns the highest connection count an engine was measured at.
func (rep *engineReport) highest() int {
	n := 0
	for _, r := range rep.results {
		n = max(n, r.conns)
	}
	return n
}

// ofCeiling is met when the endpoint, at the highest connection count
// measured (16 by default), serves at least least of the requests per
// second the bare handler did in the same run.
func ofCeiling(name string, least float64) func([]*engineReport) []verdict {
	return func(reps []*engineReport) []verdict {
		var vs []verdict
		for _, rep := range reps {
			c := rep.highest()
			r, ceil := rep.find(name, c), rep.find(ceilingName, c)
			if r == nil || ceil == nil || ceil.rps() == 0 {
				continue
			}
			ratio := r.rps() / ceil.rps()
			vs = append(vs, verdict{where: fmt.Sprintf("%s, %d conns: %.0f of %.0f req/s", rep.engine, c, r.rps(), ceil.rps()),
				value: fmt.Sprintf("%.1f%%", 100*ratio), met: ratio >= least && r.errors == 0})
		}
		return vs
	}
}

// p99Under is met when the endpoint answers within limit at the 99th
// percentile at the highest connection count measured.
func p99Under(limit time.Duration, name string) func([]*engineReport) []verdict {
	return func(reps []*engineReport) []verdict {
		var vs []verdict
		for _, rep := range reps {
			c := rep.highest()
			if r := rep.find(name, c); r != nil {
				vs = append(vs, verdict{where: fmt.Sprintf("%s, %s, %d conns", rep.engine, name, c), value: ms(r.p99()),
					met: r.p99() < limit && r.errors == 0 && r.requests > 0})
			}
		}
		return vs
	}
}

// goals lists the targets checked after a run: the console's of issue 3
// and issue 6's, whose ratios are to the bare handler in the same run.
var goals = []goal{
	{3, "candidate search answers under 50 ms at the median (SQLite)", p50Under(50*time.Millisecond, regexp.MustCompile(`^candidates: search`), "sqlite")},
	{3, "the jobs list answers under 50 ms at the median (SQLite)", p50Under(50*time.Millisecond, regexp.MustCompile(`^jobs:`), "sqlite")},
	{3, "a job's shortlist page answers under 50 ms at the median (SQLite)", p50Under(50*time.Millisecond, regexp.MustCompile(`^job shortlist:`), "sqlite")},
	{6, "client job page at least 20% of the ceiling's req/s at 16 conns", ofCeiling("portal: job page", 0.20)},
	{6, "client job page p99 under 15 ms at 16 conns", p99Under(15*time.Millisecond, "portal: job page")},
	{6, "portal home at least 30% of the ceiling's req/s at 16 conns", ofCeiling("portal: home", 0.30)},
	{6, "candidate search p50 under 20 ms", p50Under(20*time.Millisecond, regexp.MustCompile(`^candidates: search`))},
	{6, "Excel export of 500 candidates under 300 ms (p50)", p50Under(300*time.Millisecond, regexp.MustCompile(`^portal: Excel export$`))},
	{6, "server memory under 250 MB under load", func(reps []*engineReport) []verdict {
		var vs []verdict
		for _, rep := range reps {
			vs = append(vs, verdict{where: rep.engine + ", peak RSS (VmHWM)", value: mib(rep.peakRSS), met: rep.peakRSS > 0 && rep.peakRSS < 250<<20})
		}
		return vs
	}},
	{6, "zero errors", func(reps []*engineReport) []verdict {
		var vs []verdict
		for _, rep := range reps {
			n := 0
			for _, r := range rep.results {
				n += r.errors
			}
			vs = append(vs, verdict{where: rep.engine, value: strconv.Itoa(n), met: n == 0})
		}
		return vs
	}},
	{6, "PostgreSQL at least half of SQLite's throughput on every page", func(reps []*engineReport) []verdict {
		var lite, pg *engineReport
		for _, rep := range reps {
			switch rep.engine {
			case "sqlite":
				lite = rep
			case "postgres":
				pg = rep
			}
		}
		if lite == nil || pg == nil {
			return nil
		}
		var vs []verdict
		for _, r := range pg.results {
			if l := lite.find(r.name, r.conns); l != nil && l.rps() > 0 {
				ratio := r.rps() / l.rps()
				vs = append(vs, verdict{where: fmt.Sprintf("%s, %d conns", r.name, r.conns), value: fmt.Sprintf("%.0f%%", 100*ratio), met: ratio >= 0.5})
			}
		}
		return vs
	}},
}

func checkGoals(reps []*engineReport) []verdict {
	var all []verdict
	for _, g := range goals {
		for _, v := range g.check(reps) {
			v.issue, v.goal = g.issue, g.text
			all = append(all, v)
		}
	}
	return all
}
