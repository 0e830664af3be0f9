package mail_test

import (
	"strings"
	"testing"

	"portico"
)

// TestComposeShareLink: the share link email carries the sender's message,
// the link in both parts, the expiry, and the client's accent on its
// button; a renewal says what it is and carries no message.
func TestComposeShareLink(t *testing.T) {
	c := composer(t)
	data := map[string]any{"Name": "Hal <Hiring>", "Agency": "Harbour & Co", "SiteName": "Harbour & Co", "Sender": "Rita Recruiter",
		"Job": "Senior Nurse", "Message": "Line one.\n\nLine <two>.", "Paragraphs": []string{"Line one.", "Line <two>."},
		"Path": "/portal/l/TOKEN-_1", "Expiry": "This link works until Monday 16 March 2026, 09:00.",
		"Brand": &portico.PortalBranding{AgencyName: "Harbour & Co", ClientName: "Acme", Accent: "#fde047"}}
	e, err := c.Compose("share_link", []string{"hal@acme.test"}, data)
	if err != nil {
		t.Fatal(err)
	}
	if e.Subject != "Harbour & Co shared the Senior Nurse tracker with you" {
		t.Errorf("subject %q", e.Subject)
	}
	link := "http://portico.test/portal/l/TOKEN-_1"
	for _, want := range []string{"Hello Hal <Hiring>,", "Line <two>.", link, "This link works until Monday 16 March 2026, 09:00.", "Rita Recruiter", "Follow the Senior Nurse job"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	// A light accent gets dark text, so the button stays readable.
	for _, want := range []string{`href="` + link + `"`, "Line &lt;two&gt;.", ">Open job tracker</a>", "background:#fde047;color:#000000"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, e.HTML)
		}
	}

	delete(data, "Brand")
	data["Renewed"], data["Job"], data["Sender"] = true, "", ""
	e, err = c.Compose("share_link", []string{"hal@acme.test"}, data)
	if err != nil {
		t.Fatal(err)
	}
	if e.Subject != "Your fresh link to the Harbour & Co client portal" || !strings.Contains(e.Text, "Here is the fresh link you asked for.") || strings.Contains(e.Text, "Line one.") {
		t.Errorf("renewal:\n%s\n%s", e.Subject, e.Text)
	}
}

// TestComposeShareLinkWholePortal: a link to the whole portal names no
// job, in the subject, the text or the button.
func TestComposeShareLinkWholePortal(t *testing.T) {
	c := composer(t)
	data := map[string]any{"Name": "Hal Hiring", "Agency": "Harbour & Co", "SiteName": "Harbour & Co", "Sender": "Rita Recruiter",
		"Job": "", "Message": "All your roles, in one place.", "Paragraphs": []string{"All your roles, in one place."},
		"Path": "/portal/l/TOKEN-_2", "Expiry": "This link works for 2 visits."}
	e, err := c.Compose("share_link", []string{"hal@acme.test"}, data)
	if err != nil {
		t.Fatal(err)
	}
	if e.Subject != "Harbour & Co shared its client portal with you" {
		t.Errorf("subject %q", e.Subject)
	}
	link := "http://portico.test/portal/l/TOKEN-_2"
	for _, want := range []string{"Hello Hal Hiring,", "All your roles, in one place.", "See your jobs in the Harbour & Co client portal", "Open the portal:\n" + link,
		"This link works for 2 visits.", "Rita Recruiter"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	for _, want := range []string{`href="` + link + `"`, ">Open the portal</a>", "See your jobs in the Harbour &amp; Co client portal"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, e.HTML)
		}
	}
	for _, part := range []string{e.Subject, e.Text, e.HTML} {
		if strings.Contains(part, "tracker") || strings.Contains(part, "Follow the") {
			t.Errorf("a whole-portal email speaks of a job:\n%s", part)
		}
	}
}
