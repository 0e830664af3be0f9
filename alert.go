package portico

import (
	"context"
	"strings"
	"time"
)

// Alert tells an agency user that something happened that concerns them.
// It points at the event that caused it.
type Alert struct {
	ID        int64
	UserID    int64
	Event     *Event
	ReadAt    *time.Time
	CreatedAt time.Time
}

// AlertFilter selects a page of the current user's alerts, newest first.
type AlertFilter struct {
	Unread bool
	Offset int
	Limit  int
}

// AlertService is each agency user's inbox of alerts. Every method works on
// the signed-in user's own alerts only.
type AlertService interface {
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, int, error)
	CountUnread(ctx context.Context) (int, error)
	// MarkRead marks one alert read; ENOTFOUND for someone else's.
	MarkRead(ctx context.Context, id int64) error
	MarkAllRead(ctx context.Context) error
	// UnreadCounts returns how many unread alerts each of the users has
	// (users without any are left out), for the live-update broker that
	// keeps every open page's badge current. Portico itself only (the
	// system actor, as in a background routine); never for a request.
	UnreadCounts(ctx context.Context, userIDs []int64) (map[int64]int, error)
}

// TaskKind says what sort of work a task is.
type TaskKind string

const (
	TaskFollowUp         TaskKind = "follow_up"
	TaskCall             TaskKind = "call"
	TaskArrangeInterview TaskKind = "arrange_interview"
	TaskProcessOffer     TaskKind = "process_offer"
	TaskOther            TaskKind = "other"
)

// TaskKinds lists the kinds in form order.
var TaskKinds = []TaskKind{TaskFollowUp, TaskCall, TaskArrangeInterview, TaskProcessOffer, TaskOther}

// Label is the kind as people read it.
func (k TaskKind) Label() string {
	switch k {
	case TaskCall:
		return "Call"
	case TaskArrangeInterview:
		return "Arrange interview"
	case TaskProcessOffer:
		return "Process offer"
	case TaskOther:
		return "Other"
	}
	return "Follow up"
}

// Valid reports whether k is a known kind.
func (k TaskKind) Valid() bool {
	for _, x := range TaskKinds {
		if k == x {
			return true
		}
	}
	return false
}

// TaskStatus is where a task stands.
type TaskStatus string

const (
	TaskOpen      TaskStatus = "open"
	TaskDone      TaskStatus = "done"
	TaskCancelled TaskStatus = "cancelled"
)

// Task is work for an agency user, often caused by a client's action.
type Task struct {
	ID            int64
	Title         string
	Details       string
	Kind          TaskKind
	JobID         int64 // 0 for none
	JobTitle      string
	ApplicationID int64 // 0 for none
	CandidateName string
	DueOn         Date
	AssigneeID    int64
	AssigneeName  string
	Status        TaskStatus
	CreatedBy     int64 // 0 when Portico made it from a client's action
	CreatedAt     time.Time
	CompletedAt   *time.Time
	EventID       int64 // the event that caused it, if any
}

// Overdue reports whether an open task's due day has passed on day today.
func (t *Task) Overdue(today Date) bool {
	return t.Status == TaskOpen && t.DueOn != "" && t.DueOn < today
}

// TaskInput is what the task form edits.
type TaskInput struct {
	Title         string
	Details       string
	Kind          TaskKind
	JobID         int64
	ApplicationID int64
	DueOn         Date
	AssigneeID    int64
}

// Validate checks and normalises the input.
func (in *TaskInput) Validate() error {
	in.Title, in.Details = strings.TrimSpace(in.Title), strings.TrimSpace(in.Details)
	if in.Kind == "" {
		in.Kind = TaskFollowUp
	}
	v := Validation{}
	v.Check(in.Title != "", "title", "Say what needs doing.")
	v.Check(len(in.Title) <= 200, "title", "Keep the title under 200 characters.")
	v.Check(len(in.Details) <= 10000, "details", "Keep the details under 10,000 characters.")
	v.Check(in.Kind.Valid(), "kind", "Choose a kind of task.")
	v.Check(in.DueOn.Valid(), "due_on", "Enter the due date as a date, for example 2026-03-02.")
	v.Check(in.AssigneeID > 0, "assignee_id", "Choose who should do it.")
	return v.Err()
}

// TaskFilter selects a page of tasks, open ones by due date first.
type TaskFilter struct {
	AssigneeID int64
	Status     TaskStatus
	JobID      int64
	Offset     int
	Limit      int
}

// TaskService keeps tasks. Agency users only; every change writes an
// event, and assigning a task to someone else alerts them.
type TaskService interface {
	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
	FindTaskByID(ctx context.Context, id int64) (*Task, error)
	CreateTask(ctx context.Context, in TaskInput) (*Task, error)
	UpdateTask(ctx context.Context, id int64, in TaskInput) (*Task, error)
	// SetTaskStatus completes, cancels or reopens a task.
	SetTaskStatus(ctx context.Context, id int64, status TaskStatus) (*Task, error)
}
