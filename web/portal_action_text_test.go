package web

import (
	"testing"

	"portico"
)

func TestPortalActionEventText(t *testing.T) {
	with := func(kv ...string) map[string]string {
		d := map[string]string{"candidate": "Jane Doe", "job": "Senior Nurse", "contact": "Hal Hiring", "client": "Northwind"}
		for i := 0; i+1 < len(kv); i += 2 {
			d[kv[i]] = kv[i+1]
		}
		return d
	}
	for _, c := range []struct {
		action  string
		details map[string]string
		want    string
	}{
		{"portal.rated", with("stars", "4"), "rated Jane Doe 4 of 5 stars for Senior Nurse"},
		{"portal.rated", with("stars", "2", "previous", "4"), "rated Jane Doe 2 of 5 stars for Senior Nurse (was 4)"},
		{"portal.feedback", with("excerpt", "Strong on triage."), "gave feedback on Jane Doe for Senior Nurse: “Strong on triage.”"},
		{"portal.interview_requested", with("times", "Tue 3 Mar 2026, 10:00 GMT; Wed 4 Mar 2026, 14:30 GMT"),
			"asked to interview Jane Doe for Senior Nurse, proposing Tue 3 Mar 2026, 10:00 GMT; Wed 4 Mar 2026, 14:30 GMT"},
		{"portal.approved", with(), "approved Jane Doe for Senior Nurse"},
		{"portal.approved", with("note", "Next week please"), "approved Jane Doe for Senior Nurse: “Next week please”"},
		{"portal.hired", with(), "wants to hire Jane Doe for Senior Nurse"},
		{"portal.hired", with("note", "Start in April"), "wants to hire Jane Doe for Senior Nurse: “Start in April”"},
		{"portal.rejected", with("reason", "Not enough ICU experience"), "rejected Jane Doe for Senior Nurse: “Not enough ICU experience”"},
		{"portal.rejected", map[string]string{}, "rejected a candidate for a job"},
	} {
		if got, ok := portalActionEventText(&portico.Event{Action: c.action, Details: c.details}); !ok || got != c.want {
			t.Errorf("%s %v: %q, want %q", c.action, c.details, got, c.want)
		}
	}
	if _, ok := portalActionEventText(&portico.Event{Action: "application.moved"}); ok {
		t.Error("claims another area's action")
	}
}
