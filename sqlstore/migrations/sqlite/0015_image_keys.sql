-- Logos and header images are public (sign-in pages and emails show them
-- to people not signed in), so their address is all that keeps them
-- private: it names an image by a random key, as walking sequential IDs
-- listed every client's logo. SQLite can't add a NOT NULL UNIQUE column
-- without a default, so the table is made again with one; nothing refers
-- to it by a foreign key. Images kept until now get 128 random bits too.
CREATE TABLE portal_images_new (
    id           INTEGER PRIMARY KEY,
    address_key  TEXT NOT NULL UNIQUE,
    client_id    BIGINT NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content      BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
INSERT INTO portal_images_new (id, address_key, client_id, content_type, size, content, created_at)
    SELECT id, lower(hex(randomblob(16))), client_id, content_type, size, content, created_at FROM portal_images;
DROP TABLE portal_images;
ALTER TABLE portal_images_new RENAME TO portal_images;

-- Settings name their image by ID; they keep its key beside it, so that
-- every portal page's branding comes from the one read of its settings.
UPDATE portal_settings
SET settings = json_set(settings, '$.image_key',
    (SELECT i.address_key FROM portal_images i WHERE i.id = json_extract(portal_settings.settings, '$.image_id')))
WHERE EXISTS (SELECT 1 FROM portal_images i WHERE i.id = json_extract(portal_settings.settings, '$.image_id'));
