package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portico"
)

// portalBoardLimit is how many candidates the board shows; the list pages
// through any number.
const portalBoardLimit = 200

// portalListLimit is a page of the list view.
const portalListLimit = 50

// portalCard is a candidate on the job page, with their rating in words.
type portalCard struct {
	*portico.PortalCandidate
	Meta        string // a line of visible work details for the board
	Rating      string // "4.5", "" when unrated
	RatingLabel string // "Rated 4.5 of 5 by 2 people"
}

func portalCards(cs []*portico.PortalCandidate) []portalCard {
	out := make([]portalCard, len(cs))
	for i, c := range cs {
		out[i] = portalCard{PortalCandidate: c, Meta: portalCardMeta(c)}
		if c.Ratings > 0 {
			out[i].Rating = portalRatingText(c.AvgRating)
			people := "1 person"
			if c.Ratings != 1 {
				people = strconv.Itoa(c.Ratings) + " people"
			}
			out[i].RatingLabel = "Rated " + out[i].Rating + " of 5 by " + people
		}
	}
	return out
}

// portalCardMeta is the first two of a candidate's visible work details.
func portalCardMeta(c *portico.PortalCandidate) string {
	var parts []string
	for _, f := range []portico.CandidateField{portico.FieldCurrentTitle, portico.FieldCurrentEmployer, portico.FieldCity} {
		if v := strings.TrimSpace(c.Field(f)); v != "" && len(parts) < 2 {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " · ")
}

// portalTelURL is a phone number as a tel: link, "" when it has no digits.
// A trunk prefix written "(0)" after a country code is not dialled.
func portalTelURL(phone string) template.URL {
	phone = strings.TrimSpace(phone)
	if strings.HasPrefix(phone, "+") {
		phone = strings.ReplaceAll(phone, "(0)", "")
	}
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String()) // only digits and a leading +
}

// portalRatingText writes an average rating with one decimal, "4" not "4.0".
func portalRatingText(avg float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(avg, 'f', 1, 64), ".0")
}

// portalBoardColumn is one client stage on the board.
type portalBoardColumn struct {
	Name  string
	Kind  portico.StageKind
	Cards []portalCard
}

// portalStageOption is a stage in the filter, with its count.
type portalStageOption struct {
	Name     string
	Count    int
	Selected bool
}

// portalColumnChoice is a field in the column picker.
type portalColumnChoice struct {
	Field   portico.CandidateField
	Label   string
	Checked bool
}

// portalJobView is what the job page shows.
type portalJobView struct {
	Job        *portico.PortalJob
	List       bool
	Stage      string
	Rating     int
	Filtered   bool
	Stages     []portalStageOption
	Ratings    []int
	Cards      []portalCard
	Total      int
	Board      []portalBoardColumn
	More       int // candidates the board doesn't show
	Anonymous  bool
	Columns    []portalColumnChoice // the list's columns
	Choices    []portalColumnChoice // every visible field, for the picker
	Pager      pager
	Here       string // this page, for the column form's next
	BoardURL   string
	ListURL    string
	ClearURL   string
	ExportPath string
	Team       []portalRecruiter // who the client deals with
	// Counted is how many candidates the stage counts hold, and BarMax
	// the scale of their bars: the portal settings may count candidates
	// not shared with the client, or only some stages.
	Counted int
	BarMax  int
}

// portalRecruiter is a person of the job's recruiting team, with their
// phone as a link.
type portalRecruiter struct {
	portico.JobRecruiter
	Tel template.URL
}

// portalTeam is the job's recruiting team (the store names its owner when
// no team is set).
func portalTeam(j *portico.PortalJob) []portalRecruiter {
	rs := j.Recruiters
	out := make([]portalRecruiter, len(rs))
	for i, rec := range rs {
		out[i] = portalRecruiter{JobRecruiter: rec, Tel: portalTelURL(rec.Phone)}
	}
	return out
}

// portalJobPath is a job's portal page with its view and filters.
func portalJobPath(jobID int64, list bool, stage string, rating int) string {
	v := url.Values{}
	if list {
		v.Set("view", "list")
	}
	if stage != "" {
		v.Set("stage", stage)
	}
	if rating > 0 {
		v.Set("rating", strconv.Itoa(rating))
	}
	p := "/portal/jobs/" + strconv.FormatInt(jobID, 10)
	if len(v) > 0 {
		p += "?" + v.Encode()
	}
	return p
}

// portalJobOf reads the job in the path as the contact may see it, with
// what of its candidates they may see; it answers the failure itself and
// ok is false then.
func (s *Server) portalJobOf(w http.ResponseWriter, r *http.Request) (*portico.PortalJob, bool) {
	jobID, err := pathID(r, "job")
	var j *portico.PortalJob
	if err == nil {
		j, err = s.svc.Portal.Job(r.Context(), jobID)
	}
	if err != nil {
		s.portalFail(w, r, err)
		return nil, false
	}
	return j, true
}

func (s *Server) portalJob(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	j, ok := s.portalJobOf(w, r)
	if !ok {
		return
	}
	vis := j.Visibility
	q := r.URL.Query()
	v := &portalJobView{Job: j, List: q.Get("view") == "list", Ratings: []int{5, 4, 3, 2, 1}, Anonymous: vis.Anonymous,
		ExportPath: "/portal/jobs/" + strconv.FormatInt(j.ID, 10) + "/export.xlsx", Team: portalTeam(j)}
	for _, st := range j.Stages {
		if strings.EqualFold(st.Name, strings.TrimSpace(q.Get("stage"))) {
			v.Stage = st.Name
		}
		v.Stages = append(v.Stages, portalStageOption{Name: st.Name, Count: st.Count})
		v.Counted += st.Count
	}
	v.BarMax = max(v.Counted, j.Shared)
	for i := range v.Stages {
		v.Stages[i].Selected = v.Stages[i].Name == v.Stage
	}
	if n, err := strconv.Atoi(q.Get("rating")); err == nil && n >= 1 && n <= 5 {
		v.Rating = n
	}
	v.Filtered = v.Stage != "" || v.Rating > 0
	v.Here = portalJobPath(j.ID, v.List, v.Stage, v.Rating)
	v.BoardURL = portalJobPath(j.ID, false, v.Stage, v.Rating)
	v.ListURL = portalJobPath(j.ID, true, v.Stage, v.Rating)
	v.ClearURL = portalJobPath(j.ID, v.List, "", 0)

	f := portico.PortalCandidateFilter{Stage: v.Stage, MinRating: v.Rating, Limit: portalBoardLimit}
	if v.List {
		f.Offset, f.Limit = offset(r), portalListLimit
	}
	cs, total, err := s.svc.Portal.Candidates(ctx, j.ID, f)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	v.Cards, v.Total = portalCards(cs), total
	if v.List {
		cols, err := s.svc.Portal.Columns(ctx)
		if err != nil {
			s.portalFail(w, r, err)
			return
		}
		for _, f := range vis.Fields {
			c := portalColumnChoice{Field: f, Label: f.Label()}
			for _, x := range cols {
				c.Checked = c.Checked || x == f
			}
			v.Choices = append(v.Choices, c)
			if c.Checked {
				v.Columns = append(v.Columns, c)
			}
		}
		base := url.Values{"view": {"list"}}
		if v.Stage != "" {
			base.Set("stage", v.Stage)
		}
		if v.Rating > 0 {
			base.Set("rating", strconv.Itoa(v.Rating))
		}
		v.Pager = pager{Offset: f.Offset, Limit: f.Limit, Total: total, Base: base, Path: "/portal/jobs/" + strconv.FormatInt(j.ID, 10)}
	} else {
		v.Board = portalBoardOf(j, v.Cards)
		v.More = total - len(v.Cards)
	}
	p := s.portalPage(r, j.Title)
	p.Data = v
	s.render(w, r, http.StatusOK, "portal_job", p)
}

// portalBoardOf groups cards by client stage, in the pipeline's order: only the
// stages that have someone in them.
func portalBoardOf(j *portico.PortalJob, cards []portalCard) []portalBoardColumn {
	var cols []portalBoardColumn
	at := map[string]int{}
	for _, st := range j.Stages {
		at[st.Name] = len(cols)
		cols = append(cols, portalBoardColumn{Name: st.Name, Kind: st.Kind})
	}
	for _, c := range cards {
		i, ok := at[c.StageName]
		if !ok {
			i = len(cols)
			at[c.StageName] = i
			cols = append(cols, portalBoardColumn{Name: c.StageName, Kind: c.StageKind})
		}
		cols[i].Cards = append(cols[i].Cards, c)
	}
	out := cols[:0]
	for _, c := range cols {
		if len(c.Cards) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// portalSetColumns remembers the list columns the contact picked.
func (s *Server) portalSetColumns(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	var fields []portico.CandidateField
	for _, f := range r.PostForm["field"] {
		fields = append(fields, portico.CandidateField(f))
	}
	next := portalNext(r.PostForm.Get("next"))
	if err := s.svc.Portal.SetColumns(r.Context(), fields); err != nil {
		s.portalFail(w, r, err)
		return
	}
	msg := "Saved your list columns."
	if len(fields) == 0 {
		msg = "Saved: your list shows names and stages only."
	}
	s.redirect(w, r, next, msg)
}
