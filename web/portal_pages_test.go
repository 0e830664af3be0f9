package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestPortalPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		empty := testkit.PortalContact(t, db, testkit.AddClient(t, db, "Quiet Ltd").ID, "Quinn Quiet", "quinn@quiet.test")
		a1, a2, b1 := w.a1.Email, w.a2.Email, w.b1.Email
		nurse := "/portal/jobs/" + strconv.FormatInt(w.nurse.ID, 10)
		porter := "/portal/jobs/" + strconv.FormatInt(w.porter.ID, 10)
		ann := nurse + "/candidates/" + strconv.FormatInt(w.annApp, 10)
		ben := nurse + "/candidates/" + strconv.FormatInt(w.benApp, 10)
		cara := nurse + "/candidates/" + strconv.FormatInt(w.caraApp, 10)
		dora := porter + "/candidates/" + strconv.FormatInt(w.doraApp, 10)
		evan := "/portal/jobs/" + strconv.FormatInt(w.engineer.ID, 10) + "/candidates/" + strconv.FormatInt(w.evanApp, 10)
		internal := []string{"Screening (internal)", "(int)", pvNote, pvClientNote}
		w.s.portalRun(t, []scenario{
			// Signed out: to the sign-in page, and back afterwards.
			{name: "visitor home", path: "/portal", status: http.StatusSeeOther, location: "/portal/signin"},
			{name: "visitor job", path: nurse, status: http.StatusSeeOther, location: "/portal/signin?next=" + url.QueryEscape(nurse)},
			{name: "visitor columns", method: http.MethodPost, path: "/portal/columns", form: url.Values{"field": {"city"}}, status: http.StatusUnauthorized},

			// Home.
			{name: "home", as: a1, path: "/portal", status: http.StatusOK,
				contains:  []string{"Good morning, Ann", "2 open jobs", "Senior Nurse", "Night Porter", "Under review", "New since your last visit", "Ben Baker", "Acme Health"},
				forbidden: append([]string{"Site Engineer", "Cara Cole", "Dora Dent"}, internal...)},
			{name: "home, one job", as: a2, path: "/portal", status: http.StatusOK,
				contains: []string{"Good morning, Carl", "1 open job", "Senior Nurse"}, forbidden: []string{"Night Porter"}},
			{name: "home, nothing shared", as: empty.Email, path: "/portal", status: http.StatusOK,
				contains: []string{"No jobs to show yet. Your recruiter will share candidates here."}, forbidden: []string{"Senior Nurse"}},

			// A job: details, recruiter, progress, the board.
			{name: "job board", as: a1, path: nurse, status: http.StatusOK,
				contains: []string{"Senior Nurse", "Nights on a busy surgical ward.", "Rita Recruiter", "mailto:rita@agency.test", "2 openings",
					"Starts 1 Apr 2026", "2 candidates shared with you", "Under review", "Ann Archer", "Ben Baker", "Ward Sister",
					"Export to Excel", nurse + "/export.xlsx", `aria-current="page">Board`, "★ 4"},
				forbidden: append([]string{"Cara Cole", pvAnnEmail, pvAnnSalary, "Client interview"}, internal...)},
			{name: "job board, filtered by stage", as: a1, path: nurse + "?stage=Under+review", status: http.StatusOK,
				contains: []string{"1 candidate matches", "Ann Archer", "Clear filters"}, forbidden: []string{">Ben Baker<"}},
			{name: "job board, filtered by rating", as: a1, path: nurse + "?rating=4", status: http.StatusOK,
				contains: []string{"Ann Archer"}, forbidden: []string{">Ben Baker<"}},
			{name: "job board, nothing matches", as: a1, path: nurse + "?rating=5", status: http.StatusOK,
				contains: []string{"No candidates match these filters."}},
			{name: "job, bad filters are ignored", as: a1, path: nurse + "?rating=9&stage=Screening+%28internal%29&offset=-4", status: http.StatusOK,
				contains: []string{"2 candidates."}, forbidden: internal},
			{name: "job list", as: a1, path: nurse + "?view=list", status: http.StatusOK,
				contains:  []string{`aria-current="page">List`, "Choose columns", `<th scope="col">Current title</th>`, `name="field" value="skills"`, "Ward Sister"},
				forbidden: []string{`value="email"`, `value="salary_expectation"`, "Cara Cole"}},
			{name: "anonymous job", as: a1, path: porter, status: http.StatusOK,
				contains: []string{portico.Reference(w.dora.ID), "Profiles are anonymous"}, forbidden: []string{"Dora", pvDoraEmail}},
			{name: "job of a job not chosen", as: a2, path: porter, status: http.StatusNotFound, forbidden: []string{"Night Porter"}},
			{name: "job of another client", as: b1, path: nurse, status: http.StatusNotFound, forbidden: []string{"Senior Nurse"}},
			{name: "no such job", as: a1, path: "/portal/jobs/999999", status: http.StatusNotFound},
			{name: "not a job ID", as: a1, path: "/portal/jobs/abc", status: http.StatusNotFound},

			// List columns are remembered.
			{name: "columns refused", as: a1, method: http.MethodPost, path: "/portal/columns",
				form: url.Values{"field": {"password_hash"}, "next": {nurse + "?view=list"}}, status: http.StatusUnprocessableEntity},
			{name: "columns", as: a1, method: http.MethodPost, path: "/portal/columns",
				form: url.Values{"field": {"skills", "city"}, "next": {nurse + "?view=list"}}, status: http.StatusSeeOther, location: nurse + "?view=list"},
			{name: "columns shown", as: a1, path: nurse + "?view=list", status: http.StatusOK,
				contains:  []string{"Saved your list columns.", `<th scope="col">Location</th>`, `<th scope="col">Skills</th>`, "Triage, Theatre"},
				forbidden: []string{`<th scope="col">Current title</th>`}},
			{name: "columns only lead to the portal", as: a1, method: http.MethodPost, path: "/portal/columns",
				form: url.Values{"field": {"city"}, "next": {"https://evil.example/"}}, status: http.StatusSeeOther, location: "/portal"},

			// A candidate.
			{name: "candidate", as: a1, path: ann, status: http.StatusOK,
				contains: []string{"Ann Archer", "Under review", "Ward Sister", "Leeds", "A calm, experienced ward sister.", "Leads a team of twelve.",
					ann + "/resume?inline=1", "<iframe", "Download résumé", "ann-archer-cv.pdf", "https://video.example.com/ann",
					"Good bedside manner", "Carl Chosen", "shared this candidate with you", "<strong>You</strong> rated the candidate 4 of 5 stars",
					"Carl Chosen</strong> gave feedback", "Previous", ben, "Your review"},
				forbidden: append([]string{pvAnnEmail, pvAnnPhone, pvAnnSalary, "ann-secret-references.pdf", "Rejected by"}, internal...)},
			{name: "candidate without a résumé", as: a1, path: ben, status: http.StatusOK,
				contains:  []string{"Ben Baker", "No résumé has been shared", "Interview requests", "Mornings suit us.", "Next", ann},
				forbidden: []string{"ben-baker-cv.pdf", "<iframe", "Watch the video"}},
			{name: "anonymous candidate", as: a1, path: dora, status: http.StatusOK,
				contains: []string{portico.Reference(w.dora.ID), "This profile is anonymous", "Porter"}, forbidden: []string{"Dora", pvDoraEmail}},
			{name: "unshared candidate", as: a1, path: cara, status: http.StatusNotFound, forbidden: []string{"Cara"}},
			{name: "candidate through another job", as: a1, path: porter + "/candidates/" + strconv.FormatInt(w.annApp, 10), status: http.StatusNotFound},
			{name: "another client's candidate", as: a1, path: evan, status: http.StatusNotFound, forbidden: []string{"Evan"}},
			{name: "other client sees their own", as: b1, path: evan, status: http.StatusOK, contains: []string{"Evan Evans", "Site Engineer"}},
			{name: "unshared résumé", as: a1, path: ben + "/resume", status: http.StatusNotFound},
		})

		// The résumé: a download, or the PDF for the page's viewer frame.
		c := w.s.portalSignedIn(a1)
		res := c.get(ann + "/resume")
		if res.status != http.StatusOK || !strings.HasPrefix(res.body, "%PDF") || !strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="ann-archer-cv.pdf"`) {
			t.Errorf("download: %d %q", res.status, res.header.Get("Content-Disposition"))
		}
		if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("download CSP %q", csp)
		}
		res = c.get(ann + "/resume?inline=1")
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Disposition"), "inline") || res.header.Get("X-Frame-Options") != "SAMEORIGIN" ||
			res.header.Get("Content-Security-Policy") != "sandbox; frame-ancestors 'self'" || res.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("inline: %d %v", res.status, res.header)
		}

		// Moving the candidate shows on the portal under the client's name.
		stages, err := db.Services().Stages.ListStages(context.Background(), false)
		must(t, err)
		for _, st := range stages {
			if st.Kind == portico.KindInterview {
				_, err := db.Services().Applications.MoveApplication(context.Background(), w.annApp, st.ID)
				must(t, err)
			}
		}
		res = c.get(ann)
		if !strings.Contains(res.body, "moved the candidate to Interview") || strings.Contains(res.body, "Client interview") {
			t.Errorf("history after a move:\n%s", res.body)
		}
	})
}

// TestPortalJobPages: the list pages through many candidates in SQL and
// keeps its filters on the pager's links.
func TestPortalJobPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		cl := testkit.AddClient(t, db, "Many Ltd")
		job := testkit.AddJob(t, db, cl.ID, s.admin.ID, "Care Assistant")
		for i := range 62 {
			c := testkit.AddCandidate(t, db, "Cand", fmt.Sprintf("Number%02d", i))
			testkit.ShareApplication(t, db, pvApply(t, db, job.ID, c.ID))
		}
		k := testkit.PortalContact(t, db, cl.ID, "Mo Many", "mo@many.test")
		path := "/portal/jobs/" + strconv.FormatInt(job.ID, 10)
		s.portalRun(t, []scenario{
			{name: "first page", as: k.Email, path: path + "?view=list", status: http.StatusOK,
				contains:  []string{"62 candidates.", "1–50 of 62", "Cand Number00", "Cand Number49", `rel="next"`, "offset=50"},
				forbidden: []string{"Cand Number50"}},
			{name: "second page", as: k.Email, path: path + "?view=list&offset=50", status: http.StatusOK,
				contains: []string{"51–62 of 62", "Cand Number50", "Cand Number61", `rel="prev"`}, forbidden: []string{"Cand Number49"}},
			{name: "an offset past any end", as: k.Email, path: path + "?view=list&offset=9223372036854775807", status: http.StatusOK,
				contains: []string{`rel="prev"`}, forbidden: []string{"Cand Number", "–-", `rel="next"`}},
			{name: "filtered pages keep the filter", as: k.Email, path: path + "?view=list&stage=Sourced", status: http.StatusOK,
				contains: []string{"stage=Sourced", "62 candidates match"}},
			{name: "board", as: k.Email, path: path, status: http.StatusOK, contains: []string{"Cand Number61", "Sourced"}},
		})
	})
}

// TestPortalExport: the workbook opens with an independent reader (the
// zip and XML of the file, read here without excelize), holds the visible
// fields and client stages only, and writes values as text, never
// formulas.
func TestPortalExport(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		ctx := context.Background()
		_, err := db.Services().Candidates.UpdateCandidate(ctx, w.ann.ID, portico.CandidateInput{FirstName: "Ann", LastName: "Archer",
			Email: pvAnnEmail, Phone: pvAnnPhone, City: "@Leeds", CurrentTitle: `=HYPERLINK("http://evil.example","Click")`,
			CurrentEmployer: "+44 & Sons <Ltd>", Skills: "-1+1", SalaryExpectation: pvAnnSalary})
		must(t, err)
		c := w.s.portalSignedIn(w.a1.Email)
		res := c.get("/portal/jobs/" + strconv.FormatInt(w.nurse.ID, 10) + "/export.xlsx")
		if res.status != http.StatusOK {
			t.Fatalf("export: %d %s", res.status, res.body)
		}
		if ct := res.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("content type %q", ct)
		}
		if cd := res.header.Get("Content-Disposition"); cd != `attachment; filename="Senior Nurse candidates.xlsx"; filename*=UTF-8''Senior%20Nurse%20candidates.xlsx` {
			t.Errorf("disposition %q", cd)
		}
		book := readXLSX(t, []byte(res.body))
		rows := book.rows
		if len(rows) != 3 {
			t.Fatalf("rows %q", rows)
		}
		wantHead := "Candidate|Stage|Current title|Current employer|Location|Skills|Summary|Availability|Notice period|Average rating|Ratings|Shared on"
		if got := strings.Join(rows[0], "|"); got != wantHead {
			t.Errorf("header\n got %s\nwant %s", got, wantHead)
		}
		if !book.bold["A1"] || !book.bold["L1"] {
			t.Errorf("the header row isn't bold")
		}
		ann := rows[2] // Ben is in an earlier stage
		if ann[0] != "Ann Archer" || ann[1] != "Under review" || ann[2] != `=HYPERLINK("http://evil.example","Click")` || ann[3] != "+44 & Sons <Ltd>" ||
			ann[4] != "@Leeds" || ann[5] != "-1+1" || ann[9] != "4" || ann[10] != "1" || ann[11] != "2026-03-02" {
			t.Errorf("Ann's row %q", ann)
		}
		if rows[1][0] != "Ben Baker" || rows[1][1] != "Sourced" || rows[1][9] != "" || rows[1][10] != "0" {
			t.Errorf("Ben's row %q", rows[1])
		}
		if book.formulas > 0 {
			t.Errorf("the workbook holds %d formulas", book.formulas)
		}
		for _, cell := range []string{"C3", "D3", "E3", "F3"} {
			if !book.text[cell] {
				t.Errorf("%s isn't a text cell with the text format", cell)
			}
		}
		all := strings.Join(rows[1], " ") + strings.Join(rows[2], " ")
		for _, bad := range []string{pvAnnEmail, pvAnnSalary, "Cara", "Screening"} {
			if strings.Contains(all, bad) {
				t.Errorf("the export shows %q", bad)
			}
		}

		// An anonymous job's export: references, and no contact details.
		res = c.get("/portal/jobs/" + strconv.FormatInt(w.porter.ID, 10) + "/export.xlsx")
		book = readXLSX(t, []byte(res.body))
		if got := strings.Join(book.rows[0], "|"); got != "Reference|Stage|Current title|Average rating|Ratings|Shared on" {
			t.Errorf("anonymous header %s", got)
		}
		if book.rows[1][0] != portico.Reference(w.dora.ID) || book.rows[1][2] != "Porter" {
			t.Errorf("anonymous row %q", book.rows[1])
		}
	})
}

// xlsxBook is what the independent reader found in a workbook.
type xlsxBook struct {
	rows     [][]string
	bold     map[string]bool // cells whose style's font is bold
	text     map[string]bool // string cells with the text number format (@)
	formulas int
}

// readXLSX reads the first worksheet of a workbook with archive/zip and
// encoding/xml: shared or inline strings, numbers, styles.
func readXLSX(t *testing.T, b []byte) xlsxBook {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	part := func(name string) []byte {
		for _, f := range zr.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				defer rc.Close()
				x, _ := io.ReadAll(rc)
				return x
			}
		}
		return nil
	}
	for _, required := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		if part(required) == nil {
			t.Fatalf("the workbook lacks %s", required)
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
		} `xml:"sheets>sheet"`
	}
	must(t, xml.Unmarshal(part("xl/workbook.xml"), &wb))
	if len(wb.Sheets) != 1 || wb.Sheets[0].Name != "Candidates" {
		t.Errorf("sheets %+v", wb.Sheets)
	}
	type rich struct {
		T string `xml:"t"`
		R []struct {
			T string `xml:"t"`
		} `xml:"r"`
	}
	text := func(r rich) string {
		s := r.T
		for _, x := range r.R {
			s += x.T
		}
		return s
	}
	var shared []string
	if x := part("xl/sharedStrings.xml"); x != nil {
		var sst struct {
			SI []rich `xml:"si"`
		}
		must(t, xml.Unmarshal(x, &sst))
		for _, si := range sst.SI {
			shared = append(shared, text(si))
		}
	}
	var styles struct {
		Fonts []struct {
			B *struct{} `xml:"b"`
		} `xml:"fonts>font"`
		Xfs []struct {
			FontID   int `xml:"fontId,attr"`
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	must(t, xml.Unmarshal(part("xl/styles.xml"), &styles))
	var sheet struct {
		Rows []struct {
			C []struct {
				R  string  `xml:"r,attr"`
				T  string  `xml:"t,attr"`
				S  int     `xml:"s,attr"`
				F  *string `xml:"f"`
				V  string  `xml:"v"`
				IS rich    `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	must(t, xml.Unmarshal(part("xl/worksheets/sheet1.xml"), &sheet))
	book := xlsxBook{bold: map[string]bool{}, text: map[string]bool{}}
	for _, row := range sheet.Rows {
		var out []string
		for _, c := range row.C {
			col := 0
			for _, r := range c.R {
				if r >= 'A' && r <= 'Z' {
					col = col*26 + int(r-'A') + 1
				}
			}
			for len(out) < col-1 {
				out = append(out, "")
			}
			if c.F != nil {
				book.formulas++
			}
			v := c.V
			switch c.T {
			case "s":
				i, _ := strconv.Atoi(c.V)
				if i < len(shared) {
					v = shared[i]
				}
			case "inlineStr":
				v = text(c.IS)
			}
			out = append(out, v)
			if c.S < len(styles.Xfs) {
				xf := styles.Xfs[c.S]
				if xf.FontID < len(styles.Fonts) && styles.Fonts[xf.FontID].B != nil {
					book.bold[c.R] = true
				}
				if xf.NumFmtID == 49 && (c.T == "s" || c.T == "inlineStr" || c.T == "str") {
					book.text[c.R] = true
				}
			}
		}
		book.rows = append(book.rows, out)
	}
	return book
}
