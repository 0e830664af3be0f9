package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// The big tables: a list query must never read all of one of them.
var bigTables = []string{"applications", "candidates", "events"}

// planAllowed lists the queries that may read all of a big table, by
// engine and their SQL (whitespace collapsed), each with the reason. Keep it short:
// every entry is a page that gets slower as the agency grows.
var planAllowed = []struct {
	engine, query, reason string
}{
	{"postgres", "SELECT COUNT(*) FROM events",
		"the unfiltered event log's total counts every event by definition; SQLite counts it through the covering index events_at, PostgreSQL's planner prefers a parallel Seq Scan"},
}

// Plan size: a mid-sized agency's history.
const (
	planClients      = 50
	planJobsPer      = 10 // jobs per client
	planCandidates   = 20_000
	planApplications = 100_000
	planEvents       = 200_000
)

// planQuery is a SELECT a list method ran, with its arguments.
type planQuery struct {
	call  string // the method and filter that ran it
	query string // rebound for the engine
	args  []any
}

// TestQueryPlans runs every console and portal list with typical filters
// on a realistically sized store and checks each SELECT's plan: none may
// read the whole of applications, candidates or events.
//
// SQLite (EXPLAIN QUERY PLAN): a row "SCAN <t>" where <t> is one of those
// tables, or an alias the query gives one, fails unless it reads through an
// index ("USING INDEX", "USING COVERING INDEX", "USING INTEGER PRIMARY
// KEY"); a scan of any other table (users, stages, clients, jobs, …) is
// fine, they stay small. A "SCAN … USING … INDEX" walks an index rather
// than the table and passes: it is how ORDER BY … LIMIT pages and
// narrow-index counts are meant to run. So does a bare "SCAN <t>" in a
// query that pages <t> newest first (ORDER BY id DESC LIMIT) with no
// sort in the plan: that walks the rowid backwards and stops at the
// page's end.
//
// PostgreSQL (EXPLAIN (FORMAT JSON), with the same arguments): a "Seq Scan"
// node on one of those tables fails.
//
// Entries of planAllowed are exempt. A failure prints the query, its
// arguments and the plan.
func TestQueryPlans(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		queries := planWorkload(t, db)
		if len(queries) < 20 {
			t.Fatalf("captured only %d queries", len(queries))
		}
		for _, q := range queries {
			var problems []string
			var plan string
			if db.Engine() == "sqlite" {
				plan, problems = sqlitePlan(t, db, q)
			} else {
				plan, problems = postgresPlan(t, db, q)
				if strings.Contains(q.query, "search @@") {
					generic, more := postgresGenericPlan(t, db, q)
					plan, problems = plan+"planned for any argument:\n"+generic, append(problems, more...)
				}
			}
			if len(problems) > 0 && planIsAllowed(db.Engine(), q.query) {
				t.Logf("%s: allowed full scan (%s)", q.call, strings.Join(problems, "; "))
				continue
			}
			if len(problems) > 0 {
				t.Errorf("%s reads all of a big table (%s)\nquery: %s\nargs: %v\nplan:\n%s",
					q.call, strings.Join(problems, "; "), q.query, q.args, plan)
			} else if testing.Verbose() {
				t.Logf("%s:\n%s\n%s", q.call, q.query, plan)
			}
		}
	})
}

func planIsAllowed(engine, query string) bool {
	for _, a := range planAllowed {
		if a.engine == engine && strings.Join(strings.Fields(query), " ") == a.query {
			return true
		}
	}
	return false
}

var (
	sqliteScan  = regexp.MustCompile(`^SCAN (\w+)(?: AS (\w+))?(.*)$`)
	newestFirst = regexp.MustCompile(`(?i)ORDER BY (?:(\w+)\.)?id DESC\s+LIMIT`)
)

// sqlitePlan returns the query's plan and its full scans of big tables.
func sqlitePlan(t *testing.T, db *sqlstore.DB, q planQuery) (string, []string) {
	t.Helper()
	aliases := bigAliases(q.query)
	rows, err := sqlstore.SQLDB(db).QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q.query, q.args...)
	if err != nil {
		t.Fatalf("%s: explain %s: %v", q.call, q.query, err)
	}
	defer rows.Close()
	var plan strings.Builder
	var details []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&plan, "  %d/%d %s\n", id, parent, detail)
		details = append(details, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sorts := strings.Contains(plan.String(), "TEMP B-TREE FOR ORDER BY")
	var problems []string
	for _, detail := range details {
		m := sqliteScan.FindStringSubmatch(detail)
		if m == nil {
			continue
		}
		table := aliases[m[1]]
		if m[2] != "" && aliases[m[2]] != "" {
			table = aliases[m[2]]
		}
		if table == "" {
			continue
		}
		rest := m[3]
		if strings.Contains(rest, "USING INDEX") || strings.Contains(rest, "USING COVERING INDEX") || strings.Contains(rest, "USING INTEGER PRIMARY KEY") {
			continue
		}
		// A newest-first page walks the table backwards by rowid and
		// stops after OFFSET+LIMIT matches; EXPLAIN QUERY PLAN shows that
		// as a bare SCAN too. It is one only when nothing sorts.
		if o := newestFirst.FindStringSubmatch(q.query); o != nil && !sorts &&
			(aliases[o[1]] == table || o[1] == "" && strings.Contains(q.query, "FROM "+table)) {
			continue
		}
		problems = append(problems, detail)
	}
	return plan.String(), problems
}

// bigAliases maps each big table's name, and every alias the query gives
// it, to the table.
func bigAliases(query string) map[string]string {
	m := map[string]string{}
	for _, tbl := range bigTables {
		m[tbl] = tbl
		re := regexp.MustCompile(`(?i)\b` + tbl + `\s+(?:AS\s+)?(\w+)`)
		for _, sub := range re.FindAllStringSubmatch(query, -1) {
			switch strings.ToUpper(sub[1]) {
			case "WHERE", "ON", "JOIN", "LEFT", "INNER", "GROUP", "ORDER", "LIMIT", "USING", "SET", "VALUES", "UNION", "CROSS", "AND", "OR":
				continue
			}
			m[sub[1]] = tbl
		}
	}
	return m
}

// postgresPlan returns the query's plan and its sequential scans of big
// tables.
func postgresPlan(t *testing.T, db *sqlstore.DB, q planQuery) (string, []string) {
	t.Helper()
	var out string
	if err := sqlstore.SQLDB(db).QueryRowContext(context.Background(), "EXPLAIN (FORMAT JSON) "+q.query, q.args...).Scan(&out); err != nil {
		t.Fatalf("%s: explain %s: %v", q.call, q.query, err)
	}
	var doc []struct {
		Plan pgNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%s: plan %s: %v", q.call, out, err)
	}
	var plan strings.Builder
	var problems []string
	var walk func(n pgNode, depth int)
	walk = func(n pgNode, depth int) {
		fmt.Fprintf(&plan, "  %s%s", strings.Repeat("  ", depth), n.NodeType)
		if n.RelationName != "" {
			fmt.Fprintf(&plan, " on %s", n.RelationName)
		}
		if n.IndexName != "" {
			fmt.Fprintf(&plan, " using %s", n.IndexName)
		}
		fmt.Fprintf(&plan, " (rows=%.0f)\n", n.PlanRows)
		if n.NodeType == "Seq Scan" {
			for _, tbl := range bigTables {
				if n.RelationName == tbl {
					problems = append(problems, "Seq Scan on "+tbl)
				}
			}
		}
		for _, c := range n.Plans {
			walk(c, depth+1)
		}
	}
	for _, d := range doc {
		walk(d.Plan, 0)
	}
	return plan.String(), problems
}

// postgresGenericPlan returns the plan PostgreSQL makes of a candidate
// search's statement for any argument, as it does once it has run the
// prepared statement five times and finds that plan no dearer than the
// ones made for each argument; unless it reads the text index, that plan
// walks the whole table for a rare word.
func postgresGenericPlan(t *testing.T, db *sqlstore.DB, q planQuery) (string, []string) {
	t.Helper()
	ctx := context.Background()
	c, err := sqlstore.SQLDB(db).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, stmt := range []string{"SET plan_cache_mode = force_generic_plan", "PREPARE generic_search AS " + q.query} {
		if _, err := c.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %s: %v", q.call, stmt, err)
		}
	}
	defer func() {
		_, _ = c.ExecContext(ctx, "DEALLOCATE generic_search")
		_, _ = c.ExecContext(ctx, "RESET plan_cache_mode")
	}()
	// EXECUTE takes its arguments as literals.
	params := make([]string, len(q.args))
	for i, a := range q.args {
		switch a := a.(type) {
		case string:
			params[i] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
		case int, int64:
			params[i] = fmt.Sprint(a)
		default:
			t.Fatalf("%s: an argument of type %T", q.call, a)
		}
	}
	rows, err := c.QueryContext(ctx, "EXPLAIN EXECUTE generic_search("+strings.Join(params, ", ")+")")
	if err != nil {
		t.Fatalf("%s: explain the generic plan of %s: %v", q.call, q.query, err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString("  " + line + "\n")
	}
	if !strings.Contains(plan.String(), "candidates_search") {
		return plan.String(), []string{"the plan for any argument doesn't read the text index"}
	}
	return plan.String(), nil
}

type pgNode struct {
	NodeType     string   `json:"Node Type"`
	RelationName string   `json:"Relation Name"`
	IndexName    string   `json:"Index Name"`
	PlanRows     float64  `json:"Plan Rows"`
	Plans        []pgNode `json:"Plans"`
}

// planWorkload seeds the store and runs every list, returning the SELECTs
// they ran (each distinct query and arguments once).
func planWorkload(t *testing.T, db *sqlstore.DB) []planQuery {
	t.Helper()
	ctx := context.Background()
	admin := testkit.SetUp(t, db)
	users := []*portico.User{admin}
	for i := range 9 {
		users = append(users, testkit.AddUser(t, db, fmt.Sprintf("Recruiter %d", i), fmt.Sprintf("r%d@agency.test", i), portico.RoleRecruiter))
	}
	recruiter := users[1]
	svc := db.Services()
	stages, err := svc.Stages.FindStages(ctx, false)
	ok(t, err)
	planSeed(t, db, users, stages)

	// Portal fixtures after the bulk load, whose IDs they follow.
	contact := testkit.PortalContact(t, db, 1, "Ann Hiring", "ann@client1.test")
	asContact := testkit.AsContact(contact)
	shared, _, err := svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: 1, Limit: 1})
	ok(t, err)
	if len(shared) == 0 {
		t.Fatal("job 1 has no applications")
	}
	testkit.ShareApplication(t, db, shared[0].ID)

	var (
		mu       sync.Mutex
		call     string
		captured []planQuery
		seen     = map[string]bool{}
	)
	sqlstore.SetQueryHook(db, func(query string, args []any) {
		head := strings.ToUpper(strings.TrimSpace(query))
		if !strings.HasPrefix(head, "SELECT") && !strings.HasPrefix(head, "WITH") {
			return
		}
		key := query + "\x00" + fmt.Sprint(args...)
		mu.Lock()
		defer mu.Unlock()
		if !seen[key] {
			seen[key] = true
			captured = append(captured, planQuery{call: call, query: query, args: append([]any(nil), args...)})
		}
	})
	defer sqlstore.SetQueryHook(db, nil)
	run := func(name string, fn func() error) {
		t.Helper()
		mu.Lock()
		call = name
		mu.Unlock()
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	asAdmin, asRecruiter := testkit.AsUser(admin), testkit.AsUser(recruiter)
	list := func(_ any, _ int, err error) error { return err }

	run("FindCandidates()", func() error {
		return list(svc.Candidates.FindCandidates(asRecruiter, portico.CandidateFilter{Limit: 50}))
	})
	run("FindCandidates(page 10)", func() error {
		return list(svc.Candidates.FindCandidates(asRecruiter, portico.CandidateFilter{Offset: 500, Limit: 50}))
	})
	run("FindCandidates(query)", func() error {
		return list(svc.Candidates.FindCandidates(asRecruiter, portico.CandidateFilter{Query: "nurse leeds", Limit: 50}))
	})
	run("FindCandidates(name prefix)", func() error {
		return list(svc.Candidates.FindCandidates(asRecruiter, portico.CandidateFilter{Query: "Smi", Limit: 50}))
	})
	run("FindJobs()", func() error { return list(svc.Jobs.FindJobs(asRecruiter, portico.JobFilter{Limit: 50})) })
	run("FindJobs(status)", func() error {
		return list(svc.Jobs.FindJobs(asRecruiter, portico.JobFilter{Status: portico.JobOpen, Limit: 50}))
	})
	run("FindJobs(client)", func() error { return list(svc.Jobs.FindJobs(asRecruiter, portico.JobFilter{ClientID: 3, Limit: 50})) })
	run("FindJobs(owner, status)", func() error {
		return list(svc.Jobs.FindJobs(asRecruiter, portico.JobFilter{OwnerID: recruiter.ID, Status: portico.JobOpen, Limit: 50}))
	})
	run("FindJobs(query)", func() error {
		return list(svc.Jobs.FindJobs(asRecruiter, portico.JobFilter{Query: "Nurse", Limit: 50}))
	})
	run("FindClients()", func() error { return list(svc.Clients.FindClients(asRecruiter, portico.ClientFilter{Limit: 50})) })
	run("FindClients(query, status)", func() error {
		return list(svc.Clients.FindClients(asRecruiter, portico.ClientFilter{Query: "Client 1", Status: portico.ClientActive, Limit: 50}))
	})
	run("FindClients(owner)", func() error {
		return list(svc.Clients.FindClients(asRecruiter, portico.ClientFilter{OwnerID: recruiter.ID, Limit: 50}))
	})
	run("FindApplications(job)", func() error {
		return list(svc.Applications.FindApplications(asRecruiter, portico.ApplicationFilter{JobID: 7, Limit: 50}))
	})
	run("FindApplications(job, stage)", func() error {
		return list(svc.Applications.FindApplications(asRecruiter, portico.ApplicationFilter{JobID: 7, StageID: stages[1].ID, Limit: 50}))
	})
	run("FindApplications(candidate)", func() error {
		return list(svc.Applications.FindApplications(asRecruiter, portico.ApplicationFilter{CandidateID: 1234, Limit: 50}))
	})
	run("StageCounts", func() error { _, err := svc.Applications.StageCounts(asRecruiter, 7); return err })
	run("FindStages", func() error { _, err := svc.Stages.FindStages(asRecruiter, false); return err })
	run("FindEvents()", func() error { return list(svc.Events.FindEvents(asAdmin, portico.EventFilter{Limit: 50})) })
	run("FindEvents(job)", func() error {
		return list(svc.Events.FindEvents(asRecruiter, portico.EventFilter{JobID: 7, Limit: 50}))
	})
	run("FindEvents(candidate)", func() error {
		return list(svc.Events.FindEvents(asRecruiter, portico.EventFilter{CandidateID: 1234, Limit: 50}))
	})
	run("FindEvents(client)", func() error {
		return list(svc.Events.FindEvents(asRecruiter, portico.EventFilter{ClientID: 3, Limit: 50}))
	})
	run("FindEvents(work)", func() error {
		return list(svc.Events.FindEvents(asRecruiter, portico.EventFilter{Work: true, Limit: 50}))
	})
	run("FindEvents(subject)", func() error {
		return list(svc.Events.FindEvents(asRecruiter, portico.EventFilter{SubjectType: "candidate", SubjectID: 1234, Limit: 50}))
	})
	run("FindEvents(contact)", func() error {
		return list(svc.Events.FindEvents(asAdmin, portico.EventFilter{ContactID: contact.ID, Limit: 50}))
	})
	run("FindEvents(actor kind)", func() error {
		return list(svc.Events.FindEvents(asAdmin, portico.EventFilter{ActorKind: portico.ActorContact, Limit: 50}))
	})
	run("FindEvents(week)", func() error {
		from := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
		return list(svc.Events.FindEvents(asAdmin, portico.EventFilter{From: from, To: from.AddDate(0, 0, 7), Limit: 50}))
	})
	run("FindEvents(client, action, dates)", func() error {
		from := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
		return list(svc.Events.FindEvents(asAdmin, portico.EventFilter{ClientID: 3, Action: "application.moved", From: from, To: from.AddDate(0, 3, 0), Limit: 50}))
	})
	run("FindEvents(export page)", func() error {
		return list(svc.Events.FindEvents(asAdmin, portico.EventFilter{ClientID: 3, BeforeID: 150_000, NoTotal: true, Limit: 500}))
	})
	run("BuildWeeklyReport", func() error {
		_, err := svc.WeeklyReports.BuildWeeklyReport(asAdmin, contact.ID, time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC))
		return err
	})
	run("FindTasks(assignee)", func() error {
		return list(svc.Tasks.FindTasks(asRecruiter, portico.TaskFilter{AssigneeID: recruiter.ID, Status: portico.TaskOpen, Limit: 50}))
	})
	run("FindTasks(job)", func() error { return list(svc.Tasks.FindTasks(asRecruiter, portico.TaskFilter{JobID: 7, Limit: 50})) })
	run("FindAlerts", func() error { return list(svc.Alerts.FindAlerts(asRecruiter, portico.AlertFilter{Limit: 50})) })
	run("FindAlerts(unread)", func() error {
		return list(svc.Alerts.FindAlerts(asRecruiter, portico.AlertFilter{Unread: true, Limit: 50}))
	})

	run("Portal.Home", func() error { _, err := svc.Portal.Home(asContact); return err })
	run("Portal.Job", func() error { _, err := svc.Portal.Job(asContact, 1); return err })
	run("Portal.Candidates", func() error {
		return list(svc.Portal.Candidates(asContact, 1, portico.PortalCandidateFilter{Limit: 50}))
	})
	run("Portal.Candidates(rating)", func() error {
		return list(svc.Portal.Candidates(asContact, 1, portico.PortalCandidateFilter{MinRating: 3, Limit: 50}))
	})
	run("Portal.Candidate", func() error { _, err := svc.Portal.Candidate(asContact, 1, shared[0].ID); return err })
	run("FindLinks(contact)", func() error {
		return list(svc.Links.FindLinks(asRecruiter, portico.LinkFilter{ContactID: contact.ID, Limit: 20}))
	})
	run("FindLinks(job)", func() error { return list(svc.Links.FindLinks(asRecruiter, portico.LinkFilter{JobID: 1, Limit: 20})) })
	run("FindLinks(client, whole portal)", func() error {
		return list(svc.Links.FindLinks(asRecruiter, portico.LinkFilter{ClientID: 3, WholePortal: true, Limit: 20}))
	})
	run("ContactFeedback", func() error { return list(svc.PortalAccounts.ContactFeedback(asRecruiter, contact.ID, 0, 10)) })

	mu.Lock()
	defer mu.Unlock()
	return captured
}

// planSeed bulk-loads clients, jobs, candidates, applications (a third of
// them shared) and events, then refreshes the planner's statistics.
func planSeed(t *testing.T, db *sqlstore.DB, users []*portico.User, stages []*portico.Stage) {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	// at spreads n rows evenly over two years, in ID order.
	at := func(i, n int) time.Time {
		return base.Add(time.Duration(i) * (2 * 365 * 24 * time.Hour / time.Duration(n)))
	}
	user := func(i int) int64 { return users[i%len(users)].ID }
	bulk := func(table string, cols []string, n int, row func(i int) []any) {
		t.Helper()
		i := 0
		if _, err := db.BulkInsert(ctx, table, cols, func() ([]any, bool) {
			if i == n {
				return nil, false
			}
			i++
			return row(i), true
		}); err != nil {
			t.Fatal(err)
		}
	}
	bulk("clients", []string{"id", "name", "status", "owner_id", "created_at", "updated_at"}, planClients, func(i int) []any {
		t := at(i, planClients)
		return []any{i, fmt.Sprintf("Client %d Ltd", i), "active", user(i), t, t}
	})
	titles := []string{"Staff Nurse", "Senior Nurse", "Care Assistant", "Software Engineer", "Accountant", "Warehouse Operative", "Chef"}
	statuses := []string{"open", "open", "open", "open", "open", "on_hold", "filled", "closed"}
	jobs := planClients * planJobsPer
	bulk("jobs", []string{"id", "client_id", "owner_id", "title", "type", "openings", "status", "created_at", "updated_at"}, jobs, func(i int) []any {
		t := at(i, jobs)
		status := statuses[i%len(statuses)]
		if i <= planJobsPer {
			status = "open" // client 1's, which the portal contact sees
		}
		return []any{i, (i-1)/planJobsPer + 1, user(i), titles[i%len(titles)], "permanent", 1, status, t, t}
	})
	first := []string{"Ann", "Ben", "Cara", "Dev", "Ella", "Finn", "Gita", "Hugo", "Ines", "Jack"}
	last := []string{"Smith", "Jones", "Patel", "Brown", "Khan", "Taylor", "Wilson", "Evans", "Green", "Hall"}
	cities := []string{"Leeds", "London", "York", "Bristol", "Manchester", "Glasgow"}
	bulk("candidates", []string{"id", "first_name", "last_name", "email", "city", "current_title", "skills", "created_at", "updated_at"}, planCandidates, func(i int) []any {
		t := at(i, planCandidates)
		f, l := first[i%len(first)], last[(i/len(first))%len(last)]
		return []any{i, f, l, fmt.Sprintf("%s.%s.%d@mail.test", strings.ToLower(f), strings.ToLower(l), i), cities[i%len(cities)],
			titles[i%len(titles)], "Triage, Excel, Driving", t, t}
	})
	// Each job gets planApplications/jobs candidates, a stride apart so
	// (job, candidate) stays unique; stages lean early; a third shared.
	perJob := planApplications / jobs
	bulk("applications", []string{"id", "job_id", "candidate_id", "stage_id", "added_by", "created_at", "stage_changed_at", "shared_at", "shared_by"}, planApplications, func(i int) []any {
		job := (i-1)%jobs + 1
		k := (i - 1) / jobs // 0..perJob-1
		cand := (job*37+k*(planCandidates/perJob))%planCandidates + 1
		st := stages[min(len(stages)-1, (i*7)%(len(stages)*2)/2)]
		t := at(i, planApplications)
		var sharedAt, sharedBy any
		if i%3 == 0 {
			sharedAt, sharedBy = t, user(i)
		}
		return []any{i, job, cand, st.ID, user(i), t, t, sharedAt, sharedBy}
	})
	latest, err := db.Services().Events.LatestEventID(ctx)
	ok(t, err)
	bulk("events", []string{"id", "at", "actor_kind", "actor_id", "actor_name", "action", "subject_type", "subject_id", "job_id", "candidate_id", "client_id", "details"}, planEvents, func(i int) []any {
		id := latest + int64(i)
		t := at(i, planEvents)
		u := user(i)
		switch i % 10 {
		case 0, 1, 2, 3, 4: // housekeeping
			return []any{id, t, "user", u, "User", "user.signed_in", "user", u, nil, nil, nil, "{}"}
		case 5, 6, 7: // shortlist work
			app := i%planApplications + 1
			job := (app-1)%jobs + 1
			cand := i%planCandidates + 1
			return []any{id, t, "user", u, "User", "application.moved", "application", app, job, cand, (job-1)/planJobsPer + 1, "{}"}
		case 8:
			cand := i%planCandidates + 1
			return []any{id, t, "user", u, "User", "candidate.updated", "candidate", cand, nil, cand, nil, "{}"}
		default:
			return []any{id, t, "user", u, "User", "alert.read", "alert", i, nil, nil, nil, "{}"}
		}
	})
	if err := db.FinishBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if db.Engine() == "postgres" {
		// A live database is autovacuumed: its visibility map is set (so
		// index-only scans pay off) and GIN pending lists are merged.
		// Right after a bulk load neither is true yet, so vacuum as
		// autovacuum would.
		if _, err := sqlstore.SQLDB(db).ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			t.Fatal(err)
		}
	}
}
