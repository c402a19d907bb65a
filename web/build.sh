#!/usr/bin/env bash
# Builds the web UI into web/dist (what the gateway serves), installing the npm packages from
# package-lock.json first when it changed. Skips the build when nothing under web/ changed
# since the last one. Called by ./deploy/up.sh and ./tests/run.sh.
#
#   web/build.sh           install if needed, build if needed
#   web/build.sh --test    also run the unit tests (Vitest)
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")"

log() { printf '[web] %s\n' "$*" >&2; }
run_tests=0
for arg in "$@"; do
  case $arg in
    --test) run_tests=1 ;;
    *) log "unknown argument: $arg"; exit 2 ;;
  esac
done

if ! command -v npm >/dev/null 2>&1; then
  log "npm is not installed: the web UI cannot be built (install Node.js 20 and npm)"
  exit 1
fi

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -c1-64)
if [[ ! -f $stamp || $(<"$stamp") != "$want" ]]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$want" >"$stamp"
fi

# Everything the bundle depends on, hashed; equal to the last build's → dist is current.
sources=$(find src public index.html package-lock.json tsconfig.json tsconfig.node.json vite.config.ts \
  -type f ! -name '*.test.ts' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
if [[ -f dist/.sources.sha256 && $(<dist/.sources.sha256) == "$sources" && -f dist/index.html ]]; then
  log "web/dist is up to date"
else
  log "building web/dist (type check + vite build)"
  # Quiet when it works; the type checker's and Vite's whole output when it does not.
  if ! out=$(npm run --silent build 2>&1); then
    printf '%s\n' "$out" >&2
    log "the web UI did not build"
    exit 1
  fi
  printf '%s\n' "$sources" >dist/.sources.sha256
  log "built web/dist"
fi

if ((run_tests)); then
  log "unit tests (vitest)"
  npm test --silent
fi
