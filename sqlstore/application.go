package sqlstore

import "portico"

// ApplicationService implements portico.ApplicationService.
type ApplicationService DB

// applicationService returns the service once it is built; nil until then.
func (db *DB) applicationService() portico.ApplicationService { return nil }
