-- Incident management: incidents (service requests share the table), their work log and
-- attachments, the append-only audit trail and escalation history, and number counters.

-- Spanish full-text search that ignores accents: "contrasena" finds "contraseña" and
-- "impresoras" finds "impresora" (unaccent first, then the Spanish stemmer).
CREATE TEXT SEARCH CONFIGURATION incident_spanish (COPY = pg_catalog.spanish);
ALTER TEXT SEARCH CONFIGURATION incident_spanish
  ALTER MAPPING FOR hword, hword_part, word WITH ext.unaccent, spanish_stem;

-- One row per (prefix, year); UPDATE … RETURNING locks it, so numbers never repeat or skip
-- within a committed year.
CREATE TABLE number_counters (
  prefix     text NOT NULL,
  year       integer NOT NULL,
  last_value bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE incidents (
  id                     bigserial PRIMARY KEY,
  number                 text NOT NULL UNIQUE,
  type                   text NOT NULL CHECK (type IN ('incident', 'service_request')),
  state                  text NOT NULL CHECK (state IN ('new', 'assigned', 'in_progress', 'pending',
                                                        'resolved', 'closed', 'cancelled')),
  title                  text NOT NULL CHECK (title <> ''),
  description            text NOT NULL DEFAULT '',
  requester_id           uuid NOT NULL,
  channel                text NOT NULL,
  category_id            uuid,
  service_id             uuid,
  ci_ids                 uuid[] NOT NULL DEFAULT '{}',
  impact                 smallint NOT NULL CHECK (impact BETWEEN 1 AND 3),   -- 1 high, 3 low
  urgency                smallint NOT NULL CHECK (urgency BETWEEN 1 AND 3),
  priority               smallint NOT NULL CHECK (priority BETWEEN 1 AND 5),  -- 1 = P1
  matrix_priority        smallint NOT NULL CHECK (matrix_priority BETWEEN 1 AND 5),
  priority_overridden    boolean NOT NULL DEFAULT false,
  priority_justification text NOT NULL DEFAULT '',
  pending_reason         text CHECK (pending_reason IN ('requester', 'provider', 'change')),
  level                  smallint CHECK (level BETWEEN 1 AND 3),
  group_id               uuid,
  assignee_id            uuid,
  coordinator_id         uuid,
  major                  boolean NOT NULL DEFAULT false,
  major_owner_id         uuid,
  parent_number          text NOT NULL DEFAULT '',
  duplicate              boolean NOT NULL DEFAULT false,
  problem_id             text NOT NULL DEFAULT '',
  resolution_code        text NOT NULL DEFAULT '',
  resolution_notes       text NOT NULL DEFAULT '',
  resolved_level         smallint CHECK (resolved_level BETWEEN 1 AND 3),
  closure_code           text NOT NULL DEFAULT '',
  cancel_reason          text NOT NULL DEFAULT '',
  reopen_count           integer NOT NULL DEFAULT 0,
  survey_rating          smallint CHECK (survey_rating BETWEEN 1 AND 5),
  survey_comment         text NOT NULL DEFAULT '',
  surveyed_at            timestamptz,
  possible_security      boolean NOT NULL DEFAULT false,
  security_reason        text NOT NULL DEFAULT '',
  intake_message_id      text NOT NULL DEFAULT '',
  created_at             timestamptz NOT NULL,
  first_response_at      timestamptz,
  resolved_at            timestamptz,
  closed_at              timestamptz,
  updated_at             timestamptz NOT NULL,
  version                bigint NOT NULL DEFAULT 1,
  search                 tsvector GENERATED ALWAYS AS (
                           setweight(to_tsvector('incident_spanish'::regconfig, title), 'A') ||
                           setweight(to_tsvector('incident_spanish'::regconfig, description), 'B')
                         ) STORED,
  CHECK ((state = 'pending') = (pending_reason IS NOT NULL))
);

-- Queues. The partial index serves the everyday page (a group's open incidents, P1 first, oldest
-- first) straight from the index in sort order, even when several open states are asked for;
-- the full one serves any other state filter for a group.
CREATE INDEX incidents_group_open_queue ON incidents (group_id, priority, created_at, id)
  WHERE state IN ('new', 'assigned', 'in_progress', 'pending');
CREATE INDEX incidents_group_state ON incidents (group_id, state, priority, created_at, id);
CREATE INDEX incidents_assignee_open_queue ON incidents (assignee_id, priority, created_at, id)
  WHERE state IN ('new', 'assigned', 'in_progress', 'pending');
CREATE INDEX incidents_assignee ON incidents (assignee_id, created_at DESC, id DESC);
CREATE INDEX incidents_requester ON incidents (requester_id, created_at DESC, id DESC);
-- Desk-wide views and sort orders.
CREATE INDEX incidents_open_queue ON incidents (priority, created_at, id)
  WHERE state IN ('new', 'assigned', 'in_progress', 'pending');
CREATE INDEX incidents_priority_age ON incidents (priority, created_at, id);
CREATE INDEX incidents_created ON incidents (created_at DESC, id DESC);
CREATE INDEX incidents_updated ON incidents (updated_at DESC, id DESC);
CREATE INDEX incidents_state ON incidents (state);
CREATE INDEX incidents_category ON incidents (category_id);
CREATE INDEX incidents_cis ON incidents USING gin (ci_ids);
CREATE INDEX incidents_search ON incidents USING gin (search);
-- Searching the open incidents for rare words reads only their postings (a seventh of the table).
CREATE INDEX incidents_open_search ON incidents USING gin (search)
  WHERE state IN ('new', 'assigned', 'in_progress', 'pending');
CREATE INDEX incidents_parent ON incidents (parent_number) WHERE parent_number <> '';
CREATE INDEX incidents_major ON incidents (created_at DESC) WHERE major;

CREATE TABLE work_log (
  id                bigserial PRIMARY KEY,
  incident_id       bigint NOT NULL REFERENCES incidents (id),
  kind              text NOT NULL CHECK (kind IN ('comment', 'communication')),
  visibility        text NOT NULL CHECK (visibility IN ('public', 'internal')),
  author_id         text NOT NULL,
  body              text NOT NULL,
  source_message_id text NOT NULL DEFAULT '',
  created_at        timestamptz NOT NULL
);
CREATE INDEX work_log_incident ON work_log (incident_id, id);

-- Files live in PostgreSQL so one backup holds everything; the digest and size let anyone
-- verify a download. work_log_id is NULL for attachments given when the incident was opened.
CREATE TABLE attachments (
  id           bigserial PRIMARY KEY,
  incident_id  bigint NOT NULL REFERENCES incidents (id),
  work_log_id  bigint REFERENCES work_log (id),
  filename     text NOT NULL,
  content_type text NOT NULL,
  size_bytes   bigint NOT NULL,
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content      bytea NOT NULL,
  created_at   timestamptz NOT NULL,
  CHECK (size_bytes = octet_length(content))
);
CREATE INDEX attachments_incident ON attachments (incident_id, id);
CREATE INDEX attachments_work_log ON attachments (work_log_id) WHERE work_log_id IS NOT NULL;

CREATE TABLE escalations (
  id            bigserial PRIMARY KEY,
  incident_id   bigint NOT NULL REFERENCES incidents (id),
  kind          text NOT NULL CHECK (kind IN ('functional', 'hierarchical')),
  from_level    smallint,
  to_level      smallint,
  from_group_id uuid,
  to_group_id   uuid,
  to_person_id  uuid,
  reason        text NOT NULL CHECK (reason <> ''),
  actor_id      text NOT NULL,
  at            timestamptz NOT NULL
);
CREATE INDEX escalations_incident ON escalations (incident_id, id);

CREATE TABLE audit_trail (
  id          bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  number      text NOT NULL,
  actor_id    text NOT NULL,
  at          timestamptz NOT NULL,
  field       text NOT NULL,
  old_value   text NOT NULL DEFAULT '',
  new_value   text NOT NULL DEFAULT '',
  reason      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_trail_incident ON audit_trail (incident_id, id);

-- History is append-only: the service's own role owns these tables (so revoking its rights
-- would not hold), hence triggers that refuse every UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail
  FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();
CREATE TRIGGER escalations_append_only BEFORE UPDATE OR DELETE ON escalations
  FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
CREATE TRIGGER escalations_no_truncate BEFORE TRUNCATE ON escalations
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();
