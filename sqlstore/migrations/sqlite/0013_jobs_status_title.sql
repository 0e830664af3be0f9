-- The jobs list filtered by status and a title word counts its matches
-- from the index alone: titles are in it, beside the order the page uses.
DROP INDEX jobs_status;
CREATE INDEX jobs_status ON jobs (status, id, title);
