-- The client portal: sharing, visible fields, contacts' portal accounts and
-- sessions, and what clients do with shared candidates.

ALTER TABLE applications ADD COLUMN shared_at TIMESTAMP;
ALTER TABLE applications ADD COLUMN shared_by BIGINT REFERENCES users (id);
ALTER TABLE applications ADD COLUMN shared_resume_id BIGINT REFERENCES documents (id) ON DELETE SET NULL;
ALTER TABLE applications ADD COLUMN share_video BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE applications ADD COLUMN shared_profile TEXT NOT NULL DEFAULT '';
CREATE INDEX applications_shared ON applications (job_id, stage_id, id) WHERE shared_at IS NOT NULL;

CREATE TABLE visibility (
    scope      TEXT NOT NULL,
    scope_id   BIGINT NOT NULL,
    fields     TEXT NOT NULL,
    anonymous  BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, scope_id)
);

ALTER TABLE contacts ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN all_jobs BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE contacts ADD COLUMN invited_at TIMESTAMP;
ALTER TABLE contacts ADD COLUMN activated_at TIMESTAMP;
ALTER TABLE contacts ADD COLUMN last_visit_at TIMESTAMP;
ALTER TABLE contacts ADD COLUMN previous_visit_at TIMESTAMP;
ALTER TABLE contacts ADD COLUMN list_columns TEXT NOT NULL DEFAULT '';

CREATE TABLE contact_jobs (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    job_id     BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, job_id)
);
CREATE INDEX contact_jobs_job ON contact_jobs (job_id);

CREATE TABLE contact_tokens (
    id         INTEGER PRIMARY KEY,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    next       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX contact_tokens_contact ON contact_tokens (contact_id, purpose);

CREATE TABLE portal_sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    contact_id   BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_sessions_contact ON portal_sessions (contact_id);

ALTER TABLE signin_attempts ADD COLUMN area TEXT NOT NULL DEFAULT 'console';

CREATE TABLE ratings (
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id     BIGINT NOT NULL REFERENCES contacts (id),
    stars          INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, contact_id)
);

CREATE TABLE feedback (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id     BIGINT NOT NULL REFERENCES contacts (id),
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX feedback_application ON feedback (application_id, id);

CREATE TABLE interview_requests (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id     BIGINT NOT NULL REFERENCES contacts (id),
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'requested',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX interview_requests_application ON interview_requests (application_id, id);

CREATE TABLE interview_slots (
    id         INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES interview_requests (id) ON DELETE CASCADE,
    starts_at  TIMESTAMP NOT NULL
);
CREATE INDEX interview_slots_request ON interview_slots (request_id, starts_at);

CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id     BIGINT NOT NULL REFERENCES contacts (id),
    kind           TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX decisions_application ON decisions (application_id, id);
