-- Event ids become time-ordered (UUID version 7, RFC 9562: 48 bits of Unix milliseconds, then
-- random bits) instead of fully random (version 4). Every consumer records each event id it
-- handled in processed_events, whose primary key then grows at its right edge instead of
-- taking inserts on random pages of an ever larger index; the outbox's own unique index the
-- same. Ids stay unique and unguessable; only their order changes. PostgreSQL 15 has no
-- uuidv7() (18 does), so this builds one from gen_random_uuid(): the first 6 bytes are
-- replaced by the milliseconds and the version nibble set to 7 (the variant bits stay).
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send((date_part('epoch', clock_timestamp()) * 1000)::bigint) FROM 3)
    FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;
ALTER TABLE outbox ALTER COLUMN event_id SET DEFAULT uuid_v7();
