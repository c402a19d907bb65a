-- The SLA engine's schema: business calendars, agreements (SLA / OLA / underpinning contract),
-- what the engine knows about each ticket, its clocks with their segments, and the firings of
-- warnings and breaches (unique per clock and threshold: a firing is recorded at most once,
-- whichever replica or path records it).

-- absl::Time travels as microseconds since the Unix epoch; these keep the SQL readable.
CREATE FUNCTION us_to_ts(bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT AS
  $$ SELECT 'epoch'::timestamptz + $1 * interval '1 microsecond' $$;
CREATE FUNCTION ts_to_us(timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS
  $$ SELECT (extract(epoch FROM $1) * 1000000)::bigint $$;

CREATE TABLE calendars (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name               text NOT NULL,
  time_zone          text NOT NULL,
  always_open        boolean NOT NULL,
  colombian_holidays boolean NOT NULL,
  version            bigint NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX calendars_name ON calendars (lower(name));

CREATE TABLE calendar_shifts (
  calendar_id  uuid NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
  weekday      smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
  start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute   smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (start_minute < end_minute),
  PRIMARY KEY (calendar_id, weekday, start_minute)
);

CREATE TABLE calendar_closures (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  calendar_id uuid NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  reason      text NOT NULL
);
CREATE INDEX calendar_closures_calendar ON calendar_closures (calendar_id, starts_at);

-- Lists are stored as arrays of simple codes: escalations as "75:any:notify_coordinator",
-- the escalation path as "L1:<group id>".
CREATE TABLE policies (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name               text NOT NULL,
  description        text NOT NULL DEFAULT '',
  kind               text NOT NULL CHECK (kind IN ('sla', 'ola', 'uc')),
  calendar_id        uuid NOT NULL REFERENCES calendars (id),
  service_id         text NOT NULL DEFAULT '',
  category_id        text NOT NULL DEFAULT '',
  group_id           text NOT NULL DEFAULT '',
  group_level        text NOT NULL DEFAULT '',
  response_minutes   bigint[] NOT NULL CHECK (cardinality(response_minutes) = 5),
  resolution_minutes bigint[] NOT NULL CHECK (cardinality(resolution_minutes) = 5),
  warning_percents   integer[] NOT NULL,
  pause_on           text[] NOT NULL,
  escalations        text[] NOT NULL,
  escalation_path    text[] NOT NULL,
  active             boolean NOT NULL DEFAULT true,
  version            bigint NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX policies_name ON policies (lower(name));

-- Bumped by every calendar or policy write, so each replica notices a change with one cheap
-- query and reloads its in-memory agreement book.
CREATE TABLE agreement_revision (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  revision  bigint NOT NULL
);
INSERT INTO agreement_revision VALUES (true, 1);

-- The incident as the engine last applied it (incident version order).
CREATE TABLE tickets (
  number            text PRIMARY KEY,
  known             boolean NOT NULL DEFAULT false,
  state             text NOT NULL DEFAULT '',
  pending_reason    text NOT NULL DEFAULT '',
  priority          smallint NOT NULL DEFAULT 3,
  service_id        text NOT NULL DEFAULT '',
  category_id       text NOT NULL DEFAULT '',
  group_id          text NOT NULL DEFAULT '',
  group_level       text NOT NULL DEFAULT '',
  created_at        timestamptz,
  first_response_at timestamptz,
  version           bigint NOT NULL DEFAULT 0,
  stale_events      bigint NOT NULL DEFAULT 0,  -- events older than the applied version
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE clocks (
  id                bigserial PRIMARY KEY,
  ticket            text NOT NULL REFERENCES tickets (number),
  kind              text NOT NULL CHECK (kind IN ('response', 'resolution', 'ola', 'uc')),
  period            integer NOT NULL,
  policy_id         uuid NOT NULL REFERENCES policies (id),
  calendar_id       uuid NOT NULL REFERENCES calendars (id),
  priority          smallint NOT NULL,
  target_seconds    bigint NOT NULL,
  thresholds        integer[] NOT NULL,
  group_id          text NOT NULL,
  group_level       text NOT NULL,
  state             text NOT NULL CHECK (state IN ('running', 'paused', 'stopped', 'cancelled')),
  started_at        timestamptz NOT NULL,
  stopped_at        timestamptz,
  segment_since     timestamptz NOT NULL,
  segment_note      text NOT NULL,
  closed_segments   integer NOT NULL,
  elapsed_seconds   bigint NOT NULL,
  due_at            timestamptz,
  fired_percent     integer NOT NULL,
  next_fire_at      timestamptz,
  next_fire_percent integer NOT NULL,
  breached          boolean NOT NULL,
  calendar_version  bigint NOT NULL,  -- the calendar version the schedule was computed with
  version           bigint NOT NULL DEFAULT 1,
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (ticket, kind, period)
);
-- The due-time scanner's queue: only clocks with something left to fire are indexed.
CREATE INDEX clocks_next_fire ON clocks (next_fire_at) WHERE next_fire_at IS NOT NULL;
-- At-risk / breached views: live clocks by due time.
CREATE INDEX clocks_live_due ON clocks (due_at, id) WHERE state IN ('running', 'paused');
CREATE INDEX clocks_live_group ON clocks (group_id, due_at) WHERE state IN ('running', 'paused');
-- Running clocks to reschedule after their calendar changed.
CREATE INDEX clocks_running_calendar ON clocks (calendar_id, calendar_version)
  WHERE state = 'running';

CREATE TABLE clock_segments (
  clock_id         bigint NOT NULL REFERENCES clocks (id),
  seq              integer NOT NULL,
  started_at       timestamptz NOT NULL,
  ended_at         timestamptz NOT NULL,
  running          boolean NOT NULL,
  calendar_id      uuid NOT NULL,
  business_seconds bigint NOT NULL,
  note             text NOT NULL,
  PRIMARY KEY (clock_id, seq)
);

CREATE TABLE clock_firings (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  clock_id   bigint NOT NULL REFERENCES clocks (id),
  percent    integer NOT NULL,
  crossed_at timestamptz NOT NULL,  -- when the clock reached the threshold: its due time
  fired_at   timestamptz NOT NULL,
  fired_by   text NOT NULL,         -- scanner:<replica> or event:<event id>
  UNIQUE (clock_id, percent)
);

-- What the escalation consumer did for each action of a firing (one row per action).
CREATE TABLE escalation_actions (
  firing_id    uuid NOT NULL,
  action       text NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('done', 'skipped')),
  detail       text NOT NULL,
  performed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (firing_id, action)
);

-- Defaults: the secretariat's office hours, a 24x7 calendar, and the standard SLA.
INSERT INTO calendars (id, name, time_zone, always_open, colombian_holidays) VALUES
  ('00000000-0000-4000-8000-000000000001', 'Horario de oficina', 'America/Bogota', false, true),
  ('00000000-0000-4000-8000-000000000002', '24x7', 'America/Bogota', true, false);
INSERT INTO calendar_shifts (calendar_id, weekday, start_minute, end_minute)
  SELECT '00000000-0000-4000-8000-000000000001', d, s, e
  FROM generate_series(0, 4) AS d, (VALUES (420, 720), (840, 1080)) AS shifts (s, e);
INSERT INTO calendar_shifts (calendar_id, weekday, start_minute, end_minute)
  SELECT '00000000-0000-4000-8000-000000000002', d, 0, 1440 FROM generate_series(0, 6) AS d;
INSERT INTO policies (id, name, description, kind, calendar_id, response_minutes,
                      resolution_minutes, warning_percents, pause_on, escalations,
                      escalation_path) VALUES
  ('00000000-0000-4000-8000-000000000101', 'SLA estándar',
   'Default service level for every ticket without a more specific agreement', 'sla',
   '00000000-0000-4000-8000-000000000001',
   '{30,60,240,540,1080}', '{240,480,1080,2700,5400}', '{75}', '{pending:requester}',
   '{75:any:notify_coordinator,100:any:notify_coordinator,100:resolution:escalate_level}',
   '{}');
