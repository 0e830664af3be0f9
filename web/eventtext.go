package web

import (
	"strconv"
	"strings"

	"portico"
)

// eventText says what an event did, for history lists and alerts. Each
// area of the console words its own events.
func eventText(e *portico.Event) string {
	area, _, _ := strings.Cut(e.Action, ".")
	switch area {
	case "agency", "user":
		return userEventText(e)
	case "link":
		if t, ok := linkEventText(e); ok {
			return t
		}
	case "client", "contact", "location":
		if t, ok := linkEventText(e); ok {
			return t
		}
		if t, ok := portalAccountEventText(e); ok {
			return t
		}
		if t, ok := weeklyReportEventText(e); ok {
			return t
		}
		return clientEventText(e)
	case "job", "application", "stage":
		if t, ok := sharingEventText(e); ok {
			return t
		}
		return jobEventText(e)
	case "visibility":
		if t, ok := sharingEventText(e); ok {
			return t
		}
	case "candidate", "document":
		return candidateEventText(e)
	case "task", "alert":
		return taskEventText(e)
	case "portal":
		if t, ok := portalActionEventText(e); ok {
			return t
		}
	case "portal_settings":
		if t, ok := portalSettingsEventText(e); ok {
			return t
		}
	}
	return e.Action
}

// eventLink is the console page of the record an event is about, "" when
// it has none.
func eventLink(e *portico.Event) string {
	id := strconv.FormatInt(e.SubjectID, 10)
	switch e.SubjectType {
	case "user":
		return "/users/" + id
	case "client":
		return "/clients/" + id
	case "contact":
		return "/contacts/" + id
	case "job":
		return "/jobs/" + id
	case "application":
		return "/applications/" + id
	case "candidate":
		return "/candidates/" + id
	case "task":
		return "/tasks/" + id
	case "stage":
		return "/stages"
	}
	switch {
	case e.JobID != 0:
		return "/jobs/" + strconv.FormatInt(e.JobID, 10)
	case e.CandidateID != 0:
		return "/candidates/" + strconv.FormatInt(e.CandidateID, 10)
	case e.ClientID != 0:
		return "/clients/" + strconv.FormatInt(e.ClientID, 10)
	}
	return ""
}

func userEventText(e *portico.Event) string {
	d := e.Details
	switch e.Action {
	case "agency.created":
		return "set up the agency " + d["name"]
	case "user.created":
		return "added " + d["name"] + " (" + d["email"] + ") as " + portico.Role(d["role"]).Label()
	case "user.role_changed":
		return "changed a role from " + portico.Role(d["from"]).Label() + " to " + portico.Role(d["to"]).Label()
	case "user.deactivated":
		return "deactivated a user"
	case "user.reactivated":
		return "reactivated a user"
	case "user.signed_in":
		return "signed in"
	case "user.signed_out":
		return "signed out"
	case "user.sign_in_failed":
		if d["email"] != "" {
			return "was refused a sign-in as " + d["email"] + " (wrong password)"
		}
		return "was refused a sign-in (wrong password)"
	case "user.password_set":
		return "set a new password"
	case "user.password_reset_requested":
		if d["email"] != "" {
			return "asked for a password reset link for " + d["email"]
		}
		return "asked for a password reset link"
	case "user.password_reset":
		return "chose a new password with a reset link"
	}
	return e.Action
}
