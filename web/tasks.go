package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"portico"
)

const tasksPerPage = 25

// option is one choice of a select.
type option struct {
	Value string
	Label string
}

// taskView is a task as lists show it: whether it is late is judged on
// the agency's day.
type taskView struct {
	*portico.Task
	Late     bool // open and past its due day
	DueToday bool // open and due today
}

func taskViews(ts []*portico.Task, today portico.Date) []taskView {
	out := make([]taskView, len(ts))
	for i, t := range ts {
		out[i] = taskView{Task: t, Late: t.Overdue(today), DueToday: t.Status == portico.TaskOpen && t.DueOn == today}
	}
	return out
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// formID reads an optional ID from a form: 0 when empty, -1 when it isn't
// a number (the store then says which choice is wrong).
func formID(v string) int64 {
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return -1
	}
	return id
}

func (s *Server) tasks(w http.ResponseWriter, r *http.Request) {
	ctx, q, me := r.Context(), r.URL.Query(), currentUser(r.Context())
	f := portico.TaskFilter{Offset: offset(r), Limit: tasksPerPage}
	assignee := q.Get("assignee")
	switch assignee {
	case "any":
	default:
		if id := formID(assignee); id > 0 && id != me.ID {
			f.AssigneeID = id
		} else {
			f.AssigneeID, assignee = me.ID, "me"
		}
	}
	status := q.Get("status")
	switch status {
	case "done", "cancelled", "open":
		f.Status = portico.TaskStatus(status)
	case "all":
	default:
		f.Status, status = portico.TaskOpen, "open"
	}
	ts, total, err := s.svc.Tasks.FindTasks(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := s.userOptions(ctx, false, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	heading := "My tasks"
	if assignee == "any" {
		heading = "Everyone's tasks"
	} else if f.AssigneeID != me.ID {
		heading = "Tasks"
		for _, u := range users {
			if u.Value == assignee {
				heading = "Tasks for " + u.Label
			}
		}
	}
	p := s.page(r, heading)
	p.Nav = "tasks"
	p.Data = map[string]any{
		"Heading":  heading,
		"Tasks":    taskViews(ts, s.today(ctx)),
		"Users":    users,
		"Assignee": assignee,
		"Status":   status,
		"Back":     r.URL.RequestURI(),
		"Pager":    pager{Offset: f.Offset, Limit: f.Limit, Total: total, Base: url.Values{"assignee": {assignee}, "status": {status}}, Path: "/tasks"},
	}
	s.render(w, r, http.StatusOK, "tasks", p)
}

// userOptions lists agency users for a select: only active ones when
// choosing someone to do something, except keep (a current choice).
func (s *Server) userOptions(ctx context.Context, activeOnly bool, keep int64) ([]option, error) {
	f := portico.UserFilter{Limit: 500}
	if activeOnly {
		t := true
		f.Active = &t
	}
	us, _, err := s.svc.Users.FindUsers(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []option
	found := keep == 0
	for _, u := range us {
		label := u.Name
		if !u.Active {
			label += " (deactivated)"
		}
		out = append(out, option{idString(u.ID), label})
		found = found || u.ID == keep
	}
	if !found {
		if u, err := s.svc.Users.FindUserByID(ctx, keep); err == nil {
			out = append(out, option{idString(u.ID), u.Name + " (deactivated)"})
		}
	}
	return out, nil
}

// jobOptions lists the open jobs for the task form, and the chosen one
// whatever its status.
func (s *Server) jobOptions(ctx context.Context, chosen int64) ([]option, error) {
	var out []option
	found := chosen <= 0
	if s.svc.Jobs != nil {
		js, _, err := s.svc.Jobs.FindJobs(ctx, portico.JobFilter{Status: portico.JobOpen, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, j := range js {
			out = append(out, option{idString(j.ID), j.Title + " — " + j.ClientName})
			found = found || j.ID == chosen
		}
		if !found {
			if j, err := s.svc.Jobs.FindJobByID(ctx, chosen); err == nil {
				out = append([]option{{idString(j.ID), j.Title + " — " + j.ClientName + " (" + j.Status.Label() + ")"}}, out...)
				found = true
			}
		}
	}
	if !found {
		out = append([]option{{idString(chosen), "Job " + idString(chosen)}}, out...)
	}
	return out, nil
}

// applicationLabel names the candidate a task is about, "" when unknown.
func (s *Server) applicationLabel(ctx context.Context, id int64, t *portico.Task) string {
	if id <= 0 {
		return ""
	}
	if t != nil && t.ApplicationID == id {
		return t.CandidateName + " on " + t.JobTitle
	}
	if s.svc.Applications != nil {
		if a, err := s.svc.Applications.FindApplicationByID(ctx, id); err == nil {
			return a.CandidateName + " on " + a.JobTitle
		}
	}
	return "Candidate " + idString(id)
}

// taskForm fills a page's data for the task form: the choices, with the
// form's current values kept.
func (s *Server) taskForm(ctx context.Context, p *Page, t *portico.Task) error {
	var keep int64
	if t != nil {
		keep = t.AssigneeID
	}
	users, err := s.userOptions(ctx, true, keep)
	if err != nil {
		return err
	}
	jobs, err := s.jobOptions(ctx, formID(p.Form.Get("job_id")))
	if err != nil {
		return err
	}
	data := p.Data.(map[string]any)
	data["Users"], data["Jobs"], data["Kinds"] = users, jobs, portico.TaskKinds
	data["Application"] = s.applicationLabel(ctx, formID(p.Form.Get("application_id")), t)
	return nil
}

func taskValues(t *portico.Task) url.Values {
	v := url.Values{}
	v.Set("title", t.Title)
	v.Set("details", t.Details)
	v.Set("kind", string(t.Kind))
	v.Set("due_on", string(t.DueOn))
	v.Set("assignee_id", idString(t.AssigneeID))
	if t.JobID != 0 {
		v.Set("job_id", idString(t.JobID))
	}
	if t.ApplicationID != 0 {
		v.Set("application_id", idString(t.ApplicationID))
	}
	return v
}

func (s *Server) newTaskForm(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	v := url.Values{}
	v.Set("assignee_id", idString(currentUser(ctx).ID))
	v.Set("kind", string(portico.TaskFollowUp))
	if raw := q.Get("application"); raw != "" {
		id := formID(raw)
		if id <= 0 || s.svc.Applications == nil {
			s.fail(w, r, portico.Errorf(portico.ENOTFOUND, "There's no such candidate on a shortlist. The link may be mistyped."))
			return
		}
		a, err := s.svc.Applications.FindApplicationByID(ctx, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Set("application_id", idString(a.ID))
		v.Set("job_id", idString(a.JobID))
		v.Set("back", "/applications/"+idString(a.ID))
	} else if raw := q.Get("job"); raw != "" {
		id := formID(raw)
		if id <= 0 || s.svc.Jobs == nil {
			s.fail(w, r, portico.Errorf(portico.ENOTFOUND, "There's no such job. The link may be mistyped."))
			return
		}
		j, err := s.svc.Jobs.FindJobByID(ctx, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Set("job_id", idString(j.ID))
		v.Set("back", "/jobs/"+idString(j.ID))
	}
	s.showNewTask(w, r, http.StatusOK, &Form{Values: v})
}

func (s *Server) showNewTask(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	p := s.page(r, "Add task")
	p.Nav = "tasks"
	p.Form = f
	p.Data = map[string]any{}
	if err := s.taskForm(r.Context(), p, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "task", p)
}

// taskInput reads the task form.
func taskInput(f url.Values) portico.TaskInput {
	return portico.TaskInput{
		Title: f.Get("title"), Details: f.Get("details"), Kind: portico.TaskKind(f.Get("kind")),
		JobID: formID(f.Get("job_id")), ApplicationID: formID(f.Get("application_id")),
		DueOn: portico.Date(f.Get("due_on")), AssigneeID: formID(f.Get("assignee_id")),
	}
}

// taskFormFailed reports whether err is one the form shows beside its fields.
func taskFormFailed(err error) bool {
	c := portico.ErrorCode(err)
	return c == portico.EINVALID || c == portico.ECONFLICT
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	t, err := s.svc.Tasks.CreateTask(r.Context(), taskInput(r.PostForm))
	if taskFormFailed(err) {
		s.showNewTask(w, r, statusOf(err), formFrom(r, err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Task added."
	if t.AssigneeID != currentUser(r.Context()).ID {
		msg = "Task added for " + t.AssigneeName + ", who has been alerted."
	}
	s.redirect(w, r, backTo(r, "/tasks/"+idString(t.ID)), msg)
}

func (s *Server) taskPage(w http.ResponseWriter, r *http.Request) {
	s.showTask(w, r, http.StatusOK, nil)
}

// showTask renders a task's page, with the edit form's input and messages
// after a failed change.
func (s *Server) showTask(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	t, err := s.svc.Tasks.FindTaskByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, _, err := s.svc.Events.FindEvents(ctx, portico.EventFilter{SubjectType: "task", SubjectID: id, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, t.Title)
	p.Nav = "tasks"
	p.Form = &Form{Values: taskValues(t)}
	if formErr != nil {
		p.Form = formFrom(r, formErr)
	}
	p.Data = map[string]any{"Task": taskViews([]*portico.Task{t}, s.today(ctx))[0], "Events": evs}
	if err := s.taskForm(ctx, p, t); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "task", p)
}

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	old, err := s.svc.Tasks.FindTaskByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.svc.Tasks.UpdateTask(ctx, id, taskInput(r.PostForm))
	if taskFormFailed(err) {
		s.showTask(w, r, statusOf(err), err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Task saved."
	if t.AssigneeID != old.AssigneeID {
		msg = "Task saved and given to " + t.AssigneeName + "."
		if t.AssigneeID != currentUser(ctx).ID {
			msg = "Task saved and given to " + t.AssigneeName + ", who has been alerted."
		}
	}
	s.redirect(w, r, "/tasks/"+idString(t.ID), msg)
}

func (s *Server) setTaskStatus(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.svc.Tasks.SetTaskStatus(r.Context(), id, portico.TaskStatus(r.PostForm.Get("status")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Reopened “" + t.Title + "”."
	switch t.Status {
	case portico.TaskDone:
		msg = "Done: “" + t.Title + "”."
	case portico.TaskCancelled:
		msg = "Cancelled “" + t.Title + "”."
	}
	s.redirect(w, r, backTo(r, "/tasks/"+idString(t.ID)), msg)
}
