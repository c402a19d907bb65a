-- The reporting read model: one fact row per incident, rollups per day and month, intake
-- counts per day and channel, and the requester → org unit map from directory events.
-- Everything here can be rebuilt from the event streams (tiquete-reporting replay).

CREATE TABLE fact_incident (
  number text PRIMARY KEY,
  version bigint NOT NULL,           -- 0: only SLA signals seen so far
  type smallint NOT NULL DEFAULT 0,
  state smallint NOT NULL DEFAULT 0,
  channel smallint NOT NULL DEFAULT 0,
  priority smallint NOT NULL DEFAULT 0,
  level smallint NOT NULL DEFAULT 0,
  resolved_level smallint NOT NULL DEFAULT 0,
  requester_id text NOT NULL DEFAULT '',
  org_unit_id text NOT NULL DEFAULT '',
  category_id text NOT NULL DEFAULT '',
  service_id text NOT NULL DEFAULT '',
  ci_ids text[] NOT NULL DEFAULT '{}',
  group_id text NOT NULL DEFAULT '',
  assignee_id text NOT NULL DEFAULT '',
  first_assignee_id text NOT NULL DEFAULT '',
  resolved_by text NOT NULL DEFAULT '',
  escalated boolean NOT NULL DEFAULT false,
  reassigned boolean NOT NULL DEFAULT false,
  opened_at timestamptz,
  first_response_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  pending_since timestamptz,
  pending_seconds bigint NOT NULL DEFAULT 0,
  reopen_count integer NOT NULL DEFAULT 0,
  survey_rating smallint NOT NULL DEFAULT 0,
  response_outcome smallint NOT NULL DEFAULT 0,    -- 0 none, 1 met, 2 breached
  resolution_outcome smallint NOT NULL DEFAULT 0,
  response_at_risk boolean NOT NULL DEFAULT false,
  resolution_at_risk boolean NOT NULL DEFAULT false,
  business_resolution_seconds bigint NOT NULL DEFAULT -1,
  business_response_seconds bigint NOT NULL DEFAULT -1
);
-- The live figures (backlog, workload, at risk) only ever look at open incidents.
CREATE INDEX fact_incident_open ON fact_incident (assignee_id) WHERE state IN (1, 2, 3, 4);
-- CI and org-unit filters read facts instead of rollups.
CREATE INDEX fact_incident_org_opened ON fact_incident (org_unit_id, opened_at);
CREATE INDEX fact_incident_org_resolved ON fact_incident (org_unit_id, resolved_at);
CREATE INDEX fact_incident_cis ON fact_incident USING gin (ci_ids);
-- Facts opened before the directory told us the requester's org unit, filled in later.
CREATE INDEX fact_incident_no_org ON fact_incident (requester_id) WHERE org_unit_id = '';

-- Element-wise sum of two histograms; NULL is the empty histogram.
CREATE FUNCTION hist_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE
    (SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
       FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)) END
$$;

-- cohort: 'o' opened, 'r' resolved, 'c' per CI; grain: 'd' day, 'm' month (bucket = the 1st).
CREATE TABLE rollup (
  cohort "char" NOT NULL,
  grain "char" NOT NULL,
  bucket date NOT NULL,
  group_id text NOT NULL,
  level smallint NOT NULL,
  category_id text NOT NULL,
  service_id text NOT NULL,
  priority smallint NOT NULL,
  assignee_id text NOT NULL,
  ci_id text NOT NULL,
  n bigint NOT NULL DEFAULT 0,
  st_open bigint NOT NULL DEFAULT 0,
  st_pending bigint NOT NULL DEFAULT 0,
  st_resolved bigint NOT NULL DEFAULT 0,
  st_closed bigint NOT NULL DEFAULT 0,
  st_cancelled bigint NOT NULL DEFAULT 0,
  res_s bigint NOT NULL DEFAULT 0,
  bus_n bigint NOT NULL DEFAULT 0,
  bus_s bigint NOT NULL DEFAULT 0,
  fcr bigint NOT NULL DEFAULT 0,
  reopened bigint NOT NULL DEFAULT 0,
  resp_met bigint NOT NULL DEFAULT 0,
  resp_breached bigint NOT NULL DEFAULT 0,
  resol_met bigint NOT NULL DEFAULT 0,
  resol_breached bigint NOT NULL DEFAULT 0,
  surveys bigint NOT NULL DEFAULT 0,
  survey_points bigint NOT NULL DEFAULT 0,
  rating1 bigint NOT NULL DEFAULT 0,
  rating2 bigint NOT NULL DEFAULT 0,
  rating3 bigint NOT NULL DEFAULT 0,
  rating4 bigint NOT NULL DEFAULT 0,
  rating5 bigint NOT NULL DEFAULT 0,
  hist_cal integer[],  -- 64 bins of calendar resolution minutes (domain/stats.h)
  hist_bus integer[],  -- the same for business minutes
  PRIMARY KEY (cohort, grain, bucket, group_id, level, category_id, service_id, priority,
               assignee_id, ci_id)
);

CREATE TABLE intake_daily (
  day date NOT NULL,
  channel smallint NOT NULL,
  received bigint NOT NULL DEFAULT 0,
  duplicates bigint NOT NULL DEFAULT 0,
  handed_off bigint NOT NULL DEFAULT 0,
  split bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, channel)
);

CREATE TABLE requester_org_unit (
  person_id text PRIMARY KEY,
  org_unit_id text NOT NULL,
  version bigint NOT NULL DEFAULT 0
);
