#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 (127.0.0.1:${TIQ_BENCH_PG_PORT:-5495}) and the
# TIQUETE_TEST_* variables that benchmark drivers and tests read; stops and deletes it after.
#   bench/with_db.sh build/bench/events_bench --events=20000
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/lib.sh
source deploy/lib.sh
port=${TIQ_BENCH_PG_PORT:-5495}
tmp=$(mktemp -d /tmp/tiquete-bench.XXXXXX)
chmod 755 "$tmp"
trap 'tiq_pg_purge "$tmp/pg" >/dev/null 2>&1; rm -rf -- "$tmp"' EXIT
tiq_pg_start "$tmp/pg" "$port" >/dev/null
TIQUETE_TEST_PG_ADMIN_URL=$(tiq_pg_admin_url postgres)
TIQUETE_TEST_REDIS_SERVER=$(command -v redis-server)
export TIQUETE_TEST_PG_ADMIN_URL TIQUETE_TEST_REDIS_SERVER
"$@"
