package web

import (
	"net/http"
	"slices"

	"portico"
)

// zones are offered on the setup page; any IANA name is accepted.
var zones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Amsterdam",
	"Europe/Brussels", "Europe/Madrid", "Europe/Rome", "Europe/Zurich", "Europe/Stockholm", "Europe/Oslo",
	"Europe/Copenhagen", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Vienna", "Europe/Athens",
	"Europe/Bucharest", "Europe/Istanbul", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi", "Africa/Cairo",
	"Asia/Dubai", "Asia/Riyadh", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta",
	"Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Tokyo",
	"Asia/Seoul", "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
	"Australia/Melbourne", "Pacific/Auckland", "America/St_Johns", "America/Halifax", "America/Toronto",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Vancouver", "America/Anchorage", "Pacific/Honolulu", "America/Mexico_City", "America/Bogota",
	"America/Lima", "America/Santiago", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
}

func init() { slices.Sort(zones) }

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Agency.Agency(r.Context()); err == nil {
		s.redirect(w, r, "/signin", "Portico is set up. Sign in to continue.")
		return
	}
	p := s.page(r, "Set up Portico")
	p.Form = &Form{}
	p.Form.Values = map[string][]string{"time_zone": {"Europe/London"}}
	p.Data = map[string]any{"Token": r.URL.Query().Get("token"), "Zones": zones}
	s.render(w, r, http.StatusOK, "setup", p)
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	token := f.Get("token")
	u, err := s.svc.Agency.CompleteSetup(r.Context(), token, portico.Setup{
		AgencyName: f.Get("agency_name"), TimeZone: f.Get("time_zone"),
		AdminName: f.Get("name"), AdminEmail: f.Get("email"), Password: f.Get("password"),
	})
	switch portico.ErrorCode(err) {
	case "":
	case portico.EINVALID:
		p := s.page(r, "Set up Portico")
		p.Form = formFrom(r, err)
		p.Data = map[string]any{"Token": token, "Zones": zones}
		s.render(w, r, statusOf(err), "setup", p)
		return
	default:
		s.fail(w, r, err)
		return
	}
	// Sign the new admin straight in.
	sessionToken, _, err := s.svc.Auth.SignIn(r.Context(), u.Email, f.Get("password"))
	if err != nil {
		s.redirect(w, r, "/signin", "Your agency is ready. Sign in to continue.")
		return
	}
	s.setCookie(w, sessionCookie, sessionToken, int(portico.SessionMaxAge.Seconds()))
	s.redirect(w, r, "/", "Your agency is ready. Add your colleagues under Users.")
}
