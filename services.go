package portico

// Services is everything the web and the command line need from the store.
type Services struct {
	Agency AgencyService
	Users  UserService
	Auth   AuthService
	Events EventService
	Outbox OutboxService
}
