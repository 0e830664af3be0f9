package portico

import (
	"context"
	"strings"
	"time"
)

// Application is a candidate on a job's shortlist, in a stage.
type Application struct {
	ID             int64
	JobID          int64
	JobTitle       string
	ClientName     string
	CandidateID    int64
	CandidateName  string
	CandidateTitle string // current title, for cards
	CandidateCity  string
	StageID        int64
	StageName      string // internal name
	StageKind      StageKind
	AddedBy        int64
	CreatedAt      time.Time
	StageChangedAt time.Time
	SharedAt       *time.Time // when it was shared with the client; nil when it isn't
	Notes          int        // how many internal notes; filled by lists
}

// ApplicationFilter selects applications: a job's shortlist, or a
// candidate's jobs.
type ApplicationFilter struct {
	JobID       int64
	CandidateID int64
	StageID     int64
	Offset      int
	Limit       int
}

// Note is an internal note on an application: never shown to clients.
type Note struct {
	ID            int64
	ApplicationID int64
	AuthorID      int64
	AuthorName    string
	Body          string
	CreatedAt     time.Time
}

// CheckNote validates a note's text.
func CheckNote(body string) (string, error) {
	body = strings.TrimSpace(body)
	v := Validation{}
	v.Check(body != "", "body", "Write the note first.")
	v.Check(len(body) <= 10000, "body", "Keep the note under 10,000 characters.")
	return body, v.Err()
}

// StageCount is how many applications of a job are in a stage.
type StageCount struct {
	StageID int64
	Count   int
}

// ApplicationService keeps shortlists. Agency users only; every change
// writes an event naming the job and the candidate.
type ApplicationService interface {
	// AddToShortlist puts candidates on a job in its first active stage;
	// those already on it are skipped. It returns how many were added.
	AddToShortlist(ctx context.Context, jobID int64, candidateIDs []int64) (int, error)
	FindApplications(ctx context.Context, f ApplicationFilter) ([]*Application, int, error)
	FindApplicationByID(ctx context.Context, id int64) (*Application, error)
	// StageCounts returns a job's applications per stage.
	StageCounts(ctx context.Context, jobID int64) ([]StageCount, error)
	// MoveApplication puts an application in another active stage.
	MoveApplication(ctx context.Context, id, stageID int64) (*Application, error)
	// RemoveApplication takes a candidate off the shortlist; its history stays.
	RemoveApplication(ctx context.Context, id int64) error
	AddNote(ctx context.Context, applicationID int64, body string) (*Note, error)
	FindNotes(ctx context.Context, applicationID int64) ([]*Note, error)
}
