package web

import "portico"

// eventText says what an event did, for history lists.
func eventText(e *portico.Event) string {
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
		return "failed to sign in"
	case "user.password_set":
		return "set a new password"
	case "user.password_reset_requested":
		return "asked for a password reset"
	case "user.password_reset":
		return "reset their password"
	}
	return e.Action
}
