package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx"
	_ "modernc.org/sqlite"             // "sqlite"
)

// endpoints are the pages measured, in order. Each names who is signed in
// and the path, built from targets picked from the data. A new page is one
// line here (and, for a new kind of user, one entry in signers).
var endpoints = []endpoint{
	{"candidates: list", recruiter, func(t *targets) string { return "/candidates" }},
	{"candidates: search skill", recruiter, func(t *targets) string { return "/candidates?q=" + url.QueryEscape(t.skill) }},
	{"candidates: search name prefix", recruiter, func(t *targets) string { return "/candidates?q=" + url.QueryEscape(t.namePrefix) }},
	{"candidates: search title+city", recruiter, func(t *targets) string { return "/candidates?q=" + url.QueryEscape(t.title+" "+t.city) }},
	{"jobs: list", recruiter, func(t *targets) string { return "/jobs" }},
	{"jobs: open, title search", recruiter, func(t *targets) string { return "/jobs?status=open&q=" + url.QueryEscape(t.jobWord) }},
	{"job shortlist: board", recruiter, func(t *targets) string { return "/jobs/" + strconv.FormatInt(t.bigJob, 10) }},
	{"job shortlist: list", recruiter, func(t *targets) string { return "/jobs/" + strconv.FormatInt(t.bigJob, 10) + "?view=list" }},
	// Issue 6 adds the portal here, e.g.
	// {"portal: home", contact, func(t *targets) string { return "/portal" }},
}

// ceilingOf names the endpoint whose bytes the bare Go handler serves.
const ceilingOf = "job shortlist: board"

const ceilingName = "bare Go handler (ceiling)"

type endpoint struct {
	name string
	who  role
	path func(*targets) string
}

// role is who a request is made as; signers says how each signs in.
type role string

const recruiter role = "recruiter"

// signers sign in each role, returning the Cookie header to send.
var signers = map[role]func(base string) (string, error){
	recruiter: func(base string) (string, error) {
		return signIn(base, "/signin", "admin@demo.portico.test", "portico-demo")
	},
}

// targets are the records and words the endpoints ask for, picked from the
// data set so they stay realistic if the generator changes.
type targets struct {
	skill      string // a skill word many candidates have
	namePrefix string // the first letters of a common last name
	title      string // a common word of candidates' current titles
	city       string // a common city
	jobWord    string // a common word of job titles
	bigJob     int64  // a job with about 150 applications
	bigJobApps int
}

func (t *targets) String() string {
	return fmt.Sprintf("skill %q, name prefix %q, title %q, city %q, job title word %q, job %d (%d applications)",
		t.skill, t.namePrefix, t.title, t.city, t.jobWord, t.bigJob, t.bigJobApps)
}

// pickTargets reads the data set directly (read-only queries).
func pickTargets(ctx context.Context, ds *dataset) (*targets, error) {
	driver, dsn := "pgx", ds.dbURL
	if ds.engine == "sqlite" {
		driver, dsn = "sqlite", "file:"+ds.dbURL+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	t := &targets{}

	// The job whose application count is nearest 150 among the first
	// that have between 100 and 200.
	rows, err := db.QueryContext(ctx, `SELECT job_id, COUNT(*) FROM applications GROUP BY job_id HAVING COUNT(*) BETWEEN 100 AND 200 ORDER BY job_id LIMIT 50`)
	if err != nil {
		return nil, fmt.Errorf("picking a job: %w", err)
	}
	best := 1 << 30
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if d := abs(n - 150); d < best {
			best, t.bigJob, t.bigJobApps = d, id, n
		}
	}
	rows.Close()
	if t.bigJob == 0 {
		return nil, fmt.Errorf("no job has 100 to 200 applications: is this the large data set?")
	}

	var skills, titles, cities, lasts, jobTitles counter
	rows, err = db.QueryContext(ctx, `SELECT skills, current_title, city, last_name FROM candidates ORDER BY id LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("reading candidates: %w", err)
	}
	for rows.Next() {
		var sk, title, city, last string
		if err := rows.Scan(&sk, &title, &city, &last); err != nil {
			rows.Close()
			return nil, err
		}
		for _, s := range strings.Split(sk, ",") {
			if w := firstWord(s); len(w) >= 4 {
				skills.add(w)
			}
		}
		if w := lastWord(title); len(w) >= 4 {
			titles.add(w)
		}
		cities.add(strings.ToLower(city))
		lasts.add(strings.ToLower(last))
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT title FROM jobs ORDER BY id LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("reading jobs: %w", err)
	}
	for rows.Next() {
		var title string
		if err := rows.Scan(&title); err != nil {
			rows.Close()
			return nil, err
		}
		if w := lastWord(title); len(w) >= 4 {
			jobTitles.add(w)
		}
	}
	rows.Close()
	t.skill, t.title, t.city, t.jobWord = skills.top(), titles.top(), cities.top(), jobTitles.top()
	if last := []rune(lasts.top()); len(last) >= 3 {
		t.namePrefix = string(last[:3])
	}
	if t.skill == "" || t.title == "" || t.city == "" || t.jobWord == "" || t.namePrefix == "" {
		return nil, fmt.Errorf("the data set has too few candidates or jobs to pick search words (%s)", t)
	}
	return t, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}]+`)

func words(s string) []string {
	return strings.Fields(nonWord.ReplaceAllString(strings.ToLower(s), " "))
}

func firstWord(s string) string {
	if w := words(s); len(w) > 0 && isLetters(w[0]) {
		return w[0]
	}
	return ""
}

func lastWord(s string) string {
	if w := words(s); len(w) > 0 && isLetters(w[len(w)-1]) {
		return w[len(w)-1]
	}
	return ""
}

func isLetters(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

// counter finds the most common string; ties go to the first in order.
type counter map[string]int

func (c *counter) add(s string) {
	if *c == nil {
		*c = counter{}
	}
	(*c)[s]++
}

func (c counter) top() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if n := cmp.Compare(c[b], c[a]); n != 0 {
			return n
		}
		return cmp.Compare(a, b)
	})
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

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

// goals lists the targets checked after a run. Issue 6's portal targets
// join when its pages are in endpoints.
var goals = []goal{
	{3, "candidate search answers under 50 ms at the median (SQLite)", p50Under(50*time.Millisecond, regexp.MustCompile(`^candidates: search`), "sqlite")},
	{3, "the jobs list answers under 50 ms at the median (SQLite)", p50Under(50*time.Millisecond, regexp.MustCompile(`^jobs:`), "sqlite")},
	{3, "a job's shortlist page answers under 50 ms at the median (SQLite)", p50Under(50*time.Millisecond, regexp.MustCompile(`^job shortlist:`), "sqlite")},
	{6, "candidate search p50 under 20 ms", p50Under(20*time.Millisecond, regexp.MustCompile(`^candidates: search`))},
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
