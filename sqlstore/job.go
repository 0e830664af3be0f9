package sqlstore

import "portico"

// JobService implements portico.JobService.
type JobService DB

// jobService returns the service once it is built; nil until then.
func (db *DB) jobService() portico.JobService { return nil }
