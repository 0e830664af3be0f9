package mail_test

import (
	"strings"
	"testing"
)

// TestComposePortalEmails: the portal's invitation, sign-in link and reset
// emails carry their link in both parts, fill every blank and escape what
// people typed.
func TestComposePortalEmails(t *testing.T) {
	c := composer(t)
	for _, tc := range []struct {
		name, path, subject string
		data                map[string]any
		want                []string
	}{
		{"portal_invite", "/portal/activate/TOKEN1", "Harbour & Co invites you to its client portal",
			map[string]any{"Name": "Hal <Hiring>", "ClientName": "Acme", "Agency": "Harbour & Co", "SiteName": "Harbour & Co", "Inviter": "Rita Recruiter", "Days": 7},
			[]string{"Rita Recruiter has invited you to the Harbour & Co client portal for Acme", "within 7 days", "http://portico.test/portal/signin"}},
		{"portal_signin_link", "/portal/link/TOKEN2", "Your sign-in link for the Harbour & Co client portal",
			map[string]any{"Name": "Hal <Hiring>", "Agency": "Harbour & Co", "SiteName": "Harbour & Co", "Minutes": 20},
			[]string{"within 20 minutes", "The link works once."}},
		{"portal_reset", "/portal/reset/TOKEN3", "Choose a new password for the Harbour & Co client portal",
			map[string]any{"Name": "Hal <Hiring>", "Agency": "Harbour & Co", "SiteName": "Harbour & Co", "Minutes": 60},
			[]string{"within 60 minutes", "your password stays as it is"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.data["Path"] = tc.path
			e, err := c.Compose(tc.name, []string{"hal@acme.test"}, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tc.subject {
				t.Errorf("subject %q, want %q", e.Subject, tc.subject)
			}
			link := "http://portico.test" + tc.path
			for _, want := range append(tc.want, "Hello Hal <Hiring>,", link) {
				if !strings.Contains(e.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, e.Text)
				}
			}
			for _, want := range []string{`href="` + link + `"`, "Hello Hal &lt;Hiring&gt;,", "Harbour &amp; Co</td>"} {
				if !strings.Contains(e.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, e.HTML)
				}
			}
			for _, part := range []string{e.Text, e.HTML} {
				if strings.Contains(part, "<no value>") || strings.Contains(part, "{{") || strings.Contains(part, "<Hiring>") && part == e.HTML {
					t.Errorf("unfilled or unescaped:\n%s", part)
				}
			}
		})
	}
}
