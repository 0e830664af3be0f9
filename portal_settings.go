package portico

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// PortalSettings is how the portal looks and behaves for clients. The
// agency keeps a default (ClientID 0); a client may have its own, used
// instead of the default when Custom is set. Settings are read whole: a
// client with custom settings takes none of the default's values.
type PortalSettings struct {
	ClientID int64 // 0: the agency default
	Custom   bool  // a client's: its own settings apply (the default's otherwise)

	// Appearance: a logo or a header image, never both.
	Brand    BrandImage
	ImageID  int64  // the logo or header (PortalImage), 0 for none
	ImageKey string // that image's Key, set by the store from ImageID
	Welcome  string // shown on sign-in and the home page
	Footer   string
	Accent   string // "#rrggbb"; "" for Portico's own colour

	// Behaviour: what clients may do, and where approvals and rejections
	// move a candidate (one of the agency's stages; 0: the first active
	// stage of the kind, interview for approvals, rejected by client for
	// rejections).
	Allow          PortalPermissions
	ApproveStageID int64
	RejectStageID  int64

	// The kinds of a candidate's documents attached when they are shared:
	// the newest of each kind the candidate has.
	ShareDocuments []DocumentKind

	// Workflow stage counts: the agency stages the portal counts (none
	// chosen: every stage), and whether only candidates visible on the
	// portal (shared) are counted; which activity summary items show.
	CountStageIDs   []int64
	CountSharedOnly bool
	Summary         []SummaryItem

	// Client-facing names for the agency's stages (by stage ID) and for
	// activities (by event action, see ClientActivities); a name set here
	// wins over the stage's own client name wherever a client reads it.
	StageNames    map[int64]string
	ActivityNames map[string]string

	// Share links: how long a new link lasts unless the sender says
	// otherwise (0 days: no date limit; 0 uses: no use limit; not both 0).
	LinkDays int
	LinkUses int

	// The weekly report's columns.
	ReportColumns []ReportColumn

	UpdatedAt time.Time
}

// BrandImage says which image the portal shows at its top.
type BrandImage string

const (
	BrandNone   BrandImage = ""
	BrandLogo   BrandImage = "logo"   // a logo beside the client's name
	BrandHeader BrandImage = "header" // a full-width header image
)

// PortalPermissions are the actions clients may take.
type PortalPermissions struct {
	Rate, Approve, Reject, Feedback, Interview, Hire bool
}

// SummaryItem is a line of the portal's activity summary.
type SummaryItem string

const (
	SummaryNewCandidates SummaryItem = "new_candidates"
	SummarySubmitted     SummaryItem = "submitted"
	SummaryInterviews    SummaryItem = "interviews"
	SummaryFeedback      SummaryItem = "feedback"
)

// SummaryItems lists the items in display order.
var SummaryItems = []SummaryItem{SummaryNewCandidates, SummarySubmitted, SummaryInterviews, SummaryFeedback}

// ReportColumn is a section of the weekly report.
type ReportColumn string

const (
	ReportNewCandidates ReportColumn = "new_candidates"
	ReportStageChanges  ReportColumn = "stage_changes"
	ReportInterviews    ReportColumn = "interviews"
	ReportFeedback      ReportColumn = "feedback"
)

// ReportColumns lists the columns in report order.
var ReportColumns = []ReportColumn{ReportNewCandidates, ReportStageChanges, ReportInterviews, ReportFeedback}

// ClientActivities are the event actions a client may read about (history
// lines, weekly reports, audit exports the client receives), with the
// name Portico gives each; PortalSettings.ActivityNames renames them.
var ClientActivities = []struct {
	Action, Name string
}{
	{"application.shared", "Candidate shared"},
	{"application.moved", "Stage changed"},
	{"application.rated", "Rated"},
	{"application.feedback", "Feedback"},
	{"application.interview_requested", "Interview requested"},
	{"application.approved", "Approved"},
	{"application.hired", "Hired"},
	{"application.rejected_by_client", "Rejected"},
}

// DefaultPortalSettings is a new agency's portal.
func DefaultPortalSettings() *PortalSettings {
	return &PortalSettings{
		Allow:           PortalPermissions{Rate: true, Approve: true, Reject: true, Feedback: true, Interview: true, Hire: true},
		ShareDocuments:  []DocumentKind{DocFormattedResume, DocResume},
		Summary:         []SummaryItem{SummaryNewCandidates, SummarySubmitted, SummaryInterviews, SummaryFeedback},
		CountSharedOnly: true,
		LinkDays:        14,
		ReportColumns:   []ReportColumn{ReportNewCandidates, ReportStageChanges, ReportInterviews, ReportFeedback},
		StageNames:      map[int64]string{},
		ActivityNames:   map[string]string{},
	}
}

// Limits of the settings form.
const (
	MaxWelcome     = 2000
	MaxFooter      = 1000
	MaxClientName  = 60 // a stage's or an activity's client-facing name
	MaxLinkDays    = 365
	MaxLinkUses    = 1000
	MaxPortalImage = 2 << 20 // bytes of a logo or header image
)

var accentColour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Validate checks and normalises the settings' own values (stage IDs are
// checked by the store, which knows the stages).
func (s *PortalSettings) Validate() error {
	var v Validation
	s.Welcome, s.Footer = strings.TrimSpace(s.Welcome), strings.TrimSpace(s.Footer)
	s.Accent = strings.ToLower(strings.TrimSpace(s.Accent))
	v.Check(len(s.Welcome) <= MaxWelcome, "welcome", "Keep the welcome message under 2,000 characters.")
	v.Check(len(s.Footer) <= MaxFooter, "footer", "Keep the footer under 1,000 characters.")
	v.Check(s.Accent == "" || accentColour.MatchString(s.Accent), "accent", "Choose a colour as #rrggbb, for example #0b6e4f.")
	v.Check(s.Brand == BrandNone || s.Brand == BrandLogo || s.Brand == BrandHeader, "brand", "Choose a logo, a header image or neither.")
	v.Check(s.LinkDays >= 0 && s.LinkDays <= MaxLinkDays, "link_days", "Choose from 0 to 365 days.")
	v.Check(s.LinkUses >= 0 && s.LinkUses <= MaxLinkUses, "link_uses", "Choose from 0 to 1,000 uses.")
	v.Check(s.LinkDays > 0 || s.LinkUses > 0, "link_days", "A link must expire after some days, some uses or both.")
	for _, k := range s.ShareDocuments {
		v.Check(k.Valid(), "share_documents", "Choose from the document kinds listed.")
	}
	for _, item := range s.Summary {
		v.Check(item.Valid(), "summary", "Choose from the summary items listed.")
	}
	for _, c := range s.ReportColumns {
		v.Check(c.Valid(), "report_columns", "Choose from the report columns listed.")
	}
	for id, name := range s.StageNames {
		name = strings.TrimSpace(name)
		v.Check(len(name) <= MaxClientName, "stage_names", "Keep each stage name under 60 characters.")
		if name == "" {
			delete(s.StageNames, id)
		} else {
			s.StageNames[id] = name
		}
	}
	for action, name := range s.ActivityNames {
		name = strings.TrimSpace(name)
		v.Check(ClientActivityName(action) != "", "activity_names", "Choose from the activities listed.")
		v.Check(len(name) <= MaxClientName, "activity_names", "Keep each activity name under 60 characters.")
		if name == "" {
			delete(s.ActivityNames, action)
		} else {
			s.ActivityNames[action] = name
		}
	}
	return v.Err()
}

// Valid reports whether the item is known.
func (i SummaryItem) Valid() bool {
	for _, x := range SummaryItems {
		if i == x {
			return true
		}
	}
	return false
}

// Valid reports whether the column is known.
func (c ReportColumn) Valid() bool {
	for _, x := range ReportColumns {
		if c == x {
			return true
		}
	}
	return false
}

// ClientActivityName is Portico's client-facing name of an action, "" when
// clients never read about it.
func ClientActivityName(action string) string {
	for _, a := range ClientActivities {
		if a.Action == action {
			return a.Name
		}
	}
	return ""
}

// ActivityName is what a client reads for an action under these settings.
func (s *PortalSettings) ActivityName(action string) string {
	if name := s.ActivityNames[action]; name != "" {
		return name
	}
	return ClientActivityName(action)
}

// Shows reports whether the summary item is shown.
func (s *PortalSettings) Shows(item SummaryItem) bool {
	for _, x := range s.Summary {
		if x == item {
			return true
		}
	}
	return false
}

// PortalImage is a logo or header image, stored in the database.
type PortalImage struct {
	ID          int64
	Key         string // names the image in its public address (PortalImagePath)
	ClientID    int64  // 0: the agency's
	ContentType string // image/png or image/jpeg
	Size        int
	CreatedAt   time.Time
}

// PortalBranding is what a portal page, the sign-in page and an email need
// to look like the agency's or the client's own.
type PortalBranding struct {
	AgencyName string
	ClientName string // "" on the agency's default sign-in page
	Key        string // the client's portal key, "" for the agency default
	Custom     bool   // the client's own settings apply (its logo, not the agency's)
	Brand      BrandImage
	ImageKey   string // the image's Key, "" for none
	Welcome    string
	Footer     string
	Accent     string
}

// PortalImageKeyLen is the length of an image's key: 128 random bits as
// lowercase hex, a shape SQL can make too, as the migration that gave
// existing images their keys did.
const PortalImageKeyLen = 32

// PortalImagePath is the address an image is served at. Images are public,
// as they show on sign-in pages and in emails to people not signed in, so
// the address is all that keeps them private: it carries the image's random
// key, never its sequential ID, so that walking numbers can't list the
// agency's clients by their logos.
func PortalImagePath(key string) string { return "/portal/images/" + key }

// ValidPortalImageKey reports whether key has the shape of an image key,
// so that anything else is refused before a query.
func ValidPortalImageKey(key string) bool {
	if len(key) != PortalImageKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// JobRecruiter is an agency user a client sees on a job.
type JobRecruiter struct {
	UserID int64
	Name   string
	Role   string // as the client reads it: "Account manager", "Recruiter"…
	Email  string
	Phone  string
}

// MaxJobRecruiters bounds the people listed on one job.
const MaxJobRecruiters = 10

// PortalSettingsService keeps the portal's settings. Reading is for agency
// users; changing the agency default is for admins, a client's for any
// agency user. Every change writes an event.
type PortalSettingsService interface {
	// Settings returns the agency default (clientID 0) or a client's own;
	// a client without its own gets a copy of the default with Custom
	// false. ENOTFOUND for an unknown client.
	Settings(ctx context.Context, clientID int64) (*PortalSettings, error)
	// EffectiveSettings returns what applies to a client: its own when
	// Custom, else the default. Agency users and the system may ask for any
	// client, a contact for their own client only, a visitor for the
	// default only (ENOTFOUND otherwise, as for an unknown client).
	EffectiveSettings(ctx context.Context, clientID int64) (*PortalSettings, error)
	// SetSettings stores s for s.ClientID (EINVALID: bad values, unknown
	// stages, an image of another client). For a client, Custom false
	// keeps the values but goes back to the default. A new image, when
	// given, is checked as AddImage checks it and stored in the same
	// transaction as s's image: if anything is refused, nothing is kept.
	SetSettings(ctx context.Context, s *PortalSettings, image []byte) error

	// AddImage checks (PNG or JPEG by content, at most MaxPortalImage,
	// sensible dimensions) and stores a logo or header for the agency
	// (clientID 0) or a client. EINVALID for anything else.
	AddImage(ctx context.Context, clientID int64, content []byte) (*PortalImage, error)
	// ImageByKey returns a stored image by its Key for any actor: images
	// are public, as they show on sign-in pages and in emails, and the
	// random key is what keeps one from being found without its address.
	// ENOTFOUND for an unknown or malformed key.
	ImageByKey(ctx context.Context, key string) (*PortalImage, []byte, error)

	// Branding returns the branding for a client (0: the agency default);
	// BrandingByKey for a client's portal key (ENOTFOUND when unknown).
	// Any actor may call them.
	Branding(ctx context.Context, clientID int64) (*PortalBranding, error)
	BrandingByKey(ctx context.Context, key string) (*PortalBranding, error)

	// JobRecruiters returns the people a client sees on a job (the job's
	// owner first when none are set); SetJobRecruiters replaces them
	// (agency users; each must be an active agency user).
	JobRecruiters(ctx context.Context, jobID int64) ([]JobRecruiter, error)
	SetJobRecruiters(ctx context.Context, jobID int64, rs []JobRecruiter) error
}
