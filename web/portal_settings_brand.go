package web

import (
	"net/http"
	"strings"

	"portico"
)

// Which look a portal page takes: the signed-in contact's client's; before
// sign-in, the client whose portal key the sign-in address carries
// (/portal/signin?b=KEY), remembered in a cookie so the forgot, reset and
// link pages (and the sign-in page after signing out) keep it; else the
// agency default.

// brandCookie remembers a client's portal key for the pages before sign-in.
// It is not a secret: the key only names a client's look.
const (
	brandCookie    = "portico_brand"
	brandCookieAge = 365 * 24 * 60 * 60
)

// portalBrand returns the branding for a portal page and, when the brand
// cookie should change, the key to remember.
func (s *Server) portalBrand(r *http.Request, k *portico.Contact) (b *portico.PortalBranding, remember string) {
	ctx := r.Context()
	remembered := ""
	if c, err := r.Cookie(brandCookie); err == nil && validBrandKey(c.Value) {
		remembered = c.Value
	}
	var err error
	switch key := r.URL.Query().Get("b"); {
	case k != nil:
		b, err = s.svc.PortalSettings.Branding(ctx, k.ClientID)
	case key != "":
		// An unknown key shows the agency's look rather than an error:
		// an old bookmark still reaches a working sign-in page.
		if validBrandKey(key) {
			b, err = s.svc.PortalSettings.BrandingByKey(ctx, key)
		}
	case remembered != "":
		b, err = s.svc.PortalSettings.BrandingByKey(ctx, remembered)
	}
	if err != nil && portico.ErrorCode(err) != portico.ENOTFOUND {
		s.log.Warn("portal branding", "path", logPath(r), "err", err)
	}
	if b != nil {
		if b.Key != "" && b.Key != remembered {
			remember = b.Key
		}
		return b, remember
	}
	if b, err = s.svc.PortalSettings.Branding(ctx, 0); err != nil {
		s.log.Warn("portal branding", "path", logPath(r), "err", err)
		return nil, ""
	}
	return b, ""
}

// validBrandKey keeps junk out of the key lookup: keys are short and
// made of letters and digits.
func validBrandKey(key string) bool {
	if key == "" || len(key) > 64 {
		return false
	}
	for _, c := range key {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// BrandName is whose portal the page is, for the logo's alt text: the
// client's when it has its own look, else the agency's.
func (p *Page) BrandName() string {
	if b := p.Brand; b != nil {
		if b.Custom && b.ClientName != "" {
			return b.ClientName
		}
		if b.AgencyName != "" {
			return b.AgencyName
		}
	}
	if p.Agency != nil {
		return p.Agency.Name
	}
	return "Portico"
}

// BrandLogo and BrandHeader are the address of the image the page shows
// at its top, "" for none.
func (p *Page) BrandLogo() string   { return p.brandImage(portico.BrandLogo) }
func (p *Page) BrandHeader() string { return p.brandImage(portico.BrandHeader) }

func (p *Page) brandImage(kind portico.BrandImage) string {
	if b := p.Brand; b != nil && b.Brand == kind && b.ImageKey != "" {
		return portico.PortalImagePath(b.ImageKey)
	}
	return ""
}

// ThemePath is the page's colour stylesheet. The version in the query
// changes with the colour, so browsers may keep each version for good.
func (p *Page) ThemePath() string {
	key, accent := "default", ""
	if b := p.Brand; b != nil {
		accent = b.Accent
		if b.Key != "" {
			key = b.Key
		}
	}
	return "/portal/theme/" + key + "?v=" + themeVersion(accent)
}

// BrandWelcome is the welcome message for the sign-in and home pages.
func (p *Page) BrandWelcome() string {
	if p.Brand == nil {
		return ""
	}
	return p.Brand.Welcome
}

// BrandFooter is the footer text of the portal's pages.
func (p *Page) BrandFooter() string {
	if p.Brand == nil {
		return ""
	}
	return p.Brand.Footer
}

// brandedSigninPath is a client's own sign-in address.
func brandedSigninPath(key string) string {
	if strings.TrimSpace(key) == "" {
		return "/portal/signin"
	}
	return "/portal/signin?b=" + key
}

// brandAs gives a page before sign-in the look of the contact it is for
// (an invitation, a sign-in link, a password reset), and remembers it for
// the pages that follow.
func (s *Server) brandAs(r *http.Request, p *Page, k *portico.Contact) {
	if b, remember := s.portalBrand(r, k); b != nil {
		p.Brand, p.rememberBrand = b, remember
	}
}
