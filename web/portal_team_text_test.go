package web

import (
	"testing"

	"portico"
)

func TestPortalTelURL(t *testing.T) {
	for in, want := range map[string]string{
		"+44 (0)20 7946 0002": "tel:+442079460002",
		"020 7946 0002":       "tel:02079460002",
		" +1 (415) 555-0100":  "tel:+14155550100",
		"ext":                 "",
		"12":                  "",
	} {
		if got := string(portalTelURL(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestPortalWeekStats(t *testing.T) {
	w := portico.ActivitySummary{Items: []portico.SummaryItem{portico.SummaryFeedback, portico.SummaryNewCandidates},
		NewCandidates: 3, Submitted: 2, Interviews: 1, Feedback: 4}
	got := portalWeekStats(w)
	if len(got) != 2 || got[0] != (portalStat{"Feedback given, last 7 days", 4}) || got[1] != (portalStat{"New candidates, last 7 days", 3}) {
		t.Errorf("stats %+v", got)
	}
	if got := portalWeekStats(portico.ActivitySummary{NewCandidates: 5}); len(got) != 0 {
		t.Errorf("no items: %+v", got)
	}
}

func TestRecruitersSavedMessage(t *testing.T) {
	j := &portico.Job{Title: "Senior Nurse", ClientName: "Northwind", OwnerName: "Rita"}
	if got := recruitersSavedMessage(j, nil); got != "Saved: contacts at Northwind see the job’s owner, Rita, on Senior Nurse." {
		t.Error(got)
	}
	rs := []portico.JobRecruiter{{Name: "Sam"}, {Name: "Rita"}, {Name: "Ann"}}
	if got := recruitersSavedMessage(j, rs); got != "Saved: contacts at Northwind see Sam, Rita and Ann on Senior Nurse." {
		t.Error(got)
	}
}
