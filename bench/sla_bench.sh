#!/usr/bin/env bash
# SLA engine figures at 1,000,000 live clocks: incident-event ingest rate, breach lateness,
# exactly-once firing across a SIGKILL restart and with two replicas, and the engine's RSS.
# Runs the real tiquete-sla binary against a throwaway PostgreSQL and Redis.
#   bench/sla_bench.sh [--clocks=1000000] [--events=200000] [--due=30000] [--consumers=4]
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh
tiq_install_deps
tiq_configure_build build >/dev/null
flock "$TIQ_BUILD_LOCK" cmake --build build --target tiquete-sla sla_bench >/dev/null
quiet() { grep -v '^{"ts\|^[0-9]*:[CM] ' || true; }
bench/with_db.sh build/bench/sla_bench --engine=build/services/sla/tiquete-sla "$@" 2>&1 | quiet
