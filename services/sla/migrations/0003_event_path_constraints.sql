-- The engine is the only writer of clocks and their segments, and the parents those rows
-- pointed at through foreign keys are never deleted: tickets are created by the engine under
-- the ticket lock before their clocks, policies and calendars have no delete path (they are
-- edited in place, versioned), clocks are never deleted. PostgreSQL checks a foreign key with
-- one trigger query per inserted row, which locks the parent row (FOR KEY SHARE): 2 clocks
-- x 3 keys and 3 segments per ticket, about 8 % of the database's CPU at 1,000,000 clocks
-- (bench/sla_bench.sh, perf). The checks guarded against nothing the engine can do, so they
-- go; clock_firings keeps its key (the scanner's path, one row per firing).
ALTER TABLE clocks
  DROP CONSTRAINT clocks_ticket_fkey,
  DROP CONSTRAINT clocks_policy_id_fkey,
  DROP CONSTRAINT clocks_calendar_id_fkey;
ALTER TABLE clock_segments DROP CONSTRAINT clock_segments_clock_id_fkey;
