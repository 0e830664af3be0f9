package web

import (
	"net/http"
	"strconv"

	"portico"
)

// pathID reads a numeric ID from the path; a malformed one is a 404, like
// an unknown one.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, portico.Errorf(portico.ENOTFOUND, "There's no such record. It may have been removed, or the link may be mistyped.")
	}
	return id, nil
}

// offset reads the list offset from the query.
func offset(r *http.Request) int { return namedOffset(r, "offset") }

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	f := portico.UserFilter{Offset: offset(r), Limit: 50}
	us, total, err := s.svc.Users.FindUsers(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Users")
	p.Nav = "users"
	p.Data = map[string]any{"Users": us, "Pager": pager{Offset: f.Offset, Limit: f.Limit, Total: total, Path: "/users"}}
	s.render(w, r, http.StatusOK, "users", p)
}

func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Add user")
	p.Nav = "users"
	s.render(w, r, http.StatusOK, "user_new", p)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	u, err := s.svc.Users.CreateUser(r.Context(), portico.NewUser{
		Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone"),
		Role: portico.Role(f.Get("role")), Password: f.Get("password"),
	})
	if err != nil {
		if code := portico.ErrorCode(err); code != portico.EINVALID && code != portico.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		p := s.page(r, "Add user")
		p.Nav = "users"
		p.Form = formFrom(r, err)
		s.render(w, r, statusOf(err), "user_new", p)
		return
	}
	s.redirect(w, r, "/users", u.Name+" was added as "+u.Role.Label()+". They can sign in now.")
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	s.showUser(w, r, http.StatusOK, nil)
}

// showUser renders a user's page, with a form error when a change failed.
func (s *Server) showUser(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.svc.Users.FindUserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, _, err := s.svc.Events.FindEvents(r.Context(), portico.EventFilter{SubjectType: "user", SubjectID: id, Limit: 20})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, u.Name)
	p.Nav = "users"
	if formErr != nil {
		p.Form = formFrom(r, formErr)
	}
	p.Data = map[string]any{"Subject": u, "Events": evs}
	s.render(w, r, status, "user", p)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var upd portico.UserUpdate
	var done string
	switch r.PostForm.Get("action") {
	case "role":
		role := portico.Role(r.PostForm.Get("role"))
		upd.Role, done = &role, "Role changed to "+role.Label()+"."
	case "deactivate":
		f := false
		upd.Active, done = &f, "Deactivated. They were signed out everywhere."
	case "reactivate":
		t := true
		upd.Active, done = &t, "Reactivated. They can sign in again."
	default:
		s.renderError(w, r, http.StatusBadRequest, "Portico didn't understand that change. Reload the page and try again.")
		return
	}
	u, err := s.svc.Users.UpdateUser(r.Context(), id, upd)
	if err != nil {
		if c := portico.ErrorCode(err); c == portico.ECONFLICT || c == portico.EINVALID {
			s.showUser(w, r, statusOf(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), u.Name+": "+done)
}
