package portico

// Services is everything the web and the command line need from the store.
type Services struct {
	Agency       AgencyService
	Users        UserService
	Auth         AuthService
	Events       EventService
	Outbox       OutboxService
	Clients      ClientService
	Jobs         JobService
	Candidates   CandidateService
	Stages       StageService
	Applications ApplicationService
	Alerts       AlertService
	Tasks        TaskService

	Sharing        SharingService
	PortalAccounts PortalAccountService
	PortalAuth     PortalAuthService
	Portal         PortalViewer
	PortalActions  PortalActionService
	PortalSettings PortalSettingsService
	Links          LinkService
	WeeklyReports  WeeklyReportService
}
