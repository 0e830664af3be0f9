package portico

import (
	"context"
	"time"
)

// Email is one composed message. It is composed when the action happens and
// kept as it was, so what was sent can be read later and a retry sends the
// same bytes.
type Email struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html,omitempty"`
	// Headers are extra header fields, e.g. List-Unsubscribe (RFC 8058).
	Headers map[string]string `json:"headers,omitempty"`
}

// MessageKind says how an outbox message leaves.
type MessageKind string

const (
	MessageEmail   MessageKind = "email"
	MessageWebhook MessageKind = "webhook"
)

// MessageStatus is where a message is on its way out.
type MessageStatus string

const (
	MessagePending MessageStatus = "pending" // waiting for (another) attempt
	MessageSent    MessageStatus = "sent"
	MessageFailed  MessageStatus = "failed" // gave up after MaxAttempts
	MessageKept    MessageStatus = "kept"   // no mail server set: kept for the console's Outbox page
)

// MaxAttempts is how often delivery is tried before a message is given up.
const MaxAttempts = 12

// Message is an outgoing email or webhook in the durable outbox. It is
// written in the same transaction as the change that caused it.
type Message struct {
	ID            int64
	Kind          MessageKind
	Status        MessageStatus
	Email         *Email // for MessageEmail
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	EventID       int64
}

// Backoff is the wait before attempt n+1 after n failed ones: 30 s doubling
// to at most an hour, so a mail server down for a day is retried for a day.
func Backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// MessageFilter selects a page of outbox messages, newest first.
type MessageFilter struct {
	Kind   MessageKind
	Offset int
	Limit  int
}

// OutboxService reads the outbox and lets the delivery worker claim and
// settle messages.
type OutboxService interface {
	// FindMessages returns a page of messages, newest first. Admins only.
	FindMessages(ctx context.Context, f MessageFilter) ([]*Message, int, error)

	// FindMessageByID returns one message. Admins only.
	FindMessageByID(ctx context.Context, id int64) (*Message, error)

	// ClaimMessages leases up to n due messages for lease; no other worker,
	// in this process or another, gets them until the lease ends. A worker
	// that dies mid-delivery leaves them to be claimed again.
	ClaimMessages(ctx context.Context, n int, lease time.Duration) ([]*Message, error)

	// SettleMessage records the outcome of an attempt: MessageSent,
	// MessageKept, or MessagePending with the delivery error, which
	// schedules a retry after Backoff (or gives up after MaxAttempts).
	SettleMessage(ctx context.Context, id int64, outcome MessageStatus, deliveryErr error) error
}

// Composer turns a named template and its data into an email. The mail
// package implements it; the store queues what it composes, inside the
// transaction of the change that caused it.
type Composer interface {
	Compose(template string, to []string, data map[string]any) (Email, error)
}
