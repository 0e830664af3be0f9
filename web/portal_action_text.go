package web

import (
	"strconv"

	"portico"
)

// portalActionEventText words what a client contact did on the portal,
// for the console's histories and alerts (the contact's name comes before
// it); ok is false for any other action.
func portalActionEventText(e *portico.Event) (string, bool) {
	d := e.Details
	who, job := actionCandidate(d["candidate"]), actionJob(d["job"])
	switch e.Action {
	case "portal.rated":
		n, _ := strconv.Atoi(d["stars"])
		s := "rated " + who + " " + strconv.Itoa(n) + " of 5 stars for " + job
		if p, _ := strconv.Atoi(d["previous"]); p > 0 {
			s += " (was " + strconv.Itoa(p) + ")"
		}
		return s, true
	case "portal.feedback":
		return "gave feedback on " + who + " for " + job + actionQuoted(d["excerpt"]), true
	case "portal.interview_requested":
		s := "asked to interview " + who + " for " + job
		if d["times"] != "" {
			s += ", proposing " + d["times"]
		}
		return s, true
	case "portal.approved":
		return "approved " + who + " for " + job + actionQuoted(d["note"]), true
	case "portal.hired":
		return "wants to hire " + who + " for " + job + actionQuoted(d["note"]), true
	case "portal.rejected":
		return "rejected " + who + " for " + job + actionQuoted(d["reason"]), true
	}
	return "", false
}

// actionQuoted is ": “text”", or nothing for no text.
func actionQuoted(text string) string {
	if text == "" {
		return ""
	}
	return ": “" + text + "”"
}

func actionCandidate(name string) string {
	if name == "" {
		return "a candidate"
	}
	return name
}

func actionJob(title string) string {
	if title == "" {
		return "a job"
	}
	return title
}
