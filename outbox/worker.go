// Package outbox delivers the messages that changes queue in the database:
// a worker claims due messages, sends them, and records each outcome, with
// retries and backoff. Because messages are claimed with a lease in the
// database, any number of instances can run workers and each message still
// leaves once.
package outbox

import (
	"context"
	"log/slog"
	"time"

	"portico"
)

// Sender delivers one email. nil in Worker means no mail server is set up.
type Sender interface {
	Send(ctx context.Context, e *portico.Email) error
}

// Routine is work done every so often by the worker (housekeeping, reports).
type Routine struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
	last  time.Time
}

// Worker delivers the outbox.
type Worker struct {
	Outbox   portico.OutboxService
	Mail     Sender // nil: emails are kept for the console's Outbox page
	Log      *slog.Logger
	Poll     time.Duration // how often to look for due messages; default 2 s
	Lease    time.Duration // how long a claim holds; default 2 min
	Routines []*Routine

	wake chan struct{}
}

// New returns a worker.
func New(o portico.OutboxService, mail Sender, log *slog.Logger) *Worker {
	return &Worker{Outbox: o, Mail: mail, Log: log, Poll: 2 * time.Second, Lease: 2 * time.Minute, wake: make(chan struct{}, 1)}
}

// Wake makes the worker look for messages now (called after a commit that
// queued one); it never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		w.deliverDue(ctx)
		w.runRoutines(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// deliverDue sends every due message, a batch at a time.
func (w *Worker) deliverDue(ctx context.Context) {
	for ctx.Err() == nil {
		ms, err := w.Outbox.ClaimMessages(ctx, 10, w.Lease)
		if err != nil {
			if ctx.Err() == nil {
				w.Log.Error("outbox: claim", "err", err)
			}
			return
		}
		if len(ms) == 0 {
			return
		}
		for _, m := range ms {
			w.deliver(ctx, m)
		}
	}
}

func (w *Worker) deliver(ctx context.Context, m *portico.Message) {
	outcome, err := portico.MessageSent, error(nil)
	switch {
	case m.Kind == portico.MessageEmail && w.Mail == nil:
		outcome = portico.MessageKept
	case m.Kind == portico.MessageEmail:
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = w.Mail.Send(sctx, m.Email)
		cancel()
	default:
		err = errUnknownKind
	}
	if err != nil {
		outcome = portico.MessagePending
		w.Log.Warn("outbox: delivery failed", "id", m.ID, "attempt", m.Attempts, "err", err)
	} else {
		w.Log.Info("outbox: delivered", "id", m.ID, "kind", m.Kind, "status", outcome)
	}
	// Settle even when ctx is ending, so a sent message is not sent again.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.Outbox.SettleMessage(sctx, m.ID, outcome, err); err != nil {
		w.Log.Error("outbox: settle", "id", m.ID, "err", err)
	}
}

var errUnknownKind = portico.Errorf(portico.EINTERNAL, "no sender for this kind of message")

func (w *Worker) runRoutines(ctx context.Context) {
	now := time.Now()
	for _, r := range w.Routines {
		if now.Sub(r.last) < r.Every {
			continue
		}
		r.last = now
		if err := r.Run(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("routine failed", "routine", r.Name, "err", err)
		}
	}
}
