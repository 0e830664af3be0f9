package mail_test

import (
	"strings"
	"testing"
)

// TestComposeResumesShared: the "send résumés" email greets the contact,
// carries the recruiter's message line by line, lists the candidates and
// links to the job's portal page in both parts, escaping what people typed.
func TestComposeResumesShared(t *testing.T) {
	c := composer(t)
	data := func(candidates ...string) map[string]any {
		return map[string]any{"Name": "Hal <Hiring>", "Sender": "Rita Recruiter", "Job": "Senior Nurse & Co",
			"Message": "Two strong nurses.\n\n<b>Call me</b> with questions.", "Paragraphs": []string{"Two strong nurses.", "<b>Call me</b> with questions."},
			"Candidates": candidates, "Path": "/portal/jobs/7"}
	}
	e, err := c.Compose("resumes_shared", []string{"hal@acme.test"}, data("Jane Doe", "C-000042"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Subject != "2 candidates for Senior Nurse & Co" {
		t.Errorf("subject %q", e.Subject)
	}
	for _, want := range []string{"Hello Hal <Hiring>,", "Two strong nurses.\n\n<b>Call me</b> with questions.", "- Jane Doe", "- C-000042",
		"http://portico.test/portal/jobs/7", "Rita Recruiter"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	for _, want := range []string{"Hello Hal &lt;Hiring&gt;,", "<p>Two strong nurses.</p>", "&lt;b&gt;Call me&lt;/b&gt;", "<li>Jane Doe</li>",
		`href="http://portico.test/portal/jobs/7"`, "Senior Nurse &amp; Co"} {
		if !strings.Contains(e.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, e.HTML)
		}
	}
	if strings.Contains(e.HTML, "<b>Call me") {
		t.Error("the message's markup reached the HTML unescaped")
	}
	one, err := c.Compose("resumes_shared", []string{"hal@acme.test"}, data("Jane Doe"))
	if err != nil {
		t.Fatal(err)
	}
	if one.Subject != "A candidate for Senior Nurse & Co" || !strings.Contains(one.Text, "The candidate for Senior Nurse & Co:") {
		t.Errorf("one candidate: %q\n%s", one.Subject, one.Text)
	}
}
