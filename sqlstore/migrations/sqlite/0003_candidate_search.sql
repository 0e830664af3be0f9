-- Candidate search: an FTS5 index over name, skills, title and city, kept
-- in step with the candidates table by triggers.

CREATE VIRTUAL TABLE candidates_fts USING fts5(
    first_name, last_name, skills, current_title, city,
    content = 'candidates', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER candidates_fts_insert AFTER INSERT ON candidates BEGIN
    INSERT INTO candidates_fts (rowid, first_name, last_name, skills, current_title, city)
    VALUES (new.id, new.first_name, new.last_name, new.skills, new.current_title, new.city);
END;

CREATE TRIGGER candidates_fts_delete AFTER DELETE ON candidates BEGIN
    INSERT INTO candidates_fts (candidates_fts, rowid, first_name, last_name, skills, current_title, city)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.skills, old.current_title, old.city);
END;

CREATE TRIGGER candidates_fts_update AFTER UPDATE ON candidates BEGIN
    INSERT INTO candidates_fts (candidates_fts, rowid, first_name, last_name, skills, current_title, city)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.skills, old.current_title, old.city);
    INSERT INTO candidates_fts (rowid, first_name, last_name, skills, current_title, city)
    VALUES (new.id, new.first_name, new.last_name, new.skills, new.current_title, new.city);
END;
