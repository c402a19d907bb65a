#!/usr/bin/env bash
# Case creation through the front door, at concurrency 1, 8 and 32, beside the PostgreSQL
# ceiling measured in the same run:
#
#   - intake: IntakeService.SubmitTicket over gRPC (bench/intake_create_bench.cc) to the real
#     tiquete-intake, which archives the message, classifies it (directory category lookup),
#     looks for duplicates and hands it to the real tiquete-incident's CreateIncident (category,
#     default group and priority from the real tiquete-directory loaded with the demo data),
#     both writing their events to their outboxes, relayed to Redis Streams;
#   - ceiling: pgbench on the same PostgreSQL, one durable single-row INSERT per transaction
#     into a table shaped like the incident row (text title and description, uuids, timestamps,
#     a bigserial key), same client count, prepared statements.
#
# Prints requests/s and p50/p99 of both and intake's share of the ceiling (goal: >= 25 % at
# concurrency 32), then checks that every created incident reached the incident event stream.
# With BENCH_DIRECT=1 (the default) it also sends the same cases straight to the incident
# service's CreateIncident, which shows how the time splits between intake and incident.
#
#   bench/intake_create.sh                       10 s per run (BENCH_SECONDS), 2 s warm-up
#   INTAKE_POOL=16 INCIDENT_POOL=16 bench/intake_create.sh
#   PG_SYNCHRONOUS_COMMIT=off bench/intake_create.sh   (the non-durable trade-off, for comparison)
#   BENCH_FLOOR=0 bench/intake_create.sh          skips the database floor (bench/intake_floor.sql:
#                                                 only the rows a case writes, batched; runs last)
#   BENCH_FLOOR_BATCHES="1 25 100"                cases per transaction in the floor runs
#   BENCH_FLOOR_NOTIFY=1                          each floor run again with the outbox NOTIFY
#                                                 trigger the services had before migration 0004
#   BENCH_PG_STATEMENTS=1 bench/intake_create.sh  also prints the statements that took the most
#                                                 PostgreSQL time (pg_stat_statements, with planning)
#
# Starts its own PostgreSQL 15 (deploy/lib.sh settings: fsync and synchronous_commit on), Redis
# and the three services on spare ports, and removes everything afterwards. The script holds the
# build lock (/tmp/tiquete-build.lock) for the whole run, build and measurement, so no build
# shares the machine with it: do not wrap it in flock. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/lib.sh
source deploy/lib.sh

BUILD_DIR=${BUILD_DIR:-build}
DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
PG_PORT=${TIQ_BENCH_PG_PORT:-5493}
REDIS_PORT=${TIQ_BENCH_REDIS_PORT:-6393}
DIR_PORT=18681 INTAKE_PORT=18682 INCIDENT_PORT=18683
INTAKE_POOL=${INTAKE_POOL:-8}
INCIDENT_POOL=${INCIDENT_POOL:-8}
DIRECTORY_POOL=${DIRECTORY_POOL:-8}
read -r -a CONCURRENCY <<<"${BENCH_CONCURRENCY:-1 8 32}"
read -r -a FLOOR_BATCHES <<<"${BENCH_FLOOR_BATCHES:-1 25}"
DIRECT=${BENCH_DIRECT:-1}
PGBENCH=$TIQ_PG_BIN/pgbench

for v in "$DURATION" "$WARMUP" "$INTAKE_POOL" "$INCIDENT_POOL" "$DIRECTORY_POOL" \
  "${CONCURRENCY[@]}" "${FLOOR_BATCHES[@]}"; do
  if [[ ! $v =~ ^[0-9]+$ ]]; then
    tiq_err "not a whole number: '$v' (BENCH_SECONDS, BENCH_WARMUP, *_POOL, BENCH_CONCURRENCY," \
      "BENCH_FLOOR_BATCHES)"
    exit 2
  fi
done
for v in "${FLOOR_BATCHES[@]}"; do
  if ((v < 1)); then
    tiq_err "BENCH_FLOOR_BATCHES: a transaction carries at least one case, not $v"
    exit 2
  fi
done
if [[ ! ${BENCH_FLOOR:-1} =~ ^[01]$ || ! ${BENCH_FLOOR_NOTIFY:-0} =~ ^[01]$ ]]; then
  tiq_err "BENCH_FLOOR and BENCH_FLOOR_NOTIFY must be 0 or 1"
  exit 2
fi
case ${PG_SYNCHRONOUS_COMMIT:-on} in
  on | off) ;;
  *)
    tiq_err "PG_SYNCHRONOUS_COMMIT must be on or off"
    exit 2
    ;;
esac
if [[ ! -x $PGBENCH ]]; then
  tiq_err "$PGBENCH is missing (apt-get install postgresql-contrib-15 or postgresql-15)"
  exit 1
fi

exec 9>>"$TIQ_BUILD_LOCK"
flock 9
export CCACHE_BASEDIR=$TIQ_ROOT CCACHE_NOHASHDIR=1
[[ -f $BUILD_DIR/build.ninja ]] || cmake -S . -B "$BUILD_DIR" -G Ninja
cmake --build "$BUILD_DIR" --target tiquete-directory tiquete-incident tiquete-intake \
  intake_create_bench >/dev/null

tmp=$(mktemp -d /tmp/tiquete-intakebench.XXXXXX)
chmod 755 "$tmp"
pids=()
stop_services() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_services
  tiq_redis_stop "$REDIS_PORT" >/dev/null 2>&1 || true
  tiq_pg_purge "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf -- "$tmp"
}
trap cleanup EXIT

tiq_pg_start "$tmp/pg" "$PG_PORT" >/dev/null
if [[ ${PG_SYNCHRONOUS_COMMIT:-on} == off ]]; then
  tiq_pg_psql postgres -c "ALTER SYSTEM SET synchronous_commit = off" -c "SELECT pg_reload_conf()" \
    >/dev/null
fi
if [[ ${BENCH_PG_STATEMENTS:-0} == 1 ]]; then
  tiq_pg_psql postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" \
    >/dev/null
  tiq_pg_stop "$tmp/pg" >/dev/null
  tiq_pg_start "$tmp/pg" "$PG_PORT" >/dev/null
  tiq_pg_psql postgres -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on" \
    -c "SELECT pg_reload_conf()" >/dev/null
fi
tiq_redis_start "$tmp/redis" "$REDIS_PORT" >/dev/null
tiq_provision tiquete_bench directory incident intake
TIQ_DB_NAME=tiquete_bench
key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
service_env() {  # name grpc_port metrics_port pool
  ENV=(
    "TIQUETE_CALLER_KEY=$key"
    "TIQUETE_GRPC_ADDR=127.0.0.1:$2"
    "TIQUETE_METRICS_ADDR=127.0.0.1:$3"
    "TIQUETE_DB_URL=$(tiq_service_db_url "$1")"
    "TIQUETE_DB_SCHEMA=$1"
    "TIQUETE_DB_POOL_SIZE=$4"
    "TIQUETE_REDIS_ADDR=127.0.0.1:$REDIS_PORT"
    "TIQUETE_LOG_LEVEL=warning"
  )
}
start() {  # name binary
  local name=$1 bin=$2
  shift 2
  env -i PATH="$TIQ_SERVICE_PATH" "${ENV[@]}" "$@" "$bin" >"$tmp/$name.log" 2>&1 &
  pids+=($!)
}

directory=$BUILD_DIR/services/directory/tiquete-directory
service_env directory "$DIR_PORT" 19681 "$DIRECTORY_POOL"
for kind in org_units groups services categories cis people; do
  tiq_run_clean "$directory" "${ENV[@]}" -- import --kind="$kind" "deploy/demo/$kind.csv" \
    >/dev/null
done
start directory "$directory"
tiq_wait_tcp "127.0.0.1:$DIR_PORT" 20
service_env incident "$INCIDENT_PORT" 19683 "$INCIDENT_POOL"
start incident "$BUILD_DIR/services/incident/tiquete-incident" \
  "TIQUETE_DIRECTORY_ADDR=127.0.0.1:$DIR_PORT"
tiq_wait_tcp "127.0.0.1:$INCIDENT_PORT" 30
service_env intake "$INTAKE_PORT" 19682 "$INTAKE_POOL"
start intake "$BUILD_DIR/services/intake/tiquete-intake" \
  "TIQUETE_INCIDENT_ADDR=127.0.0.1:$INCIDENT_PORT" "TIQUETE_DIRECTORY_ADDR=127.0.0.1:$DIR_PORT"
tiq_wait_tcp "127.0.0.1:$INTAKE_PORT" 30

# Requesters: the demo's people with only the requester role; categories: every active,
# non-security category (most route to a default group, so the incident opens assigned).
tiq_pg_psql tiquete_bench -Atc "SELECT id FROM directory.people WHERE active AND
  roles = '{requester}' ORDER BY id" >"$tmp/requesters"
tiq_pg_psql tiquete_bench -Atc "SELECT id FROM directory.categories WHERE active AND
  NOT security ORDER BY id" >"$tmp/categories"

# The ceiling: a durable single-row insert per transaction, shaped like an incident row.
tiq_pg_psql postgres -c "CREATE DATABASE tiquete_ceiling" >/dev/null
tiq_pg_psql tiquete_ceiling >/dev/null <<'SQL'
CREATE TABLE cases (
  id bigserial PRIMARY KEY,
  number text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  requester_id uuid NOT NULL,
  category_id uuid,
  state text NOT NULL,
  priority smallint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SQL
cat >"$tmp/insert.sql" <<'SQL'
\set n random(1, 1000000000)
INSERT INTO cases (number, title, description, requester_id, category_id, state, priority)
VALUES ('INC-2026-' || :n, 'La impresora no imprime ' || :n,
        'Buenos días, desde esta mañana la impresora del aula no imprime. Quedo atento.',
        gen_random_uuid(), gen_random_uuid(), 'assigned', 3);
SQL

ceiling() {  # clients → "rps p50 p99"
  local c=$1 out
  rm -f "$tmp"/pgbench_log.*
  out=$(cd "$tmp" && PGPASSWORD=$(<"$TIQ_PG_PWFILE") "$PGBENCH" -n -M prepared -h 127.0.0.1 \
    -p "$PG_PORT" -U postgres -c "$c" -j "$((c < 2 ? 1 : 2))" -T "$DURATION" -f insert.sql \
    -l tiquete_ceiling 2>&1)
  local rps
  rps=$(awk '/^tps = / {printf "%.1f", $3}' <<<"$out")
  # pgbench -l: one line per transaction, the third field its latency in microseconds.
  cat "$tmp"/pgbench_log.* | awk '{print $3}' | sort -n >"$tmp/lat"
  awk -v rps="$rps" '{v[NR]=$1} END {
      p50 = v[int(NR*0.50) > 0 ? int(NR*0.50) : 1]; p99 = v[int(NR*0.99) > 0 ? int(NR*0.99) : 1];
      printf "%s %.2f %.2f\n", rps, p50/1000, p99/1000 }' "$tmp/lat"
}

lines=()
failed=0
declare -A ceiling_rps
for c in "${CONCURRENCY[@]}"; do
  tiq_log "c=$c: pgbench ceiling, then SubmitTicket through intake"
  read -r c_rps c_p50 c_p99 <<<"$(ceiling "$c")"
  ceiling_rps[$c]=$c_rps
  if ! line=$("$BUILD_DIR/bench/intake_create_bench" --addr="127.0.0.1:$INTAKE_PORT" \
    --key="$key" --requesters="$tmp/requesters" --categories="$tmp/categories" \
    --concurrency="$c" --seconds="$DURATION" --warmup="$WARMUP"); then
    failed=1
  fi
  echo "$line"
  direct="-"
  if [[ $DIRECT == 1 ]]; then
    if ! d=$("$BUILD_DIR/bench/intake_create_bench" --addr="127.0.0.1:$INCIDENT_PORT" \
      --key="$key" --requesters="$tmp/requesters" --categories="$tmp/categories" \
      --concurrency="$c" --seconds="$DURATION" --warmup="$WARMUP" --call=create-incident); then
      failed=1
    fi
    echo "$d"
    direct="$(sed 's/.* rps=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 (\2 \/ \3)/' <<<"$d")"
  fi
  rps=$(sed 's/.* rps=\([0-9.]*\).*/\1/' <<<"$line")
  p50=$(sed 's/.* p50_ms=\([0-9.]*\).*/\1/' <<<"$line")
  p99=$(sed 's/.* p99_ms=\([0-9.]*\).*/\1/' <<<"$line")
  share=$(awk -v a="$rps" -v b="$c_rps" 'BEGIN {printf "%.1f", (b > 0) ? 100*a/b : 0}')
  lines+=("$(printf '| %3s | %8s | %7s | %7s | %8s | %7s | %7s | %5s %% | %s |' "$c" "$rps" \
    "$p50" "$p99" "$c_rps" "$c_p50" "$c_p99" "$share" "$direct")")
done

# Every incident the runs opened must reach the incident stream (outbox → relay → Redis).
incidents=$(tiq_pg_psql tiquete_bench -Atc "SELECT count(*) FROM incident.incidents")
published=0
for _ in $(seq 1 60); do
  published=$(tiq_pg_psql tiquete_bench -Atc "SELECT count(*) FROM incident.outbox
    WHERE type = 'incident.incident.created' AND published_at IS NOT NULL")
  [[ $published == "$incidents" ]] && break
  sleep 1
done
stream_len=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" XLEN tiquete.incident.events)

echo
echo "==== case creation through intake (${DURATION}s per run after ${WARMUP}s warm-up," \
  "$(nproc) cores; pools intake $INTAKE_POOL, incident $INCIDENT_POOL, directory" \
  "$DIRECTORY_POOL; synchronous_commit ${PG_SYNCHRONOUS_COMMIT:-on}) ===="
echo "|   c | intake/s | p50 ms  | p99 ms  | insert/s | p50 ms  | p99 ms  | share   |" \
  "CreateIncident direct/s (p50 / p99 ms) |"
echo "|-----|----------|---------|---------|----------|---------|---------|---------|---|"
printf '%s\n' "${lines[@]}"
echo "incidents created: $incidents; incident.incident.created events published: $published;" \
  "entries in tiquete.incident.events: $stream_len"

if [[ ${BENCH_PG_STATEMENTS:-0} == 1 ]]; then
  echo
  echo "==== statements by PostgreSQL time (execution + planning), all runs ===="
  tiq_pg_psql tiquete_bench -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  tiq_pg_psql tiquete_bench -P pager=off -c "SELECT r.rolname AS role, s.calls,
      round((s.total_exec_time + s.total_plan_time)::numeric, 0) AS total_ms,
      round(((s.total_exec_time + s.total_plan_time) / greatest(s.calls, 1) * 1000)::numeric, 0) AS us_per_call,
      s.plans, left(regexp_replace(s.query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
    WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = 'tiquete_bench')
    ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT 25"
fi
# The database floor: only the rows a case writes in both services, batched (bench/intake_floor.sql
# says what is in and what is left out). Whatever the services did, creation through intake
# could not go faster than this on this machine. Runs last, on the database alone: the services
# are stopped first (their relays would otherwise publish the floor's outbox rows meanwhile), and
# it adds incidents of its own. With BENCH_FLOOR_NOTIFY=1 each run is repeated with the outbox
# NOTIFY trigger every service had before common migration 0004, for comparison.
if [[ ${BENCH_FLOOR:-1} == 1 ]]; then
  stop_services
  tiq_pg_psql tiquete_bench -c "CREATE SEQUENCE incident.floor_numbers" >/dev/null
  notify_modes=(off)
  [[ ${BENCH_FLOOR_NOTIFY:-0} == 1 ]] && notify_modes+=(on)
  echo
  echo "==== database floor: the rows of a case in both services, set-based, N cases per" \
    "transaction (bench/intake_floor.sql; ${DURATION}s per run; services stopped) ===="
  echo "|   c | outbox NOTIFY | cases per transaction | cases/s | share of the ceiling |"
  echo "|-----|---------------|-----------------------|---------|---------------------|"
  for c in "${CONCURRENCY[@]}"; do
    for notify in "${notify_modes[@]}"; do
      for schema in intake incident; do
        if [[ $notify == on ]]; then
          tiq_pg_psql tiquete_bench >/dev/null <<SQL
CREATE OR REPLACE FUNCTION $schema.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  PERFORM pg_notify('tiquete_outbox_' || TG_TABLE_SCHEMA, '');
  RETURN NULL;
END \$\$;
CREATE TRIGGER outbox_notify AFTER INSERT ON $schema.outbox
  FOR EACH STATEMENT EXECUTE FUNCTION $schema.outbox_notify();
SQL
        else
          tiq_pg_psql tiquete_bench -c "SET client_min_messages = warning" \
            -c "DROP TRIGGER IF EXISTS outbox_notify ON $schema.outbox" \
            >/dev/null
        fi
      done
      for b in "${FLOOR_BATCHES[@]}"; do
        out=$(PGPASSWORD=$(<"$TIQ_PG_PWFILE") "$PGBENCH" -n -h 127.0.0.1 -p "$PG_PORT" \
          -U postgres -c "$c" -j "$((c < 2 ? 1 : 2))" -T "$DURATION" -D batch="$b" \
          -D run="${c}0${b}0$$" -f bench/intake_floor.sql tiquete_bench 2>&1) || {
          echo "$out" >&2
          failed=1
          continue
        }
        cases=$(awk -v b="$b" '/^tps = / {printf "%.1f", $3 * b}' <<<"$out")
        share=$(awk -v a="$cases" -v c="${ceiling_rps[$c]}" \
          'BEGIN {printf "%.1f", (c > 0) ? 100*a/c : 0}')
        printf '| %3s | %13s | %21s | %7s | %17s %% |\n' "$c" "$notify" "$b" "$cases" "$share"
      done
    done
  done
fi
if [[ $published != "$incidents" ]]; then
  tiq_err "not every created incident was published"
  failed=1
fi
exit "$failed"
