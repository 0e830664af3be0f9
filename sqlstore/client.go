package sqlstore

import "portico"

// ClientService implements portico.ClientService.
type ClientService DB

// clientService returns the service once it is built; nil until then.
func (db *DB) clientService() portico.ClientService { return nil }
