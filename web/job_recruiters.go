package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"portico"
)

// A job's recruiting team: which agency users a client sees on the job's
// portal page, each with a client-facing role, in order. With none chosen
// the client sees the job's owner.

// jobRecruiterRoles are the roles the form suggests; any other is fine.
var jobRecruiterRoles = []string{"Account manager", "Recruiter", "Resourcer", "Consultant"}

// recruiterFormExtra is how many empty rows the form offers beyond the
// people chosen now: enough to add a team without JavaScript.
const recruiterFormExtra = 3

// recruiterRow is one row of the form: a person and their role.
type recruiterRow struct {
	N      int    // 1-based place in the list
	UserID string // as submitted or stored, "" for nobody
	Role   string
}

// jobRecruitersView is what the form shows.
type jobRecruitersView struct {
	Job   *portico.Job
	Users []*portico.User // active agency users to choose from
	Rows  []recruiterRow
	Roles []string
	Max   int
}

// userField and roleField name a row's inputs.
func userField(n int) string { return "user_" + strconv.Itoa(n) }
func roleField(n int) string { return "role_" + strconv.Itoa(n) }

// loadJobRecruiters reads the job and the people who may be chosen.
func (s *Server) loadJobRecruiters(r *http.Request) (*jobRecruitersView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	j, err := s.svc.Jobs.FindJobByID(ctx, id)
	if err != nil {
		return nil, err
	}
	active := true
	us, _, err := s.svc.Users.FindUsers(ctx, portico.UserFilter{Active: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	return &jobRecruitersView{Job: j, Users: us, Roles: jobRecruiterRoles, Max: portico.MaxJobRecruiters}, nil
}

// rowsFrom lays out the form's rows from its values: the filled rows
// first, then a few empty ones, at most MaxJobRecruiters.
func (v *jobRecruitersView) rowsFrom(form url.Values) {
	v.Rows = nil
	filled := 0
	for n := 1; n <= portico.MaxJobRecruiters; n++ {
		if strings.TrimSpace(form.Get(userField(n))) != "" || strings.TrimSpace(form.Get(roleField(n))) != "" {
			filled = n
		}
	}
	for n := 1; n <= min(filled+recruiterFormExtra, portico.MaxJobRecruiters); n++ {
		v.Rows = append(v.Rows, recruiterRow{N: n, UserID: form.Get(userField(n)), Role: form.Get(roleField(n))})
	}
}

// recruiterValues fills the form from the people set now.
func recruiterValues(rs []portico.JobRecruiter) url.Values {
	vals := url.Values{}
	for i, rec := range rs {
		vals.Set(userField(i+1), strconv.FormatInt(rec.UserID, 10))
		vals.Set(roleField(i+1), rec.Role)
	}
	return vals
}

func (s *Server) jobRecruitersForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadJobRecruiters(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.svc.PortalSettings.JobRecruiters(r.Context(), v.Job.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &Form{Values: recruiterValues(rs)}
	s.renderJobRecruiters(w, r, http.StatusOK, v, form)
}

func (s *Server) renderJobRecruiters(w http.ResponseWriter, r *http.Request, status int, v *jobRecruitersView, form *Form) {
	v.rowsFrom(form.Values)
	p := s.page(r, "Recruiting team for "+v.Job.Title)
	p.Nav = "jobs"
	p.Form = form
	p.Data = v
	s.render(w, r, status, "job_recruiters", p)
}

// readRecruiters reads the form's rows in order, skipping empty ones, and
// checks them: a person from the list for each role, nobody twice.
func readRecruiters(form url.Values, users []*portico.User) ([]portico.JobRecruiter, error) {
	byID := map[int64]*portico.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	var v portico.Validation
	var out []portico.JobRecruiter
	seen := map[int64]bool{}
	for n := 1; n <= portico.MaxJobRecruiters; n++ {
		raw := strings.TrimSpace(form.Get(userField(n)))
		role := strings.TrimSpace(form.Get(roleField(n)))
		if raw == "" {
			v.Check(role == "", userField(n), "Choose who is "+role+", or clear the role.")
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		u := byID[id]
		if err != nil || u == nil {
			v.Check(false, userField(n), "Choose one of the people listed.")
			continue
		}
		v.Check(!seen[id], userField(n), u.Name+" is listed twice. Choose each person once.")
		v.Check(utf8.RuneCountInString(role) <= portico.MaxClientName, roleField(n), "Keep the role under 60 characters.")
		seen[id] = true
		out = append(out, portico.JobRecruiter{UserID: id, Name: u.Name, Role: role, Email: u.Email, Phone: u.Phone})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// storeRecruiterField puts a message of the store on the form's field:
// a row's when it names one, else the first row's.
func storeRecruiterField(err error) error {
	names := map[string]string{}
	for _, k := range portico.ErrorOrder(err) {
		if !strings.HasPrefix(k, "user_") && !strings.HasPrefix(k, "role_") {
			names[k] = userField(1)
		}
	}
	return renameFields(err, names)
}

func (s *Server) setJobRecruiters(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, err := s.loadJobRecruiters(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := readRecruiters(r.PostForm, v.Users)
	if err == nil {
		err = s.svc.PortalSettings.SetJobRecruiters(r.Context(), v.Job.ID, rs)
	}
	if err != nil {
		if portico.ErrorCode(err) == portico.EINVALID {
			err = storeRecruiterField(err)
			s.renderJobRecruiters(w, r, statusOf(err), v, formFrom(r, err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, jobPath(v.Job.ID)+"#portal-h", recruitersSavedMessage(v.Job, rs))
}

// recruitersSavedMessage confirms who the client sees now.
func recruitersSavedMessage(j *portico.Job, rs []portico.JobRecruiter) string {
	if len(rs) == 0 {
		return "Saved: contacts at " + j.ClientName + " see the job’s owner, " + j.OwnerName + ", on " + j.Title + "."
	}
	names := make([]string, len(rs))
	for i, rec := range rs {
		names[i] = rec.Name
	}
	return "Saved: contacts at " + j.ClientName + " see " + joinNames(names) + " on " + j.Title + "."
}

// recruiterSummary lists the team for the job page: "Niamh Davies
// (Account manager) and Sofia Thompson (Recruiter)".
func recruiterSummary(rs []portico.JobRecruiter) string {
	names := make([]string, len(rs))
	for i, rec := range rs {
		names[i] = rec.Name
		if rec.Role != "" {
			names[i] += " (" + rec.Role + ")"
		}
	}
	if len(names) == 0 {
		return ""
	}
	return joinNames(names)
}
