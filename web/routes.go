package web

import "net/http"

// routes lists every route of the site.
func (s *Server) routes(mux *http.ServeMux) {
	// Health and assets.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /static/{file}", s.static)
	mux.HandleFunc("GET /favicon.ico", s.favicon)

	// First run.
	mux.HandleFunc("GET /setup", s.setupForm)
	mux.HandleFunc("POST /setup", s.setup)

	// Console sign-in and password reset.
	mux.HandleFunc("GET /signin", s.signinForm)
	mux.HandleFunc("POST /signin", s.signin)
	mux.HandleFunc("POST /signout", s.signout)
	mux.HandleFunc("GET /forgot", s.forgotForm)
	mux.HandleFunc("POST /forgot", s.forgot)
	mux.HandleFunc("GET /reset/{token}", s.resetForm)
	mux.HandleFunc("POST /reset/{token}", s.reset)

	// Console home.
	mux.Handle("GET /{$}", s.user(s.home))

	// Clients, their contacts and locations.
	mux.Handle("GET /clients", s.user(s.clients))
	mux.Handle("GET /clients/new", s.user(s.newClientForm))
	mux.Handle("POST /clients", s.user(s.createClient))
	mux.Handle("GET /clients/{id}", s.user(s.clientPage))
	mux.Handle("GET /clients/{id}/edit", s.user(s.editClientForm))
	mux.Handle("POST /clients/{id}", s.user(s.updateClient))
	mux.Handle("GET /clients/{id}/contacts/new", s.user(s.newContactForm))
	mux.Handle("POST /clients/{id}/contacts", s.user(s.createContact))
	mux.Handle("GET /contacts/{id}", s.user(s.contactPage))
	mux.Handle("GET /contacts/{id}/edit", s.user(s.editContactForm))
	mux.Handle("POST /contacts/{id}", s.user(s.updateContact))
	mux.Handle("GET /clients/{id}/locations/new", s.user(s.newLocationForm))
	mux.Handle("POST /clients/{id}/locations", s.user(s.createLocation))
	mux.Handle("GET /locations/{id}/edit", s.user(s.editLocationForm))
	mux.Handle("POST /locations/{id}", s.user(s.updateLocation))

	// Jobs and their shortlists.
	mux.Handle("GET /jobs", s.user(s.jobs))
	mux.Handle("GET /jobs/new", s.user(s.newJobForm))
	mux.Handle("POST /jobs", s.user(s.createJob))
	mux.Handle("GET /jobs/{id}", s.user(s.jobPage))
	mux.Handle("GET /jobs/{id}/edit", s.user(s.editJobForm))
	mux.Handle("POST /jobs/{id}", s.user(s.updateJob))
	mux.Handle("POST /jobs/{id}/shortlist", s.user(s.addToShortlist))
	mux.Handle("POST /shortlist", s.user(s.addToChosenShortlist))
	mux.Handle("GET /applications/{id}", s.user(s.applicationPage))
	mux.Handle("POST /applications/{id}/stage", s.user(s.moveApplication))
	mux.Handle("POST /applications/{id}/notes", s.user(s.addNote))
	mux.Handle("POST /applications/{id}/remove", s.user(s.removeApplication))

	// Candidates and their documents.
	mux.Handle("GET /candidates", s.user(s.candidates))
	mux.Handle("GET /candidates/new", s.user(s.newCandidateForm))
	mux.Handle("POST /candidates", s.user(s.createCandidate))
	mux.Handle("GET /candidates/{id}", s.user(s.candidatePage))
	mux.Handle("GET /candidates/{id}/edit", s.user(s.editCandidateForm))
	mux.Handle("POST /candidates/{id}", s.user(s.updateCandidate))
	mux.Handle("POST /candidates/{id}/documents", s.user(s.uploadDocument))
	mux.Handle("GET /documents/{id}", s.user(s.document))
	mux.Handle("POST /documents/{id}/delete", s.user(s.deleteDocument))

	// Alerts, tasks and live updates.
	mux.Handle("GET /alerts", s.user(s.alerts))
	mux.Handle("POST /alerts/{id}/read", s.user(s.readAlert))
	mux.Handle("POST /alerts/read-all", s.user(s.readAllAlerts))
	mux.Handle("GET /tasks", s.user(s.tasks))
	mux.Handle("GET /tasks/new", s.user(s.newTaskForm))
	mux.Handle("POST /tasks", s.user(s.createTask))
	mux.Handle("GET /tasks/{id}", s.user(s.taskPage))
	mux.Handle("POST /tasks/{id}", s.user(s.updateTask))
	mux.Handle("POST /tasks/{id}/status", s.user(s.setTaskStatus))
	mux.Handle("GET /live", s.user(s.live))

	// Admin.
	mux.Handle("GET /users", s.admin(s.users))
	mux.Handle("GET /users/new", s.admin(s.newUserForm))
	mux.Handle("POST /users", s.admin(s.createUser))
	mux.Handle("GET /users/{id}", s.admin(s.userPage))
	mux.Handle("POST /users/{id}", s.admin(s.updateUser))
	mux.Handle("GET /stages", s.admin(s.stages))
	mux.Handle("POST /stages", s.admin(s.createStage))
	mux.Handle("GET /stages/{id}/edit", s.admin(s.editStageForm))
	mux.Handle("POST /stages/{id}", s.admin(s.updateStage))
	mux.Handle("POST /stages/{id}/move", s.admin(s.moveStage))
	mux.Handle("POST /stages/{id}/retire", s.admin(s.retireStage))
	mux.Handle("POST /stages/{id}/restore", s.admin(s.restoreStage))
	mux.Handle("GET /outbox", s.admin(s.outbox))
	mux.Handle("GET /outbox/{id}", s.admin(s.outboxMessage))
	mux.Handle("GET /outbox/{id}/html", s.admin(s.outboxMessageHTML))

	// Sharing with clients (agency side).
	mux.Handle("GET /applications/{id}/share", s.user(s.shareForm))
	mux.Handle("POST /applications/{id}/share", s.user(s.share))
	mux.Handle("POST /applications/{id}/unshare", s.user(s.unshare))
	mux.Handle("POST /jobs/{id}/sharing", s.user(s.bulkShare))
	mux.Handle("GET /jobs/{id}/send", s.user(s.sendResumesForm))
	mux.Handle("POST /jobs/{id}/send", s.user(s.sendResumes))
	mux.Handle("GET /jobs/{id}/visibility", s.user(s.jobVisibilityForm))
	mux.Handle("POST /jobs/{id}/visibility", s.user(s.setJobVisibility))
	mux.Handle("GET /clients/{id}/visibility", s.user(s.clientVisibilityForm))
	mux.Handle("POST /clients/{id}/visibility", s.user(s.setClientVisibility))
	mux.Handle("GET /settings/visibility", s.admin(s.agencyVisibilityForm))
	mux.Handle("POST /settings/visibility", s.admin(s.setAgencyVisibility))

	// Portal accounts (agency side).
	mux.Handle("POST /contacts/{id}/invite", s.user(s.inviteContact))
	mux.Handle("POST /contacts/{id}/disable", s.user(s.disableContact))
	mux.Handle("POST /contacts/{id}/access", s.user(s.setContactAccess))

	// The client portal: sign-in.
	mux.HandleFunc("GET /portal/signin", s.portalSigninForm)
	mux.HandleFunc("POST /portal/signin", s.portalSignin)
	mux.HandleFunc("POST /portal/signout", s.portalSignout)
	mux.HandleFunc("GET /portal/activate/{token}", s.portalActivateForm)
	mux.HandleFunc("POST /portal/activate/{token}", s.portalActivate)
	mux.HandleFunc("GET /portal/link", s.portalLinkForm)
	mux.HandleFunc("POST /portal/link", s.portalRequestLink)
	mux.HandleFunc("GET /portal/link/{token}", s.portalLinkPage)
	mux.HandleFunc("POST /portal/link/{token}", s.portalUseLink)
	mux.HandleFunc("GET /portal/forgot", s.portalForgotForm)
	mux.HandleFunc("POST /portal/forgot", s.portalForgot)
	mux.HandleFunc("GET /portal/reset/{token}", s.portalResetForm)
	mux.HandleFunc("POST /portal/reset/{token}", s.portalReset)

	// The client portal: pages and actions, for signed-in contacts.
	mux.Handle("GET /portal", s.contact(s.portalHome))
	mux.Handle("GET /portal/jobs/{job}", s.contact(s.portalJob))
	mux.Handle("POST /portal/columns", s.contact(s.portalSetColumns))
	mux.Handle("GET /portal/jobs/{job}/export.xlsx", s.contact(s.portalExport))
	mux.Handle("GET /portal/jobs/{job}/candidates/{app}", s.contact(s.portalCandidate))
	mux.Handle("GET /portal/jobs/{job}/candidates/{app}/resume", s.contact(s.portalResume))
	mux.Handle("POST /portal/jobs/{job}/candidates/{app}/rating", s.contact(s.portalRate))
	mux.Handle("POST /portal/jobs/{job}/candidates/{app}/feedback", s.contact(s.portalFeedback))
	mux.Handle("POST /portal/jobs/{job}/candidates/{app}/interview", s.contact(s.portalInterview))
	mux.Handle("POST /portal/jobs/{job}/candidates/{app}/hire", s.contact(s.portalHire))
	mux.Handle("POST /portal/jobs/{job}/candidates/{app}/reject", s.contact(s.portalReject))

	// Portal settings and branding (agency side), and what branding serves.
	mux.Handle("GET /settings/portal", s.admin(s.agencyPortalSettingsForm))
	mux.Handle("POST /settings/portal", s.admin(s.setAgencyPortalSettings))
	mux.Handle("GET /clients/{id}/portal", s.user(s.clientPortalSettingsForm))
	mux.Handle("POST /clients/{id}/portal", s.user(s.setClientPortalSettings))
	mux.Handle("GET /jobs/{id}/recruiters", s.user(s.jobRecruitersForm))
	mux.Handle("POST /jobs/{id}/recruiters", s.user(s.setJobRecruiters))
	mux.HandleFunc("GET /portal/images/{key}", s.portalImage)
	mux.HandleFunc("GET /portal/theme/{key}", s.portalTheme)
	mux.Handle("POST /portal/jobs/{job}/candidates/{app}/approve", s.contact(s.portalApprove))
	mux.Handle("GET /portal/jobs/{job}/candidates/{app}/documents/{doc}", s.contact(s.portalDocument))

	// Share links, a contact's record of portal use, and previews.
	mux.Handle("GET /jobs/{id}/tracker", s.user(s.shareTrackerForm))
	mux.Handle("POST /jobs/{id}/tracker", s.user(s.shareTracker))
	mux.Handle("GET /clients/{id}/tracker", s.user(s.shareTrackerForm))
	mux.Handle("POST /clients/{id}/tracker", s.user(s.shareTracker))
	mux.Handle("POST /links/{id}/revoke", s.user(s.revokeLink))
	mux.Handle("GET /contacts/{id}/activity.csv", s.user(s.contactActivityCSV))
	mux.Handle("POST /contacts/{id}/preview", s.user(s.startPreview))
	mux.HandleFunc("POST /portal/preview/end", s.endPreview)
	mux.HandleFunc("GET /portal/l/{token}", s.shareLinkPage)
	mux.HandleFunc("POST /portal/l/{token}", s.openShareLink)
	mux.HandleFunc("POST /portal/l/{token}/renew", s.renewShareLink)
	mux.HandleFunc("GET /portal/l/{token}/renewed", s.shareLinkRenewed)

	// The weekly report's subscriptions, and the audit.
	mux.Handle("POST /contacts/{id}/weekly-report", s.user(s.setContactWeeklyReport))
	mux.HandleFunc("GET /portal/unsubscribe/{token}", s.unsubscribePage)
	mux.HandleFunc("POST /portal/unsubscribe/{token}", s.unsubscribe)
	mux.Handle("GET /audit", s.admin(s.audit))
	mux.Handle("GET /audit.csv", s.admin(s.auditCSV))

	mux.HandleFunc("GET /", s.notFound)
}
