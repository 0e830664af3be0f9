package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"portico"
)

// The inbox: each agency user's alerts (this file) and tasks (tasks.go).

const alertsPerPage = 30

func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	all := r.URL.Query().Get("show") == "all"
	f := portico.AlertFilter{Unread: !all, Offset: offset(r), Limit: alertsPerPage}
	as, total, err := s.svc.Alerts.FindAlerts(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := url.Values{}
	if all {
		base.Set("show", "all")
	}
	p := s.page(r, "Alerts")
	p.Nav = "alerts"
	p.Data = map[string]any{
		"Alerts": as,
		"All":    all,
		"Back":   r.URL.RequestURI(),
		"Pager":  pager{Offset: f.Offset, Limit: f.Limit, Total: total, Base: base, Path: "/alerts"},
	}
	s.render(w, r, http.StatusOK, "alerts", p)
}

// backTo is where a form asked to return to, when it is a page on this
// site; otherwise def.
func backTo(r *http.Request, def string) string {
	if b := r.PostForm.Get("back"); b != "" && localPath(b) == b {
		return b
	}
	return def
}

func (s *Server) readAlert(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Alerts.MarkRead(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, backTo(r, "/alerts"), "Alert marked as read.")
}

func (s *Server) readAllAlerts(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	if err := s.svc.Alerts.MarkAllRead(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, backTo(r, "/alerts"), "All alerts marked as read.")
}

// inboxSummary is the signed-in user's inbox at a glance, for the console
// home page: their five soonest-due open tasks and five newest unread
// alerts, with how many of each there are.
//
//	"Tasks" []taskView (a *portico.Task with Late and DueToday),
//	"OpenTasks" int, "Alerts" []*portico.Alert, "UnreadAlerts" int
func (s *Server) inboxSummary(ctx context.Context) (map[string]any, error) {
	u := currentUser(ctx)
	m := map[string]any{}
	if u == nil {
		return m, nil
	}
	if s.svc.Tasks != nil {
		ts, n, err := s.svc.Tasks.FindTasks(ctx, portico.TaskFilter{AssigneeID: u.ID, Status: portico.TaskOpen, Limit: 5})
		if err != nil {
			return nil, err
		}
		m["Tasks"], m["OpenTasks"] = taskViews(ts, s.today(ctx)), n
	}
	if s.svc.Alerts != nil {
		as, n, err := s.svc.Alerts.FindAlerts(ctx, portico.AlertFilter{Unread: true, Limit: 5})
		if err != nil {
			return nil, err
		}
		m["Alerts"], m["UnreadAlerts"] = as, n
	}
	return m, nil
}

// today is the date in the agency's time zone: what "overdue" is judged by.
func (s *Server) today(ctx context.Context) portico.Date {
	a, err := s.svc.Agency.Agency(ctx)
	if err != nil {
		return portico.DateOf(s.now(), time.UTC)
	}
	return portico.DateOf(s.now(), a.Location())
}

// taskEventText says what a task or alert event did, for history lists
// and alerts.
func taskEventText(e *portico.Event) string {
	d := e.Details
	task := "the task “" + d["title"] + "”"
	if d["job"] != "" {
		task += " on " + d["job"]
	}
	if d["candidate"] != "" {
		task += " (" + d["candidate"] + ")"
	}
	switch e.Action {
	case "task.created":
		s := "added " + task
		if d["assignee"] != "" && d["assignee"] != e.ActorName {
			s += " for " + d["assignee"]
		}
		if due := portico.Date(d["due_on"]); due != "" {
			s += ", due " + due.Format()
		}
		return s
	case "task.updated":
		s := "updated " + task
		if d["changed"] != "" {
			s += ": " + d["changed"]
		}
		if due, ok := d["due_on"]; ok && due != "" {
			s += ", now due " + portico.Date(due).Format()
		} else if ok {
			s += ", now without a due date"
		}
		return s
	case "task.reassigned":
		return "reassigned " + task + " from " + d["from"] + " to " + d["to"]
	case "task.completed":
		return "completed " + task
	case "task.cancelled":
		return "cancelled " + task
	case "task.reopened":
		return "reopened " + task
	case "alert.read":
		return "marked an alert as read"
	case "alert.read_all":
		if n, _ := strconv.Atoi(d["count"]); n == 1 {
			return "marked 1 alert as read"
		}
		return "marked " + d["count"] + " alerts as read"
	}
	return e.Action
}
