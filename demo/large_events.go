package demo

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"portico"
	"portico/sqlstore"
)

// instant is a time as Unix nanoseconds: an eighth of a time.Time's size,
// which matters for millions of events.
type instant int64

func instantOf(t time.Time) instant { return instant(t.UnixNano()) }

// Compare orders instants like time.Time.Compare.
func (a instant) Compare(b instant) int { return cmp.Compare(a, b) }

func (a instant) time() time.Time { return time.Unix(0, int64(a)).UTC() }

// eventKind is what a record's event says; its row's action, subject type
// and details follow from it and the record.
type eventKind uint8

const (
	clientCreated eventKind = iota
	jobCreated
	candidateCreated
	applicationAdded
	applicationMoved
	applicationShared
	contactInvited   // by the client's owner
	contactActivated // by the contact
)

// event is one record's event, kept small (32 bytes): the loader holds
// about two and a half million of them to write in time order. Names and
// titles for the details come from the eventWriter's tables.
type event struct {
	at                                instant
	actor, subject, job, cand, client int32
	kind                              eventKind
	stage                             uint8 // index into the writer's stages, for a move
}

// eventWriter collects the events records leave, to write them in time
// order mixed with filler sign-ins up to the total.
type eventWriter struct {
	db       *sqlstore.DB
	g        *gen
	names    map[int64]string // users
	stages   []*portico.Stage
	clients  []string // name by client ID
	jobs     []string // title by job ID
	cands    []string // full name by candidate ID
	contacts []string // name by contact ID
	evs      []event
}

func newEventWriter(db *sqlstore.DB, g *gen, names map[int64]string, stages []*portico.Stage) *eventWriter {
	contacts := large.clients * large.contactsPer
	return &eventWriter{db: db, g: g, names: names, stages: stages,
		clients: make([]string, large.clients+1), jobs: make([]string, large.clients*large.jobsPer+1), cands: make([]string, large.candidates+1),
		contacts: make([]string, contacts+1),
		// The applications' events are reserved once they are drawn.
		evs: make([]event, 0, large.clients+2*contacts+large.clients*large.jobsPer+large.candidates)}
}

// reserve makes room for n more events, so millions of appends never
// copy the slice (which would hold two copies at once).
func (w *eventWriter) reserve(n int) { w.evs = slices.Grow(w.evs, n) }

func (w *eventWriter) add(at time.Time, actor int64, kind eventKind, subject, job, cand, client int64, stage int) {
	w.evs = append(w.evs, event{at: instantOf(at), actor: int32(actor), kind: kind, subject: int32(subject),
		job: int32(job), cand: int32(cand), client: int32(client), stage: uint8(stage)})
}

// write writes the records' events and filler sign-ins (at times drawn
// from when; three in four by agency users drawn from who, the rest by
// client contacts on the portal) until there are total, all in time
// order, with IDs after the events setting up the agency wrote.
func (w *eventWriter) write(ctx context.Context, total int, when func() time.Time, who func() int64) error {
	sortEvents(w.evs)
	// Filler times are drawn first and sorted (8 bytes each); their actors
	// are drawn as they are written.
	fill := make([]instant, max(0, total-len(w.evs)))
	for i := range fill {
		fill[i] = instantOf(when())
	}
	slices.Sort(fill)
	id, err := w.db.Services().Events.LatestEventID(ctx)
	if err != nil {
		return err
	}
	nullable := func(v int32) any {
		if v == 0 {
			return nil
		}
		return int64(v)
	}
	contacts := int64(len(w.contacts) - 1)
	i, j := 0, 0
	_, err = w.db.BulkInsert(ctx, "events", []string{"id", "at", "actor_kind", "actor_id", "actor_name", "action", "subject_type", "subject_id", "job_id", "candidate_id", "client_id", "ip", "user_agent", "details"}, func() ([]any, bool) {
		if j < len(fill) && (i == len(w.evs) || fill[j] < w.evs[i].at) {
			at := fill[j]
			j++
			id++
			if contacts > 0 && w.g.rnd.IntN(4) == 0 {
				k := 1 + w.g.rnd.Int64N(contacts)
				return []any{id, at.time(), "contact", k, w.contacts[k], "contact.signed_in", "contact", k, nil, nil, w.clientOf(k),
					"198.51.100.24", "Mozilla/5.0", `{"method":"password"}`}, true
			}
			actor := who()
			return []any{id, at.time(), "user", actor, w.names[actor], "user.signed_in", "user", actor, nil, nil, nil, "203.0.113.7", "Mozilla/5.0", "{}"}, true
		}
		if i == len(w.evs) {
			return nil, false
		}
		e := w.evs[i]
		i++
		id++
		action, subjectType, details := w.describe(e)
		kind, name, ip := "user", w.names[int64(e.actor)], "203.0.113.7"
		if e.kind == contactActivated {
			kind, name, ip = "contact", w.contacts[e.actor], "198.51.100.24"
		}
		return []any{id, e.at.time(), kind, int64(e.actor), name, action, subjectType, int64(e.subject),
			nullable(e.job), nullable(e.cand), nullable(e.client), ip, "Mozilla/5.0", details}, true
	})
	w.evs = nil
	return err
}

// clientOf returns a contact's client: contacts are numbered client by
// client.
func (w *eventWriter) clientOf(contact int64) int64 { return (contact-1)/int64(large.contactsPer) + 1 }

// describe returns an event's action, subject type and details, as the
// services would have written them.
func (w *eventWriter) describe(e event) (action, subjectType, details string) {
	switch e.kind {
	case clientCreated:
		return "client.created", "client", `{"name":` + strconv.Quote(w.clients[e.subject]) + `}`
	case jobCreated:
		return "job.created", "job", `{"title":` + strconv.Quote(w.jobs[e.subject]) + `}`
	case candidateCreated:
		return "candidate.created", "candidate", `{"name":` + strconv.Quote(w.cands[e.subject]) + `}`
	case applicationAdded:
		return "application.added", "application", "{}"
	case applicationShared:
		return "application.shared", "application", `{"resume_id":"","video":"no"}`
	case contactInvited:
		return "contact.invited", "contact", `{"name":` + strconv.Quote(w.contacts[e.subject]) + `}`
	case contactActivated:
		return "contact.activated", "contact", "{}"
	default:
		st := w.stages[e.stage]
		return "application.moved", "application", `{"to":` + strconv.Quote(st.InternalName) + `,"to_id":"` + strconv.FormatInt(st.ID, 10) + `"}`
	}
}
