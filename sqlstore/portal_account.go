package sqlstore

import "portico"

// PortalAccountService implements portico.PortalAccountService.
type PortalAccountService DB

// portalAccountService returns the service once it is built; nil until then.
func (db *DB) portalAccountService() portico.PortalAccountService { return nil }
