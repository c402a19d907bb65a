// SQL that writes a generated history of N incidents straight into the reporting read model
// (facts, then rollups aggregated from them), for reporting_bench. The attribute mix follows a
// departmental desk scaled up: 12 groups (4 L1, 5 L2, 3 L3), 3 analysts each, 40 categories
// over 20 services, 60 CIs, 1,000 org units, five years from 2021-03 with growing volume.
#pragma once

namespace tiquete::bench {

// $1: number of incidents; $2: "now" (the last incidents are still open).
inline constexpr char kBulkFacts[] = R"SQL(
INSERT INTO fact_incident (number, version, type, state, channel, priority, level,
  resolved_level, requester_id, org_unit_id, category_id, service_id, ci_ids, group_id,
  assignee_id, first_assignee_id, resolved_by, escalated, reassigned, opened_at,
  first_response_at, resolved_at, closed_at, reopen_count, survey_rating, response_outcome,
  resolution_outcome, response_at_risk, resolution_at_risk, business_resolution_seconds)
SELECT 'BLK-' || g, 5, 1, x.state, 1 + (g % 4), x.priority, x.level,
  CASE WHEN x.state IN (5, 6) THEN x.level ELSE 0 END,
  'p' || x.requester, 'ou-' || (x.requester % 1000), 'cat-' || x.cat, 'svc-' || (x.cat / 2),
  CASE WHEN r3 < 0.4 THEN ARRAY['ci-' || ((x.cat * 3) % 60), 'ci-' || ((x.cat * 3 + 1) % 60)]
       ELSE ARRAY['ci-' || ((x.cat * 3) % 60)] END,
  x.grp, x.assignee, x.assignee, CASE WHEN x.state IN (5, 6) THEN x.assignee ELSE '' END,
  x.level > 1, r8 > 0.93, x.opened_at, x.opened_at + interval '20 minutes',
  CASE WHEN x.state IN (5, 6) THEN x.opened_at + x.minutes * interval '1 minute' END,
  CASE WHEN x.state = 6 THEN x.opened_at + (x.minutes + 600) * interval '1 minute' END,
  (r8 < 0.05)::int,
  CASE WHEN x.state = 6 AND r6 < 0.4 THEN 1 + floor(r7 * 5)::int ELSE 0 END,
  CASE WHEN r5 < 0.88 THEN 1 ELSE 2 END,
  CASE WHEN x.state NOT IN (5, 6) THEN (CASE WHEN r5 < 0.1 THEN 2 ELSE 0 END)
       WHEN r5 < 0.83 THEN 1 ELSE 2 END,
  false, x.state NOT IN (5, 6, 7) AND r7 < 0.3,
  CASE WHEN x.state IN (5, 6) AND r5 < 0.83 THEN (x.minutes * 60 * 0.4)::bigint ELSE -1 END
FROM (
  SELECT g, r3, r5, r6, r7, r8,
    floor(r1 * 40)::int AS cat,
    CASE WHEN r2 < 0.7 THEN 1 WHEN r2 < 0.94 THEN 2 ELSE 3 END AS level,
    CASE WHEN r4 < 0.05 THEN 1 WHEN r4 < 0.2 THEN 2 WHEN r4 < 0.6 THEN 3 WHEN r4 < 0.9 THEN 4
         ELSE 5 END AS priority,
    floor(r9 * 6000)::int AS requester,
    exp(r6 * ln(20000.0)) AS minutes,
    opened_at,
    CASE WHEN opened_at > $2::timestamptz - interval '10 days' THEN 1 + floor(r7 * 4)::int
         WHEN r8 < 0.04 THEN 7 WHEN r3 < 0.85 THEN 6 ELSE 5 END AS state,
    CASE WHEN r2 < 0.7 THEN 'g-l1-' || (floor(r1 * 40)::int % 4)
         WHEN r2 < 0.94 THEN 'g-l2-' || (floor(r1 * 40)::int % 5)
         ELSE 'g-l3-' || (floor(r1 * 40)::int % 3) END AS grp,
    CASE WHEN r2 < 0.7 THEN 'g-l1-' || (floor(r1 * 40)::int % 4)
         WHEN r2 < 0.94 THEN 'g-l2-' || (floor(r1 * 40)::int % 5)
         ELSE 'g-l3-' || (floor(r1 * 40)::int % 3) END || '-a' || floor(r3 * 3)::int AS assignee
  FROM (
    SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
      random() r7, random() r8, random() r9,
      -- volume grows over time: density ∝ t^0.25
      $2::timestamptz - interval '1826 days' + power((g - 0.5) / $1, 0.8) * interval '1826 days'
        - interval '3 hours' AS opened_at
    FROM generate_series(1, $1::int) g) s) x
)SQL";

// The rollups as the event path would have built them (day and month grains).
inline constexpr char kBulkHelpers[] = R"SQL(
CREATE OR REPLACE FUNCTION bench_hist_step(a integer[], bin integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF a IS NULL THEN a := array_fill(0, ARRAY[64]); END IF;
  IF bin IS NOT NULL THEN a[bin + 1] := a[bin + 1] + 1; END IF;
  RETURN a;
END $$;
CREATE OR REPLACE AGGREGATE bench_hist(integer) (sfunc = bench_hist_step, stype = integer[]);
CREATE OR REPLACE FUNCTION bench_bin(minutes double precision) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN minutes IS NULL THEN NULL WHEN minutes < 1 THEN 0
              ELSE least(63, 1 + floor(ln(minutes) / (ln(525600.0) / 62))::int) END $$;
)SQL";

inline constexpr char kBulkRollups[] = R"SQL(
INSERT INTO rollup (cohort, grain, bucket, group_id, level, category_id, service_id, priority,
  assignee_id, ci_id, n, st_open, st_pending, st_resolved, st_closed, st_cancelled)
SELECT 'o', gr.g, CASE WHEN gr.g = 'd' THEN day ELSE date_trunc('month', day)::date END,
  group_id, level, category_id, service_id, priority, '', '', count(*),
  count(*) FILTER (WHERE state IN (1, 2, 3)), count(*) FILTER (WHERE state = 4),
  count(*) FILTER (WHERE state = 5), count(*) FILTER (WHERE state = 6),
  count(*) FILTER (WHERE state = 7)
FROM (SELECT *, (opened_at AT TIME ZONE 'America/Bogota')::date AS day FROM fact_incident) f
CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) gr(g)
GROUP BY 2, 3, 4, 5, 6, 7, 8;

INSERT INTO rollup (cohort, grain, bucket, group_id, level, category_id, service_id, priority,
  assignee_id, ci_id, n)
SELECT 'c', gr.g, CASE WHEN gr.g = 'd' THEN day ELSE date_trunc('month', day)::date END,
  group_id, level, category_id, service_id, priority, '', ci, count(*)
FROM (SELECT *, (opened_at AT TIME ZONE 'America/Bogota')::date AS day, unnest(ci_ids) AS ci
      FROM fact_incident) f
CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) gr(g)
GROUP BY 2, 3, 4, 5, 6, 7, 8, 10;

INSERT INTO rollup (cohort, grain, bucket, group_id, level, category_id, service_id, priority,
  assignee_id, ci_id, n, st_closed, res_s, bus_n, bus_s, fcr, reopened, resp_met,
  resp_breached, resol_met, resol_breached, surveys, survey_points, rating1, rating2, rating3,
  rating4, rating5, hist_cal, hist_bus)
SELECT 'r', gr.g, CASE WHEN gr.g = 'd' THEN day ELSE date_trunc('month', day)::date END,
  group_id, resolved_level, category_id, service_id, priority, resolved_by, '', count(*),
  count(*) FILTER (WHERE state = 6), sum(res_s),
  count(*) FILTER (WHERE business_resolution_seconds >= 0),
  coalesce(sum(business_resolution_seconds) FILTER (WHERE business_resolution_seconds >= 0), 0),
  count(*) FILTER (WHERE resolved_level = 1 AND NOT escalated AND NOT reassigned),
  count(*) FILTER (WHERE reopen_count > 0),
  count(*) FILTER (WHERE response_outcome = 1), count(*) FILTER (WHERE response_outcome = 2),
  count(*) FILTER (WHERE resolution_outcome = 1), count(*) FILTER (WHERE resolution_outcome = 2),
  count(*) FILTER (WHERE survey_rating > 0), sum(survey_rating),
  count(*) FILTER (WHERE survey_rating = 1), count(*) FILTER (WHERE survey_rating = 2),
  count(*) FILTER (WHERE survey_rating = 3), count(*) FILTER (WHERE survey_rating = 4),
  count(*) FILTER (WHERE survey_rating = 5),
  bench_hist(bench_bin(res_s / 60.0)),
  nullif(bench_hist(bench_bin(CASE WHEN business_resolution_seconds >= 0
                                   THEN business_resolution_seconds / 60.0 END)),
         array_fill(0, ARRAY[64]))
FROM (SELECT *, (resolved_at AT TIME ZONE 'America/Bogota')::date AS day,
        extract(epoch FROM resolved_at - opened_at)::bigint AS res_s
      FROM fact_incident WHERE state IN (5, 6)) f
CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) gr(g)
GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
)SQL";

}  // namespace tiquete::bench
