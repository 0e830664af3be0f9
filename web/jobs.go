package web

import (
	"strings"

	"portico"
)

// The job page is in job_page.go, shortlists in shortlist.go, applications
// in application.go and the pipeline's stages in stages.go; the jobs list
// and the job form are in job_forms.go.

// jobEventText says what a jobs event did, for history lists: the job's
// own record, its shortlist, and the pipeline.
func jobEventText(e *portico.Event) string {
	if text, ok := jobRecordEventText(e); ok {
		return text
	}
	if strings.HasPrefix(e.Action, "stage.") {
		return stageEventText(e)
	}
	d := e.Details
	who, job := d["candidate"], d["job"]
	if who == "" {
		who = "a candidate"
	}
	switch e.Action {
	case "application.added":
		if job != "" {
			return "added " + who + " to the shortlist for " + job
		}
		return "added " + who + " to a shortlist"
	case "application.moved":
		text := "moved " + who
		if d["from"] != "" {
			text += " from " + d["from"]
		}
		text += " to " + d["to"]
		if job != "" {
			text += " for " + job
		}
		return text
	case "application.removed":
		if job != "" {
			return "took " + who + " off the shortlist for " + job
		}
		return "took " + who + " off a shortlist"
	case "application.noted":
		if job != "" {
			return "added an internal note on " + who + " for " + job
		}
		return "added an internal note on " + who
	}
	return e.Action
}
