package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// candPortal is a client contact's context: not staff.
func candPortal() context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{Kind: portico.ActorContact, ID: 1, Name: "Hiring Manager", IP: "192.0.2.99"})
}

func candInput(first, last string) portico.CandidateInput {
	return portico.CandidateInput{FirstName: first, LastName: last, Email: strings.ToLower(first) + "@example.com",
		Phone: "+44 7700 900123", City: "Leeds", CurrentTitle: "Staff Nurse", CurrentEmployer: "St James's",
		Skills: "Triage, Phlebotomy", Summary: "Ten years on acute wards.", SalaryExpectation: "£38,000",
		NoticePeriod: "4 weeks", Availability: "From April", Source: "Referral", VideoURL: "https://video.example.com/jane"}
}

func TestCandidateCreateFindUpdate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		svc := db.Services().Candidates
		ctx := testkit.AsUser(rec)

		in := candInput(" Jane ", "Doe")
		in.Email = " Jane@Example.COM "
		c, err := svc.CreateCandidate(ctx, in)
		ok(t, err)
		if c.ID == 0 || c.FirstName != "Jane" || c.Name() != "Jane Doe" || c.Email != "jane@example.com" || c.VideoURL != "https://video.example.com/jane" ||
			!c.CreatedAt.Equal(clock.Now()) || c.CreatedAt.Location() != time.UTC {
			t.Fatalf("created %+v", c)
		}
		got, err := svc.FindCandidateByID(ctx, c.ID)
		ok(t, err)
		if *got != *c {
			t.Fatalf("found %+v, want %+v", got, c)
		}
		if sl := got.SkillList(); len(sl) != 2 || sl[1] != "Phlebotomy" {
			t.Fatalf("skills %q", sl)
		}
		evs, _, err := db.Services().Events.FindEvents(ctx, portico.EventFilter{CandidateID: c.ID})
		ok(t, err)
		if len(evs) != 1 || evs[0].Action != "candidate.created" || evs[0].SubjectID != c.ID || evs[0].ActorID != rec.ID || evs[0].Details["name"] != "Jane Doe" {
			t.Fatalf("events %+v", evs)
		}

		// Required fields and bad values: messages per field, nothing stored.
		_, err = svc.CreateCandidate(ctx, portico.CandidateInput{FirstName: "  ", Email: "not-an-email", VideoURL: "javascript:alert(1)"})
		wantCode(t, err, portico.EINVALID)
		for _, f := range []string{"first_name", "last_name", "email", "video_url"} {
			if portico.ErrorFields(err)[f] == "" {
				t.Errorf("no message for %s: %v", f, portico.ErrorFields(err))
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM candidates`); n != 1 {
			t.Fatalf("%d candidates after a failed create", n)
		}

		// Update: the event names what changed.
		clock.Advance(time.Hour)
		in2 := candInput("Jane", "Doe-Smith")
		in2.City = "York"
		c2, err := svc.UpdateCandidate(testkit.AsUser(adm), c.ID, in2)
		ok(t, err)
		if c2.LastName != "Doe-Smith" || c2.City != "York" || !c2.UpdatedAt.Equal(clock.Now()) || !c2.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("updated %+v", c2)
		}
		evs, total, err := db.Services().Events.FindEvents(ctx, portico.EventFilter{CandidateID: c.ID})
		ok(t, err)
		if total != 2 || evs[0].Action != "candidate.updated" || evs[0].Details["fields"] != "last name, city" || evs[0].CandidateID != c.ID {
			t.Fatalf("update event %+v (total %d)", evs[0], total)
		}
		// The same input again changes nothing and records nothing.
		_, err = svc.UpdateCandidate(ctx, c.ID, in2)
		ok(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE candidate_id = ?`, c.ID); n != 2 {
			t.Fatalf("%d events after an empty update", n)
		}
		// Bad input on update stores nothing.
		_, err = svc.UpdateCandidate(ctx, c.ID, portico.CandidateInput{FirstName: "Jane"})
		wantCode(t, err, portico.EINVALID)
		if got, _ := svc.FindCandidateByID(ctx, c.ID); got.LastName != "Doe-Smith" {
			t.Fatalf("failed update changed the candidate: %+v", got)
		}

		// Unknown IDs.
		_, err = svc.FindCandidateByID(ctx, c.ID+100)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.UpdateCandidate(ctx, c.ID+100, in2)
		wantCode(t, err, portico.ENOTFOUND)

		// Not for client contacts.
		for _, ctx := range []context.Context{candPortal()} {
			_, err = svc.FindCandidateByID(ctx, c.ID)
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, _, err = svc.FindCandidates(ctx, portico.CandidateFilter{})
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, err = svc.CreateCandidate(ctx, in)
			wantCode(t, err, portico.EUNAUTHORIZED)
			_, err = svc.UpdateCandidate(ctx, c.ID, in)
			wantCode(t, err, portico.EUNAUTHORIZED)
		}
	})
}

func TestCandidateSearch(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		ctx := testkit.AsUser(rec)
		svc := db.Services().Candidates
		people := []portico.CandidateInput{
			{FirstName: "Jane", LastName: "Doe", CurrentTitle: "Staff Nurse", City: "Leeds", Skills: "Triage, Phlebotomy"},
			{FirstName: "John", LastName: "Smith", CurrentTitle: "Software Engineer", City: "Manchester", Skills: "Go, PostgreSQL, Kubernetes"},
			{FirstName: "Zoë", LastName: "O'Brien", CurrentTitle: "Senior Staff Nurse", City: "York", Skills: "Paediatrics"},
			{FirstName: "Janet", LastName: "Nurse", CurrentTitle: "Accountant", City: "Leeds", Skills: "Sage, Excel"},
			{FirstName: "Ahmed", LastName: "Khan", CurrentTitle: "Nurse Practitioner", City: "New York", Skills: "Prescribing; triage"},
		}
		ids := map[string]int64{}
		for _, in := range people {
			clock.Advance(time.Minute)
			c, err := svc.CreateCandidate(ctx, in)
			ok(t, err)
			ids[c.FirstName] = c.ID
		}
		find := func(q string) []string {
			t.Helper()
			cs, total, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if total != len(cs) {
				t.Fatalf("search %q: total %d for %d results", q, total, len(cs))
			}
			var names []string
			for _, c := range cs {
				names = append(names, c.FirstName)
			}
			return names
		}
		for q, want := range map[string]string{
			"":                 "Ahmed Janet Zoë John Jane", // newest first
			"jan":              "Janet Jane",                // name prefix
			"JANE":             "Janet Jane",
			"doe":              "Jane",
			"nurse":            "Ahmed Janet Zoë Jane", // title, and Janet's last name
			"staff nurse":      "Zoë Jane",             // every word must match
			"nurse leeds":      "Janet Jane",
			"triage":           "Ahmed Jane", // skills, whatever the separator
			"postgres":         "John",
			"kube":             "John",
			"york":             "Ahmed Zoë", // city
			"new york":         "Ahmed",
			"o'brien":          "Zoë",
			"brien":            "Zoë",
			"zoë":              "Zoë",
			"nurse, leeds!":    "Janet Jane",
			"nobody":           "",
			"smith engineer":   "John",
			"smith accountant": "",
		} {
			if got := strings.Join(find(q), " "); got != want {
				t.Errorf("search %q = %q, want %q", q, got, want)
			}
		}
		// Input that means something to a full-text query language is
		// just words, never an error.
		for _, q := range []string{`"`, `""`, `*`, `jane*`, `(`, `)`, `-`, `- jane`, `AND`, `OR`, `NOT`, `jane AND`, `NEAR(jane doe)`,
			`first_name:jane`, `^jane`, `'`, `\`, `&`, `|`, `!`, `<->`, `jane & | !`, `:*`, `'':*`, `{jane}`, `[x]`, `%`, `_`,
			strings.Repeat("nurse ", 100), strings.Repeat("x", 5000), "\x00", "ǅ", "😀", "jane\u200bdoe", "\u0301", "\u0301\u0301 jane", "ﬁ", "İstanbul", "ß", "東京"} {
			if _, _, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: q}); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
		}
		if got := strings.Join(find(`"jane" (doe*)`), " "); got != "Jane" {
			t.Errorf(`search with operators = %q, want "Jane"`, got)
		}
		if got := find("-jane"); len(got) != 2 {
			t.Errorf(`"-jane" = %q, want Jane and Janet (a minus is not NOT)`, got)
		}

		// The index follows updates.
		in := people[1]
		in.City = "Bristol"
		in.Skills = "Rust"
		_, err := svc.UpdateCandidate(ctx, ids["John"], in)
		ok(t, err)
		if got := strings.Join(find("manchester"), " "); got != "" {
			t.Errorf("old city still found: %q", got)
		}
		if got := strings.Join(find("rust bristol"), " "); got != "John" {
			t.Errorf("new values not found: %q", got)
		}

		// Pages, with the total.
		for i := range 23 {
			_, err := svc.CreateCandidate(ctx, portico.CandidateInput{FirstName: fmt.Sprintf("Pat%02d", i), LastName: "Welder", City: "Hull"})
			ok(t, err)
		}
		cs, total, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: "welder hull", Offset: 20, Limit: 10})
		ok(t, err)
		if total != 23 || len(cs) != 3 || cs[0].FirstName != "Pat02" || cs[2].FirstName != "Pat00" {
			t.Fatalf("page 3: %d of %d, first %q", len(cs), total, cs[0].FirstName)
		}
		cs, total, err = svc.FindCandidates(ctx, portico.CandidateFilter{Offset: 25, Limit: 10})
		ok(t, err)
		if total != 28 || len(cs) != 3 || cs[2].FirstName != "Jane" {
			t.Fatalf("unfiltered page: %d of %d", len(cs), total)
		}
		cs, _, err = svc.FindCandidates(ctx, portico.CandidateFilter{Offset: -5, Limit: 100000})
		ok(t, err)
		if len(cs) != 28 {
			t.Fatalf("clamped page: %d", len(cs))
		}
	})
}

// Long words: a candidate whose skills are one 2,000-character word can be
// saved and found, and a long word or hyphenated compound is found by any
// start of it and whole.
func TestCandidateSearchLongWords(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		ctx := testkit.AsUser(rec)
		svc := db.Services().Candidates
		long := "pneumonoultramicroscopicsilicovolcanoconiosis" // 45 letters
		_, err := svc.CreateCandidate(ctx, portico.CandidateInput{FirstName: "Lena", LastName: "Long", Skills: long + ", front-of-house-supervisor-and-trainer"})
		ok(t, err)
		_, err = svc.CreateCandidate(ctx, portico.CandidateInput{FirstName: "Huge", LastName: "Word", Skills: strings.Repeat("x", 2000)})
		ok(t, err)
		_, err = svc.CreateCandidate(ctx, portico.CandidateInput{FirstName: "Pat", LastName: "Short", Skills: "pneumonia care, front office"})
		ok(t, err)
		for q, want := range map[string]string{
			long[:10]:                               "Lena",
			long[:32]:                               "Lena",
			long[:40]:                               "Lena",
			long:                                    "Lena",
			"pneumon":                               "Pat Lena",
			"front-of-house-supervisor-and-t":       "Lena",
			"front-of-house-supervisor-and-trainer": "Lena",
			"supervisor trainer":                    "Lena",
			"front":                                 "Pat Lena",
			strings.Repeat("x", 50):                 "Huge",
		} {
			cs, _, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: q})
			ok(t, err)
			var got []string
			for _, c := range cs {
				got = append(got, c.FirstName)
			}
			if strings.Join(got, " ") != want {
				t.Errorf("search %q = %q, want %q", q, strings.Join(got, " "), want)
			}
		}
	})
}

// A search word that starts many words finds every candidate having any
// of them, however many; on PostgreSQL a word starting a few is asked for
// as those whole words (its text index answers them far faster than a
// prefix), one starting many as a prefix, and words new from an update
// are found by their starts.
func TestCandidateSearchPrefixes(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		ctx := testkit.AsUser(rec)
		svc := db.Services().Candidates
		var last *portico.Candidate
		for i := range 40 { // skills qx00 … qx39: 40 words starting "qx", 10 starting "qx1"
			c, err := svc.CreateCandidate(ctx, portico.CandidateInput{FirstName: fmt.Sprintf("P%02d", i), LastName: "Prefix", Skills: fmt.Sprintf("qx%02d", i)})
			ok(t, err)
			last = c
		}
		count := func(q string) int {
			t.Helper()
			cs, total, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: q, Limit: 100})
			ok(t, err)
			if total != len(cs) {
				t.Fatalf("search %q: total %d for %d results", q, total, len(cs))
			}
			return total
		}
		for q, want := range map[string]int{"qx": 40, "q": 40, "qx1": 10, "qx1 prefix": 10, "qx1 pre qx": 10, "qx15": 1, "qx4": 0, "qx1 nobody": 0} {
			if got := count(q); got != want {
				t.Errorf("search %q found %d, want %d", q, got, want)
			}
		}

		in := portico.CandidateInput{FirstName: last.FirstName, LastName: last.LastName, Skills: "Quixotic"}
		_, err := svc.UpdateCandidate(ctx, last.ID, in)
		ok(t, err)
		if got := count("quix"); got != 1 {
			t.Errorf(`"quix" after the update found %d, want 1`, got)
		}
		if got := count("qx3"); got != 9 {
			t.Errorf(`"qx3" after qx39 was replaced found %d, want 9`, got)
		}

		if db.Engine() != "postgres" {
			return
		}
		for q, want := range map[string]string{
			"qx1":      "('qx10' | 'qx11' | 'qx12' | 'qx13' | 'qx14' | 'qx15' | 'qx16' | 'qx17' | 'qx18' | 'qx19')",
			"qx15 pre": "('prefix') & ('qx15')",
			"qx":       "'qx':*", // 40 words: more than are worth joining
			"nobody":   "'nobody':*",
		} {
			got, err := sqlstore.CandidateMatch(ctx, db, q)
			ok(t, err)
			if got != want {
				t.Errorf("PostgreSQL's query for %q = %q, want %q", q, got, want)
			}
		}
	})
}

// Search works on a PostgreSQL database that isn't UTF-8, as initdb makes
// one under a C locale (SQL_ASCII): its vocabulary lookup may name no
// character the encoding lacks.
func TestCandidateSearchSQLASCII(t *testing.T) {
	url := testkit.NewPostgresDatabaseWith(t, "ENCODING 'SQL_ASCII' LOCALE 'C' TEMPLATE template0")
	db := testkit.OpenStore(t, testkit.Backend{Name: "postgres", URL: url}, testkit.NewClock())
	rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	ctx := testkit.AsUser(rec)
	svc := db.Services().Candidates
	for _, in := range []portico.CandidateInput{
		{FirstName: "Will", LastName: "Wilson", City: "Leeds", Skills: "Welding"},
		{FirstName: "Wilma", LastName: "Stone", City: "York", Skills: "Wiring"},
		{FirstName: "Zoë", LastName: "Åberg", City: "Hull", Skills: "Triage"},
	} {
		_, err := svc.CreateCandidate(ctx, in)
		ok(t, err)
	}
	for q, want := range map[string]int{"wil": 2, "wil leeds": 1, "w": 2, "stone": 1, "triage": 1, "nobody": 0} {
		cs, _, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: q})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if len(cs) != want {
			t.Errorf("search %q found %d, want %d", q, len(cs), want)
		}
	}
	if _, _, err := svc.FindCandidates(ctx, portico.CandidateFilter{Query: "zoë åberg"}); err != nil {
		t.Errorf("search with non-ASCII letters: %v", err)
	}
}

// FuzzCandidateSearch: no search text makes the full-text query fail.
func FuzzCandidateSearch(f *testing.F) {
	for _, q := range []string{`"`, `*`, `(jane`, `-x`, `AND OR NOT`, `NEAR(a b)`, `col:jane`, `'`, `\`, `&|!<->`, `jané`, `ﬁ`, "İstanbul"} {
		f.Add(q)
	}
	db := testkit.OpenStore(f, testkit.Backend{Name: "sqlite", URL: f.TempDir() + "/fuzz.db"}, nil)
	ctx := context.Background()
	if _, err := db.Services().Candidates.CreateCandidate(ctx, portico.CandidateInput{FirstName: "Jane", LastName: "Doe", Skills: "Go"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, _, err := db.Services().Candidates.FindCandidates(ctx, portico.CandidateFilter{Query: q}); err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
	})
}

// A list counts as far as its window and says "more than" past it; the
// pages past the window still come newest first, and the last one ends
// the list with an exact count.
func TestCandidateCountWindow(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		ctx := testkit.AsUser(rec)
		svc := db.Services().Candidates
		// Every one a nurse; every seventh in York.
		n := portico.CandidateCountLimit + 200
		var york []int64 // newest first
		for i := n; i >= 1; i-- {
			if i%7 == 0 {
				york = append(york, int64(i))
			}
		}
		i := 0
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		_, err := db.BulkInsert(context.Background(), "candidates", []string{"id", "first_name", "last_name", "city", "current_title", "created_at", "updated_at"},
			func() ([]any, bool) {
				if i == n {
					return nil, false
				}
				i++
				city := "Leeds"
				if i%7 == 0 {
					city = "York"
				}
				return []any{int64(i), "Pat", fmt.Sprint("Number", i), city, "Staff Nurse", now, now}, true
			})
		ok(t, err)
		ok(t, db.FinishBulk(context.Background()))

		f := portico.CandidateFilter{Limit: 50}
		cs, total, err := svc.FindCandidates(ctx, f)
		ok(t, err)
		if total != f.CountWindow()+1 || len(cs) != 50 || cs[0].ID != int64(n) || cs[49].ID != int64(n-49) {
			t.Fatalf("first page: %d of %d (window %d)", len(cs), total, f.CountWindow())
		}

		// The page that ends the list is counted exactly.
		f.Offset = n - 20
		cs, total, err = svc.FindCandidates(ctx, f)
		ok(t, err)
		if total != n || len(cs) != 20 || cs[19].ID != 1 {
			t.Fatalf("last page: %d of %d", len(cs), total)
		}

		// A search matching fewer than the window is exact; one matching
		// more walks newest first.
		cs, total, err = svc.FindCandidates(ctx, portico.CandidateFilter{Query: "york nurse", Limit: 10})
		ok(t, err)
		if total != len(york) || len(cs) != 10 || cs[0].ID != york[0] || cs[9].ID != york[9] {
			t.Fatalf("rare word: %d of %d (want %d)", len(cs), total, len(york))
		}
		all := portico.CandidateFilter{Query: "nurse", Offset: 100, Limit: 10}
		cs, total, err = svc.FindCandidates(ctx, all)
		ok(t, err)
		if total != all.CountWindow()+1 || len(cs) != 10 || cs[0].ID != int64(n-100) || cs[9].ID != int64(n-109) {
			t.Fatalf("common word: %d of %d", len(cs), total)
		}
	})
}
