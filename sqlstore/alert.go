package sqlstore

import "portico"

// AlertService implements portico.AlertService.
type AlertService DB

// alertService returns the service once it is built; nil until then.
func (db *DB) alertService() portico.AlertService { return nil }
