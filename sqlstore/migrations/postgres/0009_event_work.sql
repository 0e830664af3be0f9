-- The activity feed (EventFilter.Work) leaves out sign-ins and alert
-- reading, most of the log. A partial index of just the work events lets
-- its count and its pages read those instead of every event. The
-- predicate must stay word for word the one in EventService.FindEvents.

CREATE INDEX events_work ON events (id) WHERE subject_type <> 'user' AND action NOT LIKE 'alert.%';
