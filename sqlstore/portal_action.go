package sqlstore

import "portico"

// PortalActionService implements portico.PortalActionService.
type PortalActionService DB

// portalActionService returns the service once it is built; nil until then.
func (db *DB) portalActionService() portico.PortalActionService { return nil }
