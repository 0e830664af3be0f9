-- The candidate list counts all candidates on every unfiltered page; a
-- narrow index lets that count read a few megabytes instead of every row.

CREATE INDEX candidates_created ON candidates (created_at);
