-- Possible security incidents are shown by the incident service to the security team and to
-- their requester only; the engine's clock reads (a ticket's clocks, their explanation, the
-- at-risk lists) hid nothing, so any desk member could list such a ticket's number, group and
-- due times. The flag comes with every incident event (possible_security); tickets written
-- before this migration get it with their next event.
ALTER TABLE tickets ADD COLUMN restricted boolean NOT NULL DEFAULT false;
-- The reads leave those tickets' clocks out with NOT EXISTS (restricted ticket): the planner
-- hashes the restricted tickets once per query, and without this index it found them with a
-- (parallel) scan of every ticket, 15 ms at 500,000 tickets for one page of the at-risk list,
-- instead of 0.14 ms. Few tickets are restricted, so the index stays tiny, and ticket updates
-- stay HOT (the flag rarely changes; a column that keeps its value does not break HOT).
CREATE INDEX tickets_restricted ON tickets (number) WHERE restricted;
-- Statistics for the new column at once, so the planner does not take half the tickets for
-- restricted until autoanalyze comes by.
ANALYZE tickets;
