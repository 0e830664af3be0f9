package sqlstore

import "portico"

// SharingService implements portico.SharingService.
type SharingService DB

// sharingService returns the service once it is built; nil until then.
func (db *DB) sharingService() portico.SharingService { return nil }
