package mail_test

import (
	"strings"
	"testing"

	"portico"
)

// TestComposeBranded: an email to a client's contact carries the portal's
// branding — logo at its absolute address, the accent on the top rule and
// the button with text that reads on it, the footer text — and one
// without a brand keeps Portico's own look.
func TestComposeBranded(t *testing.T) {
	c := composer(t)
	data := func(b *portico.PortalBranding) map[string]any {
		return map[string]any{"Name": "Hal", "Agency": "Harbour & Co", "SiteName": "Harbour & Co", "Minutes": 20,
			"Path": "/portal/link/TOKEN", "Brand": b}
	}
	logo := &portico.PortalBranding{AgencyName: "Harbour & Co", ClientName: "Acme <Health>", Custom: true, Key: "k1",
		Brand: portico.BrandLogo, ImageKey: "0123456789abcdef0123456789abcdef", Accent: "#0B6E4F", Footer: "Acme Health, 1 High St\nPrivacy: acme.test/privacy"}
	e, err := c.Compose("portal_signin_link", []string{"hal@acme.test"}, data(logo))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<img src="http://portico.test/portal/images/0123456789abcdef0123456789abcdef" alt="Acme &lt;Health&gt; logo"`,
		"border-top:4px solid #0b6e4f",
		"background:#0b6e4f;color:#ffffff;",
		"Acme Health, 1 High St\nPrivacy: acme.test/privacy",
		"Harbour &amp; Co</td>",
	} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("branded HTML lacks %q:\n%s", want, e.HTML)
		}
	}
	if !strings.HasSuffix(e.Text, "\n\n--\nAcme Health, 1 High St\nPrivacy: acme.test/privacy\n") {
		t.Errorf("branded text doesn't end with the footer:\n%s", e.Text)
	}
	if strings.Contains(e.HTML, "#1d4ed8") || strings.Contains(e.HTML, "<Health>") {
		t.Errorf("branded HTML keeps Portico's colour or unescaped text:\n%s", e.HTML)
	}

	// A pale accent gets black text; a header image heads the email
	// instead of a logo; the agency's own logo is the agency's.
	pale := &portico.PortalBranding{AgencyName: "Harbour & Co", ClientName: "Acme", Brand: portico.BrandHeader, ImageKey: "fedcba9876543210fedcba9876543210", Accent: "#ffd166"}
	e, err = c.Compose("portal_invite", []string{"hal@acme.test"}, map[string]any{"Name": "Hal", "Agency": "Harbour & Co",
		"Inviter": "Rita", "Days": 7, "Path": "/portal/activate/T", "Brand": pale})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<img src="http://portico.test/portal/images/fedcba9876543210fedcba9876543210" alt=""`, "background:#ffd166;color:#000000;"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("header-image HTML lacks %q:\n%s", want, e.HTML)
		}
	}
	if strings.Contains(e.HTML, " logo\"") {
		t.Errorf("a header image is not a logo:\n%s", e.HTML)
	}
	agencyLogo := &portico.PortalBranding{AgencyName: "Harbour & Co", ClientName: "Acme", Brand: portico.BrandLogo, ImageKey: "00112233445566778899aabbccddeeff"}
	e, err = c.Compose("portal_reset", []string{"hal@acme.test"}, data(agencyLogo))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`alt="Harbour &amp; Co logo"`, "background:#1d4ed8;color:#ffffff;"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("agency-logo HTML lacks %q:\n%s", want, e.HTML)
		}
	}

	// No brand (absent or nil): today's look, no header row.
	for name, b := range map[string]any{"absent": nil, "nil": (*portico.PortalBranding)(nil)} {
		d := data(nil)
		if name == "absent" {
			delete(d, "Brand")
		} else {
			d["Brand"] = b
		}
		e, err := c.Compose("portal_signin_link", []string{"hal@acme.test"}, d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(e.HTML, "background:#1d4ed8;color:#ffffff;") || strings.Contains(e.HTML, "border-top:4px") || strings.Contains(e.HTML, "<img") {
			t.Errorf("%s brand: not Portico's own look:\n%s", name, e.HTML)
		}
	}
}
