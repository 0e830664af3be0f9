-- Logos and header images are public (sign-in pages and emails show them
-- to people not signed in), so their address is all that keeps them
-- private: it names an image by a random key, as walking sequential IDs
-- listed every client's logo. Images kept until now get one from the
-- server's strong random source: two random UUIDs (244 random bits)
-- hashed down to 128 bits, in the same lowercase hex the code makes.
ALTER TABLE portal_images ADD COLUMN address_key TEXT;
UPDATE portal_images
SET address_key = substr(encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'), 1, 32);
ALTER TABLE portal_images ALTER COLUMN address_key SET NOT NULL;
ALTER TABLE portal_images ADD CONSTRAINT portal_images_address_key UNIQUE (address_key);

-- Settings name their image by ID; they keep its key beside it, so that
-- every portal page's branding comes from the one read of its settings.
UPDATE portal_settings s
SET settings = jsonb_set(s.settings::jsonb, '{image_key}', to_jsonb(i.address_key))::text
FROM portal_images i
WHERE i.id = (s.settings::jsonb ->> 'image_id')::bigint;
