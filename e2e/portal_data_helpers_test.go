package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx", to age share links
	_ "modernc.org/sqlite"             // registers "sqlite", to age share links

	"portico/internal/testkit"
)

// Helpers for the journeys of portal settings, share links and previews:
// the clients, contacts, jobs and shared candidates they start from (made
// over plain HTTP, since the forms have journeys of their own), and what
// the browser checks on the portal's pages.

// addClient adds an active client and returns its ID.
func (p *portico) addClient(who *http.Cookie, name string) int64 {
	p.t.Helper()
	res := p.mustSeeOther("/clients", url.Values{"name": {name}, "status": {"active"}}, who)
	return idAfter(p.t, res.Location, "/clients/")
}

// addContact adds a contact to a client and returns its ID, read from the
// client's list of contacts.
func (p *portico) addContact(who *http.Cookie, clientID int64, name, email string) int64 {
	p.t.Helper()
	p.mustSeeOther(fmt.Sprintf("/clients/%d/contacts", clientID), url.Values{"name": {name}, "email": {email}, "title": {"Hiring manager"}}, who)
	page := p.get(fmt.Sprintf("/clients/%d", clientID), who).Body
	m := regexp.MustCompile(`href="/contacts/([0-9]+)">` + regexp.QuoteMeta(html.EscapeString(name)) + `<`).FindStringSubmatch(page)
	if m == nil {
		p.t.Fatalf("the client's page does not list the new contact %s", name)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// addJob opens a permanent job for a client, owned by the user named owner
// (the one whose session is given), and returns its ID.
func (p *portico) addJob(who *http.Cookie, owner string, clientID int64, title string) int64 {
	p.t.Helper()
	form := p.get(fmt.Sprintf("/jobs/new?client=%d", clientID), who).Body
	o := regexp.MustCompile(`<option value="([0-9]+)" selected>` + regexp.QuoteMeta(html.EscapeString(owner))).FindStringSubmatch(form)
	if o == nil {
		p.t.Fatalf("the new job form does not offer %s as its owner", owner)
	}
	res := p.mustSeeOther("/jobs", url.Values{"client_id": {strconv.FormatInt(clientID, 10)}, "owner_id": {o[1]}, "title": {title},
		"description": {"Day shifts, a team of twelve."}, "type": {"permanent"}, "openings": {"1"}, "status": {"open"}}, who)
	return idAfter(p.t, res.Location, "/jobs/")
}

// shortlistNew adds candidates by name, puts them on the job's shortlist
// and returns their applications' IDs, in the order given.
func (p *portico) shortlistNew(who *http.Cookie, jobID int64, names ...string) []int64 {
	p.t.Helper()
	var candIDs []string
	for _, name := range names {
		first, last, _ := strings.Cut(name, " ")
		res := p.mustSeeOther("/candidates", url.Values{"first_name": {first}, "last_name": {last},
			"email": {strings.ToLower(first+"."+last) + "@example.test"}, "city": {"York"}, "current_title": {"Team lead"}}, who)
		candIDs = append(candIDs, strconv.FormatInt(idAfter(p.t, res.Location, "/candidates/"), 10))
	}
	p.mustSeeOther(fmt.Sprintf("/jobs/%d/shortlist", jobID), url.Values{"candidate_id": candIDs}, who)
	var apps []int64
	for _, id := range candIDs {
		apps = append(apps, idAfter(p.t, p.get("/candidates/"+id, who).Body, "/applications/"))
	}
	return apps
}

// shareApp shares an application with its client, without a résumé.
func (p *portico) shareApp(who *http.Cookie, appID int64) {
	p.t.Helper()
	p.mustSeeOther(fmt.Sprintf("/applications/%d/share", appID), url.Values{"action": {"share"}, "resume_id": {"0"}}, who)
}

// activateContact invites a contact to the portal and sets their password
// from the link in the invitation, as they would.
func (p *portico) activateContact(who *http.Cookie, box *testkit.Mailbox, contactID int64, email, password string) {
	p.t.Helper()
	p.mustSeeOther(fmt.Sprintf("/contacts/%d/invite", contactID), url.Values{}, who)
	invite := waitMail(p.t, box, "the invitation to "+email, func(m testkit.Mail) bool {
		return slices.Contains(m.To, email) && activateLink.MatchString(m.Text)
	})
	link := activateLink.FindString(invite.Text)
	if !strings.HasPrefix(link, p.URL+"/") {
		p.t.Fatalf("the invitation to %s links to %q, not to %s", email, link, p.URL)
	}
	res := p.mustSeeOther(strings.TrimPrefix(link, p.URL), url.Values{"password": {password}})
	if res.Location != "/portal" {
		p.t.Fatalf("activating %s led to %q, want /portal", email, res.Location)
	}
}

// shareLinkRe finds a share link in an email or on a page.
var shareLinkRe = regexp.MustCompile(`https?://[^\s"<>]+/portal/l/[A-Za-z0-9_-]+`)

// waitShareLink waits for an email to the address carrying a share link
// other than those given, and returns the link.
func waitShareLink(t *testing.T, box *testkit.Mailbox, to string, not ...string) (string, testkit.Mail) {
	t.Helper()
	m := waitMail(t, box, "with a new share link to "+to, func(m testkit.Mail) bool {
		l := shareLinkRe.FindString(m.Text)
		return slices.Contains(m.To, to) && l != "" && !slices.Contains(not, l)
	})
	return shareLinkRe.FindString(m.Text), m
}

// testPNG is a PNG image of the size, in one colour with a band of
// another, so a logo shows as a picture and not as a blank.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0x7a, 0x1f, 0x5c, 0xff}
			if y > h/3 && y < 2*h/3 {
				c = color.RGBA{0xff, 0xff, 0xff, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rgb is how a browser reports a #rrggbb colour in computed styles.
func rgb(t *testing.T, hex string) string {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", hex, err)
	}
	return fmt.Sprintf("rgb(%d, %d, %d)", r, g, b)
}

// style returns a computed style property of the first element matching
// css, or "" when none does.
func (b *browser) style(css, prop string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(el => el ? getComputedStyle(el).getPropertyValue(%s) : "")(document.querySelector(%s))`, js(prop), js(css)))
}

// imageShown reports whether the first image matching css has loaded a
// picture (a broken image has no natural width).
func (b *browser) imageShown(css string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`(img => !!img && img.complete && img.naturalWidth > 0)(document.querySelector(%s))`, js(css)))
}

// freshSession opens a browser session with no cookies, as someone else's
// browser, sized as vp.
func (b *browser) freshSession(t *testing.T, vp viewport) *browser {
	t.Helper()
	s := b.otherSession(t)
	if vp.Phone != b.vp.Phone {
		s.vp = vp
		if vp.Phone {
			s.step("phone size", emulatePhone())
		} else {
			s.step("desktop size", chromedp.EmulateViewport(1280, 900))
		}
	}
	return s
}

// selector selects the first element matching css, for pressAt and
// tapOrClick.
func selector(css string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`document.querySelector(%s)`, js(css)))
}

// pressAt clicks (desktop) or taps (phone) the element sel selects, which
// leads to another page, checks that page and returns its status. press
// names the element by its text; this takes any selector, for a button
// whose text can't name it alone.
func (b *browser) pressAt(name string, sel chromedp.JSPath) int {
	b.t.Helper()
	if !eval[bool](b, "!!("+string(sel)+")") {
		b.t.Fatalf("nothing at %s on %s", sel, b.path())
	}
	var act chromedp.Action[chromedp.Void]
	if b.vp.Phone {
		act = chromedp.Tap(sel)
	} else {
		act = chromedp.Click(sel)
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, act)
	if err != nil {
		b.t.Fatalf("press %s on %s: %v", name, b.path(), err)
	}
	b.loaded(res)
	b.check(name)
	return int(res.Status)
}

// mainText is what a person reads in the page's main content, leaving out
// the preview banner and the flash message.
func (b *browser) mainText() string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const m = document.querySelector("main");
		if (!m) return "";
		const c = m.cloneNode(true);
		c.querySelectorAll(".preview-banner, .flash").forEach(el => el.remove());
		document.body.appendChild(c); // innerText needs the layout
		const s = c.innerText.replace(/\s+/g, " ").trim();
		c.remove();
		return s;
	})()`)
}

// openDatabase opens the database of a Portico for a journey to change
// what it can't change through the program; param numbers a placeholder.
// The SQLite connection writes times in the text format Portico's own
// connection uses, since Portico compares them as text.
func (p *portico) openDatabase() (db *sql.DB, param func(int) string) {
	p.t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(p.dataDir, "portico.db")+"?_pragma=busy_timeout(10000)&_time_format=sqlite"
	param = func(int) string { return "?" }
	if p.dbURL != "" {
		driver, dsn = "pgx", p.dbURL
		param = func(n int) string { return "$" + strconv.Itoa(n) }
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		p.t.Fatalf("opening Portico's database: %v", err)
	}
	return db, param
}

// linkHash is a share link's token as Portico stores it.
func linkHash(link string) string {
	sum := sha256.Sum256([]byte(link[strings.LastIndex(link, "/")+1:]))
	return hex.EncodeToString(sum[:])
}

// ageLink moves a share link's creation and expiry back by d, as if it
// had been sent d earlier. The binary has no settable clock, so the
// journeys age a link in its database instead, found by its token's hash
// as Portico finds it; times are written in UTC, as Portico writes them.
func (p *portico) ageLink(link string, d time.Duration) {
	p.t.Helper()
	db, param := p.openDatabase()
	defer db.Close()
	ctx, cancel := context.WithTimeout(p.t.Context(), 15*time.Second)
	defer cancel()
	var created time.Time
	var expires sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT created_at, expires_at FROM portal_links WHERE token_hash = `+param(1), linkHash(link)).Scan(&created, &expires); err != nil {
		p.t.Fatalf("finding the link %s in the database: %v", link, err)
	}
	var newExpires any
	if expires.Valid {
		newExpires = expires.Time.Add(-d).UTC()
	}
	if _, err := db.ExecContext(ctx, `UPDATE portal_links SET created_at = `+param(1)+`, expires_at = `+param(2)+` WHERE token_hash = `+param(3),
		created.Add(-d).UTC(), newExpires, linkHash(link)); err != nil {
		p.t.Fatalf("ageing the link: %v", err)
	}
}

// linkID returns the ID of the share link, as its Expire button names it.
func (p *portico) linkID(link string) int64 {
	p.t.Helper()
	db, param := p.openDatabase()
	defer db.Close()
	var id int64
	if err := db.QueryRowContext(p.t.Context(), `SELECT id FROM portal_links WHERE token_hash = `+param(1), linkHash(link)).Scan(&id); err != nil {
		p.t.Fatalf("finding the link %s in the database: %v", link, err)
	}
	return id
}
