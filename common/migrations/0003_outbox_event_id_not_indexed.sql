-- The outbox's unique index on event_id guarded against nothing: ids are drawn when the event
-- is written (UUIDv7: milliseconds and 74 random bits, by AppendEvents or the uuid_v7()
-- default) and nothing looks an outbox row up by its id (the relay walks the sequence;
-- consumers deduplicate in their own processed_events). Every event paid for it twice, at the
-- insert and when the relay's published mark rewrote the row: about 3 % of the SLA engine's
-- database time at 20,000 incident events per second (bench/sla_bench.sh).
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;
