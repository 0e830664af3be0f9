package sqlstore

import "portico"

// PortalAuthService implements portico.PortalAuthService.
type PortalAuthService DB

// portalAuthService returns the service once it is built; nil until then.
func (db *DB) portalAuthService() portico.PortalAuthService { return nil }
