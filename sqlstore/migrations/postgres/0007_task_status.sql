-- Tasks by status across assignees, for the "Anyone" filter.

CREATE INDEX tasks_status ON tasks (status, due_on);
