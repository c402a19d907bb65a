#!/usr/bin/env bash
# Reporting figures (docs/benchmarks.md): 5,000,000 incidents of generated history written into
# facts and rollups; full dashboard p50/p95 for typical filters; ingest rate through Redis
# Streams and the real consumers (about 50,000 events); replay time of the streams.
#   bench/reporting_bench.sh [--incidents=N] [--queries=N] [--event-incidents=N]
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh
tiq_install_deps
# Only the driver is built (the machine's two cores are shared).
[[ -f build/build.ninja ]] || flock /tmp/tiquete-build.lock cmake -S . -B build -G Ninja >/dev/null
flock /tmp/tiquete-build.lock cmake --build build --target reporting_bench >/dev/null
quiet() { grep -v '^{"ts\|^[0-9]*:[CM] ' || true; }
bench/with_db.sh build/bench/reporting_bench "$@" 2>&1 | quiet
