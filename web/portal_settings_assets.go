package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"portico"
)

// What branding serves: the stored logos and header images, and a small
// stylesheet per portal that sets its accent colour (the pages link it,
// as the Content-Security-Policy allows no inline style).

// portalImage serves a logo or header image. Images are public (they show
// on sign-in pages and in emails, to people not signed in), so they are
// found only by the random key in their address, never by their ID, and
// never change under it. (The store refuses anything not shaped like a key
// before a query.)
func (s *Server) portalImage(w http.ResponseWriter, r *http.Request) {
	img, content, err := s.svc.PortalSettings.ImageByKey(r.Context(), r.PathValue("key"))
	if portico.ErrorCode(err) == portico.ENOTFOUND {
		http.NotFound(w, r)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", img.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(content)
}

// portalTheme serves the colours of a client's portal ("default": the
// agency's). The address carries the colour's version (see ThemePath): a
// request for the current version may be cached for good, any other is
// revalidated by its ETag.
func (s *Server) portalTheme(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	var (
		b   *portico.PortalBranding
		err error
	)
	switch {
	case key == "default":
		b, err = s.svc.PortalSettings.Branding(r.Context(), 0)
	case validBrandKey(key):
		b, err = s.svc.PortalSettings.BrandingByKey(r.Context(), key)
	default:
		err = portico.Errorf(portico.ENOTFOUND, "No such portal.")
	}
	if portico.ErrorCode(err) == portico.ENOTFOUND {
		http.NotFound(w, r)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	css := themeCSS(b.Accent)
	sum := sha256.Sum256(css)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == themeVersion(b.Accent) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(css)
}

// themeGeneration changes when themeCSS writes something new, so browsers
// fetch the new stylesheet.
const themeGeneration = "1"

// themeVersion names the stylesheet an accent colour makes.
func themeVersion(accent string) string {
	if accent == "" {
		return themeGeneration
	}
	return themeGeneration + "-" + strings.TrimPrefix(strings.ToLower(accent), "#")
}

// themeCSS sets the portal's colours from the accent (none: Portico's
// own). Buttons take the accent itself with black or white text, whichever
// reads better; links and other text take a shade of it dark enough to read
// on the page's light backgrounds (WCAG AA, 4.5:1), so any colour an
// agency picks stays accessible.
func themeCSS(accent string) []byte {
	c, ok := portico.ParseColour(accent)
	if !ok {
		return []byte("/* Portico's own colours. */\n")
	}
	white, black := portico.White, portico.Black
	page := portico.Colour{R: 0xf5, G: 0xf6, B: 0xf8} // --bg
	on := portico.TextOn(c)

	hover := c.Mix(black, .15)
	if on == black || c.Luminance() < .03 {
		hover = c.Mix(white, .25) // lighter keeps black text readable; near black can't go darker
	}

	soft := c.Mix(white, .92)
	// The text shade: the accent, darkened until it reads on white, on the
	// page background and on its own soft tint.
	ink := c
	for i := 1; i <= 20 && (portico.Contrast(ink, white) < 4.6 || portico.Contrast(ink, page) < 4.6 || portico.Contrast(ink, soft) < 4.6); i++ {
		ink = c.Mix(black, float64(i)*.05)
	}
	dark := ink.Mix(black, .3)
	// A button's edge must stand out from the page (3:1) even when the
	// accent is pale.
	edge := c
	if portico.Contrast(c, white) < 3 || portico.Contrast(c, page) < 3 {
		edge = ink
	}

	var b strings.Builder
	fmt.Fprintf(&b, "/* The portal's colours, from the accent %s. */\n:root {\n", c)
	for _, v := range []struct {
		name string
		c    portico.Colour
	}{
		{"--brand", c}, {"--on-brand", on}, {"--brand-hover", hover}, {"--on-brand-hover", portico.TextOn(hover)},
		{"--brand-edge", edge}, {"--accent", ink}, {"--accent-dark", dark}, {"--accent-soft", soft},
	} {
		fmt.Fprintf(&b, "  %s: %s;\n", v.name, v.c)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}
