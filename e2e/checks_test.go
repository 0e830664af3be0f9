package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPageChecksWork proves the checks every journey page gets can fail:
// axe-core runs despite a CSP like Portico's and finds violations, and a
// script the CSP refuses shows up as a console problem. Without this, a
// broken injection would pass every page silently.
func TestPageChecksWork(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`<!doctype html><html><head><title>Bad page</title></head><body>
<main><h1>Bad page</h1><img src="/pixel.png"><input type="text" name="q">
<script>document.title = "inline script ran";</script></main></body></html>`))
	}))
	defer ts.Close()

	b := newBrowser(t, viewports[0], ts.URL)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}

	var ids []string
	for _, v := range b.runAxe("bad") {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe found %v on a page breaking %s, want it among them", ids, want)
		}
	}

	if title := eval[string](b, `document.title`); title != "Bad page" {
		t.Errorf("the inline script ran despite the CSP: title %q", title)
	}
	problems := b.consoleProblems()
	if !slices.ContainsFunc(problems, func(s string) bool { return strings.Contains(s, "Content Security Policy") }) {
		t.Errorf("console problems %q do not report the refused inline script", problems)
	}
}
