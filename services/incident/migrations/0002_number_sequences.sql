-- Ticket numbers come from one PostgreSQL sequence per (prefix, year) instead of a counter row.
-- The counter row was locked from the moment a creation took its number to its commit, so every
-- creation waited for the one before it (about 400 per second at most). nextval() never waits.
-- The price: a creation that rolls back after taking its number leaves a gap. DESIGN.md asks
-- for human-readable numbers per kind, not for gap-free ones, and the mature desks number the
-- same way (ServiceNow and GLPI numbers skip too); numbers still never repeat.

-- The sequence of (prefix, year), created on the first number of a year. Creations racing to
-- create it queue on a transaction-level advisory lock: the first creates it, the others wait
-- for its commit and then find it (each statement here reads the catalog afresh). Without the
-- lock the losers' CREATE would wait for the winner and then fail, and a failed CREATE is a
-- poor place to look the sequence up again.
CREATE FUNCTION next_ticket_sequence(p_prefix text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  name text := format('ticket_number_%s_%s', lower(p_prefix), p_year);
  seq oid;
BEGIN
  SELECT c.oid INTO seq FROM pg_class c
    WHERE c.relname = name AND c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S';
  IF seq IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('tiquete.ticket_number.' || current_schema()),
                                  hashtext(name));
    SELECT c.oid INTO seq FROM pg_class c
      WHERE c.relname = name AND c.relnamespace = current_schema()::regnamespace
        AND c.relkind = 'S';
    IF seq IS NULL THEN
      EXECUTE format('CREATE SEQUENCE %I MINVALUE 1', name);
      SELECT c.oid INTO seq FROM pg_class c
        WHERE c.relname = name AND c.relnamespace = current_schema()::regnamespace
          AND c.relkind = 'S';
    END IF;
  END IF;
  RETURN nextval(seq::regclass);
END $$;

-- Numbers already given out carry on where the counters stopped (or after the highest number
-- on record, should that be higher). The lock keeps a creation by a replica still running the
-- previous version from taking a number between the read and the drop; such replicas then fail
-- their creations (the table is gone) instead of handing out a number twice.
LOCK TABLE number_counters IN ACCESS EXCLUSIVE MODE;
DO $$
DECLARE
  c record;
  highest bigint;
BEGIN
  FOR c IN SELECT prefix, year, last_value FROM number_counters LOOP
    SELECT max(split_part(number, '-', 3)::bigint) INTO highest FROM incidents
      WHERE number LIKE c.prefix || '-' || c.year || '-%';
    highest := greatest(c.last_value, coalesce(highest, 0));
    IF highest > 0 THEN
      EXECUTE format('CREATE SEQUENCE %I MINVALUE 1 START WITH %s',
                     format('ticket_number_%s_%s', lower(c.prefix), c.year), highest + 1);
    END IF;
  END LOOP;
END $$;

DROP TABLE number_counters;
