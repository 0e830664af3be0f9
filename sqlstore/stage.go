package sqlstore

import "portico"

// StageService implements portico.StageService.
type StageService DB

// stageService returns the service once it is built; nil until then.
func (db *DB) stageService() portico.StageService { return nil }

// seedStages gives a new agency the default pipeline.
func (tx *Tx) seedStages() error {
	for i, s := range portico.DefaultStages {
		if _, err := tx.exec(tx.ctx, `INSERT INTO stages (position, internal_name, client_name, kind, retired, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			i+1, s.InternalName, s.ClientName, string(s.Kind), false, tx.now); err != nil {
			return err
		}
	}
	return nil
}
