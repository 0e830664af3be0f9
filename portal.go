package portico

import (
	"context"
	"fmt"
	"time"
)

// CandidateField is a candidate detail an agency may show its clients.
type CandidateField string

const (
	FieldEmail             CandidateField = "email"
	FieldPhone             CandidateField = "phone"
	FieldCity              CandidateField = "city"
	FieldCurrentTitle      CandidateField = "current_title"
	FieldCurrentEmployer   CandidateField = "current_employer"
	FieldSkills            CandidateField = "skills"
	FieldSummary           CandidateField = "summary"
	FieldSalaryExpectation CandidateField = "salary_expectation"
	FieldNoticePeriod      CandidateField = "notice_period"
	FieldAvailability      CandidateField = "availability"
)

// CandidateFields lists the fields in the order pages show them. Names are
// always shown unless the profile is anonymous.
var CandidateFields = []CandidateField{FieldCurrentTitle, FieldCurrentEmployer, FieldCity, FieldSkills, FieldSummary,
	FieldAvailability, FieldNoticePeriod, FieldSalaryExpectation, FieldEmail, FieldPhone}

// Label is the field's name as clients read it.
func (f CandidateField) Label() string {
	switch f {
	case FieldEmail:
		return "Email"
	case FieldPhone:
		return "Phone"
	case FieldCity:
		return "Location"
	case FieldCurrentTitle:
		return "Current title"
	case FieldCurrentEmployer:
		return "Current employer"
	case FieldSkills:
		return "Skills"
	case FieldSummary:
		return "Summary"
	case FieldSalaryExpectation:
		return "Salary expectation"
	case FieldNoticePeriod:
		return "Notice period"
	case FieldAvailability:
		return "Availability"
	}
	return string(f)
}

// Valid reports whether f is a known field.
func (f CandidateField) Valid() bool {
	for _, x := range CandidateFields {
		if f == x {
			return true
		}
	}
	return false
}

// Value reads the field from a candidate.
func (f CandidateField) Value(c *Candidate) string {
	switch f {
	case FieldEmail:
		return c.Email
	case FieldPhone:
		return c.Phone
	case FieldCity:
		return c.City
	case FieldCurrentTitle:
		return c.CurrentTitle
	case FieldCurrentEmployer:
		return c.CurrentEmployer
	case FieldSkills:
		return c.Skills
	case FieldSummary:
		return c.Summary
	case FieldSalaryExpectation:
		return c.SalaryExpectation
	case FieldNoticePeriod:
		return c.NoticePeriod
	case FieldAvailability:
		return c.Availability
	}
	return ""
}

// Visibility is which candidate details clients see: the agency's default,
// optionally overridden per client and again per job. Anonymous profiles
// show a reference (C-000123) instead of the name.
type Visibility struct {
	Fields    []CandidateField
	Anonymous bool
}

// Shows reports whether the field is visible.
func (v Visibility) Shows(f CandidateField) bool {
	for _, x := range v.Fields {
		if x == f {
			return true
		}
	}
	return false
}

// DefaultVisibility is what a new agency shows: work details, not contact
// details (clients go through the agency).
var DefaultVisibility = Visibility{Fields: []CandidateField{FieldCurrentTitle, FieldCurrentEmployer, FieldCity, FieldSkills,
	FieldSummary, FieldAvailability, FieldNoticePeriod}}

// VisibilityScope is where a visibility setting applies.
type VisibilityScope string

const (
	ScopeAgency VisibilityScope = "agency"
	ScopeClient VisibilityScope = "client"
	ScopeJob    VisibilityScope = "job"
)

// Reference is an anonymous candidate's name on the portal.
func Reference(candidateID int64) string { return fmt.Sprintf("C-%06d", candidateID) }

// Share is how an application is shown to the client: whether it is
// shared, by whom and when, and what goes with it. Sharing is separate
// from the stage: unsharing hides the candidate and leaves the stage alone.
type Share struct {
	SharedAt   *time.Time
	SharedBy   int64
	ResumeID   int64  // the document the client sees; 0 for none
	ShareVideo bool   // whether the video résumé link is shown
	Profile    string // the client-facing profile the recruiter wrote
	// DocumentIDs are other documents of the candidate shared with it.
	DocumentIDs []int64
}

// ShareInput is what the share form sets.
type ShareInput struct {
	ResumeID    int64
	ShareVideo  bool
	Profile     string
	DocumentIDs []int64 // each must be the candidate's
}

// SharingService shares shortlisted candidates with the client. Agency
// users only; every change writes an event.
type SharingService interface {
	// FindShare returns an application's share (SharedAt nil: not shared).
	FindShare(ctx context.Context, applicationID int64) (*Share, error)
	// Share shares an application (or updates what is shared). The résumé
	// must be one of the candidate's documents (EINVALID otherwise).
	Share(ctx context.Context, applicationID int64, in ShareInput) (*Share, error)
	// Unshare hides an application from the client; its stage stays.
	Unshare(ctx context.Context, applicationID int64) error
	// SetShared shares (with the documents the portal settings attach by
	// default: the newest of each kind) or unshares
	// several applications of one job; it returns how many changed.
	SetShared(ctx context.Context, jobID int64, applicationIDs []int64, shared bool) (int, error)
	// SendResumes shares the applications and emails the chosen contacts of
	// the job's client a link to the job page, with the recruiter's message.
	SendResumes(ctx context.Context, jobID int64, applicationIDs, contactIDs []int64, message string) error
	// CountShared returns how many of a job's applications are shared.
	CountShared(ctx context.Context, jobID int64) (int, error)

	// Visibility returns the setting of one scope (for a form) and whether
	// it is set there; Effective returns what applies to a job.
	Visibility(ctx context.Context, scope VisibilityScope, id int64) (Visibility, bool, error)
	EffectiveVisibility(ctx context.Context, jobID int64) (Visibility, error)
	// SetVisibility sets a scope's visibility; ClearVisibility removes a
	// client's or job's override. Agency scope: admins only.
	SetVisibility(ctx context.Context, scope VisibilityScope, id int64, v Visibility) error
	ClearVisibility(ctx context.Context, scope VisibilityScope, id int64) error
}
