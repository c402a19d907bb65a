-- Ticket numbers are compared byte for byte. They are ASCII ("INC-2026-000001"), so the
-- order is the same as before, but under the database's C.UTF-8 collation every comparison of
-- the tickets' primary key and of the clocks' (ticket, kind, period) key went through
-- strcoll (about 3 % of the database's CPU on the event path, bench/sla_bench.sh), where "C"
-- compares with memcmp. It is also the order the engine sorts numbers in, so the lock order
-- of a batch's tickets is the same on both sides by definition, not by coincidence.
-- Same type, so no table rewrite; the indexes on these columns are rebuilt.
ALTER TABLE tickets ALTER COLUMN number TYPE text COLLATE "C";
ALTER TABLE clocks
  ALTER COLUMN ticket TYPE text COLLATE "C",
  ALTER COLUMN kind TYPE text COLLATE "C";
-- Changing a column's type drops its statistics; without them a batch's
-- `ticket = ANY(500 numbers)` would be estimated at most of the table (and scanned).
ANALYZE tickets, clocks;
