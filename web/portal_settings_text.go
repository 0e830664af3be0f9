package web

import "portico"

// portalSettingsEventText says in words what a change of portal settings
// did, for the client's history and the audit.
func portalSettingsEventText(e *portico.Event) (string, bool) {
	d := e.Details
	whose := "the agency’s portal settings"
	if e.SubjectType == "client" {
		whose = "the portal settings of " + clientOr(d["client"])
	}
	switch e.Action {
	case "portal_settings.updated":
		if e.SubjectType == "client" && d["custom"] == "false" {
			return "set " + clientOr(d["client"]) + " to use the agency’s portal settings", true
		}
		if d["changed"] == "" {
			return "changed " + whose, true
		}
		return "changed " + whose + ": " + d["changed"], true
	case "portal_settings.image_added":
		return "uploaded an image for " + whose, true
	}
	return "", false
}

// clientOr is the client's name, or "a client" when the event has none.
func clientOr(name string) string {
	if name == "" {
		return "a client"
	}
	return name
}
