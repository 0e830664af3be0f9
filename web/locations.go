package web

import (
	"net/http"
	"net/url"

	"portico"
)

// locationForm renders the new or edit location form for a client.
func (s *Server) locationForm(w http.ResponseWriter, r *http.Request, status int, c *portico.Client, l *portico.Location, form *Form) {
	title := "Add a location for " + c.Name
	if l != nil {
		title = "Edit " + l.Name
	}
	p := s.page(r, title)
	p.Nav = "clients"
	p.Form = form
	p.Data = map[string]any{"Client": c, "Location": l, "Zones": zoneChoices(form.Get("time_zone"))}
	s.render(w, r, status, "location_form", p)
}

// zoneChoices are the time zones a location form offers: the usual ones,
// and the current value if it is another valid zone.
func zoneChoices(current string) []string {
	if current == "" {
		return zones
	}
	for _, z := range zones {
		if z == current {
			return zones
		}
	}
	return append([]string{current}, zones...)
}

func (s *Server) newLocationForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	zone := "UTC"
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil && a.TimeZone != "" {
		zone = a.TimeZone
	}
	s.locationForm(w, r, http.StatusOK, c, nil, &Form{Values: url.Values{"time_zone": {zone}}})
}

func locationInput(r *http.Request) portico.LocationInput {
	f := r.PostForm
	return portico.LocationInput{Name: f.Get("name"), Address: f.Get("address"), TimeZone: f.Get("time_zone")}
}

func (s *Server) createLocation(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.svc.Clients.CreateLocation(r.Context(), c.ID, locationInput(r))
	if correctable(err) {
		form := formFrom(r, err)
		if form.Errors["time_zone"] != "" {
			form.Values.Del("time_zone") // not a zone: don't offer it back
		}
		s.locationForm(w, r, statusOf(err), c, nil, form)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, clientPath(c.ID)+"#locations-h", clipName(l.Name)+" was added to "+clipName(c.Name)+"'s locations.")
}

// findLocation reads the {id} of the path as a location, with its client.
func (s *Server) findLocation(r *http.Request) (*portico.Location, *portico.Client, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	l, err := s.svc.Clients.FindLocationByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.svc.Clients.FindClientByID(r.Context(), l.ClientID)
	return l, c, err
}

func (s *Server) editLocationForm(w http.ResponseWriter, r *http.Request) {
	l, c, err := s.findLocation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &Form{Values: url.Values{"name": {l.Name}, "address": {l.Address}, "time_zone": {l.TimeZone}}}
	s.locationForm(w, r, http.StatusOK, c, l, form)
}

func (s *Server) updateLocation(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	old, c, err := s.findLocation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.svc.Clients.UpdateLocation(r.Context(), old.ID, locationInput(r))
	if correctable(err) {
		form := formFrom(r, err)
		if form.Errors["time_zone"] != "" {
			form.Values.Del("time_zone")
		}
		s.locationForm(w, r, statusOf(err), c, old, form)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, clientPath(c.ID)+"#locations-h", "Changes to "+clipName(l.Name)+" were saved.")
}
