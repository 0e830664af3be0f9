package sqlstore

import "portico"

// CandidateService implements portico.CandidateService.
type CandidateService DB

// candidateService returns the service once it is built; nil until then.
func (db *DB) candidateService() portico.CandidateService { return nil }
