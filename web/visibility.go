package web

import (
	"net/http"
	"net/url"

	"portico"
)

// Visible fields: which candidate details clients see. The agency default
// (admins), a client's override and a job's override share one form.

// visibilityView is what the form shows.
type visibilityView struct {
	Scope     portico.VisibilityScope
	ID        int64
	Action    string // where the form posts
	Back      string // the page it belongs to
	BackLabel string
	Name      string // the client's name or the job's title
	ClientID  int64  // for a job: its client
	Client    string // for a job: its client's name
	Set       bool   // the scope has its own setting
	Inherits  string // what it uses otherwise: "the agency default", "Northwind's setting"
	Current   portico.Visibility
	Fields    []fieldChoice
	IsAdmin   bool
}

// fieldChoice is one checkbox.
type fieldChoice struct {
	Field   portico.CandidateField
	Label   string
	Checked bool
}

func (s *Server) agencyVisibilityForm(w http.ResponseWriter, r *http.Request) {
	s.showVisibility(w, r, portico.ScopeAgency, http.StatusOK, nil)
}

func (s *Server) clientVisibilityForm(w http.ResponseWriter, r *http.Request) {
	s.showVisibility(w, r, portico.ScopeClient, http.StatusOK, nil)
}

func (s *Server) jobVisibilityForm(w http.ResponseWriter, r *http.Request) {
	s.showVisibility(w, r, portico.ScopeJob, http.StatusOK, nil)
}

// loadVisibility reads the scope's record and its setting.
func (s *Server) loadVisibility(r *http.Request, scope portico.VisibilityScope) (*visibilityView, error) {
	ctx := r.Context()
	v := &visibilityView{Scope: scope, IsAdmin: currentUser(ctx).Role == portico.RoleAdmin}
	switch scope {
	case portico.ScopeAgency:
		v.Action, v.Back, v.BackLabel = "/settings/visibility", "/", "Home"
	case portico.ScopeClient:
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		c, err := s.svc.Clients.FindClientByID(ctx, id)
		if err != nil {
			return nil, err
		}
		v.ID, v.Name, v.Inherits = id, c.Name, "the agency default"
		v.Back, v.BackLabel = clientPath(id), c.Name
		v.Action = v.Back + "/visibility"
	case portico.ScopeJob:
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		j, err := s.svc.Jobs.FindJobByID(ctx, id)
		if err != nil {
			return nil, err
		}
		v.ID, v.Name, v.ClientID, v.Client = id, j.Title, j.ClientID, j.ClientName
		v.Back, v.BackLabel = jobPath(id), j.Title
		v.Action = v.Back + "/visibility"
		_, clientSet, err := s.svc.Sharing.Visibility(ctx, portico.ScopeClient, j.ClientID)
		if err != nil {
			return nil, err
		}
		v.Inherits = "the agency default"
		if clientSet {
			v.Inherits = "the setting for " + j.ClientName
		}
	}
	cur, set, err := s.svc.Sharing.Visibility(ctx, scope, v.ID)
	if err != nil {
		return nil, err
	}
	v.Current, v.Set = cur, set
	return v, nil
}

// choices lists the checkboxes, checked from the form when it came back,
// else from the setting.
func (v *visibilityView) choices(form url.Values) {
	on := map[portico.CandidateField]bool{}
	if form != nil {
		for _, f := range form["field"] {
			on[portico.CandidateField(f)] = true
		}
	} else {
		for _, f := range v.Current.Fields {
			on[f] = true
		}
	}
	v.Fields = nil
	for _, f := range portico.CandidateFields {
		v.Fields = append(v.Fields, fieldChoice{Field: f, Label: f.Label(), Checked: on[f]})
	}
}

func (s *Server) showVisibility(w http.ResponseWriter, r *http.Request, scope portico.VisibilityScope, status int, formErr error) {
	v, err := s.loadVisibility(r, scope)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Visible fields"
	p := s.page(r, title)
	switch scope {
	case portico.ScopeClient:
		p.Title, p.Nav = "Visible fields for "+v.Name, "clients"
	case portico.ScopeJob:
		p.Title, p.Nav = "Visible fields for "+v.Name, "jobs"
	default:
		p.Nav = "visibility"
	}
	var form url.Values
	if formErr != nil {
		p.Form = formFrom(r, formErr)
		form = r.PostForm
	} else {
		mode := "custom"
		if !v.Set && scope != portico.ScopeAgency {
			mode = "inherit"
		}
		vals := url.Values{"mode": {mode}}
		if v.Current.Anonymous {
			vals.Set("anonymous", "on")
		}
		p.Form = &Form{Values: vals}
	}
	v.choices(form)
	p.Data = v
	s.render(w, r, status, "visibility", p)
}

func (s *Server) setAgencyVisibility(w http.ResponseWriter, r *http.Request) {
	s.setVisibility(w, r, portico.ScopeAgency)
}

func (s *Server) setClientVisibility(w http.ResponseWriter, r *http.Request) {
	s.setVisibility(w, r, portico.ScopeClient)
}

func (s *Server) setJobVisibility(w http.ResponseWriter, r *http.Request) {
	s.setVisibility(w, r, portico.ScopeJob)
}

func (s *Server) setVisibility(w http.ResponseWriter, r *http.Request, scope portico.VisibilityScope) {
	if !s.parseForm(w, r) {
		return
	}
	v, err := s.loadVisibility(r, scope)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	f := r.PostForm
	var msg string
	switch mode := f.Get("mode"); {
	case mode == "inherit" && scope != portico.ScopeAgency:
		err = s.svc.Sharing.ClearVisibility(ctx, scope, v.ID)
		msg = v.Name + " uses " + v.Inherits + " again."
	case mode == "custom" || scope == portico.ScopeAgency:
		in := portico.Visibility{Anonymous: f.Get("anonymous") != ""}
		for _, x := range f["field"] {
			in.Fields = append(in.Fields, portico.CandidateField(x))
		}
		err = s.svc.Sharing.SetVisibility(ctx, scope, v.ID, in)
		switch scope {
		case portico.ScopeAgency:
			msg = "Saved. Clients see these fields, unless a client or a job has its own setting."
		case portico.ScopeClient:
			msg = "Saved. " + v.Name + " sees these fields on every job, unless a job has its own setting."
		default:
			msg = "Saved. " + v.Client + " sees these fields for " + v.Name + "."
		}
	default:
		err = portico.FieldError("mode", "Choose whether to use "+v.Inherits+" or a custom setting.")
	}
	if err != nil {
		if portico.ErrorCode(err) == portico.EINVALID {
			s.showVisibility(w, r, scope, statusOf(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	to := v.Back
	if scope == portico.ScopeAgency {
		to = "/settings/visibility"
	} else if scope == portico.ScopeJob {
		to += "#portal-h"
	}
	s.redirect(w, r, to, msg)
}

// visibilitySummary lists the labels of the visible fields, for the job
// page's portal box.
func visibilitySummary(v portico.Visibility) string {
	out := ""
	for i, f := range v.Fields {
		if i > 0 {
			out += ", "
		}
		out += f.Label()
	}
	if out == "" {
		out = "no details beyond the name"
	}
	return out
}
