-- The outbox no longer wakes its relay with NOTIFY. PostgreSQL serialises the commits of every
-- transaction that called NOTIFY, cluster-wide, holding one lock through each commit's WAL
-- flush: every service's writes queued behind each other's (the rows of 25 cases per
-- transaction, at concurrency 8 and 32, went from 2,369 and 1,730 to 3,307 and 2,104 cases/s
-- without it: bench/intake_create.sh, "database floor"). The relay is now woken by the commits
-- of its own process (PgPool's outbox hook) and polls for rows committed by other processes.
-- During a rolling upgrade, replicas still on the previous version lose their wake-up and
-- publish on their 500 ms poll until they are replaced: later, never lost.
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();
