package web

import "regexp"

// The audit's choice of actions: every kind of event Portico records, by
// area, in words an admin would look for.

type auditAction struct{ Action, Label string }

type auditActionGroup struct {
	Label   string
	Actions []auditAction
}

var auditActionGroups = []auditActionGroup{
	{"Client portal", []auditAction{
		{"contact.signed_in", "Signed in"},
		{"contact.signed_out", "Signed out"},
		{"contact.sign_in_failed", "Sign-in refused"},
		{"contact.sign_in_link_sent", "Sign-in link emailed"},
		{"contact.activated", "Account activated"},
		{"contact.password_reset_requested", "Password reset asked for"},
		{"contact.password_reset", "Password reset"},
		{"contact.previewed", "Previewed by the agency"},
		{"contact.weekly_report_sent", "Weekly report sent"},
		{"contact.unsubscribed", "Unsubscribed from the weekly report"},
	}},
	{"Client actions", []auditAction{
		{"portal.rated", "Rated a candidate"},
		{"portal.feedback", "Gave feedback"},
		{"portal.interview_requested", "Asked for an interview"},
		{"portal.approved", "Approved a candidate"},
		{"portal.hired", "Hired a candidate"},
		{"portal.rejected", "Rejected a candidate"},
	}},
	{"Share links", []auditAction{
		{"link.created", "Link sent or copied"},
		{"link.used", "Link opened"},
		{"link.refused", "Link refused"},
		{"link.renewed", "Fresh link emailed"},
		{"link.revoked", "Link expired by hand"},
	}},
	{"Portal accounts", []auditAction{
		{"contact.invited", "Invited"},
		{"contact.access_changed", "Access changed"},
		{"contact.disabled", "Access disabled"},
		{"contact.weekly_report_on", "Weekly report turned on"},
		{"contact.weekly_report_off", "Weekly report turned off"},
	}},
	{"Sharing", []auditAction{
		{"application.shared", "Candidate shared"},
		{"application.share_updated", "Share changed"},
		{"application.unshared", "Candidate unshared"},
		{"job.resumes_sent", "Résumés emailed"},
		{"visibility.changed", "Visible fields changed"},
	}},
	{"Shortlists", []auditAction{
		{"application.added", "Added to a shortlist"},
		{"application.moved", "Moved to a stage"},
		{"application.noted", "Note added"},
		{"application.removed", "Taken off a shortlist"},
	}},
	{"Clients and jobs", []auditAction{
		{"client.created", "Client added"},
		{"client.updated", "Client changed"},
		{"contact.created", "Contact added"},
		{"contact.updated", "Contact changed"},
		{"location.created", "Location added"},
		{"location.updated", "Location changed"},
		{"job.created", "Job opened"},
		{"job.updated", "Job changed"},
		{"job.status_changed", "Job status changed"},
		{"job.recruiters_set", "Job's recruiters changed"},
	}},
	{"Candidates", []auditAction{
		{"candidate.created", "Candidate added"},
		{"candidate.updated", "Candidate changed"},
		{"document.added", "Document added"},
		{"document.deleted", "Document deleted"},
	}},
	{"Tasks and alerts", []auditAction{
		{"task.created", "Task created"},
		{"task.updated", "Task changed"},
		{"task.reassigned", "Task reassigned"},
		{"task.completed", "Task completed"},
		{"task.reopened", "Task reopened"},
		{"task.cancelled", "Task cancelled"},
		{"alert.read", "Alert read"},
		{"alert.read_all", "All alerts read"},
	}},
	{"Agency users", []auditAction{
		{"user.signed_in", "Signed in"},
		{"user.signed_out", "Signed out"},
		{"user.sign_in_failed", "Sign-in refused"},
		{"user.created", "User added"},
		{"user.role_changed", "Role changed"},
		{"user.deactivated", "User deactivated"},
		{"user.reactivated", "User reactivated"},
		{"user.password_reset_requested", "Password reset asked for"},
		{"user.password_reset", "Password reset"},
		{"user.password_set", "Password changed"},
	}},
	{"Settings", []auditAction{
		{"agency.created", "Agency set up"},
		{"stage.created", "Stage added"},
		{"stage.renamed", "Stage renamed"},
		{"stage.moved", "Stages reordered"},
		{"stage.retired", "Stage retired"},
		{"stage.restored", "Stage restored"},
		{"stage.deleted", "Stage deleted"},
		{"portal_settings.updated", "Portal settings changed"},
		{"portal_settings.image_added", "Portal image added"},
	}},
}

// actionShape is what an action looks like: the audit takes one it
// doesn't list (a newer kind of event) as long as it has this shape.
var actionShape = regexp.MustCompile(`^[a-z_]{1,40}\.[a-z_]{1,40}$`)
