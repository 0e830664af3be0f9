package web

import (
	"net/http"
	"net/url"
	"strconv"

	"portico"
)

func contactPath(id int64) string { return "/contacts/" + strconv.FormatInt(id, 10) }

// contactForm renders the new or edit contact form for a client.
func (s *Server) contactForm(w http.ResponseWriter, r *http.Request, status int, c *portico.Client, k *portico.Contact, form *Form) {
	title := "Add a contact at " + c.Name
	if k != nil {
		title = "Edit " + k.Name
	}
	p := s.page(r, title)
	p.Nav = "clients"
	p.Form = form
	p.Data = map[string]any{"Client": c, "Contact": k}
	s.render(w, r, status, "contact_form", p)
}

func (s *Server) newContactForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.contactForm(w, r, http.StatusOK, c, nil, &Form{})
}

func contactInput(r *http.Request) portico.ContactInput {
	f := r.PostForm
	return portico.ContactInput{Name: f.Get("name"), Title: f.Get("title"), Email: f.Get("email"), Phone: f.Get("phone")}
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.svc.Clients.CreateContact(r.Context(), c.ID, contactInput(r))
	if correctable(err) {
		s.contactForm(w, r, statusOf(err), c, nil, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, clientPath(c.ID)+"#contacts-h", clipName(k.Name)+" was added as a contact at "+clipName(c.Name)+".")
}

// findContact reads the {id} of the path as a contact, with their client.
func (s *Server) findContact(r *http.Request) (*portico.Contact, *portico.Client, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	k, err := s.svc.Clients.FindContactByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.svc.Clients.FindClientByID(r.Context(), k.ClientID)
	return k, c, err
}

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request) {
	s.showContact(w, r, http.StatusOK, nil, r.URL.Query().Get("confirm") == "disable")
}

// showContact renders a contact's page; form carries a failed portal
// access change back to its panel, and confirm asks to confirm disabling
// their portal access.
func (s *Server) showContact(w http.ResponseWriter, r *http.Request, status int, form *Form, confirm bool) {
	k, c, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	at := offset(r)
	evs, total, err := s.svc.Events.FindEvents(r.Context(), portico.EventFilter{SubjectType: "contact", SubjectID: k.ID, Offset: at, Limit: historyPerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	access, err := s.portalAccessOf(r, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	access.Form, access.Confirm = form, confirm && k.PortalStatus != portico.PortalDisabled && k.PortalStatus != portico.PortalNotRegistered
	p := s.page(r, k.Name)
	p.Nav = "clients"
	activity, st, err := s.loadContactActivity(r, k, p.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if status == http.StatusOK {
		status = st
	}
	p.Data = map[string]any{"Contact": k, "Client": c, "Events": evs, "Access": access, "Activity": activity,
		"CanPreview": k.PortalStatus == portico.PortalPending || k.PortalStatus == portico.PortalConnected,
		"Pager":      pager{Offset: at, Limit: historyPerPage, Total: total, Path: contactPath(k.ID)}}
	s.render(w, r, status, "contact", p)
}

func (s *Server) editContactForm(w http.ResponseWriter, r *http.Request) {
	k, c, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &Form{Values: url.Values{"name": {k.Name}, "title": {k.Title}, "email": {k.Email}, "phone": {k.Phone}}}
	s.contactForm(w, r, http.StatusOK, c, k, form)
}

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	old, c, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.svc.Clients.UpdateContact(r.Context(), old.ID, contactInput(r))
	if correctable(err) {
		s.contactForm(w, r, statusOf(err), c, old, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, contactPath(k.ID), "Changes to "+clipName(k.Name)+" were saved.")
}
