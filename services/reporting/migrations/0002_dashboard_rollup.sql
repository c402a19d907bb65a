-- The dashboard rollup: dashboards without a dimension filter read a few rows per bucket here
-- instead of one row per group × level × category × service × priority × analyst × CI in
-- `rollup`. Per cohort, grain and bucket: one total row (dim 't', every measure and both
-- histograms) and one row per breakdown value carrying the count `n` only (opened: 'g' group,
-- 'k' category, 's' service, 'p' priority; resolved: 'l' level, 'a' analyst; CI cohort: 'i').
-- Kept in the same transaction as `rollup` (domain/rollup.h Coarsen); filled here from it.
CREATE TABLE rollup_dash (
  cohort "char" NOT NULL,
  grain "char" NOT NULL,
  dim "char" NOT NULL,
  bucket date NOT NULL,
  key text NOT NULL,
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
  hist_cal integer[],
  hist_bus integer[],
  PRIMARY KEY (cohort, grain, dim, bucket, key)
);

CREATE AGGREGATE hist_sum(integer[]) (sfunc = hist_add, stype = integer[]);

INSERT INTO rollup_dash (cohort, grain, dim, bucket, key, n, st_open, st_pending, st_resolved, st_closed, st_cancelled, res_s, bus_n, bus_s, fcr, reopened, resp_met, resp_breached, resol_met, resol_breached, surveys, survey_points, rating1, rating2, rating3, rating4, rating5, hist_cal, hist_bus)
SELECT cohort, grain, 't', bucket, '', sum(n), sum(st_open), sum(st_pending), sum(st_resolved), sum(st_closed), sum(st_cancelled), sum(res_s), sum(bus_n), sum(bus_s), sum(fcr), sum(reopened), sum(resp_met), sum(resp_breached), sum(resol_met), sum(resol_breached), sum(surveys), sum(survey_points), sum(rating1), sum(rating2), sum(rating3), sum(rating4), sum(rating5), hist_sum(hist_cal), hist_sum(hist_bus)
FROM rollup WHERE cohort IN ('o', 'r') GROUP BY cohort, grain, bucket;

INSERT INTO rollup_dash (cohort, grain, dim, bucket, key, n)
SELECT cohort, grain, d.dim, bucket, d.key, sum(n)
FROM rollup
CROSS JOIN LATERAL (VALUES ('g'::"char", group_id), ('k', category_id), ('s', service_id),
                           ('p', priority::text)) d(dim, key)
WHERE cohort = 'o' GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rollup_dash (cohort, grain, dim, bucket, key, n)
SELECT cohort, grain, d.dim, bucket, d.key, sum(n)
FROM rollup CROSS JOIN LATERAL (VALUES ('l'::"char", level::text), ('a', assignee_id)) d(dim, key)
WHERE cohort = 'r' GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rollup_dash (cohort, grain, dim, bucket, key, n)
SELECT cohort, grain, 'i', bucket, ci_id, sum(n) FROM rollup WHERE cohort = 'c'
GROUP BY 1, 2, 3, 4, 5;

-- The CI filter reads the facts linked to one CI and opened or resolved in the period: one row
-- per (CI, incident) with both times, indexed by each, replaces the GIN index on ci_ids (which
-- found every fact of the CI and then filtered the dates).
CREATE TABLE fact_ci (
  ci_id text NOT NULL,
  number text NOT NULL,
  opened_at timestamptz,
  resolved_at timestamptz,
  PRIMARY KEY (ci_id, number)
);
CREATE INDEX fact_ci_opened ON fact_ci (ci_id, opened_at);
CREATE INDEX fact_ci_resolved ON fact_ci (ci_id, resolved_at);

INSERT INTO fact_ci (ci_id, number, opened_at, resolved_at)
SELECT DISTINCT ci, number, opened_at, resolved_at FROM fact_incident, unnest(ci_ids) ci;

DROP INDEX fact_incident_cis;
