package web

import (
	"portico"
)

// linkEventText words the events of share links and previews, written to
// follow the actor's name: "Rita Recruiter emailed Hana Hiring a link to
// the Senior Nurse tracker".
func linkEventText(e *portico.Event) (string, bool) {
	d := e.Details
	who := d["name"]
	if who == "" {
		who = "a contact"
	}
	what := "the client portal"
	if d["job"] != "" {
		what = "the " + d["job"] + " tracker"
	}
	switch e.Action {
	case "link.created":
		s := "created a link to " + what + " for " + who + " to copy"
		if d["sent_to"] != "" {
			s = "emailed " + who + " a link to " + what + " at " + d["sent_to"]
		}
		if d["access"] == "added" {
			s += ", adding the job to those they see"
		}
		return s, true
	case "link.revoked":
		return "expired " + who + "’s link to " + what, true
	case "link.used":
		s := "opened " + what + " with a share link"
		if d["uses"] != "" {
			s += " (use " + d["uses"] + ")"
		}
		return s, true
	case "link.refused":
		status := "an expired"
		if d["status"] == string(portico.LinkRevoked) {
			status = "a turned-off"
		}
		return "refused " + status + " link to " + what + " for " + who, true
	case "link.renewed":
		return "emailed " + who + " a fresh link to " + what + " at " + d["sent_to"] + ", asked for from an old link", true
	case "contact.previewed":
		return "previewed the portal as " + who, true
	}
	return "", false
}
