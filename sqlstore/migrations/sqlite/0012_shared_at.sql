-- The portal's home reads, per job, how many candidates are shared, how
-- many since the contact's last visit and when the latest was: all from
-- this index, without visiting the applications themselves.
CREATE INDEX applications_shared_at ON applications (job_id, shared_at) WHERE shared_at IS NOT NULL;
