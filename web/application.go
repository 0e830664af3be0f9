package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"portico"
)

func applicationPath(id int64) string { return "/applications/" + strconv.FormatInt(id, 10) }

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) {
	s.showApplication(w, r, http.StatusOK, nil)
}

// showApplication renders an application's page, with the note form's
// errors when adding a note failed.
func (s *Server) showApplication(w http.ResponseWriter, r *http.Request, status int, form *Form) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	a, err := s.svc.Applications.FindApplicationByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	stages, err := s.svc.Stages.ListStages(ctx, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notes, err := s.svc.Applications.FindNotes(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	historyAt := namedOffset(r, "history")
	evs, evTotal, err := s.svc.Events.FindEvents(ctx, portico.EventFilter{SubjectType: "application", SubjectID: id, Offset: historyAt, Limit: historyPerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	addedBy := ""
	if a.AddedBy != 0 {
		if u, err := s.svc.Users.FindUserByID(ctx, a.AddedBy); err == nil {
			addedBy = u.Name
		}
	}
	portal, err := s.loadSharePanel(r, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	retired := true
	for _, st := range stages {
		if st.ID == a.StageID {
			retired = false
		}
	}
	p := s.page(r, a.CandidateName+" for "+a.JobTitle)
	p.Nav = "jobs"
	p.Form = form
	p.Data = map[string]any{
		"App": a, "Stages": stages, "Retired": retired, "Notes": notes, "AddedBy": addedBy, "Events": evs, "Portal": portal,
		"HistoryPager": subPager(applicationPath(id), "history", historyAt, historyPerPage, evTotal, nil, "#history-h"),
	}
	s.render(w, r, status, "application", p)
}

// wantsJSON reports whether the request is the board's script, which asks
// for a JSON answer instead of a redirect.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// moveAnswer is the board script's answer to a move.
type moveAnswer struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	StageID int64  `json:"stage_id,omitempty"`
	Stage   string `json:"stage,omitempty"`
}

func (s *Server) answerJSON(w http.ResponseWriter, status int, v moveAnswer) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// moveApplication puts an application in another stage: from the board's
// and the list's forms (redirecting back with a message), and from the
// board's drag and drop (answering JSON).
func (s *Server) moveApplication(w http.ResponseWriter, r *http.Request) {
	js := wantsJSON(r)
	failed := func(err error) {
		if js {
			status := statusOf(err)
			if status == http.StatusInternalServerError {
				s.log.Error("request failed", "path", logPath(r), "err", err)
			}
			s.answerJSON(w, status, moveAnswer{Message: portico.ErrorMessage(err)})
			return
		}
		s.fail(w, r, err)
	}
	if err := r.ParseForm(); err != nil {
		failed(portico.Errorf(portico.EINVALID, "Portico couldn't read that form. Reload the page and try again."))
		return
	}
	if !storableText(r.Form) {
		failed(portico.Errorf(portico.EINVALID, unstorableText))
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		failed(err)
		return
	}
	ctx := r.Context()
	a, err := s.svc.Applications.FindApplicationByID(ctx, id)
	if err != nil {
		failed(err)
		return
	}
	stageID, perr := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("stage_id")), 10, 64)
	if perr != nil || stageID <= 0 {
		failed(&portico.Error{Code: portico.EINVALID, Message: "Choose the stage to move " + a.CandidateName + " to.",
			Fields: map[string]string{"stage_id": "Choose a stage."}})
		return
	}
	moved, err := s.svc.Applications.MoveApplication(ctx, id, stageID)
	if err != nil {
		failed(err)
		return
	}
	msg := moved.CandidateName + " moved to " + moved.StageName + "."
	if moved.StageID == a.StageID {
		msg = moved.CandidateName + " is in " + moved.StageName + " already."
	}
	if js {
		s.answerJSON(w, http.StatusOK, moveAnswer{OK: true, Message: msg, StageID: moved.StageID, Stage: moved.StageName})
		return
	}
	to := jobPath(moved.JobID) + "#app-" + strconv.FormatInt(id, 10)
	if next := r.PostForm.Get("next"); next != "" {
		to = localPath(next)
	}
	s.redirect(w, r, to, msg)
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.svc.Applications.AddNote(r.Context(), id, r.PostForm.Get("body"))
	if portico.ErrorCode(err) == portico.EINVALID {
		s.showApplication(w, r, statusOf(err), formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, applicationPath(id)+"#notes-h", "Your note was added. Only the agency can see it.")
}

func (s *Server) removeApplication(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	a, err := s.svc.Applications.FindApplicationByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Applications.RemoveApplication(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, jobPath(a.JobID), a.CandidateName+" was taken off the shortlist. The history keeps what happened.")
}
