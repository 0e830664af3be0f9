package portico

import (
	"context"
	"strconv"
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
	// The records the event concerns, for their history pages and for live
	// updates; 0 where none.
	JobID       int64
	CandidateID int64
	ClientID    int64
	IP          string
	UserAgent   string
	Details     map[string]string
}

// EventFilter selects a page of events, newest first.
type EventFilter struct {
	SubjectType string
	SubjectID   int64
	JobID       int64
	CandidateID int64
	ClientID    int64
	Action      string
	// ContactID selects what one client contact did (the actor), portal
	// and share-link visits alike; ActorKind selects by kind of actor.
	ContactID int64
	ActorKind ActorKind
	// From and To bound the time: From <= at < To; zero for no bound.
	From, To time.Time
	// BeforeID keeps events older than that one (0: no bound): an export
	// pages by it, so events written meanwhile don't shift its pages.
	BeforeID int64
	// NoTotal skips counting (the total is returned as -1): for exports,
	// which read page after page and need no count.
	NoTotal bool
	// Work leaves out sign-ins, alert reading and other housekeeping: the
	// activity feed shows the agency's work.
	Work   bool
	Offset int
	Limit  int
}

// EventService reads the event log.
type EventService interface {
	// FindEvents returns a page of events, newest first, and the total.
	FindEvents(ctx context.Context, f EventFilter) ([]*Event, int, error)

	// EventsSince returns up to limit events after the ID, oldest first,
	// for live updates; LatestEventID is where a new listener starts.
	EventsSince(ctx context.Context, afterID int64, limit int) ([]*Event, error)
	LatestEventID(ctx context.Context) (int64, error)
}

// Topics are the live-update channels an event concerns: "job:7",
// "candidate:9", "client:3", and the subject itself.
func (e *Event) Topics() []string {
	ts := []string{e.SubjectType + ":" + strconv.FormatInt(e.SubjectID, 10)}
	for _, t := range []struct {
		name string
		id   int64
	}{{"job", e.JobID}, {"candidate", e.CandidateID}, {"client", e.ClientID}} {
		if t.id != 0 && !(t.name == e.SubjectType && t.id == e.SubjectID) {
			ts = append(ts, t.name+":"+strconv.FormatInt(t.id, 10))
		}
	}
	return ts
}
