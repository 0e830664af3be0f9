package web

import (
	"testing"

	"portico"
)

func TestJobEventText(t *testing.T) {
	d := map[string]string{"candidate": "Jane Doe", "job": "Senior Nurse", "from": "Sourced", "to": "Offer", "name": "Offer"}
	for action, want := range map[string]string{
		"application.added":   "added Jane Doe to the shortlist for Senior Nurse",
		"application.moved":   "moved Jane Doe from Sourced to Offer for Senior Nurse",
		"application.removed": "took Jane Doe off the shortlist for Senior Nurse",
		"application.noted":   "added an internal note on Jane Doe for Senior Nurse",
		"stage.created":       "added the stage “Offer” to the pipeline",
		"stage.renamed":       "renamed the stage “Sourced” to “Offer”",
		"stage.moved":         "moved the stage “Offer” from position Sourced to Offer",
		"stage.retired":       "retired the stage “Offer”",
		"stage.deleted":       "deleted the stage “Offer”",
		"stage.restored":      "restored the stage “Offer”",
	} {
		if got := eventText(&portico.Event{Action: action, Details: d}); got != want {
			t.Errorf("%s: %q, want %q", action, got, want)
		}
	}
	// Without details, the words still read.
	if got := eventText(&portico.Event{Action: "application.moved", Details: map[string]string{"to": "Offer"}}); got != "moved a candidate to Offer" {
		t.Errorf("bare move: %q", got)
	}
}
