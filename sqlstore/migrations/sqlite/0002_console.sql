-- The agency console: clients, contacts, locations, jobs, candidates and
-- their documents, the pipeline, shortlists, alerts and tasks.

ALTER TABLE events ADD COLUMN job_id BIGINT;
ALTER TABLE events ADD COLUMN candidate_id BIGINT;
ALTER TABLE events ADD COLUMN client_id BIGINT;
CREATE INDEX events_job ON events (job_id, id) WHERE job_id IS NOT NULL;
CREATE INDEX events_candidate ON events (candidate_id, id) WHERE candidate_id IS NOT NULL;
CREATE INDEX events_client ON events (client_id, id) WHERE client_id IS NOT NULL;

CREATE TABLE clients (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active',
    owner_id   BIGINT REFERENCES users (id),
    website    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX clients_name ON clients (name, id);
CREATE INDEX clients_status ON clients (status, name);
CREATE INDEX clients_owner ON clients (owner_id, name);

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    client_id     BIGINT NOT NULL REFERENCES clients (id),
    name          TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    portal_status TEXT NOT NULL DEFAULT 'not_registered',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX contacts_client ON contacts (client_id, name);
CREATE UNIQUE INDEX contacts_email ON contacts (email) WHERE email <> '';

CREATE TABLE locations (
    id         INTEGER PRIMARY KEY,
    client_id  BIGINT NOT NULL REFERENCES clients (id),
    name       TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    time_zone  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX locations_client ON locations (client_id, name);

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    client_id   BIGINT NOT NULL REFERENCES clients (id),
    location_id BIGINT REFERENCES locations (id),
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL,
    openings    INTEGER NOT NULL DEFAULT 1,
    status      TEXT NOT NULL,
    start_date  TEXT NOT NULL DEFAULT '',
    close_date  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX jobs_status ON jobs (status, id);
CREATE INDEX jobs_client ON jobs (client_id, status, id);
CREATE INDEX jobs_owner ON jobs (owner_id, status, id);

CREATE TABLE candidates (
    id                 INTEGER PRIMARY KEY,
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    email              TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    city               TEXT NOT NULL DEFAULT '',
    current_title      TEXT NOT NULL DEFAULT '',
    current_employer   TEXT NOT NULL DEFAULT '',
    skills             TEXT NOT NULL DEFAULT '',
    summary            TEXT NOT NULL DEFAULT '',
    salary_expectation TEXT NOT NULL DEFAULT '',
    notice_period      TEXT NOT NULL DEFAULT '',
    availability       TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    video_url          TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX candidates_email ON candidates (email) WHERE email <> '';

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  BIGINT REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX documents_candidate ON documents (candidate_id, id);

CREATE TABLE stages (
    id            INTEGER PRIMARY KEY,
    position      INTEGER NOT NULL,
    internal_name TEXT NOT NULL,
    client_name   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    retired       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE applications (
    id               INTEGER PRIMARY KEY,
    job_id           BIGINT NOT NULL REFERENCES jobs (id),
    candidate_id     BIGINT NOT NULL REFERENCES candidates (id),
    stage_id         BIGINT NOT NULL REFERENCES stages (id),
    added_by         BIGINT REFERENCES users (id),
    created_at       TIMESTAMP NOT NULL,
    stage_changed_at TIMESTAMP NOT NULL,
    UNIQUE (job_id, candidate_id)
);
CREATE INDEX applications_job_stage ON applications (job_id, stage_id, id);
CREATE INDEX applications_candidate ON applications (candidate_id, id);
CREATE INDEX applications_stage ON applications (stage_id);

CREATE TABLE notes (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    author_id      BIGINT NOT NULL REFERENCES users (id),
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX notes_application ON notes (application_id, id);

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    event_id   BIGINT NOT NULL REFERENCES events (id),
    read_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX alerts_user ON alerts (user_id, id);
CREATE INDEX alerts_unread ON alerts (user_id) WHERE read_at IS NULL;

CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    details        TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    job_id         BIGINT REFERENCES jobs (id),
    application_id BIGINT REFERENCES applications (id) ON DELETE SET NULL,
    due_on         TEXT NOT NULL DEFAULT '',
    assignee_id    BIGINT NOT NULL REFERENCES users (id),
    status         TEXT NOT NULL DEFAULT 'open',
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    completed_at   TIMESTAMP,
    event_id       BIGINT REFERENCES events (id)
);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_on);
CREATE INDEX tasks_job ON tasks (job_id, status) WHERE job_id IS NOT NULL;
