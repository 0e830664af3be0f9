package web

import (
	"testing"

	"portico"
)

// TestTaskEventText checks the words for every task and alert event, as
// histories and alerts show them after the actor's name.
func TestTaskEventText(t *testing.T) {
	base := map[string]string{"title": "Call Jane", "job": "Senior Nurse", "candidate": "Jane Doe"}
	with := func(kv ...string) map[string]string {
		d := map[string]string{}
		for k, v := range base {
			d[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			d[kv[i]] = kv[i+1]
		}
		return d
	}
	for _, c := range []struct {
		action, actor string
		details       map[string]string
		want          string
	}{
		{"task.created", "Ada Admin", with("assignee", "Rita Recruiter", "due_on", "2026-03-04"), "added the task “Call Jane” on Senior Nurse (Jane Doe) for Rita Recruiter, due 4 Mar 2026"},
		{"task.created", "Rita Recruiter", map[string]string{"title": "Tidy notes", "assignee": "Rita Recruiter"}, "added the task “Tidy notes”"},
		{"task.updated", "Ada Admin", with("changed", "title, due date", "due_on", "2026-03-09"), "updated the task “Call Jane” on Senior Nurse (Jane Doe): title, due date, now due 9 Mar 2026"},
		{"task.updated", "Ada Admin", with("changed", "due date", "due_on", ""), "updated the task “Call Jane” on Senior Nurse (Jane Doe): due date, now without a due date"},
		{"task.updated", "Ada Admin", with("changed", "details"), "updated the task “Call Jane” on Senior Nurse (Jane Doe): details"},
		{"task.reassigned", "Ada Admin", with("from", "Rita Recruiter", "to", "Sam Sourcer"), "reassigned the task “Call Jane” on Senior Nurse (Jane Doe) from Rita Recruiter to Sam Sourcer"},
		{"task.completed", "Rita Recruiter", base, "completed the task “Call Jane” on Senior Nurse (Jane Doe)"},
		{"task.cancelled", "Rita Recruiter", base, "cancelled the task “Call Jane” on Senior Nurse (Jane Doe)"},
		{"task.reopened", "Rita Recruiter", base, "reopened the task “Call Jane” on Senior Nurse (Jane Doe)"},
		{"alert.read", "Rita Recruiter", map[string]string{"event": "7"}, "marked an alert as read"},
		{"alert.read_all", "Rita Recruiter", map[string]string{"count": "1"}, "marked 1 alert as read"},
		{"alert.read_all", "Rita Recruiter", map[string]string{"count": "12"}, "marked 12 alerts as read"},
		{"task.exploded", "Rita Recruiter", base, "task.exploded"},
	} {
		e := &portico.Event{Action: c.action, ActorName: c.actor, Details: c.details}
		if got := eventText(e); got != c.want {
			t.Errorf("%s: %q, want %q", c.action, got, c.want)
		}
	}
}
