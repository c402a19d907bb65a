#!/usr/bin/env bash
# End-to-end tests of the web UI against a running Tiquete suite, in Debian's headless Chromium
# driven by playwright-core (no browser download). Screenshots and the axe-core report go to
# tests/e2e/artifacts/.
#
#   TIQUETE_URL=http://127.0.0.1:8480 ./tests/e2e/run.sh
#
# TIQUETE_URL is the gateway serving the built web UI (./deploy/up.sh prints it). The demo people
# sign in with TIQUETE_E2E_PASSWORD (see scenario.mjs for per-person settings).
# Also validates the gateway's /v1/openapi.json (openapi.mjs). Installs the Debian package
# `chromium` when it is missing (needs root), and the npm packages from package-lock.json.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")"

log() { printf '[e2e] %s\n' "$*" >&2; }

if [[ -z ${TIQUETE_URL:-} ]]; then
  log "TIQUETE_URL is not set: start the suite (./deploy/up.sh) and set TIQUETE_URL to the gateway's URL"
  exit 2
fi

chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  if [[ $EUID -ne 0 ]]; then
    log "$chromium is missing; install the Debian package: apt-get install chromium"
    exit 2
  fi
  log "installing Debian's chromium"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
log "browser: $("$chromium" --version 2>/dev/null || echo "$chromium")"

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -c1-64)
if [[ ! -f $stamp || $(<"$stamp") != "$want" ]]; then
  log "installing playwright-core and axe-core (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$want" >"$stamp"
fi

# The suite must answer and serve the UI before the browser starts.
deadline=$((SECONDS + ${TIQUETE_E2E_WAIT_S:-30}))
until curl -fsS -o /dev/null "$TIQUETE_URL/"; do
  if ((SECONDS >= deadline)); then
    log "nothing serves the web UI at $TIQUETE_URL/ (is the gateway up and web/dist built?)"
    exit 1
  fi
  sleep 0.5
done

export TIQUETE_URL CHROMIUM=$chromium
status=0
node openapi.mjs || status=$?
node scenario.mjs || status=$?
exit "$status"
