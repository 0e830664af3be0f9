package portico

import "time"

// ContactFeedback is feedback a client contact gave on a shared candidate,
// as the agency reads it on the contact's page.
type ContactFeedback struct {
	ID            int64
	JobID         int64
	JobTitle      string
	ApplicationID int64
	CandidateName string
	Body          string
	At            time.Time
}
