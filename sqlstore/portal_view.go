package sqlstore

import "portico"

// PortalService implements portico.PortalViewer.
type PortalService DB

// portalService returns the service once it is built; nil until then.
func (db *DB) portalService() portico.PortalViewer { return nil }
