package mail_test

import (
	"strings"
	"testing"
)

// clientActionData is what the store gives the client_action email.
func clientActionData(action string) map[string]any {
	return map[string]any{
		"Action": action, "OwnerName": "Rita", "Contact": "Hal Hiring", "Client": "Northwind Health",
		"Candidate": "Jane Doe", "Job": "Senior Nurse", "Stars": 4, "StarLine": "★★★★☆", "Previous": 0,
		"Body": "Strong on triage.\nAsk about nights.", "Note": "Mornings suit us.",
		"Times":  []string{"Tue 3 Mar 2026, 10:00 GMT", "Wed 4 Mar 2026, 14:30 GMT"},
		"Reason": "Not enough ICU experience", "MovedTo": "Rejected by Client", "Task": "Arrange interview",
		"Path": "/applications/42", "Agency": "Harbour Recruitment", "SiteName": "Harbour Recruitment",
	}
}

func TestComposeClientAction(t *testing.T) {
	c := composer(t)
	const link = "http://portico.test/applications/42"
	for _, tc := range []struct {
		action, subject string
		text            []string
	}{
		{"rated", "Hal Hiring rated Jane Doe 4 of 5 for Senior Nurse", []string{"★★★★☆ (4 of 5)"}},
		{"feedback", "Feedback on Jane Doe from Hal Hiring (Northwind Health)", []string{"Strong on triage.\nAsk about nights."}},
		{"interview_requested", "Hal Hiring wants to interview Jane Doe for Senior Nurse",
			[]string{"- Tue 3 Mar 2026, 10:00 GMT\n- Wed 4 Mar 2026, 14:30 GMT", "Mornings suit us.", `"Arrange interview" task`}},
		{"hired", "Hal Hiring wants to hire Jane Doe for Senior Nurse", []string{"Mornings suit us."}},
		{"rejected", "Hal Hiring rejected Jane Doe for Senior Nurse", []string{"Not enough ICU experience", `now in "Rejected by Client"`}},
	} {
		t.Run(tc.action, func(t *testing.T) {
			e, err := c.Compose("client_action", []string{"rita@agency.test"}, clientActionData(tc.action))
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tc.subject {
				t.Errorf("subject %q, want %q", e.Subject, tc.subject)
			}
			for _, want := range append(tc.text, "Hello Rita,", link) {
				if !strings.Contains(e.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, e.Text)
				}
			}
			for _, want := range []string{`href="` + link + `"`, "Hal Hiring", "Jane Doe"} {
				if !strings.Contains(e.HTML, want) {
					t.Errorf("HTML lacks %q", want)
				}
			}
			if strings.Contains(e.Text, "<no value>") || strings.Contains(e.HTML, "<no value>") || strings.Contains(e.Text, "\n\n\n") {
				t.Errorf("badly filled:\n%s", e.Text)
			}
		})
	}
}

func TestComposeClientActionEscapes(t *testing.T) {
	d := clientActionData("feedback")
	d["Body"] = `<script>alert("x")</script> & <b>bold</b>`
	e, err := composer(t).Compose("client_action", []string{"rita@agency.test"}, d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.HTML, "<script>") || strings.Contains(e.HTML, "<b>bold") {
		t.Fatalf("HTML carries the contact's markup:\n%s", e.HTML)
	}
	if !strings.Contains(e.Text, `<script>alert("x")</script>`) {
		t.Errorf("the text part should keep what was written:\n%s", e.Text)
	}
}
