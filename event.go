package portico

import (
	"context"
	"time"
)

// Event records one change: who did what to which record, when, and from
// which address. Every state change writes one in its own transaction, so
// the history and the audit can't miss anything.
type Event struct {
	ID          int64
	At          time.Time
	ActorKind   ActorKind
	ActorID     int64
	ActorName   string
	Action      string // dotted verb, e.g. "user.created"
	SubjectType string // e.g. "user", "job"
	SubjectID   int64
	IP          string
	UserAgent   string
	Details     map[string]string
}

// EventFilter selects a page of events, newest first.
type EventFilter struct {
	SubjectType string
	SubjectID   int64
	Action      string
	Offset      int
	Limit       int
}

// EventService reads the event log.
type EventService interface {
	// FindEvents returns a page of events, newest first, and the total.
	FindEvents(ctx context.Context, f EventFilter) ([]*Event, int, error)
}
