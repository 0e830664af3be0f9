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
	// The client portal, as the known contact of the data set sees it.
	{"portal: home", contact, func(t *targets) string { return "/portal" }},
	{"portal: job page", contact, func(t *targets) string { return "/portal/jobs/" + strconv.FormatInt(t.portalJob, 10) }},
	{"portal: candidate page", contact, func(t *targets) string {
		return "/portal/jobs/" + strconv.FormatInt(t.portalJob, 10) + "/candidates/" + strconv.FormatInt(t.portalApp, 10)
	}},
	{"portal: Excel export", contact, func(t *targets) string { return "/portal/jobs/" + strconv.FormatInt(t.exportJob, 10) + "/export.xlsx" }},
}

// checks say whether an endpoint's answer is right beyond its status: the
// answer is checked once, before the endpoint is measured.
var checks = map[string]func(t *targets, contentType string, body []byte) error{
	"portal: Excel export": checkWorkbook,
}

// ceilingOf names the endpoint whose bytes the bare Go handler serves:
// the page issue 6 measures against it.
const ceilingOf = "portal: job page"

const ceilingName = "bare Go handler (ceiling)"

type endpoint struct {
	name string
	who  role
	path func(*targets) string
}

// role is who a request is made as; signers says how each signs in.
type role string

const (
	recruiter role = "recruiter" // the demo's admin, in the console
	contact   role = "contact"   // the demo's known client contact, on the portal
)

// The large data set's documented sign-ins (package demo).
const (
	adminEmail   = "admin@demo.portico.test"
	contactEmail = "hiring.manager@demo.portico.test"
	demoPassword = "portico-demo"
)

// signers sign in each role, returning the Cookie header to send.
var signers = map[role]func(base string) (string, error){
	recruiter: func(base string) (string, error) {
		return signIn(base, "/signin", adminEmail, demoPassword)
	},
	contact: func(base string) (string, error) {
		return signIn(base, "/portal/signin", contactEmail, demoPassword)
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
	portalTargets
}

func (t *targets) String() string {
	return fmt.Sprintf("skill %q, name prefix %q, title %q, city %q, job title word %q, job %d (%d applications); %s",
		t.skill, t.namePrefix, t.title, t.city, t.jobWord, t.bigJob, t.bigJobApps, &t.portalTargets)
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
	if err := pickPortalTargets(ctx, db, &t.portalTargets); err != nil {
		return nil, err
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
