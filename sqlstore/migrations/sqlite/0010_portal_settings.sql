-- Portal settings and branding, recruiters shown on jobs, documents shared
-- with a candidate, share links and their uses, link and preview sessions,
-- and the weekly report.

-- One JSON document per scope: client_id 0 is the agency default. A
-- client's row is kept when it goes back to the default (custom false), so
-- its choices come back if it is switched on again.
CREATE TABLE portal_settings (
    client_id  BIGINT PRIMARY KEY,
    custom     BOOLEAN NOT NULL DEFAULT TRUE,
    settings   TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE portal_images (
    id           INTEGER PRIMARY KEY,
    client_id    BIGINT NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content      BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

-- A client's portal key names its branded sign-in page (/portal/signin?b=KEY)
-- without giving away its ID.
ALTER TABLE clients ADD COLUMN portal_key TEXT;
UPDATE clients SET portal_key = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX clients_portal_key ON clients (portal_key);

CREATE TABLE job_recruiters (
    job_id   BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    PRIMARY KEY (job_id, user_id)
);

CREATE TABLE share_documents (
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id    BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, document_id)
);

CREATE TABLE portal_links (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    contact_id   BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    job_id       BIGINT REFERENCES jobs (id) ON DELETE CASCADE,
    sent_to      TEXT NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    max_uses     INTEGER NOT NULL DEFAULT 0,
    uses         INTEGER NOT NULL DEFAULT 0,
    last_used_at TIMESTAMP,
    last_ip      TEXT NOT NULL DEFAULT '',
    revoked_at   TIMESTAMP,
    revoked_by   BIGINT
);
CREATE INDEX portal_links_contact ON portal_links (contact_id, id);
CREATE INDEX portal_links_job ON portal_links (job_id, id) WHERE job_id IS NOT NULL;

CREATE TABLE portal_link_uses (
    id         INTEGER PRIMARY KEY,
    link_id    BIGINT NOT NULL REFERENCES portal_links (id) ON DELETE CASCADE,
    at         TIMESTAMP NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_link_uses_link ON portal_link_uses (link_id, id);

ALTER TABLE portal_sessions ADD COLUMN link_id BIGINT REFERENCES portal_links (id) ON DELETE CASCADE;
ALTER TABLE portal_sessions ADD COLUMN preview_by BIGINT REFERENCES users (id);

ALTER TABLE contacts ADD COLUMN weekly_report BOOLEAN NOT NULL DEFAULT TRUE;

-- One row per contact and week, written in the transaction that queues the
-- email: the primary key makes the report go once, across restarts and
-- instances.
CREATE TABLE weekly_reports (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    week_start TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (contact_id, week_start)
);

-- The audit and a contact's page: what one actor did, newest first.
CREATE INDEX events_actor ON events (actor_kind, actor_id, id);
