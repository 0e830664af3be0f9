package e2e

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"portico/internal/testkit"
)

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

var axeJS struct {
	once   sync.Once
	src    string
	path   string
	reason string // why axe-core is unavailable, when src is ""
	broken bool   // PORTICO_AXE_JS names a file that can't be read: a mistake, not a missing tool
}

// axeSource returns axe.min.js from $PORTICO_AXE_JS, the repository's
// node_modules, or /tmp/tools/node_modules, in that order; without it the
// test is skipped (failed under CI). A PORTICO_AXE_JS that can't be read
// fails the test: it is a setting to fix.
func axeSource(t testing.TB) string {
	t.Helper()
	axeJS.once.Do(func() {
		var tried []string
		if p := os.Getenv("PORTICO_AXE_JS"); p != "" {
			b, err := os.ReadFile(p)
			if err != nil {
				axeJS.reason, axeJS.broken = fmt.Sprintf("PORTICO_AXE_JS: %v", err), true
				return
			}
			axeJS.src, axeJS.path = string(b), p
			return
		}
		root, _ := filepath.Abs("..")
		for _, p := range []string{
			filepath.Join(root, "node_modules", "axe-core", "axe.min.js"),
			"/tmp/tools/node_modules/axe-core/axe.min.js",
		} {
			b, err := os.ReadFile(p)
			if err == nil {
				axeJS.src, axeJS.path = string(b), p
				return
			}
			if !errors.Is(err, fs.ErrNotExist) {
				axeJS.reason = fmt.Sprintf("%s: %v", p, err)
				return
			}
			tried = append(tried, p)
		}
		axeJS.reason = "set PORTICO_AXE_JS or run npm ci at the repository root; not found at " + strings.Join(tried, ", ")
	})
	if axeJS.broken {
		t.Fatal(axeJS.reason)
	}
	if axeJS.src == "" {
		testkit.Unavailable(t, "axe-core", axeJS.reason)
	}
	return axeJS.src
}

// axeViolation is one failed axe rule with the elements that fail it.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

// axeRunJS runs axe on the document and returns its violations, trimmed to
// what a report needs. The page's CSP (script-src 'self') does not apply to
// Runtime.evaluate, so the injected script runs.
const axeRunJS = `(async () => {
	const r = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
	return r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(x => Array.isArray(x) ? x.join(" >>> ") : String(x)),
			html: n.html, summary: n.failureSummary || "",
		})),
	}));
})()`

// axe runs axe-core on the page and fails the test for every violation of
// impact serious or critical; minor and moderate ones are logged.
func (b *browser) axe(name string) {
	b.t.Helper()
	for _, v := range b.runAxe(name) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "page %s (%s): axe %s [%s]: %s (%s)", name, b.path(), v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "\n\t%s  %s", strings.Join(n.Target, ", "), n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&sb, "\n\t\t%s", strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
			}
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Error(sb.String())
		} else {
			b.t.Log(sb.String())
		}
	}
}

// runAxe injects axe-core into the page, unless it is there already, and
// returns its violations.
func (b *browser) runAxe(name string) []axeViolation {
	b.t.Helper()
	src := axeSource(b.t)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src))
	}
	if err != nil {
		b.t.Fatalf("page %s: injecting axe-core: %v", name, err)
	}
	tags := fmt.Sprintf(`[%s]`, `"`+strings.Join(axeTags, `","`)+`"`)
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRunJS, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("page %s: running axe-core: %v", name, err)
	}
	return vs
}
