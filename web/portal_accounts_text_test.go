package web

import (
	"testing"

	"portico"
)

func TestPortalAccountEventText(t *testing.T) {
	for _, tc := range []struct {
		action  string
		details map[string]string
		want    string
	}{
		{"contact.invited", map[string]string{"name": "Hal", "email": "hal@acme.test"}, "invited Hal to the portal at hal@acme.test"},
		{"contact.invited", map[string]string{"name": "Hal", "email": "hal@acme.test", "again": "true"}, "sent Hal a new portal invitation at hal@acme.test"},
		{"contact.invited", map[string]string{"name": "Hal", "email": "hal@acme.test", "again": "true", "enabled": "true"}, "turned portal access on again for Hal and sent an invitation to hal@acme.test"},
		{"contact.activated", nil, "set a password and activated their portal account"},
		{"contact.signed_in", map[string]string{"method": "password"}, "signed in to the portal"},
		{"contact.signed_in", map[string]string{"method": "link"}, "signed in to the portal with an emailed link"},
		{"contact.signed_in", map[string]string{"method": "activation"}, "signed in to the portal for the first time"},
		{"contact.signed_out", nil, "signed out of the portal"},
		{"contact.sign_in_failed", map[string]string{"email": "hal@acme.test"}, "refused a portal sign-in as hal@acme.test (wrong password)"},
		{"contact.sign_in_failed", map[string]string{"email": "hal@acme.test", "reason": "disabled"}, "refused a portal sign-in as hal@acme.test: their access is disabled"},
		{"contact.sign_in_link_sent", map[string]string{"email": "hal@acme.test"}, "emailed a portal sign-in link to hal@acme.test"},
		{"contact.password_reset_requested", map[string]string{"email": "hal@acme.test"}, "emailed a portal password reset link to hal@acme.test"},
		{"contact.password_reset", nil, "chose a new portal password"},
		{"contact.disabled", map[string]string{"name": "Hal"}, "disabled portal access for Hal"},
		{"contact.disabled", nil, "disabled portal access for the contact"},
		{"contact.access_changed", map[string]string{"name": "Hal", "all_jobs": "true", "jobs": "0"}, "gave Hal portal access to all of the client's jobs"},
		{"contact.access_changed", map[string]string{"name": "Hal", "all_jobs": "false", "jobs": "1"}, "gave Hal portal access to 1 chosen job"},
		{"contact.access_changed", map[string]string{"name": "Hal", "all_jobs": "false", "jobs": "3"}, "gave Hal portal access to 3 chosen jobs"},
	} {
		got, ok := portalAccountEventText(&portico.Event{Action: tc.action, Details: tc.details})
		if !ok || got != tc.want {
			t.Errorf("%s %v: %q (%v), want %q", tc.action, tc.details, got, ok, tc.want)
		}
	}
	for _, other := range []string{"contact.created", "contact.updated", "client.created"} {
		if _, ok := portalAccountEventText(&portico.Event{Action: other}); ok {
			t.Errorf("%s is worded here", other)
		}
	}
}
