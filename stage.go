package portico

import (
	"context"
	"strings"
)

// StageKind says what a stage means, whatever the agency calls it. Client
// actions and counts work by kind.
type StageKind string

const (
	KindSourcing         StageKind = "sourcing"
	KindSubmitted        StageKind = "submitted"
	KindInterview        StageKind = "interview"
	KindOffer            StageKind = "offer"
	KindHired            StageKind = "hired"
	KindRejectedByClient StageKind = "rejected_by_client"
	KindRejected         StageKind = "rejected" // by the agency
	KindWithdrawn        StageKind = "withdrawn"
)

// StageKinds lists the kinds in pipeline order.
var StageKinds = []StageKind{KindSourcing, KindSubmitted, KindInterview, KindOffer, KindHired, KindRejectedByClient, KindRejected, KindWithdrawn}

// Label is the kind as people read it.
func (k StageKind) Label() string {
	switch k {
	case KindSubmitted:
		return "Submitted"
	case KindInterview:
		return "Interview"
	case KindOffer:
		return "Offer"
	case KindHired:
		return "Hired"
	case KindRejectedByClient:
		return "Rejected by client"
	case KindRejected:
		return "Rejected by agency"
	case KindWithdrawn:
		return "Withdrawn"
	}
	return "Sourcing"
}

// Valid reports whether k is a known kind.
func (k StageKind) Valid() bool {
	for _, x := range StageKinds {
		if k == x {
			return true
		}
	}
	return false
}

// InRunning reports whether a candidate in a stage of the kind is still in
// the running: not hired, rejected or withdrawn, so the client may still
// interview, approve, hire or turn them down.
func (k StageKind) InRunning() bool {
	return k == KindSourcing || k == KindSubmitted || k == KindInterview || k == KindOffer
}

// Stage is a step of the agency's pipeline. The client sees ClientName,
// never InternalName.
type Stage struct {
	ID           int64
	Position     int
	InternalName string
	ClientName   string
	Kind         StageKind
	Retired      bool
	InUse        int // applications in the stage; filled by FindStages
}

// StageInput is what the stage form edits.
type StageInput struct {
	InternalName string
	ClientName   string
	Kind         StageKind
}

// Validate checks and normalises the input.
func (in *StageInput) Validate() error {
	in.InternalName, in.ClientName = strings.TrimSpace(in.InternalName), strings.TrimSpace(in.ClientName)
	if in.ClientName == "" {
		in.ClientName = in.InternalName
	}
	v := Validation{}
	v.Check(in.InternalName != "", "internal_name", "Enter the stage's name.")
	v.Check(len(in.InternalName) <= 100, "internal_name", "Keep the name under 100 characters.")
	v.Check(len(in.ClientName) <= 100, "client_name", "Keep the name under 100 characters.")
	v.Check(in.Kind.Valid(), "kind", "Choose what the stage means.")
	return v.Err()
}

// DefaultStages is the pipeline every new agency starts with.
var DefaultStages = []StageInput{
	{"Sourced", "Sourced", KindSourcing},
	{"Screening", "Under review", KindSourcing},
	{"Submitted to client", "New candidates", KindSubmitted},
	{"Client interview", "Interview", KindInterview},
	{"Offer", "Offer", KindOffer},
	{"Placed", "Hired", KindHired},
	{"Rejected by Client", "Not progressing", KindRejectedByClient},
	{"Rejected by agency", "Not progressing", KindRejected},
	{"Withdrawn", "Withdrawn", KindWithdrawn},
}

// StageService keeps the pipeline. Anyone signed in reads it; only admins
// change it (EFORBIDDEN).
type StageService interface {
	// FindStages returns the stages in order, with how many applications
	// each holds; retired ones only when asked.
	FindStages(ctx context.Context, withRetired bool) ([]*Stage, error)
	// ListStages returns the stages in order (active ones first) without
	// counting applications: the cheap call for boards and move forms.
	ListStages(ctx context.Context, withRetired bool) ([]*Stage, error)
	FindStageByID(ctx context.Context, id int64) (*Stage, error)
	// CreateStage adds a stage at the end. ECONFLICT for a duplicate name.
	CreateStage(ctx context.Context, in StageInput) (*Stage, error)
	// UpdateStage renames a stage or changes its kind.
	UpdateStage(ctx context.Context, id int64, in StageInput) (*Stage, error)
	// MoveStage puts a stage at a 1-based position among active stages.
	MoveStage(ctx context.Context, id int64, position int) error
	// RetireStage removes a stage from use: a stage with applications is
	// retired (kept for history; no one can move into it), an unused one is
	// deleted. ECONFLICT for the last active stage.
	RetireStage(ctx context.Context, id int64) error
	// RestoreStage brings a retired stage back at the end.
	RestoreStage(ctx context.Context, id int64) error
}
