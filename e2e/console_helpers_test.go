package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// addUser adds an agency user over HTTP as the admin whose session is given,
// which is quicker than the form (the form has its own journey).
func (p *portico) addUser(admin *http.Cookie, name, email, password, role string) {
	p.t.Helper()
	res := p.postForm("/users", url.Values{"name": {name}, "email": {email}, "password": {password}, "role": {role}}, admin)
	if res.Status != http.StatusSeeOther {
		p.t.Fatalf("POST /users (%s): status %d, want 303\n%s", email, res.Status, res.Body)
	}
}

// signInOverHTTP signs a console user in with a plain HTTP client and
// returns the session cookie.
func (p *portico) signInOverHTTP(email, password string) *http.Cookie {
	p.t.Helper()
	res := p.postForm("/signin", url.Values{"email": {email}, "password": {password}})
	c := res.cookie(sessionCookie)
	if res.Status != http.StatusSeeOther || c == nil || c.Value == "" {
		p.t.Fatalf("POST /signin as %s: status %d, cookies %v", email, res.Status, res.Cookies)
	}
	return c
}

// upload posts a multipart form with one file over plain HTTP, streaming
// the body (chunked, so the server can't know its size in advance), with
// the cookies given.
func (p *portico) upload(path string, fields url.Values, field, filename string, content io.Reader, cookies ...*http.Cookie) response {
	p.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for k, vs := range fields {
				for _, v := range vs {
					if err := mw.WriteField(k, v); err != nil {
						return err
					}
				}
			}
			part, err := mw.CreateFormFile(field, filename)
			if err != nil {
				return err
			}
			if _, err := io.Copy(part, content); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	ctx, cancel := context.WithTimeout(p.t.Context(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+path, pr)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", p.URL)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := *httpClient
	client.Timeout = 60 * time.Second
	res, err := client.Do(req)
	if err != nil {
		p.t.Fatalf("POST %s (upload of %s): %v", path, filename, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatalf("POST %s: reading body: %v", path, err)
	}
	return response{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(b), Header: res.Header, Cookies: res.Cookies()}
}

// otherSession opens a second tab of b's Chromium in a browser context of
// its own: its own cookies, so another person can sign in, and its own
// window, so the page is visible and live updates apply at once. Its
// screenshots are numbered from 101.
func (b *browser) otherSession(t *testing.T) *browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	nb := &browser{t: t, ctx: ctx, vp: b.vp, base: b.base, shotDir: b.shotDir, shotN: 100, pages4xx: map[string]bool{}}
	var emulate chromedp.Action[chromedp.Void]
	if b.vp.Phone {
		emulate = chromedp.Emulate(phoneDevice)
	} else {
		emulate = chromedp.EmulateViewport(1280, 900)
	}
	// The first action creates the tab, whose life is bound to the context
	// it gets: ctx itself, not a child with a time limit.
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx, emulate) }()
	select {
	case err := <-start:
		if err != nil {
			t.Fatalf("opening a second browser session: %v", err)
		}
	case <-time.After(stepTimeout):
		t.Fatalf("the second browser session did not open within %v", stepTimeout)
	}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			nb.mu.Lock()
			nb.console = append(nb.console, m)
			nb.mu.Unlock()
		}
	}()
	return nb
}

// signIn signs a console user in through the sign-in form and checks they
// land on their home page.
func (b *browser) signIn(name, email, password string) {
	b.t.Helper()
	b.visit("signin", "/signin")
	b.fill("Email", email)
	b.fill("Password", password)
	b.clickButton("home-"+strings.ToLower(strings.Fields(name)[0]), "Sign in")
	if path := b.path(); path != "/" {
		b.t.Fatalf("after signing in %s is at %s, want /", name, path)
	}
	if h := b.mustText("h1"); h != "Hello, "+name {
		b.t.Fatalf("home heading after %s signed in = %q", name, h)
	}
}

// setFile chooses a file for the file input with the id, as a person
// picking it in the file dialog would.
func (b *browser) setFile(id, file string) {
	b.t.Helper()
	b.step("choose "+filepath.Base(file), chromedp.SetUploadFiles(chromedp.ID(id), []string{file}))
	if n := eval[int](b, fmt.Sprintf(`document.getElementById(%s).files.length`, js(id))); n != 1 {
		b.t.Fatalf("file input #%s holds %d files after choosing %s", id, n, file)
	}
}

// waitFor polls a JavaScript predicate on the open page until it is true,
// failing the test with what after timeout.
func (b *browser) waitFor(what, predicate string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for !eval[bool](b, "!!("+predicate+")") {
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: not within %v (page %s)", what, timeout, b.path())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// count returns how many elements match css.
func (b *browser) count(css string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%s).length`, js(css)))
}

// idIn returns the number after prefix in the current path (/clients/7 →
// 7), failing the test when the browser is elsewhere.
func (b *browser) idIn(prefix string) int64 {
	b.t.Helper()
	path := b.path()
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `([1-9][0-9]*)(?:[?#]|$)`).FindStringSubmatch(path)
	if m == nil {
		b.t.Fatalf("the browser is at %s, want %sID", path, prefix)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// writeFile writes a file for an upload into a fresh temporary folder and
// returns its path.
func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// boardCardIn is a JavaScript predicate: the card of the application is in
// the board column of the stage, and the column counts want cards.
func boardCardIn(appID int64, stage string, want int) string {
	return fmt.Sprintf(`(() => {
		const card = document.getElementById("app-%d");
		const col = card && card.closest(".board-col");
		if (!col || col.getAttribute("data-stage-name") !== %s) return false;
		const n = col.querySelector("[data-count]");
		return !!n && n.textContent.trim() === %s && col.querySelectorAll(".sl-card").length === %d;
	})()`, appID, js(stage), js(strconv.Itoa(want)), want)
}

// repeatBytes returns n bytes: head, then filler.
func repeatBytes(head string, n int) []byte {
	b := bytes.Repeat([]byte{'x'}, n)
	copy(b, head)
	return b
}
