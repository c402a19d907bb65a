#!/usr/bin/env bash
# SLA engine figures at 1,000,000 live clocks: incident-event ingest rate, breach lateness,
# exactly-once firing across a SIGKILL restart and with two replicas, and the engine's RSS.
# Runs the real tiquete-sla binary against a throwaway PostgreSQL and Redis.
#   bench/sla_bench.sh [--clocks=1000000] [--events=200000] [--due=30000] [--consumers=3]
#                      [--batch=500] [--ingest-only=1]
# --ingest-only=1 stops after the ingest figures (no firing, restart or replica phases).
# The script holds the build lock (/tmp/tiquete-build.lock) for the whole run, build and
# measurement, so that no build shares the machine with it: do not wrap it in flock. It builds
# only the engine and the driver.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh
tiq_install_deps
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
exec 9>>"$TIQ_BUILD_LOCK"
flock 9
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if ! out=$(cmake --build build --target tiquete-sla sla_bench 2>&1); then
  printf '%s\n' "$out" | tail -30 >&2
  echo "sla_bench.sh: the build failed" >&2
  exit 1
fi
echo "# $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
quiet() { grep --line-buffered -v '^{"ts\|^[0-9]*:[CM] ' || true; }
bench/with_db.sh build/bench/sla_bench --engine=build/services/sla/tiquete-sla "$@" 2>&1 | quiet
