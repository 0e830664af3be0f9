package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"portico"
)

// Branding returns the look of a client's portal (0: the agency default).
// Anyone may ask: it shows on sign-in pages and in emails.
func (s *PortalSettingsService) Branding(ctx context.Context, clientID int64) (*portico.PortalBranding, error) {
	return brandFor(ctx, (*DB)(s).read(), clientID)
}

// BrandingByKey returns the look of the client whose portal key this is.
func (s *PortalSettingsService) BrandingByKey(ctx context.Context, key string) (*portico.PortalBranding, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, notFound("portal")
	}
	c := (*DB)(s).read()
	var clientID int64
	err := c.queryRow(ctx, `SELECT id FROM clients WHERE portal_key = ?`, key).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("portal")
	} else if err != nil {
		return nil, err
	}
	return brandFor(ctx, c, clientID)
}

// brandFor returns the branding a client's pages and emails carry: the
// client's own settings when custom, the agency default's otherwise, but
// always the client's name and key. clientID 0 is the agency's own look.
// ENOTFOUND for an unknown client.
func brandFor(ctx context.Context, c conn, clientID int64) (*portico.PortalBranding, error) {
	b := &portico.PortalBranding{}
	const agencyName = `COALESCE((SELECT name FROM agency ORDER BY id LIMIT 1), '')`
	if clientID == 0 {
		if err := c.queryRow(ctx, `SELECT `+agencyName).Scan(&b.AgencyName); err != nil {
			return nil, err
		}
	} else {
		var key sql.NullString
		err := c.queryRow(ctx, `SELECT `+agencyName+`, name, portal_key FROM clients WHERE id = ?`, clientID).Scan(&b.AgencyName, &b.ClientName, &key)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("client")
		} else if err != nil {
			return nil, err
		}
		b.Key = key.String
	}
	s, err := settingsFor(ctx, c, clientID)
	if err != nil {
		return nil, err
	}
	// The image's key comes with the settings (SetSettings keeps it beside
	// the image's ID): every portal page brands itself, and a query more
	// for the key would cost each of them a round trip.
	b.Brand, b.ImageKey, b.Welcome, b.Footer, b.Accent = s.Brand, s.ImageKey, s.Welcome, s.Footer, s.Accent
	b.Custom = s.ClientID != 0 && s.Custom // the client's own look: its logo, not the agency's
	if s.ImageID == 0 || s.ImageKey == "" {
		b.Brand, b.ImageKey = portico.BrandNone, ""
	}
	return b, nil
}
