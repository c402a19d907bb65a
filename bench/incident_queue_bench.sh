#!/usr/bin/env bash
# Incident queue and Spanish search latency on a large incidents table (default 1,000,000 rows):
# p50/p95/p99 of (a) a 50-row group queue page (open states, priority then age) and (b) a
# 50-row full-text search page, both through the real gRPC ListIncidents, plus query plans.
#
#   bench/incident_queue_bench.sh [--rows=1000000] [--iterations=300]
#
# With TIQUETE_TEST_PG_ADMIN_URL set (a superuser URL, e.g.
# postgresql://postgres:devpw@127.0.0.1:5496/postgres) it uses that server and creates and
# drops its own database there; otherwise it starts a throwaway PostgreSQL 15 (bench/with_db.sh).
# Loading 1,000,000 rows and building the indexes takes a few minutes on 2 cores.
# The script holds the build lock (/tmp/tiquete-build.lock) for the whole run, build and
# measurement, so that no build shares the machine with it: do not wrap it in flock.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/lib.sh
source deploy/lib.sh
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
exec 9>>"$TIQ_BUILD_LOCK"
flock 9
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build --target incident_queue_bench >/dev/null
echo "# $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
quiet() { grep --line-buffered -v '^{"ts' || true; }
if [[ -n ${TIQUETE_TEST_PG_ADMIN_URL:-} ]]; then
  build/bench/incident_queue_bench "$@" 2>&1 | quiet
else
  bench/with_db.sh build/bench/incident_queue_bench "$@" 2>&1 | quiet
fi
