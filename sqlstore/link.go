package sqlstore

import (
	"context"

	"portico"
)

// LinkService implements portico.LinkService: share links.
type LinkService DB

func (db *DB) linkService() portico.LinkService { return (*LinkService)(db) }

func (s *LinkService) CreateLinks(ctx context.Context, in portico.LinkInput) ([]portico.NewLink, error) {
	return nil, errTODO
}

func (s *LinkService) FindLinks(ctx context.Context, f portico.LinkFilter) ([]*portico.Link, int, error) {
	return nil, 0, errTODO
}

func (s *LinkService) LinkUses(ctx context.Context, linkID int64) ([]portico.LinkUse, error) {
	return nil, errTODO
}

func (s *LinkService) RevokeLink(ctx context.Context, linkID int64) error { return errTODO }

func (s *LinkService) CheckLink(ctx context.Context, token string) (*portico.Link, error) {
	return nil, errTODO
}

func (s *LinkService) OpenLink(ctx context.Context, token string) (*portico.LinkVisit, error) {
	return nil, errTODO
}

func (s *LinkService) RenewLink(ctx context.Context, token string) error { return errTODO }

// StartPreview is built with the links (portal_preview.go).
func (s *PortalAuthService) StartPreview(ctx context.Context, contactID int64) (string, error) {
	return "", errTODO
}
