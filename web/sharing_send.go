package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"portico"
)

// "Send résumés online": pick candidates of a job's shortlist and contacts
// of its client, and in one step share the candidates and email the
// contacts a link to the job's portal page.

// sendPickLimit bounds the candidates and contacts the form lists; a
// shortlist or a client's contacts beyond that are rare, and the form says
// so when it happens.
const (
	sendCandidatesLimit = 500
	sendContactsLimit   = 200
)

// sendView is what the send form shows.
type sendView struct {
	Job          *portico.Job
	Apps         []*portico.Application
	AppTotal     int
	Contacts     []*portico.Contact
	ContactTotal int
	Anonymous    bool
	Checked      map[int64]bool // candidates ticked
	Chosen       map[int64]bool // contacts ticked
	NoAccess     map[int64]bool // contacts whose portal access leaves this job out
	PortalLink   string
}

func (s *Server) loadSend(r *http.Request) (*sendView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	job, err := s.svc.Jobs.FindJobByID(ctx, id)
	if err != nil {
		return nil, err
	}
	apps, appTotal, err := s.svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: id, Limit: sendCandidatesLimit})
	if err != nil {
		return nil, err
	}
	contacts, contactTotal, err := s.svc.Clients.FindContacts(ctx, job.ClientID, 0, sendContactsLimit)
	if err != nil {
		return nil, err
	}
	vis, err := s.svc.Sharing.EffectiveVisibility(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &sendView{Job: job, Apps: apps, AppTotal: appTotal, Contacts: contacts, ContactTotal: contactTotal,
		Anonymous: vis.Anonymous, Checked: map[int64]bool{}, Chosen: map[int64]bool{}, NoAccess: map[int64]bool{}, PortalLink: s.portalJobLink(id)}
	// A contact limited to chosen jobs may not have this one: say so, so
	// the recruiter can give them access before the link fails for them.
	if s.svc.PortalAccounts != nil {
		accounts, err := s.svc.PortalAccounts.ClientAccounts(ctx, job.ClientID)
		if err != nil {
			return nil, err
		}
		for _, k := range contacts {
			acc := accounts[k.ID]
			if k.Email == "" || k.PortalStatus == portico.PortalNotRegistered || k.PortalStatus == portico.PortalDisabled || acc == nil {
				continue
			}
			if !acc.AllJobs && !slices.Contains(acc.JobIDs, id) {
				v.NoAccess[k.ID] = true
			}
		}
	}
	return v, nil
}

// portalJobLink is the direct link to a job's portal page: it leads a
// contact through sign-in back to the job.
func (s *Server) portalJobLink(jobID int64) string {
	return s.baseURL + "/portal/jobs/" + strconv.FormatInt(jobID, 10)
}

// defaultSendMessage is the message the form starts with, offering only
// what the client's portal settings allow.
func defaultSendMessage(job *portico.Job, allow portico.PortalPermissions) string {
	msg := "I'd like to put forward the candidates below for the " + job.Title + " role. " +
		"Their profiles and résumés are waiting for you in our client portal.\n\n" +
		"Let me know which of them you'd like to meet"
	if can := clientCan(allow); can != "" {
		return msg + ": you can " + can + " right there."
	}
	return msg + "."
}

func (s *Server) sendResumesForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadSend(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Shared candidates start ticked; a contact starts ticked when they are
	// the only one who can get the email.
	for _, a := range v.Apps {
		v.Checked[a.ID] = a.SharedAt != nil
	}
	var withEmail []int64
	for _, k := range v.Contacts {
		if k.Email != "" {
			withEmail = append(withEmail, k.ID)
		}
	}
	if len(withEmail) == 1 {
		v.Chosen[withEmail[0]] = true
	}
	st, err := s.svc.PortalSettings.EffectiveSettings(r.Context(), v.Job.ClientID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSend(w, r, http.StatusOK, v, &Form{Values: url.Values{"message": {defaultSendMessage(v.Job, st.Allow)}}})
}

func (s *Server) renderSend(w http.ResponseWriter, r *http.Request, status int, v *sendView, form *Form) {
	p := s.page(r, "Send résumés for "+v.Job.Title)
	p.Nav = "jobs"
	p.Form = form
	p.Data = v
	s.render(w, r, status, "send_resumes", p)
}

// postedIDs reads repeated numeric IDs; ok is false when one is malformed.
func postedIDs(r *http.Request, name string) (ids []int64, ok bool) {
	for _, raw := range r.PostForm[name] {
		id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || id <= 0 {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

func (s *Server) sendResumes(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, err := s.loadSend(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	apps, ok1 := postedIDs(r, "application_id")
	contacts, ok2 := postedIDs(r, "contact_id")
	if !ok1 || !ok2 {
		s.renderError(w, r, http.StatusBadRequest, "Portico didn't understand which candidates or contacts were chosen. Go back, reload the page and choose again.")
		return
	}
	err = s.svc.Sharing.SendResumes(r.Context(), v.Job.ID, apps, contacts, r.PostForm.Get("message"))
	if err != nil {
		if portico.ErrorCode(err) == portico.EINVALID {
			for _, id := range apps {
				v.Checked[id] = true
			}
			for _, id := range contacts {
				v.Chosen[id] = true
			}
			s.renderSend(w, r, statusOf(err), v, formFrom(r, err))
			return
		}
		s.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, k := range v.Contacts {
		names[k.ID] = k.Name
	}
	var to []string
	for _, id := range contacts {
		if n := names[id]; n != "" && !containsString(to, n) {
			to = append(to, n)
		}
	}
	msg := countNoun(distinctIDs(apps), "candidate", "candidates") + " shared and emailed to " + joinNames(to) + "."
	s.redirect(w, r, jobPath(v.Job.ID)+"#portal-h", msg)
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// joinNames writes "Ann", "Ann and Bob", "Ann, Bob and Cy".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return "the chosen contacts"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// portalBox adds what the job page's "Client portal" box shows: how many
// candidates are shared, the direct link, the visible fields and the
// recruiting team.
func (s *Server) portalBox(r *http.Request, job *portico.Job, data map[string]any) error {
	ctx := r.Context()
	n, err := s.svc.Sharing.CountShared(ctx, job.ID)
	if err != nil {
		return err
	}
	// A job's setting, or what it inherits when it has none: what applies.
	vis, own, err := s.svc.Sharing.Visibility(ctx, portico.ScopeJob, job.ID)
	if err != nil {
		return err
	}
	team, err := s.svc.PortalSettings.JobRecruiters(ctx, job.ID)
	if err != nil {
		return err
	}
	data["Team"] = recruiterSummary(team)
	data["Shared"], data["PortalLink"] = n, s.portalJobLink(job.ID)
	data["Visible"], data["VisibleOwn"], data["Anonymous"] = visibilitySummary(vis), own, vis.Anonymous
	return nil
}
