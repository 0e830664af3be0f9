package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// portalCookie is the client portal's session cookie.
const portalCookie = "portico_portal"

// mustSeeOther posts a form over HTTP and fails unless it answers 303; it
// returns the response.
func (p *portico) mustSeeOther(path string, form url.Values, cookies ...*http.Cookie) response {
	p.t.Helper()
	res := p.postForm(path, form, cookies...)
	if res.Status != http.StatusSeeOther {
		p.t.Fatalf("POST %s: status %d, want 303\n%s", path, res.Status, res.Body)
	}
	return res
}

// idAfter returns the number after prefix in s (a Location or a body),
// failing the test when there is none.
func idAfter(t *testing.T, s, prefix string) int64 {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `([1-9][0-9]*)`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %sID in %.300q", prefix, s)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// setValue sets a form control's value by id as a date picker would, with
// the input and change events.
func (b *browser) setValue(id, value string) {
	b.t.Helper()
	b.step("set #"+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(el => { el.value = %s; el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); })(document.getElementById(%s))`, js(value), js(id))))
	if got := b.value("#" + id); got != value {
		b.t.Fatalf("#%s holds %q after setting %q", id, got, value)
	}
}

// tapOrClick clicks (desktop) or taps (phone) an element that does not
// lead to another page, such as a label or a <summary>.
func (b *browser) tapOrClick(what string, sel chromedp.JSPath) {
	b.t.Helper()
	if !eval[bool](b, "!!("+string(sel)+")") {
		b.t.Fatalf("no visible %s on %s", what, b.path())
	}
	if b.vp.Phone {
		b.step("tap "+what, chromedp.Tap(sel))
	} else {
		b.step("click "+what, chromedp.Click(sel))
	}
}

// cookie returns the browser's cookie with the name for Portico's URL.
func (b *browser) cookie(name string) *http.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	cookies, err := chromedp.Run(ctx, chromedp.Action[[]*network.Cookie](func(ctx context.Context, t *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base + "/"}})
		return res.Cookies, err
	}))
	if err != nil {
		b.t.Fatalf("reading the browser's cookies: %v", err)
	}
	for _, c := range cookies {
		if c.Name == name {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	b.t.Fatalf("the browser has no %s cookie", name)
	return nil
}

// getBytes fetches a path over plain HTTP with the cookies, returning the
// status, the Content-Type and the body.
func (p *portico) getBytes(path string, cookies ...*http.Cookie) (int, string, []byte) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.t.Context(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		p.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatalf("GET %s: reading body: %v", path, err)
	}
	return res.StatusCode, res.Header.Get("Content-Type"), body
}

// xlsxText is the text of an inline or shared string: plain or rich.
type xlsxText struct {
	T    string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (x xlsxText) String() string {
	s := x.T
	for _, r := range x.Runs {
		s += r.T
	}
	return s
}

// xlsxRows reads the first worksheet of an .xlsx file with archive/zip and
// encoding/xml alone, independently of the library that wrote it, and
// returns its rows of cell texts.
func xlsxRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the export is not a zip file: %v", err)
	}
	part := func(name string) []byte {
		for _, f := range zr.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				defer rc.Close()
				b, err := io.ReadAll(rc)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return b
			}
		}
		return nil
	}

	var shared []string
	if b := part("xl/sharedStrings.xml"); b != nil {
		var sst struct {
			SI []xlsxText `xml:"si"`
		}
		if err := xml.Unmarshal(b, &sst); err != nil {
			t.Fatalf("xl/sharedStrings.xml: %v", err)
		}
		for _, si := range sst.SI {
			shared = append(shared, si.String())
		}
	}
	sheet := part("xl/worksheets/sheet1.xml")
	if sheet == nil {
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		t.Fatalf("the export has no xl/worksheets/sheet1.xml: %v", names)
	}
	var ws struct {
		Rows []struct {
			Cells []struct {
				Ref    string   `xml:"r,attr"`
				Type   string   `xml:"t,attr"`
				V      string   `xml:"v"`
				Inline xlsxText `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(sheet, &ws); err != nil {
		t.Fatalf("xl/worksheets/sheet1.xml: %v", err)
	}
	var rows [][]string
	for _, r := range ws.Rows {
		var cells []string
		for _, c := range r.Cells {
			switch c.Type {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(c.V))
				if err != nil || i < 0 || i >= len(shared) {
					t.Fatalf("cell %s refers to shared string %q of %d", c.Ref, c.V, len(shared))
				}
				cells = append(cells, shared[i])
			case "inlineStr":
				cells = append(cells, c.Inline.String())
			default:
				cells = append(cells, c.V)
			}
		}
		rows = append(rows, cells)
	}
	return rows
}

// evalVoid evaluates JavaScript for its effect.
func evalVoid(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](expr)
}

// emulatePhone sizes a tab as the journeys' phone.
func emulatePhone() chromedp.Action[chromedp.Void] {
	return chromedp.Emulate(phoneDevice)
}
