-- The portal's weekly summary counts the candidates moved on the contact's
-- jobs: a job's moves are a small part of its history (notes, views,
-- ratings, feedback), and reading them alone keeps the summary cheap on
-- busy jobs.
CREATE INDEX events_job_moves ON events (job_id, id) WHERE action = 'application.moved';
