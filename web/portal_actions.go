package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"portico"
)

// What a client contact does with a shared candidate: rate, give
// feedback, ask for an interview, hire, reject. Each form posts to its own
// address under the candidate's page and comes back to it with a
// confirmation (POST/redirect/GET); input the store refuses comes back
// with the message beside the field and what was typed (portal-actions
// partial, layout/portal_actions.html).

// interviewFormSlots is how many proposed times the form offers.
const interviewFormSlots = 3

// portalAction reads the job and application of the path and the form, and
// runs do. Success goes back to the candidate's page with a confirmation;
// refused input is shown again on the page.
func (s *Server) portalAction(w http.ResponseWriter, r *http.Request, do func(jobID, appID int64) (string, error)) {
	jobID, appID, err := portalIDs(r)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	done, err := do(jobID, appID)
	if err != nil {
		if code := portico.ErrorCode(err); code != portico.EINVALID && code != portico.ECONFLICT {
			s.portalFail(w, r, err)
			return
		}
		s.portalActionAgain(w, r, err)
		return
	}
	s.redirect(w, r, portalCandidatePath(jobID, appID), done)
}

// portalCandidatePath is a shared candidate's page on the portal.
func portalCandidatePath(jobID, appID int64) string {
	return "/portal/jobs/" + strconv.FormatInt(jobID, 10) + "/candidates/" + strconv.FormatInt(appID, 10)
}

// portalActionAgain shows the candidate's page (portal_candidate.go)
// with the refused form: its message beside the field, and what the
// contact typed.
func (s *Server) portalActionAgain(w http.ResponseWriter, r *http.Request, formErr error) {
	v, err := s.loadPortalCandidate(r)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	s.showPortalCandidate(w, r, statusOf(formErr), v, formFrom(r, formErr))
}

// toldWho names who a client's action reached: the job's recruiter at
// the agency, for the confirmation.
func (s *Server) toldWho(r *http.Request, jobID int64) string {
	who := ""
	if j, err := s.svc.Portal.Job(r.Context(), jobID); err == nil {
		who = j.OwnerName
	}
	agency := "the agency"
	if a, err := s.svc.Agency.Agency(r.Context()); err == nil && a.Name != "" {
		agency = a.Name
	}
	if who == "" {
		return agency
	}
	return who + " at " + agency
}

// renameFields returns a validation error with its fields renamed to the
// form's names; other errors pass as they are.
func renameFields(err error, names map[string]string) error {
	fields := portico.ErrorFields(err)
	if portico.ErrorCode(err) != portico.EINVALID || len(fields) == 0 {
		return err
	}
	out := &portico.Error{Code: portico.EINVALID, Message: portico.ErrorMessage(err), Fields: map[string]string{}}
	for _, k := range portico.ErrorOrder(err) {
		n := k
		if to, ok := names[k]; ok {
			n = to
		}
		if _, seen := out.Fields[n]; !seen {
			out.Fields[n] = fields[k]
			out.Order = append(out.Order, n)
		}
	}
	return out
}

func (s *Server) portalRate(w http.ResponseWriter, r *http.Request) {
	s.portalAction(w, r, func(jobID, appID int64) (string, error) {
		stars, err := strconv.Atoi(r.PostForm.Get("stars"))
		if err != nil {
			return "", portico.FieldError("stars", "Choose from 1 to 5 stars.")
		}
		if err := s.svc.PortalActions.Rate(r.Context(), jobID, appID, stars); err != nil {
			return "", err
		}
		return "Rating saved: " + strconv.Itoa(stars) + " of 5. " + s.toldWho(r, jobID) + " has been told.", nil
	})
}

func (s *Server) portalFeedback(w http.ResponseWriter, r *http.Request) {
	s.portalAction(w, r, func(jobID, appID int64) (string, error) {
		if err := s.svc.PortalActions.Feedback(r.Context(), jobID, appID, r.PostForm.Get("feedback")); err != nil {
			return "", renameFields(err, map[string]string{"body": "feedback"})
		}
		return "Thanks for your feedback. " + s.toldWho(r, jobID) + " has been told.", nil
	})
}

// interviewSlots reads the form's proposed times, entered in the agency's
// time zone; index maps each time's place in the list to its input.
func interviewSlots(r *http.Request, loc *time.Location) (slots []time.Time, index map[string]string, err error) {
	v := portico.Validation{}
	index = map[string]string{}
	for i := 1; i <= interviewFormSlots; i++ {
		name := "slot_" + strconv.Itoa(i)
		raw := strings.TrimSpace(r.PostForm.Get(name))
		if raw == "" {
			continue
		}
		t, perr := parseLocalTime(raw, loc)
		v.Check(perr == nil, name, "Enter a date and a time, for example 2026-03-10 14:30.")
		if perr == nil {
			slots = append(slots, t)
			index["slot_"+strconv.Itoa(len(slots))] = name
		}
	}
	return slots, index, v.Err()
}

// parseLocalTime reads a datetime-local value (or the same typed by hand
// with a space) as a time in loc.
func parseLocalTime(raw string, loc *time.Location) (time.Time, error) {
	var err error
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		var t time.Time
		if t, err = time.ParseInLocation(layout, raw, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

func (s *Server) portalInterview(w http.ResponseWriter, r *http.Request) {
	s.portalAction(w, r, func(jobID, appID int64) (string, error) {
		loc := time.UTC
		if a, err := s.svc.Agency.Agency(r.Context()); err == nil {
			loc = a.Location()
		}
		slots, index, err := interviewSlots(r, loc)
		if err != nil {
			return "", err
		}
		in := portico.InterviewInput{Slots: slots, Note: r.PostForm.Get("interview_note")}
		index["note"] = "interview_note"
		if err := s.svc.PortalActions.RequestInterview(r.Context(), jobID, appID, in); err != nil {
			return "", renameFields(err, index)
		}
		return "Interview requested. " + s.toldWho(r, jobID) + " will arrange it and confirm the time with you.", nil
	})
}

func (s *Server) portalHire(w http.ResponseWriter, r *http.Request) {
	s.portalAction(w, r, func(jobID, appID int64) (string, error) {
		if err := s.svc.PortalActions.Hire(r.Context(), jobID, appID, r.PostForm.Get("hire_note")); err != nil {
			return "", renameFields(err, map[string]string{"note": "hire_note"})
		}
		return "Hire confirmed. " + s.toldWho(r, jobID) + " has been told and will be in touch about the offer.", nil
	})
}

func (s *Server) portalReject(w http.ResponseWriter, r *http.Request) {
	s.portalAction(w, r, func(jobID, appID int64) (string, error) {
		if err := s.svc.PortalActions.Reject(r.Context(), jobID, appID, r.PostForm.Get("reason")); err != nil {
			return "", err
		}
		return "Candidate rejected. " + s.toldWho(r, jobID) + " has been told, with your reason.", nil
	})
}

func (s *Server) portalApprove(w http.ResponseWriter, r *http.Request) {
	s.portalAction(w, r, func(jobID, appID int64) (string, error) {
		if err := s.svc.PortalActions.Approve(r.Context(), jobID, appID, r.PostForm.Get("approve_note")); err != nil {
			return "", renameFields(err, map[string]string{"note": "approve_note"})
		}
		return "Candidate approved. " + s.toldWho(r, jobID) + " has been told and will arrange the next step.", nil
	})
}
