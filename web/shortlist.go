package web

import (
	"net/http"
	"strconv"
	"strings"

	"portico"
)

// addToShortlist adds the chosen candidates (repeated candidate_id) to the
// job in the path.
func (s *Server) addToShortlist(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.shortlist(w, r, id)
}

// addToChosenShortlist adds the chosen candidates to the job named by
// job_id: the bulk action of the candidates search and the candidate page.
func (s *Server) addToChosenShortlist(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	raw := strings.TrimSpace(r.PostForm.Get("job_id"))
	if raw == "" {
		s.redirect(w, r, s.shortlistBack(r, 0), "Choose the job to add the candidates to, then try again.")
		return
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, portico.Errorf(portico.ENOTFOUND, "There's no such job. It may have been removed, or the link may be mistyped."))
		return
	}
	s.shortlist(w, r, id)
}

// shortlistBack is where a refused add goes back to: the page it came
// from when it said (next), else the search for the job's candidates.
func (s *Server) shortlistBack(r *http.Request, jobID int64) string {
	if next := r.PostForm.Get("next"); next != "" {
		return localPath(next)
	}
	if jobID != 0 {
		return "/candidates?job=" + strconv.FormatInt(jobID, 10)
	}
	return "/candidates"
}

func (s *Server) shortlist(w http.ResponseWriter, r *http.Request, jobID int64) {
	var ids []int64
	for _, v := range r.PostForm["candidate_id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			s.renderError(w, r, http.StatusBadRequest, "Portico didn't understand which candidates were chosen. Go back, reload the page and choose again.")
			return
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		// Check the job first, so an unknown job is a 404 either way.
		if _, err := s.svc.Jobs.FindJobByID(r.Context(), jobID); err != nil {
			s.fail(w, r, err)
			return
		}
		s.redirect(w, r, s.shortlistBack(r, jobID), "No candidates were chosen. Tick the candidates to add, then choose “Add to shortlist”.")
		return
	}
	added, err := s.svc.Applications.AddToShortlist(r.Context(), jobID, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	to := jobPath(jobID)
	if next := r.PostForm.Get("next"); next != "" {
		to = localPath(next)
	}
	s.redirect(w, r, to, shortlistAdded(added, distinctIDs(ids)-added))
}

// distinctIDs counts the different IDs.
func distinctIDs(ids []int64) int {
	seen := map[int64]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	return len(seen)
}

// shortlistAdded says how an add went.
func shortlistAdded(added, skipped int) string {
	if added == 0 {
		if skipped == 1 {
			return "Nobody was added: the candidate is on the shortlist already."
		}
		return "Nobody was added: all " + strconv.Itoa(skipped) + " candidates are on the shortlist already."
	}
	msg := countNoun(added, "candidate", "candidates") + " added to the shortlist"
	switch {
	case skipped == 1:
		msg += " (1 was already on it)"
	case skipped > 1:
		msg += " (" + strconv.Itoa(skipped) + " were already on it)"
	}
	return msg + "."
}

// countNoun writes a count with the right noun: "1 candidate", "2 candidates".
func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
