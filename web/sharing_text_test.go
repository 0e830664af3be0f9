package web

import (
	"strings"
	"testing"

	"portico"
)

func TestSharingEventText(t *testing.T) {
	d := map[string]string{"candidate": "Jane Doe", "job": "Senior Nurse", "candidates": "2", "contacts": "Hal Hiring, Kim Keller"}
	for action, want := range map[string]string{
		"application.shared":        "shared Jane Doe with the client for Senior Nurse",
		"application.share_updated": "changed what the client sees of Jane Doe for Senior Nurse",
		"application.unshared":      "stopped sharing Jane Doe with the client for Senior Nurse",
		"job.resumes_sent":          "sent 2 candidates for Senior Nurse to Hal Hiring, Kim Keller",
	} {
		if got, ok := sharingEventText(&portico.Event{Action: action, Details: d}); !ok || got != want {
			t.Errorf("%s: %q, want %q", action, got, want)
		}
	}
	for _, c := range []struct {
		details map[string]string
		want    string
	}{
		{map[string]string{"scope": "agency"}, "changed which candidate details clients see by default"},
		{map[string]string{"scope": "client", "name": "Northwind"}, "chose which candidate details Northwind sees"},
		{map[string]string{"scope": "client", "name": "Northwind", "default": "true"}, "set Northwind back to the agency’s default visible fields"},
		{map[string]string{"scope": "job", "name": "Senior Nurse"}, "chose which candidate details the client sees for Senior Nurse"},
		{map[string]string{"scope": "job", "name": "Senior Nurse", "default": "true"}, "set Senior Nurse back to the client’s visible fields"},
	} {
		if got, ok := sharingEventText(&portico.Event{Action: "visibility.changed", Details: c.details}); !ok || got != c.want {
			t.Errorf("visibility %v: %q, want %q", c.details, got, c.want)
		}
	}
	// Without details, the words still read; other actions aren't ours.
	if got, _ := sharingEventText(&portico.Event{Action: "job.resumes_sent", Details: map[string]string{"candidates": "1"}}); got != "sent 1 candidate for a job to the client" {
		t.Errorf("bare: %q", got)
	}
	if _, ok := sharingEventText(&portico.Event{Action: "application.moved"}); ok {
		t.Error("claimed application.moved")
	}
}

func TestProfileFromTemplate(t *testing.T) {
	c := &portico.Candidate{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com", Phone: "0770", City: "Leeds",
		CurrentTitle: "Staff Nurse", CurrentEmployer: "Leeds General", Skills: " Triage,, Phlebotomy ,", Summary: "Ten years on busy wards.",
		SalaryExpectation: "£38,000", NoticePeriod: "4 weeks", Availability: "From April"}
	all := portico.Visibility{Fields: portico.CandidateFields}
	want := "Staff Nurse at Leeds General, based in Leeds. Skills: Triage, Phlebotomy. Availability: From April; notice period: 4 weeks. " +
		"Salary expectation: £38,000.\n\nTen years on busy wards."
	if got := profileFromTemplate(c, all); got != want {
		t.Errorf("all fields:\n%q\nwant\n%q", got, want)
	}
	// Hidden fields never reach the profile, and the name never does.
	some := portico.Visibility{Fields: []portico.CandidateField{portico.FieldCity, portico.FieldNoticePeriod}}
	if got := profileFromTemplate(c, some); got != "Based in Leeds. Notice period: 4 weeks." {
		t.Errorf("some fields: %q", got)
	}
	if got := profileFromTemplate(c, portico.Visibility{Fields: []portico.CandidateField{portico.FieldCurrentEmployer}}); got != "Currently at Leeds General." {
		t.Errorf("employer only: %q", got)
	}
	if got := profileFromTemplate(c, portico.Visibility{}); got != "" {
		t.Errorf("no fields: %q", got)
	}
	for _, v := range []portico.Visibility{all, some} {
		got := profileFromTemplate(c, v)
		for _, secret := range []string{"Jane", "Doe", "jane@example.com", "0770"} {
			if strings.Contains(got, secret) {
				t.Errorf("profile %q gives away %q", got, secret)
			}
		}
	}
}
