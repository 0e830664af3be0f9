-- Candidate search: a generated tsvector over name, skills, title and city
-- with a GIN index. The 'simple' configuration: names and skills are not
-- English words to stem.

ALTER TABLE candidates ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple',
        first_name || ' ' || last_name || ' ' || replace(skills, ',', ' ') || ' ' || current_title || ' ' || city)
) STORED;

CREATE INDEX candidates_search ON candidates USING GIN (search);
