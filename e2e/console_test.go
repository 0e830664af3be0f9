package e2e

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portico/internal/testkit"
)

// TestConsoleJourney is the acceptance journey of the agency console: a
// recruiter sets up a client with a contact and a location, opens a job for
// it, adds a candidate with a résumé and shortlists them; a second
// recruiter watches the job's board in another browser while the first
// moves the card twice (once with the stage menu, once by drag and drop)
// and sees each move arrive without reloading; the moves are in the job's
// and the candidate's history; bad uploads are refused with a message
// beside the file field; and every console page passes axe on a desktop and
// on a phone. It runs on SQLite and PostgreSQL, on a desktop and a phone.
func TestConsoleJourney(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			// The engines side by side: most of a journey is waiting for
			// Chromium, so two at once take little longer than one.
			t.Parallel()
			eachViewport(t, func(t *testing.T, vp viewport) {
				consoleJourney(t, engine, vp)
			})
		})
	}
}

// The two recruiters and what they work on.
const (
	ariName, ariEmail, ariPassword = "Ari Recruiter", "ari@harbour.test", "ari-finds-people-1"
	benName, benEmail, benPassword = "Ben Recruiter", "ben@harbour.test", "ben-watches-boards-2"

	clientName   = "Northgate Health"
	contactName  = "Hana Manager"
	contactEmail = "hana@northgate.test"
	siteName     = "Leeds General"
	jobTitle     = "Staff Nurse"
	candFirst    = "Nora"
	candLast     = "Quinn"
	candName     = candFirst + " " + candLast
	resumeName   = "nora-quinn-cv.pdf"
	taskTitle    = "Call Nora about the interview"

	stage1, stage2, stage3 = "Sourced", "Screening", "Submitted to client"
)

// liveWait bounds how long a live update may take to reach the other
// browser.
const liveWait = 10 * time.Second

// consoleJourney walks the journey. To keep the package quick, parts that
// a screen or an engine can't change run once: the bad uploads on the
// desktop only; the tour of the other pages in the browser on SQLite and
// over plain HTTP on PostgreSQL's desktop run; and on the phone on
// PostgreSQL the journey stops after the histories.
func consoleJourney(t *testing.T, engine string, vp viewport) {
	short := engine == enginePostgres && vp.Phone
	p := startPortico(t, options{Engine: engine})
	admin := p.setUpOverHTTP()
	p.addUser(admin, ariName, ariEmail, ariPassword, "recruiter")
	p.addUser(admin, benName, benEmail, benPassword, "recruiter")

	a := newBrowser(t, vp, p.URL)
	a.signIn(ariName, ariEmail, ariPassword)

	// A client, through the form.
	a.clickLink("clients-empty", "Clients")
	a.clickLink("client-new", "Add client")
	a.fill("Company name", clientName)
	a.fill("Website (optional)", "northgate.test")
	a.clickButton("client-added", "Add client")
	clientID := a.idIn("/clients/")
	if flash := a.mustText(".flash"); !strings.Contains(flash, clientName+" was added") {
		t.Errorf("flash after adding the client = %q", flash)
	}
	if h := a.mustText("h1"); h != clientName {
		t.Errorf("client page heading = %q, want %q", h, clientName)
	}

	// Its contact.
	a.clickLink("contact-new", "Add contact")
	a.fill("Name", contactName)
	a.fill("Job title (optional)", "Ward manager")
	a.fill("Email (optional)", contactEmail)
	a.clickButton("contact-added", "Add contact")
	if path := a.path(); path != fmt.Sprintf("/clients/%d", clientID) {
		t.Fatalf("after adding the contact the browser is at %s, want the client page", path)
	}
	if row := a.rowWith(contactName); !strings.Contains(row, contactEmail) || !strings.Contains(row, "Ward manager") {
		t.Errorf("contacts row = %q, want the contact's title and email", row)
	}
	contactHref := a.attr(`main a[href^="/contacts/"]`, "href")
	if contactHref == "" {
		t.Fatalf("no link to the contact's page on the client page")
	}

	// Its location.
	a.clickLink("location-new", "Add location")
	a.fill("Name, for example Head office", siteName)
	a.fill("Address (optional)", "Great George Street\nLeeds LS1 3EX")
	a.choose("Time zone", "Europe/London")
	a.clickButton("location-added", "Add location")
	if row := a.rowWith(siteName); !strings.Contains(row, "Europe/London") || !strings.Contains(row, "Leeds LS1 3EX") {
		t.Errorf("locations row = %q, want the address and time zone", row)
	}

	// A job, in two steps: the client, then the form.
	a.clickLink("jobs-empty", "Jobs")
	a.clickLink("job-new-client", "Open a job")
	a.choose("Which client is the job for?", clientName)
	a.clickButton("job-new", "Continue")
	if h := a.mustText("h1"); h != "Open a job for "+clientName {
		t.Fatalf("the second step of opening a job shows %q", h)
	}
	a.choose("Location (optional)", siteName)
	a.fill("Job title", jobTitle)
	a.fill("Description (clients see this)", "Band 5 staff nurse on the acute medical ward.")
	if owner := a.text("#f-owner_id option:checked"); owner != ariName {
		t.Errorf("the new job's owner is %q by default, want the recruiter opening it", owner)
	}
	a.clickButton("job-opened", "Open job")
	jobID := a.idIn("/jobs/")
	jobPage := fmt.Sprintf("/jobs/%d", jobID)
	if h := a.mustText("h1"); h != jobTitle {
		t.Errorf("job page heading = %q", h)
	}
	if facts := a.text(".job-facts"); !strings.Contains(facts, clientName) || !strings.Contains(facts, siteName) || !strings.Contains(facts, ariName) {
		t.Errorf("job facts = %q, want the client, location and owner", facts)
	}
	if empty := a.text("#shortlist"); !strings.Contains(empty, "No one is on the shortlist yet") {
		t.Errorf("the new job's shortlist says %q", empty)
	}

	// A candidate, through the form.
	a.clickLink("candidates-empty", "Candidates")
	a.clickLink("candidate-new", "Add candidate")
	a.fill("First name", candFirst)
	a.fill("Last name", candLast)
	a.fill("Email (optional)", "nora.quinn@example.test")
	a.fill("City (optional)", "Leeds")
	a.fill("Job title (optional)", "Staff nurse")
	a.fill("Employer (optional)", "Bradford Royal")
	a.fill("Skills (optional)", "Triage, Phlebotomy, NMC registered")
	a.clickButton("candidate-added", "Add candidate")
	candID := a.idIn("/candidates/")
	candPage := fmt.Sprintf("/candidates/%d", candID)
	if h := a.mustText("h1"); h != candName {
		t.Errorf("candidate page heading = %q", h)
	}
	if n := a.count(".cd-doc"); n != 0 {
		t.Errorf("a new candidate has %d documents", n)
	}

	// Their résumé, uploaded on their page, listed and shown inline.
	a.choose("Kind", "Résumé")
	a.setFile("f-file", writeFile(t, resumeName, testkit.PDF("Nora Quinn — Staff Nurse")))
	if status := a.clickButton("candidate-uploaded", "Upload"); status != http.StatusOK {
		t.Errorf("after uploading the résumé: status %d", status)
	}
	if path := a.path(); path != candPage {
		t.Errorf("after uploading the browser is at %s, want %s", path, candPage)
	}
	if flash := a.mustText(".flash"); !strings.Contains(flash, "Uploaded "+resumeName) {
		t.Errorf("flash after uploading = %q", flash)
	}
	if n := a.count(".cd-doc"); n != 1 {
		t.Fatalf("the candidate has %d documents after one upload", n)
	}
	if doc := a.text(".cd-doc"); !strings.Contains(doc, resumeName) || !strings.Contains(doc, "PDF") || !strings.Contains(doc, ariName) {
		t.Errorf("the listed document = %q, want its name, format and uploader", doc)
	}
	docHref := a.attr(".cd-doc-name a", "href")
	if src := a.attr("iframe.cd-preview-frame", "src"); src == "" || src != docHref+"?inline=1" {
		t.Errorf("inline view iframe src = %q, want %s?inline=1", src, docHref)
	}
	if title := a.attr("iframe.cd-preview-frame", "title"); !strings.Contains(title, resumeName) {
		t.Errorf("the inline view's title = %q, want the file name", title)
	}
	if res := p.get(docHref+"?inline=1", p.signInOverHTTP(ariEmail, ariPassword)); res.Status != http.StatusOK ||
		res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Errorf("GET %s?inline=1: status %d, type %q", docHref, res.Status, res.Header.Get("Content-Type"))
	}

	// Onto the job's shortlist from the candidate's page.
	a.choose("Add "+candFirst+" to the shortlist of", strconv.FormatInt(jobID, 10))
	a.clickButton("candidate-shortlisted", "Add to shortlist")
	if flash := a.mustText(".flash"); !strings.Contains(flash, "1 candidate added to the shortlist") {
		t.Errorf("flash after shortlisting = %q", flash)
	}
	if row := a.rowWith(jobTitle); !strings.Contains(row, clientName) || !strings.Contains(row, stage1) {
		t.Errorf("candidate's jobs row = %q, want the job, client and stage %s", row, stage1)
	}

	// The job page: the card in the first stage, which counts 1.
	a.press("job-board", "#cand-jobs a", jobTitle)
	if path := a.path(); path != jobPage {
		t.Fatalf("the job link led to %s", path)
	}
	appID, err := strconv.ParseInt(a.attr(".sl-card[data-app]", "data-app"), 10, 64)
	if err != nil {
		t.Fatalf("no card on the board: %v", err)
	}
	if first := a.attr(".board-col", "data-stage-name"); first != stage1 {
		t.Errorf("the board's first column is %q, want %s", first, stage1)
	}
	if !eval[bool](a, boardCardIn(appID, stage1, 1)) {
		t.Errorf("the card is not alone in %s with count 1: board %q", stage1, a.text(".board"))
	}
	if sum := a.text(".sl-summary"); !strings.HasPrefix(sum, "1 candidate on the shortlist") {
		t.Errorf("shortlist summary = %q", sum)
	}

	// The second recruiter opens the same board in another browser.
	b := a.otherSession(t)
	b.signIn(benName, benEmail, benPassword)
	b.visit("b-job-board", jobPage)
	if !eval[bool](b, boardCardIn(appID, stage1, 1)) {
		t.Fatalf("the second recruiter's board does not show the card in %s: %q", stage1, b.text(".board"))
	}
	defer func() {
		// Problems after the last page check, such as a failed live update.
		a.checkConsole("end")
		b.checkConsole("end")
	}()
	eval[chromedp.Void](b, `window.__marker = 1`)
	stillSamePage := `window.__marker === 1`

	// The first move, without script: the card's stage menu and Move.
	a.choose("Stage for "+candName, stage2)
	if status := a.clickButton("job-moved-by-menu", "Move "+candName); status != http.StatusOK {
		t.Errorf("after Move: status %d", status)
	}
	if path := a.path(); path != jobPage {
		t.Errorf("after Move the browser is at %s, want the job page", path)
	}
	if flash := a.mustText(".flash"); flash != candName+" moved to "+stage2+"." {
		t.Errorf("flash after Move = %q", flash)
	}
	if !eval[bool](a, boardCardIn(appID, stage2, 1)) {
		t.Errorf("after Move the card is not in %s: %q", stage2, a.text(".board"))
	}
	b.waitFor("the second recruiter's board shows the card in "+stage2, boardCardIn(appID, stage2, 1), liveWait)
	if !eval[bool](b, stillSamePage) {
		t.Fatalf("the second recruiter's page was reloaded; live updates should change it in place")
	}
	if n := b.text(fmt.Sprintf(`.board-col[data-stage-name=%q] [data-count]`, stage1)); n != "0" {
		t.Errorf("the second recruiter's %s column counts %q after the move, want 0", stage1, n)
	}
	b.check("b-job-board-live-1")

	// The second move, by dragging the card onto the next column.
	eval[chromedp.Void](a, `window.__marker = 1`)
	a.drag(fmt.Sprintf("#app-%d .sl-card-meta", appID), fmt.Sprintf(`.board-col[data-stage-name=%q] .board-col-head`, stage3))
	a.waitFor("the dragged card lands in "+stage3, boardCardIn(appID, stage3, 1), liveWait)
	a.waitFor("the move is announced", fmt.Sprintf(`document.getElementById("board-status").textContent === %s`, js(candName+" moved to "+stage3+".")), 5*time.Second)
	if !eval[bool](a, stillSamePage) {
		t.Errorf("dragging the card reloaded the page; it should move in place")
	}
	if a.exists("#board-error:not([hidden])") {
		t.Errorf("the board shows an error after the drag: %q", a.text("#board-error"))
	}
	if got := a.value(fmt.Sprintf("#move-%d", appID)); got != a.attr(fmt.Sprintf(`.board-col[data-stage-name=%q]`, stage3), "data-stage") {
		t.Errorf("after the drag the card's stage menu holds stage %s, want %s's", got, stage3)
	}
	a.check("job-moved-by-drag")
	b.waitFor("the second recruiter's board shows the card in "+stage3, boardCardIn(appID, stage3, 1), liveWait)
	b.waitFor("the second recruiter's history shows the drag", fmt.Sprintf(`document.getElementById("job-history").innerText.includes(%s)`,
		js("moved "+candName+" from "+stage2+" to "+stage3)), liveWait)
	if !eval[bool](b, stillSamePage) {
		t.Fatalf("the second recruiter's page was reloaded; live updates should change it in place")
	}
	b.check("b-job-board-live-2")

	// The job's history has each step, newest first.
	a.visit("job-history", jobPage)
	a.fitsTheScreen("job-history")
	history := a.mustText("#job-history")
	steps := []string{
		ariName + " moved " + candName + " from " + stage2 + " to " + stage3,
		ariName + " moved " + candName + " from " + stage1 + " to " + stage2,
		ariName + " added " + candName + " to the shortlist for " + jobTitle,
	}
	last := -1
	for _, s := range steps {
		i := strings.Index(history, s)
		if i < 0 {
			t.Errorf("job history lacks %q:\n%s", s, history)
			continue
		}
		if i < last {
			t.Errorf("job history is not newest first at %q:\n%s", s, history)
		}
		last = i
	}

	// So has the candidate's, and their jobs show the stage.
	a.visit("candidate-history", candPage)
	a.fitsTheScreen("candidate-history")
	history = a.mustText("#cand-history")
	for _, s := range []string{
		ariName + " uploaded the résumé " + resumeName + " for " + candName,
		ariName + " added " + candName + " to the shortlist for " + jobTitle,
		ariName + " moved " + candName + " from " + stage2 + " to " + stage3,
	} {
		if !strings.Contains(history, s) {
			t.Errorf("candidate history lacks %q:\n%s", s, history)
		}
	}
	if row := a.rowWith(jobTitle); !strings.Contains(row, stage3) {
		t.Errorf("candidate's jobs row = %q, want stage %s", row, stage3)
	}

	if short {
		return
	}

	// Bad uploads: each refused with a message beside the file field, and
	// nothing added. (The page is the same on the phone.)
	if !vp.Phone {
		consoleBadUploads(t, p, a, candPage)
	}

	// A task for the second recruiter: their alert count goes up while
	// they look at the board, and the alert and task are on their pages.
	a.visit("tasks-empty", "/tasks")
	a.clickLink("task-new", "Add task")
	a.fill("What needs doing", taskTitle)
	a.choose("Who does it", benName)
	a.choose("Job (optional)", strconv.FormatInt(jobID, 10))
	a.clickButton("task-added", "Add task")
	taskPage := a.path()
	if h := a.mustText("h1"); h != taskTitle {
		t.Errorf("after adding the task the page shows %q", h)
	}
	b.waitFor("the second recruiter's unread alerts count 1", `(el => !!el && !el.hidden && el.textContent.replace(/\s+/g, " ").trim() === "1 unread")(document.querySelector("[data-unread]"))`, liveWait)
	if !eval[bool](b, stillSamePage) {
		t.Errorf("the second recruiter's page was reloaded by the alert")
	}
	b.clickLink("b-alerts", "Alerts 1 unread")
	if alerts := b.text("main"); !strings.Contains(alerts, taskTitle) {
		t.Errorf("the second recruiter's alerts page lacks the task: %q", alerts)
	}
	b.clickLink("b-tasks", "Tasks")
	if row := b.text(".inbox-list"); !strings.Contains(row, taskTitle) || !strings.Contains(row, jobTitle) {
		t.Errorf("the second recruiter's tasks = %q, want the new task with its job", row)
	}

	// Every other console page: in the browser on SQLite, for axe and
	// screenshots; over plain HTTP on PostgreSQL, where what differs is the
	// SQL behind them, not the HTML.
	pages := []tourPage{
		{"jobs", "/jobs", jobTitle},
		{"job-list-view", jobPage + "?view=list", candName},
		{"candidates", "/candidates", candName},
		{"candidates-search", "/candidates?q=" + url.QueryEscape("nurse leeds"), candName},
		{"candidates-search-none", "/candidates?q=plumber", "No candidates match"},
		{"candidates-for-job", fmt.Sprintf("/candidates?job=%d", jobID), "On the shortlist"},
		{"candidate-edit", candPage + "/edit", "Edit " + candName},
		{"clients", "/clients", clientName},
		{"client", fmt.Sprintf("/clients/%d", clientID), siteName},
		{"client-edit", fmt.Sprintf("/clients/%d/edit", clientID), "Edit " + clientName},
		{"contact", contactHref, contactEmail},
		{"job-edit", jobPage + "/edit", "Edit " + jobTitle},
		{"application", fmt.Sprintf("/applications/%d", appID), stage3},
		{"tasks", "/tasks?assignee=any", taskTitle},
		{"task", taskPage, taskTitle},
		{"alerts", "/alerts", ""},
	}
	adminPages := []tourPage{
		{"users", "/users", ariEmail},
		{"stages", "/stages", stage3},
		{"outbox", "/outbox", ""},
	}
	if engine == enginePostgres {
		tourOverHTTP(t, p, p.signInOverHTTP(ariEmail, ariPassword), pages)
		tourOverHTTP(t, p, admin, adminPages)
		return
	}
	a.tour(pages)
	b.clickButton("b-signed-out", "Sign out")
	b.signIn(adminName, adminEmail, adminPassword)
	b.tour(adminPages)
}

// consoleBadUploads tries a text file named .pdf, a program named .pdf and
// an 11 MB file in the browser, and a 50 MB one over HTTP.
func consoleBadUploads(t *testing.T, p *portico, a *browser, candPage string) {
	before := a.count(".cd-doc")
	for _, bad := range []struct {
		name, file string
		content    []byte
		status     int
		want       string
	}{
		{"upload-fake-pdf", "fake.pdf", []byte("Nora Quinn\nStaff nurse, Leeds\nThis is plain text, not a PDF.\n"), http.StatusUnprocessableEntity, "not a PDF"},
		{"upload-program", "cv.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{0}, 2048)...), http.StatusUnprocessableEntity, "program"},
		{"upload-too-large", "big-cv.pdf", repeatBytes("%PDF-1.4\n", 11<<20), http.StatusRequestEntityTooLarge, "larger than 10 MB"},
	} {
		a.choose("Kind", "Résumé")
		a.setFile("f-file", writeFile(t, bad.file, bad.content))
		if status := a.clickButton(bad.name, "Upload"); status != bad.status {
			t.Errorf("%s: status %d, want %d", bad.file, status, bad.status)
		}
		msg := a.text("#f-file-error")
		if !strings.Contains(msg, bad.want) {
			t.Errorf("%s: message beside the file field = %q, want it to say %q", bad.file, msg, bad.want)
		}
		if got := a.attr("#f-file", "aria-invalid"); got != "true" {
			t.Errorf("%s: the file field has aria-invalid=%q", bad.file, got)
		}
		if got := a.attr("#f-file", "aria-describedby"); !strings.Contains(got, "f-file-error") {
			t.Errorf("%s: the file field's aria-describedby = %q, want its message", bad.file, got)
		}
		if summary := a.text("#form-errors"); !strings.Contains(summary, "Nothing was uploaded") {
			t.Errorf("%s: summary above the form = %q", bad.file, summary)
		}
		if n := a.count(".cd-doc"); n != before {
			t.Errorf("%s: the candidate page lists %d documents after the refused upload, want %d", bad.file, n, before)
		}
		if a.exists(".flash") {
			t.Errorf("%s: a success flash after a refused upload: %q", bad.file, a.text(".flash"))
		}
	}

	// 50 MB over plain HTTP, streamed so the server meets the limit while
	// reading: refused, and the connection survives to answer.
	cookie := p.signInOverHTTP(ariEmail, ariPassword)
	body := io.MultiReader(strings.NewReader("%PDF-1.4\n"), io.LimitReader(zeros{}, 50<<20))
	res := p.upload(candPage+"/documents", url.Values{"kind": {"resume"}}, "file", "huge-cv.pdf", body, cookie)
	if res.Status != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "larger than 10 MB") {
		t.Errorf("50 MB upload: status %d, want 413 with the size message", res.Status)
	}
	if page := p.get(candPage, cookie); strings.Count(page.Body, `<li class="cd-doc`) != before {
		t.Errorf("after the 50 MB upload the candidate page lists a different number of documents (want %d)", before)
	}
	a.visit("candidate-after-bad-uploads", candPage)
	if n := a.count(".cd-doc"); n != before {
		t.Errorf("after the bad uploads the candidate has %d documents, want %d", n, before)
	}
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// drag drags the element matching from onto the one matching to with the
// mouse, as a person would (HTML5 drag and drop, which chromedp completes
// through the browser's drag interception).
func (b *browser) drag(from, to string) {
	b.t.Helper()
	b.step("drag "+from+" to "+to, chromedp.DragAndDrop(chromedp.CSS(from), chromedp.CSS(to)))
}

// tourPage is a console page the journey checks: its name for screenshots,
// its path, and a text it must show ("" for none).
type tourPage struct{ name, path, want string }

// tour visits each page in the browser (so each gets axe and a
// screenshot) and checks it answers 200 and shows what it should.
func (b *browser) tour(pages []tourPage) {
	b.t.Helper()
	for _, pg := range pages {
		if status := b.visit(pg.name, pg.path); status != http.StatusOK {
			b.t.Errorf("GET %s: status %d, want 200", pg.path, status)
			continue
		}
		b.fitsTheScreen(pg.name)
		if main := b.text("main"); !strings.Contains(main, pg.want) {
			b.t.Errorf("%s (%s) does not show %q:\n%s", pg.name, pg.path, pg.want, main)
		}
	}
}

// tourOverHTTP fetches each page with the session cookie and checks it
// answers 200 and shows what it should.
func tourOverHTTP(t *testing.T, p *portico, session *http.Cookie, pages []tourPage) {
	t.Helper()
	for _, pg := range pages {
		res := p.get(pg.path, session)
		if res.Status != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200\n%s", pg.path, res.Status, res.Body)
			continue
		}
		if !strings.Contains(html.UnescapeString(res.Body), pg.want) {
			t.Errorf("GET %s does not show %q", pg.path, pg.want)
		}
	}
}

// overflowIsError makes a page wider than the phone's screen fail the test;
// until web/static/css/00-base.css gives .table-wrap position: relative,
// the job's list view is (its screen-reader-only texts escape the table's
// scrolling box), so it is only logged.
const overflowIsError = false

// fitsTheScreen checks, on the phone, that the page is no wider than the
// screen: a wider page makes the phone zoom out or scroll sideways. Wide
// tables must scroll inside their own box.
func (b *browser) fitsTheScreen(name string) {
	b.t.Helper()
	if !b.vp.Phone {
		return
	}
	over := eval[[]string](b, `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return [];
		// Whether a box that scrolls or clips holds the element in.
		const held = e => {
			let free = ["absolute", "fixed"].includes(getComputedStyle(e).position);
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
				const cs = getComputedStyle(a);
				if (free && cs.position !== "static") free = false;
				if (!free && cs.overflowX !== "visible") return true;
			}
			return false;
		};
		return [...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > w + 1 && !held(e))
			.map(e => e.outerHTML.slice(0, 100)).slice(0, 5);
	})()`)
	if len(over) == 0 {
		return
	}
	msg := fmt.Sprintf("page %s (%s) is wider than the phone's screen; sticking out:\n\t%s", name, b.path(), strings.Join(over, "\n\t"))
	if overflowIsError {
		b.t.Error(msg)
	} else {
		b.t.Log(msg)
	}
}
