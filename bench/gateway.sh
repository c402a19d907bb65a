#!/usr/bin/env bash
# Gateway throughput and latency: GET /v1/incidents/{number} and POST /v1/incidents through the
# gateway (wrk, HTTP/1.1 keep-alive, an API token, per-token rate limiting in Redis on) beside
# the same IncidentService calls made directly over gRPC by gateway_grpc_bench, at concurrency
# 8 and 32. Starts its own PostgreSQL, Redis, directory (demo data loaded), incident service and
# gateway on spare ports, prints requests/s, p50/p99 and the gateway's memory, and removes
# everything afterwards.
#
#   bench/gateway.sh                  10 s per run
#   BENCH_SECONDS=30 bench/gateway.sh
#
# POST opens a real incident per request (unique idempotency keys; number, row, audit entry and
# outbox event in one transaction). Goals: GET >= 10,000 req/s with p99 <= 10 ms, and >= 60 % of
# direct gRPC throughput. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/lib.sh
source deploy/lib.sh

BUILD_DIR=${BUILD_DIR:-build}
DURATION=${BENCH_SECONDS:-10}
PG_PORT=${TIQ_BENCH_PG_PORT:-5494}
REDIS_PORT=${TIQ_BENCH_REDIS_PORT:-6394}
DIR_PORT=18581
INC_PORT=18583
GW_PORT=18580
CONCURRENCY=(8 32)

# wrk is this benchmark's own tool (not part of CI's package list).
if ! command -v wrk >/dev/null 2>&1; then
  tiq_log "installing wrk"
  tiq__root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk
fi
export CCACHE_BASEDIR=$TIQ_ROOT CCACHE_NOHASHDIR=1
(
  exec 9>>"$TIQ_BUILD_LOCK"
  flock 9
  [[ -f $BUILD_DIR/build.ninja ]] || cmake -S . -B "$BUILD_DIR" -G Ninja
  cmake --build "$BUILD_DIR" --target tiquete-gateway tiquete-directory tiquete-incident \
    gateway_grpc_bench
)

tmp=$(mktemp -d /tmp/tiquete-gwbench.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tiq_redis_stop "$REDIS_PORT" >/dev/null 2>&1 || true
  tiq_pg_purge "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf -- "$tmp"
}
trap cleanup EXIT

tiq_pg_start "$tmp/pg" "$PG_PORT" >/dev/null
tiq_redis_start "$tmp/redis" "$REDIS_PORT" >/dev/null
tiq_provision tiquete_bench directory incident
TIQ_DB_NAME=tiquete_bench
key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
dir_env=(
  "TIQUETE_CALLER_KEY=$key"
  "TIQUETE_GRPC_ADDR=127.0.0.1:$DIR_PORT"
  "TIQUETE_METRICS_ADDR=127.0.0.1:19581"
  "TIQUETE_DB_URL=$(tiq_service_db_url directory)"
  "TIQUETE_DB_SCHEMA=directory"
  "TIQUETE_DB_POOL_SIZE=16"
  "TIQUETE_REDIS_ADDR=127.0.0.1:$REDIS_PORT"
  "TIQUETE_LOG_LEVEL=warning"
)
directory=$BUILD_DIR/services/directory/tiquete-directory
for kind in org_units groups services categories cis people; do
  tiq_run_clean "$directory" "${dir_env[@]}" -- import --kind="$kind" "deploy/demo/$kind.csv" \
    >/dev/null
done
tiq_run_clean "$directory" "${dir_env[@]}" -- set-password --email=jorge.oviedo@sedtolima.gov.co \
  --password=Bench-Admin-2026 >/dev/null
env -i PATH="$TIQ_SERVICE_PATH" "${dir_env[@]}" "$directory" >"$tmp/directory.log" 2>&1 &
pids+=($!)
tiq_wait_tcp "127.0.0.1:$DIR_PORT" 20
env -i PATH="$TIQ_SERVICE_PATH" "TIQUETE_CALLER_KEY=$key" "TIQUETE_GRPC_ADDR=127.0.0.1:$INC_PORT" \
  TIQUETE_METRICS_ADDR=127.0.0.1:19583 "TIQUETE_DB_URL=$(tiq_service_db_url incident)" \
  TIQUETE_DB_SCHEMA=incident TIQUETE_DB_POOL_SIZE=16 "TIQUETE_REDIS_ADDR=127.0.0.1:$REDIS_PORT" \
  "TIQUETE_DIRECTORY_ADDR=127.0.0.1:$DIR_PORT" TIQUETE_LOG_LEVEL=warning \
  "$BUILD_DIR/services/incident/tiquete-incident" >"$tmp/incident.log" 2>&1 &
pids+=($!)
tiq_wait_tcp "127.0.0.1:$INC_PORT" 20
env -i PATH="$TIQ_SERVICE_PATH" TIQUETE_CALLER_KEY="$key" TIQUETE_HTTP_ADDR="127.0.0.1:$GW_PORT" \
  TIQUETE_METRICS_ADDR=127.0.0.1:19580 TIQUETE_REDIS_ADDR="127.0.0.1:$REDIS_PORT" \
  TIQUETE_DIRECTORY_ADDR="127.0.0.1:$DIR_PORT" TIQUETE_INCIDENT_ADDR="127.0.0.1:$INC_PORT" \
  TIQUETE_LOG_LEVEL=warning \
  TIQUETE_RATE_LIMIT_PER_PRINCIPAL=1000000000 TIQUETE_WEB_ROOT="$tmp" \
  "$BUILD_DIR/gateway/tiquete-gateway" >"$tmp/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
tiq_wait_tcp "127.0.0.1:$GW_PORT" 20

base=http://127.0.0.1:$GW_PORT
curl -sf -c "$tmp/jar" -H 'Content-Type: application/json' \
  -d '{"email":"jorge.oviedo@sedtolima.gov.co","password":"Bench-Admin-2026"}' \
  "$base/v1/auth/login" >"$tmp/me.json"
csrf=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$tmp/me.json")
person=$(sed 's/.*"person_id":"\([^"]*\)".*/\1/' "$tmp/me.json")
secret=$(curl -sf -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"bench"}' "$base/v1/auth/tokens" | sed 's/.*"secret":"\([^"]*\)".*/\1/')
number=$(curl -sf -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"idempotency_key":"bench-first","title":"La impresora del aula 3 no imprime","description":"Sale una hoja en blanco.","channel":"PHONE"}' \
  "$base/v1/incidents" | sed 's/^{"number":"\([^"]*\)".*/\1/')
[[ $number =~ ^INC-[0-9]{4}-[0-9]+$ ]] || {
  tiq_err "could not open the incident the GET runs read (got '$number')"
  exit 1
}
curl -sf -H "Authorization: Bearer $secret" "$base/v1/incidents/$number" >/dev/null

cat >"$tmp/post.lua" <<LUA
-- Each wrk thread numbers its own incidents; the tag keeps idempotency keys unique across
-- threads and runs.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
local tag = ""
function init(args)
  tag = tostring(tid) .. "-" .. tostring(os.time())
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $secret"
function request()
  counter = counter + 1
  local key = "wrk-" .. tag .. "-" .. counter
  return wrk.format(nil, "/v1/incidents", nil,
    '{"idempotency_key":"' .. key .. '","title":"Prueba de carga ' .. key ..
    '","description":"El equipo del aula de sistemas no enciende desde esta mañana.",' ..
    '"channel":"PHONE","impact":"LOW","urgency":"MEDIUM"}')
end
LUA

# "50%  1.23ms" → milliseconds.
to_ms() {
  awk '{v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        f = (u=="us") ? 0.001 : (u=="s") ? 1000 : (u=="m") ? 60000 : 1; printf "%.2f", v*f}'
}
results=()
run_wrk() {
  local name=$1 c=$2 out rps p50 p99 non2xx
  shift 2
  out=$(wrk -t2 -c"$c" -d"${DURATION}s" --latency "$@")
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(grep -E '^ +50%' <<<"$out" | to_ms)
  p99=$(grep -E '^ +99%' <<<"$out" | to_ms)
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  results+=("gateway $name c=$c rps=$rps p50_ms=$p50 p99_ms=$p99 non2xx=${non2xx:-0}")
}
run_grpc() {
  local name=$1 c=$2 line
  shift 2
  line=$("$BUILD_DIR/bench/gateway_grpc_bench" --addr="127.0.0.1:$INC_PORT" --key="$key" \
    --person="$person" --concurrency="$c" --seconds="$DURATION" "$@")
  results+=("$line")
}

for c in "${CONCURRENCY[@]}"; do
  tiq_log "GET c=$c through the gateway, then direct gRPC"
  run_wrk GET "$c" -H "Authorization: Bearer $secret" "$base/v1/incidents/$number"
  run_grpc get "$c" --call=get-incident --id="$number"
done
for c in "${CONCURRENCY[@]}"; do
  tiq_log "POST c=$c through the gateway, then direct gRPC"
  run_wrk POST "$c" -s "$tmp/post.lua" "$base/v1/incidents"
  run_grpc create "$c" --call=create-incident
done

rss=$(awk '/^VmRSS/ {print $2 " " $3}' "/proc/$gateway_pid/status")
peak=$(awk '/^VmHWM/ {print $2 " " $3}' "/proc/$gateway_pid/status")
echo
echo "==== gateway benchmark (${DURATION}s per run, $(nproc) cores, wrk -t2) ===="
printf '%s\n' "${results[@]}"
echo "gateway RSS now: $rss, peak: $peak"
# The gateway's share of direct-gRPC throughput, per call and concurrency.
printf '%s\n' "${results[@]}" | awk '
  { split($0, f, " "); c=""; r="";
    for (i in f) { if (f[i] ~ /^c=/) c=f[i]; if (f[i] ~ /^rps=/) { r=f[i]; sub(/rps=/, "", r) } }
    kind = ($2 ~ /^(GET|get)/) ? "GET" : "POST";
    if ($1=="gateway") gw[kind" "c]=r; else direct[kind" "c]=r }
  END { for (k in gw) if (direct[k] > 0) printf "gateway/direct %s: %.0f%%\n", k, 100*gw[k]/direct[k] }'
