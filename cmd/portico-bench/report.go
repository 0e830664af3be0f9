package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// rows turns an engine's results into table rows; the first is the header.
func (rep *engineReport) rows() [][]string {
	rows := [][]string{{"endpoint", "path", "conns", "req/s", "p50", "p99", "errors", "server CPU/req", "server RSS", "of ceiling"}}
	for _, r := range rep.results {
		ofCeiling, rss, cpu := "", "", ""
		if r.name != ceilingName {
			if c := rep.find(ceilingName, r.conns); c != nil && c.rps() > 0 {
				ofCeiling = fmt.Sprintf("%.1f%%", 100*r.rps()/c.rps())
			}
			rss, cpu = mib(r.rss), ms(r.cpuPerRequest())
		}
		rows = append(rows, []string{r.name, r.path, strconv.Itoa(r.conns), fmt.Sprintf("%.0f", r.rps()),
			ms(r.p50()), ms(r.p99()), strconv.Itoa(r.errors), cpu, rss, ofCeiling})
	}
	return rows
}

func (rep *engineReport) summary() []string {
	ds := rep.ds
	gen := fmt.Sprintf("generated in this run in %s (generator's peak RSS %s)", ds.marker.Took, mib(ds.marker.PeakRSS))
	if ds.cached {
		gen = fmt.Sprintf("reused from the cache (generated %s in %s, generator's peak RSS %s)",
			ds.marker.GeneratedAt.Format(time.DateOnly), ds.marker.Took, mib(ds.marker.PeakRSS))
	}
	lines := []string{"Data set: " + gen}
	if rep.dbBytes > 0 {
		lines[0] += fmt.Sprintf("; %s on disk", gib(rep.dbBytes))
	}
	lines = append(lines,
		"Picked: "+rep.targets.String(),
		fmt.Sprintf("Server memory: %s resident after sign-in, peak %s (VmHWM at the end of the run)", mib(rep.startRSS), mib(rep.peakRSS)),
		fmt.Sprintf("Load average: %s before measuring, %s after; %s for this engine", rep.loadStart, rep.loadEnd, rep.took.Round(time.Second)),
	)
	return lines
}

func (rep *engineReport) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s ==\n", rep.engine)
	for _, l := range rep.summary() {
		fmt.Fprintln(&b, l)
	}
	b.WriteString(table(rep.rows(), 2))
	for _, r := range rep.results {
		if r.firstErr != "" {
			fmt.Fprintf(&b, "first error of %s at %d conns: %s\n", r.name, r.conns, r.firstErr)
		}
	}
	if lines := rep.profiles(); len(lines) > 0 {
		fmt.Fprintln(&b, "Where the time goes, from CPU profiles of the server (go tool pprof -top FILE for more):")
		for _, l := range lines {
			fmt.Fprintln(&b, "  "+l)
		}
	}
	return b.String()
}

// profiles describes each profile taken: for each endpoint, Portico's
// functions by cumulative share of the server's CPU (leaving out those
// under every request) and any function by its own share.
func (rep *engineReport) profiles() []string {
	var lines []string
	for _, r := range rep.results {
		p := r.profile
		if p == nil {
			continue
		}
		head := fmt.Sprintf("%s at %d conns", r.name, r.conns)
		if p.captured != "" {
			lines = append(lines, head+": no profile ("+p.captured+")")
			continue
		}
		lines = append(lines,
			fmt.Sprintf("%s: %s of CPU in %d s, %s", head, p.cpu.Round(10*time.Millisecond), p.seconds, p.file),
			"  portico/, cumulative: "+shares(p.portico, "portico/"),
			"  any, own time:        "+shares(p.flat, ""))
	}
	return lines
}

func shares(ss []share, trim string) string {
	if len(ss) == 0 {
		return "(none)"
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = fmt.Sprintf("%.0f%% %s", 100*s.fraction, strings.TrimPrefix(s.name, trim))
	}
	return strings.Join(parts, ", ")
}

// table lays rows out in columns: the first left columns aligned left,
// the rest (numbers) right.
func table(rows [][]string, left int) string {
	var width []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < left {
				b.WriteString(c)
				if i < len(row)-1 {
					b.WriteString(pad)
				}
			} else {
				b.WriteString(pad + c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func checksText(vs []verdict) string {
	var b strings.Builder
	fmt.Fprintln(&b, "Targets:")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, v := range vs {
		fmt.Fprintf(tw, "  issue %d\t%s\t%s\t%s\t%s\n", v.issue, v.goal, v.where, v.value, metText(v.met))
	}
	tw.Flush()
	return b.String()
}

func metText(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}

func markdown(m machine, o *options, reps []*engineReport, vs []verdict, took time.Duration) string {
	var b strings.Builder
	conns := make([]string, len(o.conns))
	for i, c := range o.conns {
		conns[i] = strconv.Itoa(c)
	}
	fmt.Fprintf(&b, "Run %s: %d CPUs (%s), %s memory, Linux %s, %s. Load average at start %s. "+
		"%s per endpoint and connection count after %s of warm-up, at %s connections; whole run %s.\n",
		m.Date, m.CPUs, m.CPU, gib(m.Memory), m.Kernel, m.Go, m.Load, o.duration, o.warmup, strings.Join(conns, " and "), took.Round(time.Second))
	for _, rep := range reps {
		fmt.Fprintf(&b, "\n#### %s\n\n", engineTitle(rep.engine))
		for _, l := range rep.summary() {
			fmt.Fprintf(&b, "- %s\n", l)
		}
		b.WriteString("\n")
		for i, row := range rep.rows() {
			if i > 0 {
				row[1] = "`" + row[1] + "`"
			}
			fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
			if i == 0 {
				fmt.Fprintf(&b, "| --- | --- |%s\n", strings.Repeat(" ---: |", len(row)-2))
			}
		}
		if lines := rep.profiles(); len(lines) > 0 {
			b.WriteString("\nWhere the time goes, from CPU profiles of the server:\n\n```\n")
			for _, l := range lines {
				b.WriteString(l + "\n")
			}
			b.WriteString("```\n")
		}
	}
	b.WriteString("\n#### Targets\n\n| issue | target | where | value | |\n| --- | --- | --- | ---: | --- |\n")
	for _, v := range vs {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s |\n", v.issue, v.goal, v.where, v.value, metText(v.met))
	}
	return b.String()
}

func engineTitle(e string) string {
	if e == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}
