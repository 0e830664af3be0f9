package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"portico"
)

// clientsPerPage is the length of the clients list.
const clientsPerPage = 50

// idParam reads an optional numeric ID from the query: 0 when absent or
// malformed, which every filter reads as "any".
func idParam(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// postedID reads an optional numeric ID from a posted form: 0 when absent or
// malformed, which validation then names.
func postedID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(name)), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// idValue writes an ID for a form value.
func idValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// ownerChoices returns the agency's users for an owner choice: the active
// ones by name, and keep (the record's current owner) even if deactivated.
func (s *Server) ownerChoices(ctx context.Context, keep int64) ([]*portico.User, error) {
	active := true
	us, _, err := s.svc.Users.FindUsers(ctx, portico.UserFilter{Active: &active, Limit: 500})
	if err != nil || keep == 0 {
		return us, err
	}
	for _, u := range us {
		if u.ID == keep {
			return us, nil
		}
	}
	u, err := s.svc.Users.FindUserByID(ctx, keep)
	if err != nil {
		return us, nil // gone: the form simply doesn't offer them
	}
	return append(us, u), nil
}

// everyUser returns every agency user, active first, for list filters:
// a deactivated user may still own clients and jobs.
func (s *Server) everyUser(ctx context.Context) ([]*portico.User, error) {
	us, _, err := s.svc.Users.FindUsers(ctx, portico.UserFilter{Limit: 500})
	return us, err
}

func (s *Server) clients(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := portico.ClientFilter{Query: strings.TrimSpace(q.Get("q")), OwnerID: idParam(r, "owner"), Offset: offset(r), Limit: clientsPerPage}
	if st := portico.ClientStatus(q.Get("status")); st == portico.ClientActive || st == portico.ClientInactive {
		f.Status = st
	}
	cs, total, err := s.svc.Clients.FindClients(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := s.everyUser(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := url.Values{}
	for k, v := range map[string]string{"q": f.Query, "status": string(f.Status), "owner": idValue(f.OwnerID)} {
		if v != "" {
			base.Set(k, v)
		}
	}
	p := s.page(r, "Clients")
	p.Nav = "clients"
	p.Data = map[string]any{
		"Clients": cs, "Filter": f, "Filtered": len(base) > 0, "Users": users,
		"Pager": pager{Offset: f.Offset, Limit: f.Limit, Total: total, Base: base, Path: "/clients"},
	}
	s.render(w, r, http.StatusOK, "clients", p)
}

// clientForm renders the new or edit client form.
func (s *Server) clientForm(w http.ResponseWriter, r *http.Request, status int, c *portico.Client, form *Form) {
	var keep int64
	if c != nil {
		keep = c.OwnerID
	}
	users, err := s.ownerChoices(r.Context(), keep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Add client"
	if c != nil {
		title = "Edit " + c.Name
	}
	p := s.page(r, title)
	p.Nav = "clients"
	p.Form = form
	p.Data = map[string]any{"Client": c, "Users": users, "Statuses": []portico.ClientStatus{portico.ClientActive, portico.ClientInactive}}
	s.render(w, r, status, "client_form", p)
}

func (s *Server) newClientForm(w http.ResponseWriter, r *http.Request) {
	form := &Form{Values: url.Values{"status": {string(portico.ClientActive)}, "owner_id": {idValue(currentUser(r.Context()).ID)}}}
	s.clientForm(w, r, http.StatusOK, nil, form)
}

func clientInput(r *http.Request) portico.ClientInput {
	f := r.PostForm
	return portico.ClientInput{
		Name: f.Get("name"), Status: portico.ClientStatus(f.Get("status")), OwnerID: postedID(r, "owner_id"),
		Website: f.Get("website"), Phone: f.Get("phone"), Notes: f.Get("notes"),
	}
}

// clipName shortens a name for a confirmation message, which must fit in
// its cookie (300 bytes) with another name and the words around them.
func clipName(name string) string {
	const most = 80 // bytes
	if len(name) <= most {
		return name
	}
	n := most - len("…")
	for n > 0 && !utf8.RuneStart(name[n]) {
		n--
	}
	return strings.TrimSpace(name[:n]) + "…"
}

// correctable reports whether err is the user's to correct on the form.
func correctable(err error) bool {
	c := portico.ErrorCode(err)
	return c == portico.EINVALID || c == portico.ECONFLICT
}

func (s *Server) createClient(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.svc.Clients.CreateClient(r.Context(), clientInput(r))
	if correctable(err) {
		s.clientForm(w, r, statusOf(err), nil, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, clientPath(c.ID), clipName(c.Name)+" was added. Add a contact and a location next.")
}

func clientPath(id int64) string { return "/clients/" + strconv.FormatInt(id, 10) }

// findClient reads the {id} of the path as a client.
func (s *Server) findClient(r *http.Request) (*portico.Client, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Clients.FindClientByID(r.Context(), id)
}

func (s *Server) editClientForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &Form{Values: url.Values{
		"name": {c.Name}, "status": {string(c.Status)}, "owner_id": {idValue(c.OwnerID)},
		"website": {c.Website}, "phone": {c.Phone}, "notes": {c.Notes},
	}}
	s.clientForm(w, r, http.StatusOK, c, form)
}

func (s *Server) updateClient(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	old, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.svc.Clients.UpdateClient(r.Context(), old.ID, clientInput(r))
	if correctable(err) {
		s.clientForm(w, r, statusOf(err), old, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, clientPath(c.ID), "Changes to "+clipName(c.Name)+" were saved.")
}

// contactsPerPage and historyPerPage are the lengths of the lists on a
// client's page.
const (
	contactsPerPage = 25
	jobsOnClient    = 10
	historyPerPage  = 20
)

func (s *Server) clientPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.findClient(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	contactsAt, historyAt := offset(r), namedOffset(r, "history")
	contacts, contactTotal, err := s.svc.Clients.FindContacts(ctx, c.ID, contactsAt, contactsPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	locations, err := s.svc.Clients.FindLocations(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	jobs, jobTotal, err := s.svc.Jobs.FindJobs(ctx, portico.JobFilter{ClientID: c.ID, Limit: jobsOnClient})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, evTotal, err := s.svc.Events.FindEvents(ctx, portico.EventFilter{ClientID: c.ID, Offset: historyAt, Limit: historyPerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	path := clientPath(c.ID)
	contactBase, historyBase := url.Values{}, url.Values{}
	if historyAt > 0 {
		contactBase.Set("history", strconv.Itoa(historyAt))
	}
	if contactsAt > 0 {
		historyBase.Set("offset", strconv.Itoa(contactsAt))
	}
	p := s.page(r, c.Name)
	p.Nav = "clients"
	p.Data = map[string]any{
		"Client": c, "WebsiteURL": websiteURL(c.Website), "Contacts": contacts, "Locations": locations, "Jobs": jobs, "JobTotal": jobTotal, "Events": evs,
		"ContactPager": pager{Offset: contactsAt, Limit: contactsPerPage, Total: contactTotal, Base: contactBase, Path: path},
		"HistoryPager": subPager(path, "history", historyAt, historyPerPage, evTotal, historyBase, "#history-h"),
	}
	s.render(w, r, http.StatusOK, "client", p)
}

// websiteURL is a link to a client's website as typed ("acme.test" or
// "https://acme.test/"), "" when it isn't a web address.
func websiteURL(site string) string {
	if site == "" || strings.ContainsAny(site, " \t\n<>\"") {
		return ""
	}
	if !strings.Contains(site, "://") {
		site = "https://" + site
	}
	u, err := url.Parse(site)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") {
		return ""
	}
	return u.String()
}

// namedOffset reads a list offset from a named query parameter.
func namedOffset(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return min(max(n, 0), maxOffset)
}

// maxOffset bounds a list's offset far past any list's end, so the pager's
// sums can't overflow.
const maxOffset = 1 << 30

// subPage is a page of a second list on a page (the "pager" partial
// serves the first, with "offset").
type subPage struct {
	From, To, Total int
	Prev, Next      string
}

// subPager pages a list by the query parameter param, keeping base.
func subPager(path, param string, off, limit, total int, base url.Values, anchor string) subPage {
	link := func(o int) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		if o > 0 {
			v.Set(param, strconv.Itoa(o))
		}
		if len(v) == 0 {
			return path + anchor
		}
		return path + "?" + v.Encode() + anchor
	}
	lp := subPage{From: min(off+1, total), To: min(off+limit, total), Total: total}
	if off > 0 {
		lp.Prev = link(max(off-limit, 0))
	}
	if off+limit < total {
		lp.Next = link(off + limit)
	}
	return lp
}

// clientEventText says what a clients event did, for history lists.
func clientEventText(e *portico.Event) string {
	d := e.Details
	switch e.Action {
	case "client.created":
		return "added the client " + d["name"]
	case "client.updated":
		if st := d["status"]; st != "" {
			return "updated the client " + d["name"] + " (" + d["changed"] + "), now " + strings.ToLower(portico.ClientStatus(st).Label())
		}
		return "updated the client " + d["name"] + " (" + d["changed"] + ")"
	case "contact.created":
		return "added the contact " + d["name"]
	case "contact.updated":
		return "updated the contact " + d["name"] + " (" + d["changed"] + ")"
	case "location.created":
		return "added the location " + d["name"]
	case "location.updated":
		return "updated the location " + d["name"] + " (" + d["changed"] + ")"
	}
	return e.Action
}
