package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"portico"
)

// settingsDoc is the JSON document a portal_settings row keeps. Its field
// names are the stored format: rename a Go field freely, never a tag. A key
// missing from an older document keeps Portico's default value.
type settingsDoc struct {
	Brand           portico.BrandImage     `json:"brand"`
	ImageID         int64                  `json:"image_id"`
	ImageKey        string                 `json:"image_key"` // image_id's address key: see checkSettings
	Welcome         string                 `json:"welcome"`
	Footer          string                 `json:"footer"`
	Accent          string                 `json:"accent"`
	Allow           allowDoc               `json:"allow"`
	ApproveStageID  int64                  `json:"approve_stage_id"`
	RejectStageID   int64                  `json:"reject_stage_id"`
	ShareDocuments  []portico.DocumentKind `json:"share_documents"`
	CountStageIDs   []int64                `json:"count_stage_ids"`
	CountSharedOnly bool                   `json:"count_shared_only"`
	Summary         []portico.SummaryItem  `json:"summary"`
	StageNames      map[string]string      `json:"stage_names"` // by stage ID
	ActivityNames   map[string]string      `json:"activity_names"`
	LinkDays        int                    `json:"link_days"`
	LinkUses        int                    `json:"link_uses"`
	ReportColumns   []portico.ReportColumn `json:"report_columns"`
}

type allowDoc struct {
	Rate      bool `json:"rate"`
	Approve   bool `json:"approve"`
	Reject    bool `json:"reject"`
	Feedback  bool `json:"feedback"`
	Interview bool `json:"interview"`
	Hire      bool `json:"hire"`
}

func encodeSettings(s *portico.PortalSettings) (string, error) {
	d := settingsDoc{
		Brand: s.Brand, ImageID: s.ImageID, ImageKey: s.ImageKey, Welcome: s.Welcome, Footer: s.Footer, Accent: s.Accent,
		Allow:          allowDoc(s.Allow),
		ApproveStageID: s.ApproveStageID, RejectStageID: s.RejectStageID,
		ShareDocuments: s.ShareDocuments, CountStageIDs: s.CountStageIDs, CountSharedOnly: s.CountSharedOnly,
		Summary: s.Summary, StageNames: map[string]string{}, ActivityNames: s.ActivityNames,
		LinkDays: s.LinkDays, LinkUses: s.LinkUses, ReportColumns: s.ReportColumns,
	}
	for id, name := range s.StageNames {
		d.StageNames[strconv.FormatInt(id, 10)] = name
	}
	b, err := json.Marshal(d)
	return string(b), err
}

// decodeSettings reads a stored document over Portico's defaults.
func decodeSettings(doc string) (*portico.PortalSettings, error) {
	def := portico.DefaultPortalSettings()
	d := settingsDoc{
		Allow: allowDoc(def.Allow), ShareDocuments: def.ShareDocuments, CountSharedOnly: def.CountSharedOnly,
		Summary: def.Summary, LinkDays: def.LinkDays, LinkUses: def.LinkUses, ReportColumns: def.ReportColumns,
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, err
	}
	s := &portico.PortalSettings{
		Brand: d.Brand, ImageID: d.ImageID, ImageKey: d.ImageKey, Welcome: d.Welcome, Footer: d.Footer, Accent: d.Accent,
		Allow:          portico.PortalPermissions(d.Allow),
		ApproveStageID: d.ApproveStageID, RejectStageID: d.RejectStageID,
		ShareDocuments: d.ShareDocuments, CountStageIDs: d.CountStageIDs, CountSharedOnly: d.CountSharedOnly,
		Summary: d.Summary, StageNames: map[int64]string{}, ActivityNames: map[string]string{},
		LinkDays: d.LinkDays, LinkUses: d.LinkUses, ReportColumns: d.ReportColumns,
	}
	for k, name := range d.StageNames {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			s.StageNames[id] = name
		}
	}
	for k, name := range d.ActivityNames {
		s.ActivityNames[k] = name
	}
	return s, nil
}

// storedSettings reads the row of one scope (0: the agency default); nil
// when there is none.
func storedSettings(ctx context.Context, c conn, clientID int64) (*portico.PortalSettings, error) {
	return readSettings(ctx, c, `SELECT client_id, custom, settings, updated_at FROM portal_settings WHERE client_id = ?`, clientID)
}

// readSettings reads the one settings row a query of client_id, custom,
// settings and updated_at selects; nil when none.
func readSettings(ctx context.Context, c conn, query string, args ...any) (*portico.PortalSettings, error) {
	var doc string
	var owner int64
	var custom bool
	var at time.Time
	err := c.queryRow(ctx, query, args...).Scan(&owner, &custom, &doc, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	s, err := decodeSettings(doc)
	if err != nil {
		return nil, err
	}
	s.ClientID, s.Custom, s.UpdatedAt = owner, custom && owner != 0, at.UTC()
	return s, nil
}

// defaultSettings is the agency default: its row, or Portico's defaults.
func defaultSettings(ctx context.Context, c conn) (*portico.PortalSettings, error) {
	s, err := storedSettings(ctx, c, 0)
	if err != nil || s != nil {
		return s, err
	}
	return portico.DefaultPortalSettings(), nil
}

// settingsFor returns the settings that apply to a client (0: the agency
// default): its own when custom, else the default. No permission check:
// for store code that already knows its actor may see the client.
func settingsFor(ctx context.Context, c conn, clientID int64) (*portico.PortalSettings, error) {
	// One read for both: every portal page asks, and most clients use the
	// default.
	s, err := readSettings(ctx, c, `SELECT client_id, custom, settings, updated_at FROM portal_settings
		WHERE (client_id = ? AND custom = ?) OR client_id = 0 ORDER BY client_id DESC LIMIT 1`, clientID, true)
	if err != nil || s != nil {
		return s, err
	}
	return portico.DefaultPortalSettings(), nil
}
