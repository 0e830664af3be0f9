package sqlstore

import (
	"context"

	"portico"
)

// PortalSettingsService implements portico.PortalSettingsService.
type PortalSettingsService DB

func (db *DB) portalSettingsService() portico.PortalSettingsService {
	return (*PortalSettingsService)(db)
}

var errTODO = portico.Errorf(portico.EINTERNAL, "not built yet")

func (s *PortalSettingsService) Settings(ctx context.Context, clientID int64) (*portico.PortalSettings, error) {
	return nil, errTODO
}

func (s *PortalSettingsService) EffectiveSettings(ctx context.Context, clientID int64) (*portico.PortalSettings, error) {
	return nil, errTODO
}

func (s *PortalSettingsService) SetSettings(ctx context.Context, in *portico.PortalSettings) error {
	return errTODO
}

func (s *PortalSettingsService) AddImage(ctx context.Context, clientID int64, content []byte) (*portico.PortalImage, error) {
	return nil, errTODO
}

func (s *PortalSettingsService) Image(ctx context.Context, id int64) (*portico.PortalImage, []byte, error) {
	return nil, nil, errTODO
}

func (s *PortalSettingsService) Branding(ctx context.Context, clientID int64) (*portico.PortalBranding, error) {
	return nil, errTODO
}

func (s *PortalSettingsService) BrandingByKey(ctx context.Context, key string) (*portico.PortalBranding, error) {
	return nil, errTODO
}

func (s *PortalSettingsService) JobRecruiters(ctx context.Context, jobID int64) ([]portico.JobRecruiter, error) {
	return nil, errTODO
}

func (s *PortalSettingsService) SetJobRecruiters(ctx context.Context, jobID int64, rs []portico.JobRecruiter) error {
	return errTODO
}

// Approve is built with the settings (portal_action.go).
func (s *PortalActionService) Approve(ctx context.Context, jobID, applicationID int64, note string) error {
	return errTODO
}

// Document is built with the settings (portal_view_candidates.go).
func (s *PortalService) Document(ctx context.Context, jobID, applicationID, documentID int64) (*portico.Document, []byte, error) {
	return nil, nil, errTODO
}
