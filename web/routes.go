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

	// Console.
	mux.Handle("GET /{$}", s.user(s.home))

	// Admin.
	mux.Handle("GET /users", s.admin(s.users))
	mux.Handle("GET /users/new", s.admin(s.newUserForm))
	mux.Handle("POST /users", s.admin(s.createUser))
	mux.Handle("GET /users/{id}", s.admin(s.userPage))
	mux.Handle("POST /users/{id}", s.admin(s.updateUser))
	mux.Handle("GET /outbox", s.admin(s.outbox))
	mux.Handle("GET /outbox/{id}", s.admin(s.outboxMessage))
	mux.Handle("GET /outbox/{id}/html", s.admin(s.outboxMessageHTML))

	mux.HandleFunc("GET /", s.notFound)
}
