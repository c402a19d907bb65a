#!/usr/bin/env bash
# Event path figures: outbox → relay → Redis Stream → consumer group → idempotent handler.
# 1) unpaced: as many events as 8 writers can commit (throughput);
# 2) paced at 500 events/s (commit-to-handler latency at a realistic load).
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh
tiq_install_deps
tiq_configure_build build >/dev/null
quiet() { grep -v '^{"ts\|^[0-9]*:[CM] ' || true; }
echo "== throughput (unpaced, 8 writers, 30000 events)"
bench/with_db.sh build/bench/events_bench --events=30000 --writers=8 2>&1 | quiet
echo "== latency (paced at 500 events/s, 10000 events)"
bench/with_db.sh build/bench/events_bench --events=10000 --writers=4 --rate=500 2>&1 | quiet
