package web

import (
	"testing"

	"portico"
)

func TestJobRecordEventText(t *testing.T) {
	for _, tc := range []struct {
		e    portico.Event
		want string
	}{
		{portico.Event{Action: "job.created", Details: map[string]string{"title": "Senior Nurse", "client": "Acme"}}, "opened the job Senior Nurse for Acme"},
		{portico.Event{Action: "job.updated", Details: map[string]string{"title": "Senior Nurse", "changed": "title, openings"}}, "updated the job Senior Nurse (title, openings)"},
		{portico.Event{Action: "job.updated", Details: map[string]string{"title": "Senior Nurse", "changed": "owner, status", "from": "open", "to": "filled"}}, "updated the job Senior Nurse (owner, status), now filled"},
		{portico.Event{Action: "job.status_changed", Details: map[string]string{"title": "Senior Nurse", "from": "open", "to": "on_hold"}}, "changed the status of Senior Nurse from open to on hold"},
		{portico.Event{Action: "job.recruiters_set", Details: map[string]string{"job": "Senior Nurse", "recruiters": "Rita Recruiter, Alex Morgan"}}, "set the recruiting team clients see on Senior Nurse: Rita Recruiter, Alex Morgan"},
		{portico.Event{Action: "job.recruiters_set", Details: map[string]string{"job": "Senior Nurse"}}, "cleared the recruiting team clients see on Senior Nurse"},
	} {
		got, ok := jobRecordEventText(&tc.e)
		if !ok || got != tc.want {
			t.Errorf("%s: %q %v, want %q", tc.e.Action, got, ok, tc.want)
		}
	}
	if _, ok := jobRecordEventText(&portico.Event{Action: "application.created"}); ok {
		t.Error("jobRecordEventText claims a shortlist event")
	}
}
