package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"portico"
)

// The live hub tells open console pages that something they show has
// changed. Every instance learns of changes the same way, through the
// database: one goroutine per process reads the events written since it
// last looked (by this instance or any other) and passes each on to the
// pages whose topics it concerns. It runs only while pages listen.

const (
	livePoll       = 500 * time.Millisecond // how often the hub reads new events
	liveBatch      = 500                    // events per read
	liveMaxPerUser = 10                     // open streams per user on one instance
	liveMaxTopics  = 20
	liveBuffer     = 64               // messages waiting per stream; a stream that falls further behind is dropped (and reconnects)
	liveGapWait    = 10 * time.Second // how long a missing event ID may still turn up
	liveMaxGaps    = 5000
)

var (
	errLiveClosed  = errors.New("live updates are shutting down")
	errLiveTooMany = errors.New("too many live streams")
)

// liveMsg is one server-sent event.
type liveMsg struct {
	event string
	data  string
}

// liveSub is one open stream.
type liveSub struct {
	userID int64
	topics map[string]bool
	ch     chan liveMsg
	done   chan struct{} // closed when the hub drops the stream
	unread int           // the count last sent; -1 before the first
	gen    int64         // which count query unread came from
}

type liveHub struct {
	events portico.EventService
	alerts portico.AlertService
	log    *slog.Logger
	every  time.Duration

	mu      sync.Mutex
	subs    map[*liveSub]struct{}
	perUser map[int64]int
	running bool
	closed  bool
	gen     int64 // numbers count queries in the order they start
	stop    chan struct{}
	loops   sync.WaitGroup
}

func newLiveHub(svc portico.Services, log *slog.Logger) *liveHub {
	return &liveHub{events: svc.Events, alerts: svc.Alerts, log: log, every: livePoll,
		subs: map[*liveSub]struct{}{}, perUser: map[int64]int{}, stop: make(chan struct{})}
}

// subscribe opens a stream for a user's topics. The first stream starts
// the hub's loop from the newest event, so nothing written after
// subscribe returns is missed.
func (h *liveHub) subscribe(ctx context.Context, userID int64, topics []string) (*liveSub, error) {
	sub := &liveSub{userID: userID, topics: map[string]bool{}, ch: make(chan liveMsg, liveBuffer), done: make(chan struct{}), unread: -1}
	for _, t := range topics {
		sub.topics[t] = true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errLiveClosed
	}
	if h.perUser[userID] >= liveMaxPerUser {
		return nil, errLiveTooMany
	}
	if !h.running {
		// Read under the lock: the loop must not stop and restart in
		// between. It is one indexed MAX.
		from, err := h.events.LatestEventID(ctx)
		if err != nil {
			return nil, err
		}
		h.running = true
		h.loops.Add(1)
		go h.loop(from)
	}
	h.subs[sub] = struct{}{}
	h.perUser[userID]++
	return sub, nil
}

// unsubscribe forgets a stream whose page went away.
func (h *liveHub) unsubscribe(sub *liveSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[sub]; ok {
		delete(h.subs, sub)
		h.dec(sub.userID)
	}
}

func (h *liveHub) dec(userID int64) {
	if h.perUser[userID]--; h.perUser[userID] <= 0 {
		delete(h.perUser, userID)
	}
}

// drop ends a stream from the hub's side; the caller holds the lock.
func (h *liveHub) drop(sub *liveSub) {
	if _, ok := h.subs[sub]; ok {
		delete(h.subs, sub)
		h.dec(sub.userID)
		close(sub.done)
	}
}

// send queues a message for a stream without waiting; a stream too far
// behind is dropped, and its browser reconnects. The caller holds the lock.
func (h *liveHub) send(sub *liveSub, m liveMsg) {
	select {
	case sub.ch <- m:
	default:
		h.drop(sub)
	}
}

// countUnread sends a new stream its unread count. Counts are numbered
// in the order their queries start, and a stream only ever takes a newer
// one: each query sees what was committed when it began, so a count the
// loop started later is at least as fresh, whichever finishes first.
func (h *liveHub) countUnread(sub *liveSub, count func() (int, error)) error {
	h.mu.Lock()
	h.gen++
	gen := h.gen
	h.mu.Unlock()
	n, err := count()
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.applyUnread(sub, gen, n)
	return nil
}

// applyUnread takes a count from query gen; the caller holds the lock.
func (h *liveHub) applyUnread(sub *liveSub, gen int64, n int) {
	if gen > sub.gen {
		sub.gen = gen
		h.sendUnread(sub, n)
	}
}

func (h *liveHub) sendUnread(sub *liveSub, n int) {
	if _, ok := h.subs[sub]; !ok || sub.unread == n {
		return
	}
	sub.unread = n
	h.send(sub, liveMsg{event: "unread", data: `{"count":` + strconv.Itoa(n) + `}`})
}

// Close ends every stream and stops the loop; later subscriptions fail.
// http.Server.Shutdown waits for open requests, so it must be told.
func (h *liveHub) Close() {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		for sub := range h.subs {
			h.drop(sub)
		}
		close(h.stop)
	}
	h.mu.Unlock()
	h.loops.Wait()
}

// livePoller is the loop's place in the event log. Event IDs are handed
// out when a transaction writes, not when it commits, so on PostgreSQL a
// smaller ID can appear after a larger one; a missing ID is looked for
// again until liveGapWait has passed.
type livePoller struct {
	maxSeen int64
	gaps    map[int64]time.Time
}

func (h *liveHub) loop(from int64) {
	defer h.loops.Done()
	p := &livePoller{maxSeen: from, gaps: map[int64]time.Time{}}
	t := time.NewTicker(h.every)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		h.mu.Lock()
		if len(h.subs) == 0 {
			h.running = false
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := h.poll(ctx, p)
		cancel()
		if err != nil && !failing {
			h.log.Warn("live updates: reading new events failed; retrying", "err", err)
		} else if err == nil && failing {
			h.log.Info("live updates: reading new events works again")
		}
		failing = err != nil
	}
}

// poll reads what is new and passes it on.
func (h *liveHub) poll(ctx context.Context, p *livePoller) error {
	var fresh []*portico.Event
	now := time.Now()
	if len(p.gaps) > 0 {
		low := p.maxSeen
		for id, since := range p.gaps {
			if now.Sub(since) > liveGapWait {
				delete(p.gaps, id)
			} else {
				low = min(low, id)
			}
		}
		if len(p.gaps) > 0 {
			evs, err := h.events.EventsSince(ctx, low-1, liveBatch)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if _, ok := p.gaps[e.ID]; ok {
					delete(p.gaps, e.ID)
					fresh = append(fresh, e)
				}
			}
		}
	}
	for range 20 {
		evs, err := h.events.EventsSince(ctx, p.maxSeen, liveBatch)
		if err != nil {
			return err
		}
		for _, e := range evs {
			for id := p.maxSeen + 1; id < e.ID && len(p.gaps) < liveMaxGaps; id++ {
				p.gaps[id] = now
			}
			p.maxSeen = e.ID
			fresh = append(fresh, e)
		}
		if len(evs) < liveBatch {
			break
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	h.publish(fresh)
	return h.recount(ctx)
}

// publish tells each stream about the events on its topics, one message
// per event.
func (h *liveHub) publish(evs []*portico.Event) {
	topics := make([][]string, len(evs))
	for i, e := range evs {
		topics[i] = e.Topics()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		for i, e := range evs {
			for _, t := range topics[i] {
				if sub.topics[t] {
					b, _ := json.Marshal(struct {
						Topic string `json:"topic"`
						Event int64  `json:"event"`
					}{t, e.ID})
					h.send(sub, liveMsg{event: "change", data: string(b)})
					break
				}
			}
		}
	}
}

// recount reads the unread alerts of everyone listening, in one query, and
// sends the counts that changed. Alerts come and go only with events, so
// this runs only after new ones.
func (h *liveHub) recount(ctx context.Context) error {
	if h.alerts == nil {
		return nil
	}
	h.mu.Lock()
	h.gen++
	gen := h.gen
	users := make([]int64, 0, len(h.perUser))
	for id := range h.perUser {
		users = append(users, id)
	}
	h.mu.Unlock()
	if len(users) == 0 {
		return nil
	}
	counts, err := h.alerts.UnreadCounts(ctx, users)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	asked := make(map[int64]bool, len(users))
	for _, id := range users {
		asked[id] = true
	}
	for sub := range h.subs {
		if asked[sub.userID] { // a stream opened since is counted on its own
			h.applyUnread(sub, gen, counts[sub.userID])
		}
	}
	return nil
}
