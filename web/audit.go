package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"portico"
)

// The audit: every event, filtered by client, contact, job, action and
// dates, on a page and as CSV. Admins only (the routes say so).

const auditPerPage = 50

// auditQuery is the audit's filter as the form sends it.
type auditQuery struct {
	ClientID, ContactID, JobID int64
	Action                     string
	From, To                   string // dates, YYYY-MM-DD, in the agency's zone
}

// auditFilter reads the query into a filter; a malformed ID is no filter
// (as on every list), a bad date a message beside its field.
func auditFilter(r *http.Request, loc *time.Location) (auditQuery, portico.EventFilter, error) {
	q := r.URL.Query()
	aq := auditQuery{ClientID: idParam(r, "client"), ContactID: idParam(r, "contact"), JobID: idParam(r, "job"),
		Action: strings.TrimSpace(q.Get("action")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	if !actionShape.MatchString(aq.Action) {
		aq.Action = ""
	}
	f := portico.EventFilter{ClientID: aq.ClientID, ContactID: aq.ContactID, JobID: aq.JobID, Action: aq.Action}
	var v portico.Validation
	day := func(field, value string) time.Time {
		if value == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, value, loc)
		v.Check(err == nil, field, "Enter a date like 2026-03-02.")
		return t
	}
	f.From = day("from", aq.From)
	if to := day("to", aq.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole of the last day
		v.Check(f.From.IsZero() || !to.Before(f.From), "to", "The end date is before the start date.")
	}
	return aq, f, v.Err()
}

// values is the filter as query parameters, for the pager and the CSV link.
func (aq auditQuery) values() url.Values {
	v := url.Values{}
	for _, p := range []struct {
		name string
		id   int64
	}{{"client", aq.ClientID}, {"contact", aq.ContactID}, {"job", aq.JobID}} {
		if p.id != 0 {
			v.Set(p.name, strconv.FormatInt(p.id, 10))
		}
	}
	for name, s := range map[string]string{"action": aq.Action, "from": aq.From, "to": aq.To} {
		if s != "" {
			v.Set(name, s)
		}
	}
	return v
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Audit")
	p.Nav = "audit"
	loc := time.UTC
	if p.Agency != nil {
		loc = p.Agency.Location()
	}
	aq, f, ferr := auditFilter(r, loc)
	data := map[string]any{"Query": aq, "Groups": auditActionGroups, "Filtered": len(aq.values()) > 0}
	status := http.StatusOK
	if ferr != nil {
		p.Form = &Form{Values: r.URL.Query(), Errors: portico.ErrorFields(ferr), Order: []string{"from", "to"}, Message: portico.ErrorMessage(ferr)}
		status = statusOf(ferr)
	} else {
		f.Offset, f.Limit = offset(r), auditPerPage
		evs, total, err := s.svc.Events.FindEvents(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data["Rows"] = auditRows(evs)
		data["Pager"] = pager{Offset: f.Offset, Limit: f.Limit, Total: total, Base: aq.values(), Path: "/audit"}
		data["CSV"] = "/audit.csv"
		if qs := aq.values().Encode(); qs != "" {
			data["CSV"] = "/audit.csv?" + qs
		}
	}
	if err := s.auditChoices(r, aq, data); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = data
	s.render(w, r, status, "audit", p)
}

// auditChoice is an option of a select.
type auditChoice struct {
	ID   int64
	Name string
}

// auditChoices fills the selects: every client, and the chosen client's
// contacts and jobs (a contact or job chosen from elsewhere, say a
// contact's page, is listed too).
func (s *Server) auditChoices(r *http.Request, aq auditQuery, data map[string]any) error {
	ctx := r.Context()
	clients, _, err := s.svc.Clients.FindClients(ctx, portico.ClientFilter{Limit: 500})
	if err != nil {
		return err
	}
	var cs, ks, js []auditChoice
	for _, c := range clients {
		cs = append(cs, auditChoice{c.ID, c.Name})
	}
	if aq.ClientID != 0 {
		contacts, _, err := s.svc.Clients.FindContacts(ctx, aq.ClientID, 0, 500)
		if err != nil && portico.ErrorCode(err) != portico.ENOTFOUND {
			return err
		}
		for _, k := range contacts {
			ks = append(ks, auditChoice{k.ID, k.Name})
		}
		jobs, _, err := s.svc.Jobs.FindJobs(ctx, portico.JobFilter{ClientID: aq.ClientID, Limit: 500, NamesOnly: true, NoTotal: true})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			js = append(js, auditChoice{j.ID, j.Title})
		}
	}
	has := func(list []auditChoice, id int64) bool {
		return slices.ContainsFunc(list, func(c auditChoice) bool { return c.ID == id })
	}
	if aq.ContactID != 0 && !has(ks, aq.ContactID) {
		if k, err := s.svc.Clients.FindContactByID(ctx, aq.ContactID); err == nil {
			ks = append([]auditChoice{{k.ID, k.Name + " (" + k.ClientName + ")"}}, ks...)
		}
	}
	if aq.JobID != 0 && !has(js, aq.JobID) {
		if j, err := s.svc.Jobs.FindJobByID(ctx, aq.JobID); err == nil {
			js = append([]auditChoice{{j.ID, j.Title}}, js...)
		}
	}
	if aq.ClientID != 0 && !has(cs, aq.ClientID) {
		if c, err := s.svc.Clients.FindClientByID(ctx, aq.ClientID); err == nil {
			cs = append([]auditChoice{{c.ID, c.Name}}, cs...)
		}
	}
	data["Clients"], data["Contacts"], data["Jobs"] = cs, ks, js
	data["Unlisted"] = aq.Action != "" && !slices.ContainsFunc(auditActionGroups, func(g auditActionGroup) bool {
		return slices.ContainsFunc(g.Actions, func(a auditAction) bool { return a.Action == aq.Action })
	})
	return nil
}

// auditRow is an event as the audit page shows it.
type auditRow struct {
	Event                    *portico.Event
	Who, WhoKind, WhoLink    string
	What, Record, RecordLink string
}

func auditRows(evs []*portico.Event) []auditRow {
	rows := make([]auditRow, len(evs))
	for i, e := range evs {
		who := e.ActorName
		if who == "" {
			who = "Portico"
		}
		rows[i] = auditRow{Event: e, Who: who, WhoKind: actorKindLabel(e.ActorKind), WhoLink: actorLink(e),
			What: eventText(e), Record: eventRecord(e), RecordLink: eventLink(e)}
	}
	return rows
}

// actorKindLabel says who acted, in words.
func actorKindLabel(k portico.ActorKind) string {
	switch k {
	case portico.ActorUser:
		return "Agency user"
	case portico.ActorContact:
		return "Client contact"
	case portico.ActorVisitor:
		return "Visitor"
	}
	return "System"
}

// actorLink is the console page of who acted, "" when there is none.
func actorLink(e *portico.Event) string {
	switch {
	case e.ActorKind == portico.ActorUser && e.ActorID != 0:
		return "/users/" + strconv.FormatInt(e.ActorID, 10)
	case e.ActorKind == portico.ActorContact && e.ActorID != 0:
		return contactPath(e.ActorID)
	}
	return ""
}

// eventRecord names the record an event is about, from what the event
// kept: "Alex Archer · Senior Nurse", "Acme Health", "job 7".
func eventRecord(e *portico.Event) string {
	d := e.Details
	if d["candidate"] != "" && d["job"] != "" {
		return d["candidate"] + " · " + d["job"]
	}
	// An address when nothing else names it: a sign-in link or a password
	// reset the portal emailed to "ann@acme.test" rather than "contact 7".
	for _, k := range []string{"name", "title", "job", "candidate", "client", "email"} {
		if d[k] != "" {
			return d[k]
		}
	}
	// Someone's own sign-in or sign-out: the record is the actor.
	if e.ActorName != "" && e.SubjectID == e.ActorID && e.SubjectType == string(e.ActorKind) &&
		(e.ActorKind == portico.ActorUser || e.ActorKind == portico.ActorContact) {
		return e.ActorName
	}
	// The agency is one record: its settings, not "agency 0".
	if e.SubjectType == "agency" {
		return "The agency"
	}
	return strings.ReplaceAll(e.SubjectType, "_", " ") + " " + strconv.FormatInt(e.SubjectID, 10)
}

// auditCSV streams the filtered events, newest first, a page at a time:
// never the whole log in memory.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	loc := time.UTC
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil {
		loc = a.Location()
	}
	_, f, err := auditFilter(r, loc)
	if err != nil {
		s.renderError(w, r, statusOf(err), "Check the dates of the filter: "+strings.Join(fieldMessages(err), " "))
		return
	}
	f.Limit, f.NoTotal = 500, true
	evs, _, err := s.svc.Events.FindEvents(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "portico-audit-" + s.now().In(loc).Format("2006-01-02") + ".csv"
	c := newCSV(w, name, "time", "actor kind", "actor", "action", "subject", "client", "job", "candidate", "IP", "user agent", "details")
	for len(evs) > 0 {
		for _, e := range evs {
			c.row(e.At.UTC().Format(time.RFC3339), string(e.ActorKind), e.ActorName, e.Action,
				csvSubject(e),
				csvRef(e.ClientID, e.Details["client"]), csvRef(e.JobID, e.Details["job"]), csvRef(e.CandidateID, e.Details["candidate"]),
				e.IP, e.UserAgent, csvDetails(e.Details))
		}
		if c.flush() != nil || len(evs) < f.Limit {
			return
		}
		f.BeforeID = evs[len(evs)-1].ID
		if evs, _, err = s.svc.Events.FindEvents(r.Context(), f); err != nil {
			// Headers are gone: all that can be done is to stop, and log.
			s.log.Error("audit export", "err", err)
			return
		}
	}
}

// csvSubject is the record an event is about: "application 12 (Alex
// Archer · Senior Nurse)".
func csvSubject(e *portico.Event) string {
	ref := e.SubjectType + " " + strconv.FormatInt(e.SubjectID, 10)
	if name := eventRecord(e); name != strings.ReplaceAll(ref, "_", " ") {
		return ref + " (" + name + ")"
	}
	return ref
}

// csvRef is a related record as "7 Senior Nurse": its ID and, when the
// event kept it, its name.
func csvRef(id int64, name string) string {
	if id == 0 {
		return ""
	}
	return strings.TrimSpace(strconv.FormatInt(id, 10) + " " + name)
}

// csvDetails writes an event's details as "key=value; …" in key order.
func csvDetails(d map[string]string) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + d[k]
	}
	return strings.Join(parts, "; ")
}

// fieldMessages lists an error's messages by field, in field order.
func fieldMessages(err error) []string {
	var out []string
	for _, m := range (&Form{Errors: portico.ErrorFields(err), Order: portico.ErrorOrder(err)}).List() {
		out = append(out, m.Message)
	}
	return out
}
