package web

import (
	"strconv"

	"portico"
)

// sharingEventText words the events of sharing and visible fields; ok is
// false for any other action.
func sharingEventText(e *portico.Event) (string, bool) {
	d := e.Details
	switch e.Action {
	case "application.shared":
		return "shared " + orSomeone(d["candidate"]) + " with the client for " + orTheJob(d["job"]), true
	case "application.share_updated":
		return "changed what the client sees of " + orSomeone(d["candidate"]) + " for " + orTheJob(d["job"]), true
	case "application.unshared":
		return "stopped sharing " + orSomeone(d["candidate"]) + " with the client for " + orTheJob(d["job"]), true
	case "job.resumes_sent":
		n, _ := strconv.Atoi(d["candidates"])
		to := d["contacts"]
		if to == "" {
			to = "the client"
		}
		return "sent " + countNoun(n, "candidate", "candidates") + " for " + orTheJob(d["job"]) + " to " + to, true
	case "visibility.changed":
		name, reset := d["name"], d["default"] == "true"
		switch portico.VisibilityScope(d["scope"]) {
		case portico.ScopeAgency:
			return "changed which candidate details clients see by default", true
		case portico.ScopeClient:
			if reset {
				return "set " + name + " back to the agency’s default visible fields", true
			}
			return "chose which candidate details " + name + " sees", true
		case portico.ScopeJob:
			if reset {
				return "set " + name + " back to the client’s visible fields", true
			}
			return "chose which candidate details the client sees for " + name, true
		}
		return "changed which candidate details clients see", true
	}
	return "", false
}

func orSomeone(name string) string {
	if name == "" {
		return "a candidate"
	}
	return name
}

func orTheJob(title string) string {
	if title == "" {
		return "a job"
	}
	return title
}
