package web

import (
	"net/http"
	"strconv"
	"strings"

	"portico"
)

func stagePath(id int64) string { return "/stages#stage-" + strconv.FormatInt(id, 10) }

// stages lists the pipeline, with the form to add a stage at the bottom.
func (s *Server) stages(w http.ResponseWriter, r *http.Request) {
	s.showStages(w, r, http.StatusOK, nil, "")
}

// showStages renders the stages page, with the add form's errors when a
// create failed, or a rule's message (problem) when a change was refused.
func (s *Server) showStages(w http.ResponseWriter, r *http.Request, status int, form *Form, problem string) {
	all, err := s.svc.Stages.FindStages(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var active, retired []*portico.Stage
	for _, st := range all {
		if st.Retired {
			retired = append(retired, st)
		} else {
			active = append(active, st)
		}
	}
	p := s.page(r, "Pipeline stages")
	p.Nav = "stages"
	p.Form = form
	p.Data = map[string]any{"Active": active, "Retired": retired, "Kinds": portico.StageKinds, "Last": len(active), "Problem": problem}
	s.render(w, r, status, "stages", p)
}

// stageInput reads the stage form.
func stageInput(r *http.Request) portico.StageInput {
	f := r.PostForm
	return portico.StageInput{InternalName: f.Get("internal_name"), ClientName: f.Get("client_name"), Kind: portico.StageKind(f.Get("kind"))}
}

func (s *Server) createStage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	st, err := s.svc.Stages.CreateStage(r.Context(), stageInput(r))
	if correctable(err) {
		s.showStages(w, r, statusOf(err), formFrom(r, err), "")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, stagePath(st.ID), "The stage “"+st.InternalName+"” was added at the end of the pipeline.")
}

func (s *Server) editStageForm(w http.ResponseWriter, r *http.Request) {
	s.showStageForm(w, r, http.StatusOK, nil)
}

func (s *Server) showStageForm(w http.ResponseWriter, r *http.Request, status int, form *Form) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.svc.Stages.FindStageByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if form == nil {
		form = &Form{Values: map[string][]string{
			"internal_name": {st.InternalName}, "client_name": {st.ClientName}, "kind": {string(st.Kind)}}}
	}
	p := s.page(r, "Edit stage "+st.InternalName)
	p.Nav = "stages"
	p.Form = form
	p.Data = map[string]any{"Stage": st, "Kinds": portico.StageKinds}
	s.render(w, r, status, "stage_edit", p)
}

func (s *Server) updateStage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.svc.Stages.UpdateStage(r.Context(), id, stageInput(r))
	if correctable(err) {
		s.showStageForm(w, r, statusOf(err), formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, stagePath(st.ID), "The stage “"+st.InternalName+"” was saved.")
}

func (s *Server) moveStage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pos, perr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("position")))
	if perr != nil || pos < 1 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "Portico didn't understand where to move the stage. Go back to Stages and use Move up or Move down.")
		return
	}
	st, err := s.svc.Stages.FindStageByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Stages.MoveStage(r.Context(), id, pos); err != nil {
		s.fail(w, r, err)
		return
	}
	moved, err := s.svc.Stages.FindStageByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "“" + st.InternalName + "” is now stage " + strconv.Itoa(moved.Position) + " of the pipeline."
	if moved.Position == st.Position {
		msg = "“" + st.InternalName + "” stays where it is."
	}
	s.redirect(w, r, stagePath(id), msg)
}

func (s *Server) retireStage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.svc.Stages.FindStageByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Stages.RetireStage(r.Context(), id); err != nil {
		if portico.ErrorCode(err) == portico.ECONFLICT {
			s.showStagesError(w, r, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	_, err = s.svc.Stages.FindStageByID(r.Context(), id)
	switch portico.ErrorCode(err) {
	case portico.ENOTFOUND:
		s.redirect(w, r, "/stages", "“"+st.InternalName+"” was deleted: no candidate was in it.")
	case "":
		s.redirect(w, r, stagePath(id), "“"+st.InternalName+"” was retired: candidates in it stay there, but no one can be moved into it. You can restore it below.")
	default:
		s.fail(w, r, err)
	}
}

// showStagesError shows the stages page with a rule's message on top.
func (s *Server) showStagesError(w http.ResponseWriter, r *http.Request, err error) {
	s.showStages(w, r, statusOf(err), nil, portico.ErrorMessage(err))
}

func (s *Server) restoreStage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.svc.Stages.FindStageByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Stages.RestoreStage(r.Context(), id); err != nil {
		if portico.ErrorCode(err) == portico.ECONFLICT {
			s.showStagesError(w, r, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, stagePath(id), "“"+st.InternalName+"” was restored at the end of the pipeline.")
}

// stageEventText words the pipeline's events.
func stageEventText(e *portico.Event) string {
	d := e.Details
	name := "“" + d["name"] + "”"
	switch e.Action {
	case "stage.created":
		return "added the stage " + name + " to the pipeline"
	case "stage.renamed":
		if d["from"] != "" && d["from"] != d["name"] {
			return "renamed the stage “" + d["from"] + "” to " + name
		}
		return "changed the stage " + name
	case "stage.moved":
		return "moved the stage " + name + " from position " + d["from"] + " to " + d["to"]
	case "stage.retired":
		return "retired the stage " + name
	case "stage.deleted":
		return "deleted the stage " + name
	case "stage.restored":
		return "restored the stage " + name
	}
	return e.Action
}
