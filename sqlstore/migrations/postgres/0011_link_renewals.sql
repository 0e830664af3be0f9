-- Share links renewed from an expired or revoked one point back to it, so
-- renewals can be limited per link; revoking a link ends the sessions it
-- opened; a contact's page lists the feedback they gave.
ALTER TABLE portal_links ADD COLUMN renewed_from BIGINT;
CREATE INDEX portal_links_renewed ON portal_links (renewed_from, created_at) WHERE renewed_from IS NOT NULL;
CREATE INDEX portal_sessions_link ON portal_sessions (link_id) WHERE link_id IS NOT NULL;
CREATE INDEX feedback_contact ON feedback (contact_id, id);
