package web

import (
	"testing"

	"portico"
)

// TestEventRecord names an event's record from what the event kept.
func TestEventRecord(t *testing.T) {
	for _, tc := range []struct {
		e    portico.Event
		want string
	}{
		{portico.Event{SubjectType: "application", SubjectID: 4, Details: map[string]string{"candidate": "Ann Lee", "job": "Senior Nurse"}}, "Ann Lee · Senior Nurse"},
		{portico.Event{SubjectType: "job", SubjectID: 7, Details: map[string]string{"job": "Senior Nurse"}}, "Senior Nurse"},
		{portico.Event{SubjectType: "agency", Action: "portal_settings.updated"}, "The agency"},
		{portico.Event{SubjectType: "user", SubjectID: 3, ActorKind: portico.ActorUser, ActorID: 3, ActorName: "Alex Morgan"}, "Alex Morgan"},
		{portico.Event{SubjectType: "portal_link", SubjectID: 9}, "portal link 9"},
	} {
		if got := eventRecord(&tc.e); got != tc.want {
			t.Errorf("eventRecord(%s %s) = %q, want %q", tc.e.SubjectType, tc.e.Action, got, tc.want)
		}
	}
}
