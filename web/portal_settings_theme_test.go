package web

import (
	"fmt"
	"regexp"
	"testing"

	"portico"
)

// TestThemeContrast: whatever accent an agency picks, button text reads on
// the button and links read on the portal's light backgrounds (WCAG AA).
func TestThemeContrast(t *testing.T) {
	vars := regexp.MustCompile(`(--[a-z-]+): (#[0-9a-f]{6});`)
	white, page := portico.White, portico.Colour{R: 0xf5, G: 0xf6, B: 0xf8}
	var accents []string
	for _, v := range []int{0x00, 0x33, 0x77, 0x99, 0xcc, 0xff} {
		for _, w := range []int{0x00, 0x80, 0xff} {
			accents = append(accents, fmt.Sprintf("#%02x%02x%02x", v, w, 0xff-v), fmt.Sprintf("#%02x%02x%02x", w, v, v))
		}
	}
	accents = append(accents, "#ffd166", "#767676", "#777777", "#0b6e4f", "#e11d48", "#facc15", "#ffffff", "#000000")
	for _, a := range accents {
		got := map[string]portico.Colour{}
		for _, m := range vars.FindAllStringSubmatch(string(themeCSS(a)), -1) {
			got[m[1]], _ = portico.ParseColour(m[2])
		}
		if len(got) != 8 {
			t.Fatalf("%s: %d colours:\n%s", a, len(got), themeCSS(a))
		}
		if got["--brand"].String() != a {
			t.Errorf("%s: the button isn't the accent: %s", a, got["--brand"])
		}
		for _, pair := range []struct {
			fg, bg string
			min    float64
		}{
			{"--on-brand", "--brand", 4.5}, {"--on-brand-hover", "--brand-hover", 4.5},
			{"--accent", "", 4.5}, {"--accent", "--accent-soft", 4.5}, {"--accent-dark", "--accent-soft", 4.5},
			{"--brand-edge", "", 3},
		} {
			bgs := []portico.Colour{white, page}
			if pair.bg != "" {
				bgs = []portico.Colour{got[pair.bg]}
			}
			for _, bg := range bgs {
				if c := portico.Contrast(got[pair.fg], bg); c < pair.min {
					t.Errorf("accent %s: %s %s on %s: contrast %.2f < %.1f", a, pair.fg, got[pair.fg], bg, c, pair.min)
				}
			}
		}
	}
	if string(themeCSS("")) != "/* Portico's own colours. */\n" {
		t.Errorf("no accent: %q", themeCSS(""))
	}
}
