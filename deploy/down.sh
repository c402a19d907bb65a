#!/usr/bin/env bash
# Stops what deploy/up.sh started: the services (gateway first), Redis and PostgreSQL.
# The data stays in .tiquete/ for the next ./deploy/up.sh.
#
#   ./deploy/down.sh           stop, keep the data
#   ./deploy/down.sh --purge   stop and delete .tiquete/ (database, Redis, logs, secrets)
#
# TIQ_STATE_DIR and TIQ_PORT_OFFSET name a suite started with the same settings (deploy/up.sh).
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
export TIQ_STATE_DIR=${TIQ_STATE_DIR:-.tiquete}
# shellcheck source=deploy/lib.sh
source deploy/lib.sh

STATE=$TIQ_STATE_DIR
PG_DATA=$STATE/pg
REDIS_DIR=$STATE/redis
REDIS_PORT=$((6399 + ${TIQ_PORT_OFFSET:-0}))

purge=0
for arg in "$@"; do
  case $arg in
    --purge) purge=1 ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      tiq_err "unknown argument: $arg (try --help)"
      exit 2
      ;;
  esac
done

# Every service up.sh started has a pid file; the gateway goes first so it stops taking
# requests before the services behind it.
if [[ -f $STATE/run/gateway.pid ]]; then
  tiq_stop_service gateway
fi
shopt -s nullglob
for pidfile in "$STATE"/run/*.pid; do
  name=$(basename -- "$pidfile" .pid)
  tiq_stop_service "$name"
done

# Stop Redis only if it is ours (its data dir is .tiquete/redis).
if [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; then
  redis_dir=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get dir 2>/dev/null | sed -n 2p)
  if [[ -d $REDIS_DIR && $redis_dir == "$(realpath -- "$REDIS_DIR")" ]]; then
    tiq_redis_stop "$REDIS_PORT"
  else
    tiq_log "the Redis on port $REDIS_PORT is not this checkout's ($redis_dir); left running"
  fi
fi

if ((purge)); then
  tiq_pg_purge "$PG_DATA"
  rm -rf -- "$STATE"
  tiq_log "deleted $STATE/ (and the PostgreSQL data wherever it lived)"
else
  tiq_pg_stop "$PG_DATA"
  tiq_log "stopped; data kept in $STATE/ (./deploy/down.sh --purge deletes it)"
fi
