-- Infrastructure every service schema has: the transactional outbox, consumer bookkeeping
-- (processed events, failures, dead letters) and idempotency keys for creates.

CREATE TABLE outbox (
  sequence       bigserial PRIMARY KEY,
  event_id       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  type           text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id   text NOT NULL,
  payload        bytea NOT NULL,  -- serialized google.protobuf.Any
  request_id     text NOT NULL DEFAULT '',
  actor_id       text NOT NULL DEFAULT '',
  occurred_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at   timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (sequence) WHERE published_at IS NULL;

-- Wakes the relay as soon as a transaction that wrote events commits (NOTIFY is delivered at
-- commit); the relay also polls, so a lost notification only costs latency.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tiquete_outbox_' || TG_TABLE_SCHEMA, '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

CREATE TABLE processed_events (
  event_id     uuid PRIMARY KEY,
  stream       text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE event_failures (
  event_id   uuid PRIMARY KEY,
  stream     text NOT NULL,
  attempts   integer NOT NULL,
  last_error text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Keyed by stream entry: a malformed entry may have no usable event id.
CREATE TABLE dead_letters (
  stream    text NOT NULL,
  entry_id  text NOT NULL,
  event_id  text NOT NULL,
  type      text NOT NULL,
  event     bytea NOT NULL,  -- the whole serialized tiquete.events.v1.Event
  reason    text NOT NULL,
  attempts  integer NOT NULL,
  dead_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (stream, entry_id)
);

CREATE TABLE idempotency_keys (
  scope       text NOT NULL,
  key         text NOT NULL,
  fingerprint text NOT NULL,
  resource_id text,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (scope, key)
);
