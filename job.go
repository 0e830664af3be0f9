package portico

import (
	"context"
	"strings"
	"time"
)

// JobType is the kind of employment.
type JobType string

const (
	JobPermanent JobType = "permanent"
	JobContract  JobType = "contract"
	JobTemporary JobType = "temporary"
)

// JobTypes lists the types in form order.
var JobTypes = []JobType{JobPermanent, JobContract, JobTemporary}

// Label is the type as people read it.
func (t JobType) Label() string {
	switch t {
	case JobContract:
		return "Contract"
	case JobTemporary:
		return "Temporary"
	}
	return "Permanent"
}

// JobStatus is where a job stands.
type JobStatus string

const (
	JobOpen   JobStatus = "open"
	JobOnHold JobStatus = "on_hold"
	JobFilled JobStatus = "filled"
	JobClosed JobStatus = "closed"
)

// JobStatuses lists the statuses in form order.
var JobStatuses = []JobStatus{JobOpen, JobOnHold, JobFilled, JobClosed}

// Label is the status as people read it.
func (s JobStatus) Label() string {
	switch s {
	case JobOnHold:
		return "On hold"
	case JobFilled:
		return "Filled"
	case JobClosed:
		return "Closed"
	}
	return "Open"
}

// Job is a vacancy the agency is filling for a client.
type Job struct {
	ID           int64
	ClientID     int64
	ClientName   string
	LocationID   int64 // 0 for none
	LocationName string
	OwnerID      int64 // the recruiter who owns the job; alerts and tasks go to them
	OwnerName    string
	Title        string
	Description  string // client-facing
	Type         JobType
	Openings     int
	Status       JobStatus
	StartDate    Date
	CloseDate    Date
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Applications int // filled by lists: candidates on the shortlist
}

// JobInput is what the job form edits.
type JobInput struct {
	ClientID    int64
	LocationID  int64
	OwnerID     int64
	Title       string
	Description string
	Type        JobType
	Openings    int
	Status      JobStatus
	StartDate   Date
	CloseDate   Date
}

// Validate checks and normalises the input; the store checks that the
// client, location and owner exist and belong together.
func (in *JobInput) Validate() error {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	if in.Status == "" {
		in.Status = JobOpen
	}
	if in.Type == "" {
		in.Type = JobPermanent
	}
	v := Validation{}
	v.Check(in.ClientID > 0, "client_id", "Choose the client.")
	v.Check(in.OwnerID > 0, "owner_id", "Choose who owns the job.")
	v.Check(in.Title != "", "title", "Enter the job title.")
	v.Check(len(in.Title) <= 200, "title", "Keep the title under 200 characters.")
	v.Check(len(in.Description) <= 20000, "description", "Keep the description under 20,000 characters.")
	v.Check(in.Type == JobPermanent || in.Type == JobContract || in.Type == JobTemporary, "type", "Choose permanent, contract or temporary.")
	v.Check(in.Status == JobOpen || in.Status == JobOnHold || in.Status == JobFilled || in.Status == JobClosed, "status", "Choose a status.")
	v.Check(in.Openings >= 1 && in.Openings <= 10000, "openings", "Enter how many people are needed: 1 or more.")
	v.Check(in.StartDate.Valid(), "start_date", "Enter the start date as a date, for example 2026-03-02.")
	v.Check(in.CloseDate.Valid(), "close_date", "Enter the closing date as a date, for example 2026-03-02.")
	return v.Err()
}

// JobFilter selects a page of jobs, newest first.
type JobFilter struct {
	Status   JobStatus
	ClientID int64
	OwnerID  int64
	Query    string // part of the title
	Offset   int
	Limit    int
	// NamesOnly reads each job's ID, title, status, client and location
	// only, the rest left empty, for lists that only name the jobs (a
	// choice of job): counting every shortlist and reading every
	// description and owner is most of the work.
	NamesOnly bool
	// NoTotal skips counting the jobs (the total is returned as -1): a
	// choice of job asks for one more than it shows to know if there are
	// more.
	NoTotal bool
}

// JobService keeps jobs. Agency users only; every change writes an event.
type JobService interface {
	FindJobs(ctx context.Context, f JobFilter) ([]*Job, int, error)
	FindJobByID(ctx context.Context, id int64) (*Job, error)
	CreateJob(ctx context.Context, in JobInput) (*Job, error)
	UpdateJob(ctx context.Context, id int64, in JobInput) (*Job, error)
}
