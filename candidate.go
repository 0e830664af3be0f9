package portico

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Candidate is a person the agency may put forward for jobs.
type Candidate struct {
	ID                int64
	FirstName         string
	LastName          string
	Email             string
	Phone             string
	City              string
	CurrentTitle      string
	CurrentEmployer   string
	Skills            string // comma-separated, as typed
	Summary           string
	SalaryExpectation string
	NoticePeriod      string
	Availability      string
	Source            string
	VideoURL          string // a video résumé link
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Name is the candidate's full name.
func (c *Candidate) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// SkillList splits Skills into trimmed, non-empty items.
func (c *Candidate) SkillList() []string {
	var out []string
	for _, s := range strings.Split(c.Skills, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// CandidateInput is what the candidate form edits.
type CandidateInput struct {
	FirstName, LastName, Email, Phone, City  string
	CurrentTitle, CurrentEmployer, Skills    string
	Summary, SalaryExpectation, NoticePeriod string
	Availability, Source, VideoURL           string
}

// Validate checks and normalises the input.
func (in *CandidateInput) Validate() error {
	for _, p := range []*string{&in.FirstName, &in.LastName, &in.Phone, &in.City, &in.CurrentTitle, &in.CurrentEmployer,
		&in.Skills, &in.Summary, &in.SalaryExpectation, &in.NoticePeriod, &in.Availability, &in.Source, &in.VideoURL} {
		*p = strings.TrimSpace(*p)
	}
	in.Email = NormalizeEmail(in.Email)
	v := Validation{}
	v.Check(in.FirstName != "", "first_name", "Enter the first name.")
	v.Check(in.LastName != "", "last_name", "Enter the last name.")
	v.Check(in.Email == "" || ValidEmail(in.Email), "email", "Enter an email address like name@example.com, or leave it empty.")
	for field, val := range map[string]string{"first_name": in.FirstName, "last_name": in.LastName, "phone": in.Phone, "city": in.City,
		"current_title": in.CurrentTitle, "current_employer": in.CurrentEmployer, "salary_expectation": in.SalaryExpectation,
		"notice_period": in.NoticePeriod, "availability": in.Availability, "source": in.Source} {
		v.Check(len(val) <= 200, field, "Keep this under 200 characters.")
	}
	v.Check(len(in.Skills) <= 2000, "skills", "Keep the skills under 2,000 characters.")
	v.Check(len(in.Summary) <= 20000, "summary", "Keep the summary under 20,000 characters.")
	if in.VideoURL != "" {
		u, err := url.Parse(in.VideoURL)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(in.VideoURL) <= 1000,
			"video_url", "Enter the video's web address, starting with https://.")
	}
	return v.Err()
}

// CandidateFilter selects a page of candidates. Query matches words of the
// name, skills, title and city, each as a prefix.
type CandidateFilter struct {
	Query  string
	Offset int
	Limit  int
}

// CandidateCountLimit is how far a list of candidates counts. Counting
// every match of a common word among a large agency's candidates costs
// more than the page itself, and nobody pages through thousands: past
// the limit (or past the page asked for, when that is further) a list
// says "more than".
const CandidateCountLimit = 1000

// CountWindow is how far FindCandidates counts for a page: the limit, or
// the end of the page when that is further.
func (f CandidateFilter) CountWindow() int { return max(CandidateCountLimit, f.Offset+f.Limit) }

// DocumentKind says what a candidate's file is.
type DocumentKind string

const (
	DocResume          DocumentKind = "resume"           // the candidate's own résumé
	DocFormattedResume DocumentKind = "formatted_resume" // the agency's formatted version
	DocOther           DocumentKind = "other"
)

// DocumentKinds lists the kinds in form order.
var DocumentKinds = []DocumentKind{DocResume, DocFormattedResume, DocOther}

// Label is the kind as people read it.
func (k DocumentKind) Label() string {
	switch k {
	case DocFormattedResume:
		return "Formatted résumé"
	case DocOther:
		return "Other document"
	}
	return "Résumé"
}

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool { return k == DocResume || k == DocFormattedResume || k == DocOther }

// MaxDocumentSize bounds an uploaded file.
const MaxDocumentSize = 10 << 20

// Document is a file kept for a candidate. Its content is stored in the
// database, so one backup holds everything.
type Document struct {
	ID          int64
	CandidateID int64
	Kind        DocumentKind
	Filename    string
	ContentType string // checked from the content, not taken from the browser
	Size        int64
	SHA256      string
	UploadedBy  int64
	CreatedAt   time.Time

	UploaderName string // who uploaded it, "" for Portico itself; filled by reads
}

// IsPDF reports whether the document can be shown in the page.
func (d *Document) IsPDF() bool { return d.ContentType == "application/pdf" }

// CandidateService keeps candidates and their documents. Agency users
// only; every change writes an event.
type CandidateService interface {
	// FindCandidates returns a page of candidates, newest first, and how
	// many match: exactly, up to the filter's CountWindow; past it, one
	// more than the window ("more than").
	FindCandidates(ctx context.Context, f CandidateFilter) ([]*Candidate, int, error)
	FindCandidateByID(ctx context.Context, id int64) (*Candidate, error)
	CreateCandidate(ctx context.Context, in CandidateInput) (*Candidate, error)
	UpdateCandidate(ctx context.Context, id int64, in CandidateInput) (*Candidate, error)

	// AddDocument stores a file after checking it is what its name says
	// (a PDF must parse as a PDF; a DOCX must be a Word document) and no
	// larger than MaxDocumentSize. EINVALID with a message saying what is
	// wrong; nothing is stored then.
	AddDocument(ctx context.Context, candidateID int64, kind DocumentKind, filename string, content []byte) (*Document, error)
	FindDocuments(ctx context.Context, candidateID int64) ([]*Document, error)
	// FindDocumentByID returns a document without its bytes.
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	// DocumentContent returns a document and its bytes.
	DocumentContent(ctx context.Context, id int64) (*Document, []byte, error)
	DeleteDocument(ctx context.Context, id int64) error
}
