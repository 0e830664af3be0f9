package web

import (
	"net/http"
	"strconv"
	"strings"

	"portico"
)

// portalCandidateView is what the candidate page shows. The action forms
// (the "portal-actions" partial) read .Data.Candidate.
type portalCandidateView struct {
	Candidate   *portico.PortalCandidateDetail
	Path        string // this page
	JobPath     string
	PrevPath    string
	NextPath    string
	ResumePath  string
	Rating      string // the average, "" when unrated
	RatingLabel string
	Stars       []int // 1–5, for the rating form
	Profile     []string
	// What the review section offers: a decision (approve, hire, reject),
	// any action at all, and whether the candidate is still in the running
	// (so that no decision offered means the agency keeps decisions).
	Decide    bool
	AnyAction bool
	Running   bool
}

// portalIDs reads the job and application IDs of a portal URL.
func portalIDs(r *http.Request) (jobID, appID int64, err error) {
	if jobID, err = pathID(r, "job"); err != nil {
		return 0, 0, err
	}
	appID, err = pathID(r, "app")
	return jobID, appID, err
}

// loadPortalCandidate reads a shared candidate for the page (and for the
// action forms' handlers, which show it again with their messages).
func (s *Server) loadPortalCandidate(r *http.Request) (*portalCandidateView, error) {
	jobID, appID, err := portalIDs(r)
	if err != nil {
		return nil, err
	}
	d, err := s.svc.Portal.Candidate(r.Context(), jobID, appID)
	if err != nil {
		return nil, err
	}
	v := &portalCandidateView{Candidate: d, Path: portalCandidatePath(jobID, appID),
		JobPath: "/portal/jobs/" + strconv.FormatInt(jobID, 10), Stars: []int{1, 2, 3, 4, 5}}
	if d.PrevID != 0 {
		v.PrevPath = portalCandidatePath(jobID, d.PrevID)
	}
	if d.NextID != 0 {
		v.NextPath = portalCandidatePath(jobID, d.NextID)
	}
	if d.ResumeID != 0 {
		v.ResumePath = v.Path + "/resume"
	}
	a := d.Actions
	v.Decide = a.Approve || a.Hire || a.Reject
	v.AnyAction = v.Decide || a.Rate || a.Feedback || a.Interview
	v.Running = d.StageKind.InRunning()
	if card := portalCards([]*portico.PortalCandidate{&d.PortalCandidate})[0]; card.Rating != "" {
		v.Rating, v.RatingLabel = card.Rating, card.RatingLabel
	}
	for _, para := range strings.Split(strings.ReplaceAll(d.Profile, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			v.Profile = append(v.Profile, para)
		}
	}
	return v, nil
}

// showPortalCandidate renders the candidate page, with a form's input and
// messages when one failed.
func (s *Server) showPortalCandidate(w http.ResponseWriter, r *http.Request, status int, v *portalCandidateView, form *Form) {
	p := s.portalPage(r, v.Candidate.Name)
	p.Form = form
	p.Data = v
	s.render(w, r, status, "portal_candidate", p)
}

func (s *Server) portalCandidate(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadPortalCandidate(r)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	s.showPortalCandidate(w, r, http.StatusOK, v, nil)
}

// portalResume sends the shared résumé: a download, or (a PDF with
// ?inline=1) for the viewer frame of the candidate page.
func (s *Server) portalResume(w http.ResponseWriter, r *http.Request) {
	jobID, appID, err := portalIDs(r)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	d, content, err := s.svc.Portal.Resume(r.Context(), jobID, appID)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	serveDocument(w, r, d, content, d.IsPDF() && r.URL.Query().Get("inline") == "1")
}

// portalDocument sends another document shared with the candidate: a PDF
// opens in the browser (in a new tab, never framed by another site), any
// other file downloads. A document that isn't shared with this candidate
// answers like one that doesn't exist.
func (s *Server) portalDocument(w http.ResponseWriter, r *http.Request) {
	jobID, appID, err := portalIDs(r)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	docID, err := pathID(r, "doc")
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	d, content, err := s.svc.Portal.Document(r.Context(), jobID, appID, docID)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	serveDocument(w, r, d, content, d.IsPDF())
}
