package sqlstore

import "portico"

// TaskService implements portico.TaskService.
type TaskService DB

// taskService returns the service once it is built; nil until then.
func (db *DB) taskService() portico.TaskService { return nil }
