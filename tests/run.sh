#!/usr/bin/env bash
# Builds everything and runs every test against a throwaway PostgreSQL 15 (127.0.0.1:5498) and
# Redis 7 (127.0.0.1:6398), which are stopped and deleted afterwards whatever happens.
# Extra arguments go to ctest:
#
#   ./tests/run.sh                 every test
#   ./tests/run.sh -L unit         only the unit tests
#   ./tests/run.sh -R directory    tests whose name matches
#
# Tests get TIQUETE_TEST_PG_ADMIN_URL (superuser, database postgres), TIQUETE_TEST_REDIS_ADDR
# and TIQUETE_TEST_REDIS_SERVER; they create and drop their own databases and roles.
# TIQ_TEST_PG_PORT / TIQ_TEST_REDIS_PORT move the ports if two runs share a machine.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/lib.sh
source deploy/lib.sh

BUILD_DIR=build
PG_PORT=${TIQ_TEST_PG_PORT:-5498}
REDIS_PORT=${TIQ_TEST_REDIS_PORT:-6398}
started_at=$SECONDS

tiq_install_deps
tiq_configure_build "$BUILD_DIR"

# The web UI: type check, build and Vitest unit tests (web/build.sh). Its status joins ctest's.
web_status=0
web/build.sh --test || web_status=$?

if command -v python3 >/dev/null 2>&1 && ! python3 deploy/demo/generate.py --check; then
  tiq_err "deploy/demo/*.csv differ from what deploy/demo/generate.py writes"
fi

tmp=$(mktemp -d /tmp/tiquete-test.XXXXXX)
chmod 755 "$tmp"  # the postgres user must reach $tmp/pg
redis_started=0
suite_started=0
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local status=$?
  set +e
  if ((suite_started)); then
    "${suite[@]}" deploy/down.sh --purge >/dev/null 2>&1
  fi
  if ((redis_started)); then
    tiq_redis_stop "$REDIS_PORT"
  fi
  tiq_pg_purge "$tmp/pg"
  rm -rf -- "$tmp"
  return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tiq_pg_start "$tmp/pg" "$PG_PORT"
tiq_redis_start "$tmp/redis" "$REDIS_PORT"
redis_started=1

TIQUETE_TEST_PG_ADMIN_URL=$(tiq_pg_admin_url postgres)
TIQUETE_TEST_REDIS_ADDR=127.0.0.1:$REDIS_PORT
TIQUETE_TEST_REDIS_SERVER=$(command -v redis-server)
export TIQUETE_TEST_PG_ADMIN_URL TIQUETE_TEST_REDIS_ADDR TIQUETE_TEST_REDIS_SERVER

tiq_log "running ctest $*"
set +e
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@" 2>&1 | tee "$tmp/ctest.log"
status=${PIPESTATUS[0]}
set -e

echo
echo "==== ctest summary ($((SECONDS - started_at)) s in all) ===="
if grep -q 'tests passed, ' "$tmp/ctest.log"; then
  sed -n '/tests passed, /,$p' "$tmp/ctest.log" | grep -v '^Label Time Summary:' |
    grep -v '^ *[A-Za-z0-9_-]* *= *[0-9.]* sec\*proc' | cat -s || true
else
  tail -n 5 "$tmp/ctest.log"
fi

# A short fuzz run of the gateway (HTTP bytes → route → JSON → proto) when clang is present
# and the whole suite was asked for; longer runs and their exec counts: docs/benchmarks.md.
fuzz_status=0
if (($# == 0)) && command -v clang++ >/dev/null 2>&1; then
  tests/fuzz/run.sh 20 || fuzz_status=$?
fi
if ((fuzz_status != 0)); then
  tiq_err "the gateway fuzzer failed (status $fuzz_status)"
fi

# End-to-end UI tests in headless Debian Chromium (screenshots in tests/e2e/artifacts/) against
# the real suite: deploy/up.sh starts a second, throwaway one from this build (state under $tmp,
# every port + TIQ_E2E_PORT_OFFSET, default 2000, clear of a suite on the default ports), or
# TIQUETE_URL names a running one.
e2e_status=0
if [[ -n ${TIQUETE_URL:-} ]]; then
  tests/e2e/run.sh || e2e_status=$?
elif (($# == 0)) && ((web_status == 0)); then
  e2e_offset=${TIQ_E2E_PORT_OFFSET:-2000}
  suite=(env TIQ_STATE_DIR="$tmp/suite" TIQ_PORT_OFFSET="$e2e_offset")
  suite_started=1
  if "${suite[@]}" deploy/up.sh --no-build >"$tmp/suite-up.log" 2>&1; then
    TIQUETE_URL=http://127.0.0.1:$((8480 + e2e_offset)) tests/e2e/run.sh || e2e_status=$?
  else
    e2e_status=$?
    tail -n 30 "$tmp/suite-up.log" >&2
  fi
  if ((e2e_status != 0)) && [[ -d $tmp/suite/logs ]]; then
    mkdir -p tests/e2e/artifacts/logs
    cp -- "$tmp"/suite/logs/*.log tests/e2e/artifacts/logs/ 2>/dev/null || true
  fi
fi
if ((web_status != 0)); then
  tiq_err "web UI build or unit tests failed (status $web_status)"
fi
if ((e2e_status != 0)); then
  tiq_err "web UI end-to-end tests failed (status $e2e_status)"
fi
if ((status == 0)); then
  status=$((web_status != 0 ? web_status : e2e_status))
fi
if ((status == 0)); then
  status=$fuzz_status
fi
exit "$status"
