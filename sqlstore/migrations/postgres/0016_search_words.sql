-- The vocabulary of candidate search: every word the search index holds.
-- A search word ("wil") matches the start of a word; GIN answers a prefix
-- by gathering every candidate of every word it starts into a bitmap
-- before intersecting, but intersects whole words as it reads them. With
-- the vocabulary a search asks for the whole words a prefix stands for
-- (sqlstore/search_words.go). Words are never taken out: one no candidate
-- has any more matches no one. "C" order makes "starts with" a range.
CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY);

INSERT INTO search_words (word)
SELECT DISTINCT w.lexeme FROM candidates c, unnest(c.search) w;

CREATE FUNCTION candidates_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word) SELECT lexeme FROM unnest(NEW.search) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- AFTER: the generated search column has its new value only then.
CREATE TRIGGER candidates_search_words AFTER INSERT OR UPDATE OF first_name, last_name, skills, current_title, city
    ON candidates FOR EACH ROW EXECUTE FUNCTION candidates_search_words();
