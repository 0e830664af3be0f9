package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portico"
)

// jobsPerPage is the length of the jobs list.
const jobsPerPage = 50

// clientChoices is how many clients a select offers; beyond that, a job's
// client is chosen from the client's page ("Open a job").
const clientChoices = 500

func jobPath(id int64) string { return "/jobs/" + strconv.FormatInt(id, 10) }

func (s *Server) jobs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := portico.JobFilter{Query: strings.TrimSpace(q.Get("q")), ClientID: idParam(r, "client"), OwnerID: idParam(r, "owner"),
		Offset: offset(r), Limit: jobsPerPage}
	for _, st := range portico.JobStatuses {
		if q.Get("status") == string(st) {
			f.Status = st
		}
	}
	ctx := r.Context()
	js, total, err := s.svc.Jobs.FindJobs(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := s.everyUser(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	clients, _, err := s.svc.Clients.FindClients(ctx, portico.ClientFilter{Limit: clientChoices})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	clients, err = s.withClient(r, clients, f.ClientID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := url.Values{}
	for k, v := range map[string]string{"q": f.Query, "status": string(f.Status), "client": idValue(f.ClientID), "owner": idValue(f.OwnerID)} {
		if v != "" {
			base.Set(k, v)
		}
	}
	me := currentUser(ctx)
	p := s.page(r, "Jobs")
	p.Nav = "jobs"
	p.Data = map[string]any{
		"Jobs": js, "Filter": f, "Filtered": len(base) > 0, "Users": users, "Clients": clients, "Statuses": portico.JobStatuses,
		"Mine":  "/jobs?" + url.Values{"owner": {idValue(me.ID)}, "status": {string(portico.JobOpen)}}.Encode(),
		"Pager": pager{Offset: f.Offset, Limit: f.Limit, Total: total, Base: base, Path: "/jobs"},
	}
	s.render(w, r, http.StatusOK, "jobs", p)
}

// withClient makes sure a chosen client is among a select's clients, when
// the list was cut short or leaves them out; an unknown ID is left out.
func (s *Server) withClient(r *http.Request, cs []*portico.Client, id int64) ([]*portico.Client, error) {
	if id == 0 {
		return cs, nil
	}
	for _, c := range cs {
		if c.ID == id {
			return cs, nil
		}
	}
	c, err := s.svc.Clients.FindClientByID(r.Context(), id)
	if portico.ErrorCode(err) == portico.ENOTFOUND {
		return cs, nil
	} else if err != nil {
		return nil, err
	}
	return append([]*portico.Client{c}, cs...), nil
}

// jobForm renders the new or edit job form. The locations offered are the
// chosen client's. A new job's client was chosen in a first step; an edit
// may move the job to another client, and if its location then doesn't
// fit, the form comes back offering the new client's locations.
func (s *Server) jobForm(w http.ResponseWriter, r *http.Request, status int, j *portico.Job, form *Form) {
	ctx := r.Context()
	active := portico.ClientFilter{Status: portico.ClientActive, Limit: clientChoices}
	clients, _, err := s.svc.Clients.FindClients(ctx, active)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	clientID, _ := strconv.ParseInt(form.Get("client_id"), 10, 64)
	if clients, err = s.withClient(r, clients, clientID); err != nil {
		s.fail(w, r, err)
		return
	}
	var client *portico.Client
	for _, c := range clients {
		if c.ID == clientID {
			client = c
		}
	}
	var locations []*portico.Location
	if client != nil {
		if locations, err = s.svc.Clients.FindLocations(ctx, client.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	var keep int64
	if j != nil {
		keep = j.OwnerID
	}
	users, err := s.ownerChoices(ctx, keep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Open a job"
	if j != nil {
		title = "Edit " + j.Title
	}
	p := s.page(r, title)
	p.Nav = "jobs"
	p.Form = form
	p.Data = map[string]any{
		"Job": j, "Clients": clients, "Client": client, "Locations": locations, "Users": users,
		"Types": portico.JobTypes, "Statuses": portico.JobStatuses,
	}
	s.render(w, r, status, "job_form", p)
}

func (s *Server) newJobForm(w http.ResponseWriter, r *http.Request) {
	form := &Form{Values: url.Values{
		"owner_id": {idValue(currentUser(r.Context()).ID)}, "type": {string(portico.JobPermanent)},
		"status": {string(portico.JobOpen)}, "openings": {"1"},
	}}
	if !r.URL.Query().Has("client") {
		s.chooseJobClient(w, r, http.StatusOK, nil)
		return
	}
	id := idParam(r, "client")
	if id == 0 {
		s.chooseJobClient(w, r, http.StatusUnprocessableEntity, map[string]string{"client": "Choose the client the job is for."})
		return
	}
	c, err := s.svc.Clients.FindClientByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Status != portico.ClientActive {
		s.chooseJobClient(w, r, http.StatusUnprocessableEntity, map[string]string{
			"client": c.Name + " is inactive. Make the client active before opening a job for them."})
		return
	}
	form.Values.Set("client_id", idValue(id))
	s.jobForm(w, r, http.StatusOK, nil, form)
}

// chooseJobClient is the first step of opening a job without a client in
// mind: which client it is for. The form then offers that client's
// locations, with no script needed.
func (s *Server) chooseJobClient(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) {
	clients, total, err := s.svc.Clients.FindClients(r.Context(), portico.ClientFilter{Status: portico.ClientActive, Limit: clientChoices})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Open a job")
	p.Nav = "jobs"
	p.Form = &Form{Values: r.URL.Query(), Errors: errs}
	if errs != nil {
		p.Form.Message = "Please correct the highlighted fields."
	}
	p.Data = map[string]any{"Step": true, "Clients": clients, "More": total > len(clients)}
	s.render(w, r, status, "job_form", p)
}

func jobInput(r *http.Request) portico.JobInput {
	f := r.PostForm
	openings, err := strconv.Atoi(strings.TrimSpace(f.Get("openings")))
	if err != nil {
		openings = 0 // validation asks for a number
	}
	return portico.JobInput{
		ClientID: postedID(r, "client_id"), LocationID: postedID(r, "location_id"), OwnerID: postedID(r, "owner_id"),
		Title: f.Get("title"), Description: f.Get("description"),
		Type: portico.JobType(f.Get("type")), Openings: openings, Status: portico.JobStatus(f.Get("status")),
		StartDate: portico.Date(strings.TrimSpace(f.Get("start_date"))), CloseDate: portico.Date(strings.TrimSpace(f.Get("close_date"))),
	}
}

func (s *Server) createJob(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	j, err := s.svc.Jobs.CreateJob(r.Context(), jobInput(r))
	if correctable(err) {
		s.jobForm(w, r, statusOf(err), nil, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, jobPath(j.ID), clipName(j.Title)+" is open for "+clipName(j.ClientName)+". Add candidates to its shortlist.")
}

// findJobForForm reads the {id} of the path as a job.
func (s *Server) findJobForForm(r *http.Request) (*portico.Job, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Jobs.FindJobByID(r.Context(), id)
}

func (s *Server) editJobForm(w http.ResponseWriter, r *http.Request) {
	j, err := s.findJobForForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &Form{Values: url.Values{
		"client_id": {idValue(j.ClientID)}, "location_id": {idValue(j.LocationID)}, "owner_id": {idValue(j.OwnerID)},
		"title": {j.Title}, "description": {j.Description}, "type": {string(j.Type)}, "openings": {strconv.Itoa(j.Openings)},
		"status": {string(j.Status)}, "start_date": {string(j.StartDate)}, "close_date": {string(j.CloseDate)},
	}}
	s.jobForm(w, r, http.StatusOK, j, form)
}

func (s *Server) updateJob(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	old, err := s.findJobForForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j, err := s.svc.Jobs.UpdateJob(r.Context(), old.ID, jobInput(r))
	if correctable(err) {
		s.jobForm(w, r, statusOf(err), old, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, jobPath(j.ID), "Changes to "+clipName(j.Title)+" were saved.")
}

// jobRecordEventText words the events of a job's own record (created,
// edited, status changed); jobEventText asks it first.
func jobRecordEventText(e *portico.Event) (string, bool) {
	d := e.Details
	switch e.Action {
	case "job.created":
		if d["client"] != "" {
			return "opened the job " + d["title"] + " for " + d["client"], true
		}
		return "opened the job " + d["title"], true
	case "job.updated":
		text := "updated the job " + d["title"] + " (" + d["changed"] + ")"
		if to := d["to"]; to != "" {
			text += ", now " + strings.ToLower(portico.JobStatus(to).Label())
		}
		return text, true
	case "job.status_changed":
		return "changed the status of " + d["title"] + " from " + strings.ToLower(portico.JobStatus(d["from"]).Label()) +
			" to " + strings.ToLower(portico.JobStatus(d["to"]).Label()), true
	case "job.recruiters_set":
		if d["recruiters"] == "" {
			return "cleared the recruiting team clients see on " + d["job"], true
		}
		return "set the recruiting team clients see on " + d["job"] + ": " + d["recruiters"], true
	}
	return "", false
}
