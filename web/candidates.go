package web

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portico"
)

// candidatesPerPage is the length of the candidate list and its searches.
const candidatesPerPage = 50

// openJobsOffered bounds the open jobs a shortlist choice offers.
const openJobsOffered = 200

func candidatePath(id int64) string { return "/candidates/" + strconv.FormatInt(id, 10) }

// openJobs returns the open jobs a candidate can be added to, newest
// first, and whether there are more than the list shows. None while jobs
// aren't available.
func (s *Server) openJobs(ctx context.Context) ([]*portico.Job, bool, error) {
	if s.svc.Jobs == nil {
		return nil, false, nil
	}
	js, _, err := s.svc.Jobs.FindJobs(ctx, portico.JobFilter{Status: portico.JobOpen, Limit: openJobsOffered + 1, NamesOnly: true, NoTotal: true})
	if len(js) > openJobsOffered {
		return js[:openJobsOffered], true, err
	}
	return js, false, err
}

// jobOptions renders a job choice's options, "Title — Client (Location)"
// each: a client's jobs of one title often differ only by place. Jobs
// whose labels are still alike are told apart by their number, as in their
// address (/jobs/32). The choice has up to openJobsOffered of them on every
// candidate list; through the template engine, whose escaping of each
// value goes through reflection, they cost about a third of the page's
// rendering.
func jobOptions(js []*portico.Job) template.HTML {
	labels := make([]string, len(js))
	seen := make(map[string]int, len(js))
	for i, j := range js {
		labels[i] = j.Title + " — " + j.ClientName
		if j.LocationName != "" {
			labels[i] += " (" + j.LocationName + ")"
		}
		seen[labels[i]]++
	}
	var b strings.Builder
	for i, j := range js {
		id := strconv.FormatInt(j.ID, 10)
		b.WriteString(`<option value="`)
		b.WriteString(id)
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(labels[i]))
		if seen[labels[i]] > 1 {
			b.WriteString(`, job `)
			b.WriteString(id)
		}
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String())
}

// candidates lists and searches candidates. With ?job=ID it is the search
// for that job's shortlist: the chosen candidates go straight onto it.
func (s *Server) candidates(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := portico.CandidateFilter{Query: strings.TrimSpace(q.Get("q")), Offset: offset(r), Limit: candidatesPerPage}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	var job *portico.Job
	if raw := q.Get("job"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 || s.svc.Jobs == nil {
			s.fail(w, r, portico.Errorf(portico.ENOTFOUND, "There's no such job. It may have been removed, or the link may be mistyped."))
			return
		}
		if job, err = s.svc.Jobs.FindJobByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	cs, total, err := s.svc.Candidates.FindCandidates(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// For a job: who of this page is on its shortlist already.
	listed := map[int64]bool{}
	if job != nil && len(cs) > 0 && s.svc.Applications != nil {
		apps, _, err := s.svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: job.ID, Limit: 500})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range apps {
			listed[a.CandidateID] = true
		}
	}
	var jobs []*portico.Job
	moreJobs := false
	if job == nil && len(cs) > 0 {
		if jobs, moreJobs, err = s.openJobs(ctx); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	base := url.Values{}
	if f.Query != "" {
		base.Set("q", f.Query)
	}
	if job != nil {
		base.Set("job", strconv.FormatInt(job.ID, 10))
	}
	title := "Candidates"
	if job != nil {
		title = "Add candidates to " + job.Title
	}
	p := s.page(r, title)
	p.Nav = "candidates"
	here := "/candidates"
	if len(base) > 0 {
		here += "?" + base.Encode()
	}
	rows := make([]candidateRow, len(cs))
	for i, c := range cs {
		rows[i] = candidateRow{Candidate: c, Added: inZone(c.CreatedAt, p.Agency).Format("2 Jan 2006"), Listed: listed[c.ID]}
	}
	p.Data = map[string]any{
		"Candidates": rows, "Query": f.Query, "Total": total, "Job": job, "Jobs": jobs, "MoreJobs": moreJobs,
		"CanShortlist": job != nil || len(jobs) > 0, "Here": here,
		"Count": candidateCount(total, f),
		"Pager": pager{Offset: f.Offset, Limit: f.Limit, Total: total, Window: f.CountWindow(), Base: base, Path: "/candidates"},
	}
	s.render(w, r, http.StatusOK, "candidates", p)
}

// candidateCount is the list's heading: how many candidates there are or
// match the search, "more than" past how far the store counted.
func candidateCount(total int, f portico.CandidateFilter) string {
	n := groupDigits(total)
	if total > f.CountWindow() {
		n = "More than " + groupDigits(f.CountWindow())
	}
	if f.Query == "" {
		if total == 1 {
			return "1 candidate, newest first"
		}
		return n + " candidates, newest first"
	}
	if total == 1 {
		return "1 candidate matches “" + f.Query + "”"
	}
	return n + " candidates match “" + f.Query + "”"
}

// candidateRow is a candidate in the list.
type candidateRow struct {
	*portico.Candidate
	Added  string // the day they were added, in the agency's zone
	Listed bool   // on the shortlist of the job being filled
}

// candidateForm renders the new or edit form.
func (s *Server) candidateForm(w http.ResponseWriter, r *http.Request, status int, c *portico.Candidate, form *Form) {
	title := "Add candidate"
	if c != nil {
		title = "Edit " + c.Name()
	}
	p := s.page(r, title)
	p.Nav = "candidates"
	p.Form = form
	p.Data = map[string]any{"Candidate": c}
	s.render(w, r, status, "candidate_form", p)
}

func (s *Server) newCandidateForm(w http.ResponseWriter, r *http.Request) {
	s.candidateForm(w, r, http.StatusOK, nil, &Form{Values: url.Values{}})
}

func candidateInput(r *http.Request) portico.CandidateInput {
	f := r.PostForm
	return portico.CandidateInput{
		FirstName: f.Get("first_name"), LastName: f.Get("last_name"), Email: f.Get("email"), Phone: f.Get("phone"), City: f.Get("city"),
		CurrentTitle: f.Get("current_title"), CurrentEmployer: f.Get("current_employer"), Skills: f.Get("skills"), Summary: f.Get("summary"),
		SalaryExpectation: f.Get("salary_expectation"), NoticePeriod: f.Get("notice_period"), Availability: f.Get("availability"),
		Source: f.Get("source"), VideoURL: f.Get("video_url"),
	}
}

// candidateValues fills a form with a candidate's details.
func candidateValues(c *portico.Candidate) url.Values {
	return url.Values{
		"first_name": {c.FirstName}, "last_name": {c.LastName}, "email": {c.Email}, "phone": {c.Phone}, "city": {c.City},
		"current_title": {c.CurrentTitle}, "current_employer": {c.CurrentEmployer}, "skills": {c.Skills}, "summary": {c.Summary},
		"salary_expectation": {c.SalaryExpectation}, "notice_period": {c.NoticePeriod}, "availability": {c.Availability},
		"source": {c.Source}, "video_url": {c.VideoURL},
	}
}

// candidateFormFailed reports whether err is the user's to correct on the form.
func candidateFormFailed(err error) bool {
	code := portico.ErrorCode(err)
	return code == portico.EINVALID || code == portico.ECONFLICT
}

func (s *Server) createCandidate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.svc.Candidates.CreateCandidate(r.Context(), candidateInput(r))
	if candidateFormFailed(err) {
		s.candidateForm(w, r, statusOf(err), nil, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, candidatePath(c.ID), c.Name()+" was added. Upload their résumé below, or add them to a job.")
}

// findCandidate reads the candidate in the path.
func (s *Server) findCandidate(r *http.Request) (*portico.Candidate, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Candidates.FindCandidateByID(r.Context(), id)
}

func (s *Server) editCandidateForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.findCandidate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.candidateForm(w, r, http.StatusOK, c, &Form{Values: candidateValues(c)})
}

func (s *Server) updateCandidate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.findCandidate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err = s.svc.Candidates.UpdateCandidate(r.Context(), c.ID, candidateInput(r))
	if candidateFormFailed(err) {
		old, ferr := s.findCandidate(r)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		s.candidateForm(w, r, statusOf(err), old, formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, candidatePath(c.ID), "Saved the changes to "+c.Name()+".")
}

// Lengths of the lists on a candidate's page.
const (
	candidateJobsPerPage    = 20
	candidateHistoryPerPage = 20
)

func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request) {
	c, err := s.findCandidate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showCandidate(w, r, http.StatusOK, c, nil)
}

// showCandidate renders a candidate's page; form carries a failed
// upload's message and choices back to the upload form.
func (s *Server) showCandidate(w http.ResponseWriter, r *http.Request, status int, c *portico.Candidate, form *Form) {
	ctx := r.Context()
	docs, err := s.svc.Candidates.FindDocuments(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	jobsAt, historyAt := namedOffset(r, "jobs"), namedOffset(r, "history")
	var apps []*portico.Application
	appTotal := 0
	if s.svc.Applications != nil {
		if apps, appTotal, err = s.svc.Applications.FindApplications(ctx, portico.ApplicationFilter{CandidateID: c.ID, Offset: jobsAt, Limit: candidateJobsPerPage}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	openJobs, moreJobs, err := s.openJobs(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Offer only the jobs the candidate isn't on (of those on this page
	// of their jobs; the shortlist skips any others).
	on := map[int64]bool{}
	for _, a := range apps {
		on[a.JobID] = true
	}
	var offer []*portico.Job
	for _, j := range openJobs {
		if !on[j.ID] {
			offer = append(offer, j)
		}
	}
	evs, evTotal, err := s.svc.Events.FindEvents(ctx, portico.EventFilter{CandidateID: c.ID, Offset: historyAt, Limit: candidateHistoryPerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}

	// The PDF shown in the page: the one asked for, else the newest
	// résumé that is a PDF.
	var preview *portico.Document
	want := idParam(r, "preview")
	for _, d := range docs {
		if d.IsPDF() && (d.ID == want || (want == 0 && preview == nil && d.Kind != portico.DocOther)) {
			preview = d
		}
	}

	path := candidatePath(c.ID)
	jobsBase, historyBase := url.Values{}, url.Values{}
	if historyAt > 0 {
		jobsBase.Set("history", strconv.Itoa(historyAt))
	}
	if jobsAt > 0 {
		historyBase.Set("jobs", strconv.Itoa(jobsAt))
	}
	if form == nil {
		form = &Form{Values: url.Values{"kind": {string(portico.DocResume)}}}
	}
	p := s.page(r, c.Name())
	p.Nav = "candidates"
	p.Form = form
	p.Data = map[string]any{
		"Candidate": c, "Skills": c.SkillList(), "Documents": docRows(docs), "Preview": preview, "Kinds": portico.DocumentKinds,
		"MaxSize":      portico.MaxDocumentSize >> 20,
		"Applications": apps, "AppTotal": appTotal, "Shortlists": s.svc.Applications != nil, "OpenJobs": offer, "MoreJobs": moreJobs,
		"Events": evs, "VideoURL": safeURL(c.VideoURL),
		"JobsPager":    subPager(path, "jobs", jobsAt, candidateJobsPerPage, appTotal, jobsBase, "#jobs-h"),
		"HistoryPager": subPager(path, "history", historyAt, candidateHistoryPerPage, evTotal, historyBase, "#history-h"),
	}
	s.render(w, r, status, "candidate", p)
}

// safeURL returns an http(s) address as typed, "" for anything else, so a
// stored link can't become a script.
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// candidateEventText says what a candidates event did, for history lists.
func candidateEventText(e *portico.Event) string {
	d := e.Details
	name := d["name"]
	if name == "" {
		name = "a candidate"
	}
	switch e.Action {
	case "candidate.created":
		return "added the candidate " + name
	case "candidate.updated":
		if f := d["fields"]; f != "" {
			return "updated " + name + "’s details: " + f
		}
		return "updated " + name + "’s details"
	case "document.added":
		return "uploaded " + docNoun(d["kind"]) + " " + d["filename"] + " for " + name
	case "document.deleted":
		return "deleted " + docNoun(d["kind"]) + " " + d["filename"] + " of " + name
	}
	return e.Action
}

// docNoun names a document kind inside a sentence.
func docNoun(kind string) string {
	switch portico.DocumentKind(kind) {
	case portico.DocResume:
		return "the résumé"
	case portico.DocFormattedResume:
		return "the formatted résumé"
	}
	return "the document"
}
