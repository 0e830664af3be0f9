package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"portico/internal/testkit"
)

// viewport is a screen the journeys run on.
type viewport struct {
	Name  string
	Phone bool
}

var viewports = []viewport{{Name: "desktop"}, {Name: "phone", Phone: true}}

// phoneDevice is a 390×844 phone: mobile layout, touch, a phone user agent.
// Scale 2 (not the iPhone's 3) keeps screenshots small.
var phoneDevice = device.Info{
	Name:      "Phone 390x844",
	UserAgent: device.IPhone13.Device().UserAgent,
	Width:     390, Height: 844, Scale: 2,
	Mobile: true, Touch: true,
}

// onEachEngine runs a journey on SQLite with the client side on a phone
// and on PostgreSQL on a desktop, the two side by side: most of a journey
// is waiting for Chromium, so two at once take little longer than one.
func onEachEngine(t *testing.T, journey func(t *testing.T, engine string, vp viewport)) {
	t.Helper()
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			vp := viewports[0]
			if engine == engineSQLite {
				vp = viewports[1]
			}
			journey(t, engine, vp)
		})
	}
}

// eachViewport runs fn as a subtest on the desktop and on the phone, one
// after the other (Chromium is heavy).
func eachViewport(t *testing.T, fn func(t *testing.T, vp viewport)) {
	t.Helper()
	for _, vp := range viewports {
		t.Run(vp.Name, func(t *testing.T) { fn(t, vp) })
	}
}

// stepTimeout bounds one browser step, so a missing element fails the test
// with a message instead of hanging until the test binary's timeout.
const stepTimeout = 20 * time.Second

// browser is one headless Chromium with one tab, sized as a desktop or a
// phone, pointed at a Portico.
type browser struct {
	t    *testing.T
	ctx  context.Context
	vp   viewport
	base string // Portico's URL, for relative paths

	shotDir string
	shotN   int

	mu          sync.Mutex
	console     []chromedp.ConsoleMessage
	consoleSeen int
	pages4xx    map[string]bool // documents that answered 4xx, as the journey meant
}

// newBrowser starts Chromium for the test; it is closed when the test ends.
func newBrowser(t *testing.T, vp viewport, base string) *browser {
	t.Helper()
	exe := chromiumPath(t)
	axeSource(t) // skip early, before starting anything, when axe-core is missing

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // tests often run as root in containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// No UserDataDir: chromedp makes a fresh temporary profile per
		// browser and removes it when the browser has exited.
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	logf := guardedLogf(t)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(logf))
	b := &browser{t: t, ctx: ctx, vp: vp, base: base, shotDir: screenshotDir(t), pages4xx: map[string]bool{}}
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})

	// The first action starts the browser; its life is bound to ctx.
	var emulate chromedp.Action[chromedp.Void]
	if vp.Phone {
		emulate = chromedp.Emulate(phoneDevice)
	} else {
		emulate = chromedp.EmulateViewport(1280, 900)
	}
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx, emulate) }()
	select {
	case err := <-start:
		if err != nil {
			t.Fatalf("starting Chromium (%s): %v", exe, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("Chromium (%s) did not start within 60 s", exe)
	}

	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// guardedLogf logs to the test until it ends; chromedp may log later.
func guardedLogf(t *testing.T) func(string, ...any) {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() { mu.Lock(); done = true; mu.Unlock() })
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf("chromedp: "+format, args...)
		}
	}
}

// chromiumPath finds Chromium: $PORTICO_CHROMIUM, else chromium or
// chromium-browser on $PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PORTICO_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("PORTICO_CHROMIUM=%s: %v", p, err) // a mistake to fix, not a missing service
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testkit.Unavailable(t, "Chromium", "set PORTICO_CHROMIUM or put chromium on $PATH (apt-get install chromium)")
	return ""
}

// screenshotDir returns $PORTICO_SCREENSHOTS, created, or "" when unset.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("PORTICO_SCREENSHOTS")
	if dir == "" {
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("PORTICO_SCREENSHOTS: %v", err)
	}
	return dir
}

// step runs browser actions with a time limit, failing the test on error.
func (b *browser) step(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression and decodes its result.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// url makes a path absolute on Portico; absolute URLs pass through.
func (b *browser) url(path string) string {
	if strings.HasPrefix(path, "/") {
		return b.base + path
	}
	return path
}

// visit opens a page as if typed into the address bar, checks it (axe,
// console, screenshot) and returns the HTTP status.
func (b *browser) visit(name, path string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.url(path)))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.loaded(res)
	b.check(name)
	return int(res.Status)
}

// loaded notes a document that answered 4xx: Chromium logs a console error
// for it, which is no problem when the journey meant it.
func (b *browser) loaded(res *network.Response) {
	if res != nil && res.Status >= 400 && res.Status < 500 {
		b.mu.Lock()
		b.pages4xx[res.URL] = true
		b.mu.Unlock()
	}
}

// visibleJS is a JavaScript predicate for an element a person can see.
const visibleJS = `(el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length) && getComputedStyle(el).visibility !== "hidden")`

// byText selects the visible element matching css whose text is text.
func byText(css, text string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll(%s)].find(el => %s(el) && el.textContent.replace(/\s+/g, " ").trim() === %s) || null`,
		js(css), visibleJS, js(text)))
}

// press clicks (desktop) or taps (phone) the button or link with the text,
// waits for the page it leads to, checks that page and returns its status.
func (b *browser) press(name, css, text string) int {
	b.t.Helper()
	return b.pressAt(name, byText(css, text))
}

// clickButton presses the button with the text; see press.
func (b *browser) clickButton(name, text string) int {
	b.t.Helper()
	return b.press(name, "button", text)
}

// clickLink follows the link with the text; see press.
func (b *browser) clickLink(name, text string) int {
	b.t.Helper()
	return b.press(name, "a", text)
}

// controlFor returns the id of the form control labelled label (the
// label's whole text, whitespace collapsed).
func (b *browser) controlFor(label string) string {
	b.t.Helper()
	id := eval[*string](b, fmt.Sprintf(`(() => {
		for (const l of document.querySelectorAll("label")) {
			if (l.textContent.replace(/\s+/g, " ").trim() !== %s) continue;
			const c = l.control;
			if (c && c.id) return c.id;
		}
		return null;
	})()`, js(label)))
	if id == nil {
		b.t.Fatalf("no form control labelled %q on %s", label, b.path())
	}
	return *id
}

// fill types value into the field labelled label (or with the id #id),
// replacing what was there, as a person would.
func (b *browser) fill(label, value string) {
	b.t.Helper()
	id := strings.TrimPrefix(label, "#")
	if id == label {
		id = b.controlFor(label)
	}
	b.step(fmt.Sprintf("fill %q", label),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(el => { el.value = ""; el.dispatchEvent(new Event("input", {bubbles: true})); })(document.getElementById(%s))`, js(id))),
		chromedp.SendKeys(chromedp.ID(id), value),
	)
	if got := b.value("#" + id); got != value {
		b.t.Fatalf("field %q holds %q after typing %q", label, got, value)
	}
}

// choose picks the option with the visible text (or value) in the select
// labelled label.
func (b *browser) choose(label, option string) {
	b.t.Helper()
	id := b.controlFor(label)
	ok := eval[bool](b, fmt.Sprintf(`(sel => {
		const o = [...sel.options].find(o => o.text.trim() === %[2]s || o.value === %[2]s);
		if (!o) return false;
		sel.value = o.value;
		sel.dispatchEvent(new Event("input", {bubbles: true}));
		sel.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})(document.getElementById(%[1]s))`, js(id), js(option)))
	if !ok {
		b.t.Fatalf("select %q has no option %q", label, option)
	}
}

// text returns the visible text of the first element matching css, or ""
// when there is none.
func (b *browser) text(css string) string {
	b.t.Helper()
	s := eval[*string](b, fmt.Sprintf(`(el => el ? el.innerText.replace(/\s+/g, " ").trim() : null)(document.querySelector(%s))`, js(css)))
	if s == nil {
		return ""
	}
	return *s
}

// mustText is text, failing the test when no element matches.
func (b *browser) mustText(css string) string {
	b.t.Helper()
	if !b.exists(css) {
		b.t.Fatalf("no %s on %s", css, b.path())
	}
	return b.text(css)
}

// rowWith returns the text of the first table row containing text, or "".
func (b *browser) rowWith(text string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(r => r ? r.innerText.replace(/\s+/g, " ").trim() : "")([...document.querySelectorAll("tbody tr")].find(r => r.innerText.includes(%s)))`, js(text)))
}

// exists reports whether an element matches css.
func (b *browser) exists(css string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`document.querySelector(%s) !== null`, js(css)))
}

// value returns the current value of the form control matching css.
func (b *browser) value(css string) string {
	b.t.Helper()
	s := eval[*string](b, fmt.Sprintf(`(el => el ? el.value : null)(document.querySelector(%s))`, js(css)))
	if s == nil {
		b.t.Fatalf("no form control %s on %s", css, b.path())
	}
	return *s
}

// attr returns an attribute of the first element matching css, or "".
func (b *browser) attr(css, name string) string {
	b.t.Helper()
	s := eval[*string](b, fmt.Sprintf(`(el => el ? el.getAttribute(%s) : null)(document.querySelector(%s))`, js(name), js(css)))
	if s == nil {
		return ""
	}
	return *s
}

// path returns the current page's path and query.
func (b *browser) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// focused describes the element that has focus: its id, else its tag.
func (b *browser) focused() string {
	b.t.Helper()
	return eval[string](b, `(el => el ? (el.id || el.tagName.toLowerCase()) : "")(document.activeElement)`)
}

// check runs the checks every page gets: a screenshot when asked for, no
// script errors or CSP refusals in the console, and axe-core.
func (b *browser) check(name string) {
	b.t.Helper()
	b.screenshot(name)
	b.checkConsole(name)
	b.axe(name)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// screenshot saves a full-page PNG to $PORTICO_SCREENSHOTS, when set, as
// TEST-NN-NAME.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shotDir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.shotN++
	file := fmt.Sprintf("%s-%02d-%s.png", unsafeName.ReplaceAllString(b.t.Name(), "_"), b.shotN, unsafeName.ReplaceAllString(name, "_"))
	if err := os.WriteFile(filepath.Join(b.shotDir, file), png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
	}
}

// checkConsole fails the test for script exceptions and console errors
// (a CSP refusal is one) since the last check.
func (b *browser) checkConsole(name string) {
	b.t.Helper()
	for _, m := range b.consoleProblems() {
		b.t.Errorf("page %s: console %s", name, m)
	}
}

// consoleProblems returns the exceptions and console errors that arrived
// since the last call, leaving out Chromium's error for a page that
// answered 4xx on purpose (a 4xx for a stylesheet or script is a problem).
func (b *browser) consoleProblems() []string {
	time.Sleep(20 * time.Millisecond) // let the events of the page load arrive
	b.mu.Lock()
	msgs := b.console[b.consoleSeen:]
	b.consoleSeen = len(b.console)
	expected := maps.Clone(b.pages4xx)
	b.mu.Unlock()
	var out []string
	for _, m := range msgs {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
			continue
		}
		if expected[m.URL] && strings.HasPrefix(m.Text, "Failed to load resource: the server responded with a status of 4") {
			continue
		}
		text := string(m.Type) + ": " + m.Text
		if m.URL != "" {
			text += " (" + m.URL + ")"
		}
		out = append(out, text)
	}
	return out
}
