#!/usr/bin/env bash
# Fuzzes the gateway: raw HTTP request bytes → parser → route match → JSON/query → proto →
# error model (gateway/fuzz/http_fuzz.cc). Builds the target with clang, libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz/, then runs it for SECONDS
# (default 20) over a copy of the seed corpus in tests/fuzz/corpus/http.
#
#   ./tests/fuzz/run.sh            a 20 s run (what ./tests/run.sh does when clang is present)
#   ./tests/fuzz/run.sh 600        a longer run; docs/benchmarks.md records exec counts
#
# Exits 0 without doing anything when clang++ is not installed.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/../.."
# shellcheck source=deploy/lib.sh
source deploy/lib.sh

seconds=${1:-20}
if ! command -v clang++ >/dev/null 2>&1; then
  tiq_log "clang++ not found: gateway fuzzing skipped"
  exit 0
fi
BUILD_DIR=build-fuzz
export CCACHE_BASEDIR=$TIQ_ROOT CCACHE_NOHASHDIR=1
(
  exec 9>>"$TIQ_BUILD_LOCK"
  flock 9
  if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    # No services: the target needs only the protos, common/ and gateway/.
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER=clang++ -DTIQUETE_FUZZ=ON -DTIQUETE_SERVICES=none \
      -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Wno-unknown-warning-option" \
      >/dev/null
  fi
  cmake --build "$BUILD_DIR" --target gateway_http_fuzz
)
work=$(mktemp -d /tmp/tiquete-fuzz.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
cp tests/fuzz/corpus/http/* "$work/"
tiq_log "fuzzing the gateway for ${seconds}s"
# New inputs go to the scratch corpus; crashes are written to build-fuzz/ (artifact_prefix).
status=0
"$BUILD_DIR/gateway/fuzz/gateway_http_fuzz" -max_total_time="$seconds" -max_len=16384 \
  -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/" \
  "$work" >"$work.log" 2>&1 || status=$?
tail -n 25 "$work.log"
rm -f -- "$work.log"
if ((status != 0)); then
  tiq_err "the gateway fuzzer found a problem (status $status); the input is in $BUILD_DIR/"
fi
exit "$status"
