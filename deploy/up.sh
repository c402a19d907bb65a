#!/usr/bin/env bash
# Builds Tiquete and starts the whole suite on this machine with the Tolima demo data:
# PostgreSQL 15 on 127.0.0.1:5499 and Redis 7 on 127.0.0.1:6399 (data under .tiquete/), every
# service binary that has been built, then prints where everything answers.
# Safe to re-run: what is already running and up to date is left alone.
#
#   ./deploy/up.sh             build, start, load the demo data once
#   ./deploy/up.sh --reimport  also load the demo CSVs again (the import is an upsert)
#   ./deploy/up.sh --no-build  start what is already built (tests/run.sh, after its build)
#
# TIQ_STATE_DIR (default .tiquete) and TIQ_PORT_OFFSET (default 0, added to every port) run a
# second, separate suite beside this one; tests/run.sh does so for the browser tests.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
export TIQ_STATE_DIR=${TIQ_STATE_DIR:-.tiquete}
# shellcheck source=deploy/lib.sh
source deploy/lib.sh

BUILD_DIR=build
STATE=$TIQ_STATE_DIR
OFFSET=${TIQ_PORT_OFFSET:-0}
if [[ ! $OFFSET =~ ^[0-9]{1,4}$ ]] || ((OFFSET > 30000)); then
  tiq_err "TIQ_PORT_OFFSET must be a number from 0 to 30000, not '$OFFSET'"
  exit 2
fi
PG_DATA=$STATE/pg
PG_PORT=$((5499 + OFFSET))
REDIS_DIR=$STATE/redis
REDIS_PORT=$((6399 + OFFSET))
DB=tiquete
LOG_LEVEL=info
DEMO_DIR=deploy/demo
DEMO_KINDS=(org_units groups services categories cis people)  # parents before children

# One line per service: name, gRPC port, metrics port, binary under $BUILD_DIR, and the services
# it calls (passed as TIQUETE_<NAME>_ADDR). Ports before TIQ_PORT_OFFSET is added: read rows
# with read_row.
# The name is also its PostgreSQL schema and the suffix of its role (tiquete_<name>).
SERVICES=(
  "directory  8481  9481  services/directory/tiquete-directory"
  "intake     8482  9482  services/intake/tiquete-intake        incident,directory"
  "incident   8483  9483  services/incident/tiquete-incident    directory"
  "problem    8484  9484  services/problem/tiquete-problem"
  "request    8485  9485  services/request/tiquete-request"
  "sla        8486  9486  services/sla/tiquete-sla              incident"
  "security   8487  9487  services/security/tiquete-security"
  "reporting  8488  9488  services/reporting/tiquete-reporting"
)
# The gateway: HTTP port, metrics port, binary. Started last, after the services it calls.
GATEWAY="gateway  8480  9480  gateway/tiquete-gateway"

# read_row ROW: sets name, grpc, metrics, bin and deps from a SERVICES/GATEWAY row, ports offset.
read_row() {
  read -r name grpc metrics bin deps <<<"$1"
  grpc=$((grpc + OFFSET))
  metrics=$((metrics + OFFSET))
}

# grpc_port_of NAME: the (offset) gRPC port of service NAME.
grpc_port_of() {
  local row n p
  for row in "${SERVICES[@]}"; do
    read -r n p _ <<<"$row"
    if [[ $n == "$1" ]]; then
      echo $((p + OFFSET))
      return 0
    fi
  done
  tiq_err "unknown service '$1' in SERVICES"
  return 1
}

reimport=0
build=1
for arg in "$@"; do
  case $arg in
    --reimport) reimport=1 ;;
    --no-build) build=0 ;;
    -h | --help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      tiq_err "unknown argument: $arg (try --help)"
      exit 2
      ;;
  esac
done

# The key services and the gateway share to sign and verify callers (common/caller.h).
caller_key() {
  local file=$STATE/secrets/caller.key
  if [[ ! -s $file ]]; then
    mkdir -p "$STATE/secrets"
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$file")
  fi
  cat "$file"
}

# Environment of a database-backed service; nothing else reaches it (see tiq_start_service).
# DEPS (comma-separated) are the services it calls.
service_env() {
  local name=$1 grpc=$2 metrics=$3 deps=${4:-} dep
  ENV=(
    "TIQUETE_CALLER_KEY=$(caller_key)"
    "TIQUETE_GRPC_ADDR=127.0.0.1:$grpc"
    "TIQUETE_METRICS_ADDR=127.0.0.1:$metrics"
    "TIQUETE_DB_URL=$(tiq_service_db_url "$name")"
    "TIQUETE_DB_SCHEMA=$name"
    "TIQUETE_REDIS_ADDR=127.0.0.1:$REDIS_PORT"
    "TIQUETE_LOG_LEVEL=$LOG_LEVEL"
  )
  local -a wanted
  IFS=, read -r -a wanted <<<"$deps"
  for dep in "${wanted[@]}"; do
    ENV+=("TIQUETE_${dep^^}_ADDR=127.0.0.1:$(grpc_port_of "$dep")")
  done
}

# Environment of the gateway: its HTTP address plus the gRPC address of every running service
# as TIQUETE_<NAME>_ADDR. Adjust here if the gateway's settings are named differently.
gateway_env() {
  local http=$1 metrics=$2 row name grpc bin
  ENV=(
    "TIQUETE_CALLER_KEY=$(caller_key)"
    "TIQUETE_HTTP_ADDR=127.0.0.1:$http"
    "TIQUETE_WEB_ROOT=$PWD/web/dist"
    "TIQUETE_METRICS_ADDR=127.0.0.1:$metrics"
    "TIQUETE_REDIS_ADDR=127.0.0.1:$REDIS_PORT"
    "TIQUETE_LOG_LEVEL=$LOG_LEVEL"
  )
  for row in "${SERVICES[@]}"; do
    read_row "$row"
    if tiq_service_running "$name"; then
      ENV+=("TIQUETE_${name^^}_ADDR=127.0.0.1:$grpc")
    fi
  done
}

# One demo sign-in per role: a person from deploy/demo/people.csv with that role, and a known
# password (docs/demo.md lists them). Set once per cluster so a password changed later through
# the portal survives re-runs; --reimport sets them again.
DEMO_SIGN_INS=(
  "Solicitante · Requester|yeni.bonilla@sedtolima.gov.co|Demo-Solicitante-2026"
  "Analista N1 · L1 analyst|laura.ospina@sedtolima.gov.co|Demo-Mesa-N1-2026"
  "Especialista N2 · L2 specialist|oscar.guzman@sedtolima.gov.co|Demo-Especialista-2026"
  "Proveedor · Provider|wilson.castano@conectatolima.com.co|Demo-Proveedor-2026"
  "Coordinadora · Coordinator|angela.barragan@sedtolima.gov.co|Demo-Coordinacion-2026"
  "Oficial SGSI · Security officer|mauricio.yara@sedtolima.gov.co|Demo-Seguridad-2026"
  "Administrador · Admin|jorge.oviedo@sedtolima.gov.co|Demo-Administrador-2026"
)

set_demo_passwords() {
  local bin=$1 stamp=$STATE/run/demo-passwords.stamp want row role email password
  want=$({
    printf '%s\n' "${DEMO_SIGN_INS[@]}"
    tiq_pg_psql postgres -Atc 'SELECT system_identifier FROM pg_control_system()'
  } | sha256sum | cut -c1-64)
  if ((reimport == 0)) && [[ -f $stamp && $(<"$stamp") == "$want" ]]; then
    return 0
  fi
  service_env directory $((8481 + OFFSET)) $((9481 + OFFSET))
  for row in "${DEMO_SIGN_INS[@]}"; do
    IFS='|' read -r role email password <<<"$row"
    tiq_run_clean "$bin" "${ENV[@]}" -- set-password --email="$email" --password="$password" \
      >/dev/null
  done
  tiq_log "demo passwords set (${#DEMO_SIGN_INS[@]} sign-ins, one per role)"
  mkdir -p "$STATE/run"
  printf '%s\n' "$want" >"$stamp"
}

# Loads deploy/demo/*.csv through the directory binary. Skipped when exactly these CSVs were
# already loaded into exactly this cluster (the stamp holds their digests and the cluster's
# system identifier), so re-runs stay fast; --reimport forces it.
load_demo_data() {
  local bin=$1 stamp=$STATE/run/demo-import.stamp want kind files=()
  for kind in "${DEMO_KINDS[@]}"; do
    files+=("$DEMO_DIR/$kind.csv")
  done
  want=$({
    sha256sum "${files[@]}"
    tiq_pg_psql postgres -Atc 'SELECT system_identifier FROM pg_control_system()'
  } | sha256sum | cut -c1-64)
  if ((reimport == 0)) && [[ -f $stamp && $(<"$stamp") == "$want" ]]; then
    tiq_log "demo data already loaded (./deploy/up.sh --reimport loads it again)"
    return 0
  fi
  service_env directory $((8481 + OFFSET)) $((9481 + OFFSET))
  for kind in "${DEMO_KINDS[@]}"; do
    tiq_log "importing demo $kind"
    tiq_run_clean "$bin" "${ENV[@]}" -- import --kind="$kind" "$DEMO_DIR/$kind.csv"
  done
  mkdir -p "$STATE/run"
  printf '%s\n' "$want" >"$stamp"
}

if ((build)); then
  tiq_install_deps
  tiq_configure_build "$BUILD_DIR"
  web/build.sh  # the web UI the gateway serves (web/dist); npm ci only when the lock file changed
fi

tiq_pg_start "$PG_DATA" "$PG_PORT"
tiq_redis_start "$REDIS_DIR" "$REDIS_PORT"
names=()
for row in "${SERVICES[@]}"; do
  read_row "$row"
  names+=("$name")
done
tiq_provision "$DB" "${names[@]}"

directory_bin=$BUILD_DIR/services/directory/tiquete-directory
if [[ -x $directory_bin ]]; then
  service_env directory $((8481 + OFFSET)) $((9481 + OFFSET))
  tiq_log "applying directory migrations"
  tiq_run_clean "$directory_bin" "${ENV[@]}" -- migrate
  load_demo_data "$directory_bin"
  set_demo_passwords "$directory_bin"
else
  tiq_log "$directory_bin is not built: no demo data loaded"
fi

started=() skipped=()
for row in "${SERVICES[@]}"; do
  read_row "$row"
  if [[ ! -x $BUILD_DIR/$bin ]]; then
    skipped+=("$name")
    continue
  fi
  service_env "$name" "$grpc" "$metrics" "$deps"
  tiq_start_service "$name" "$BUILD_DIR/$bin" "${ENV[@]}"
  started+=("$name $grpc $metrics")
done
read_row "$GATEWAY"
gw_name=$name gw_http=$grpc gw_metrics=$metrics gw_bin=$bin
gateway_up=0
if [[ -x $BUILD_DIR/$gw_bin ]]; then
  gateway_env "$gw_http" "$gw_metrics"
  tiq_start_service "$gw_name" "$BUILD_DIR/$gw_bin" "${ENV[@]}"
  gateway_up=1
fi

# ---- where everything answers ------------------------------------------------------------
pg_note=""
if [[ $TIQ_PG_DATA != "$(realpath -m "$PG_DATA")" ]]; then
  pg_note=" (datos / data: $TIQ_PG_DATA)"
fi
echo
echo "Tiquete está en marcha · Tiquete is up"
echo
if ((gateway_up)); then
  echo "  Portal web / Web portal:   http://127.0.0.1:$gw_http/"
  echo "  API (OpenAPI):             http://127.0.0.1:$gw_http/v1/openapi.json"
  echo "  Métricas del gateway / Gateway metrics: http://127.0.0.1:$gw_metrics/metrics"
  if [[ -x $directory_bin ]]; then
    echo
    echo "  Accesos de demostración / Demo sign-ins (docs/demo.md):"
    for row in "${DEMO_SIGN_INS[@]}"; do
      IFS='|' read -r role email password <<<"$row"
      printf '    %-34s %-38s %s\n' "$role" "$email" "$password"
    done
  fi
else
  echo "  Portal web / Web portal:   (el gateway aún no está compilado / gateway not built yet)"
fi
echo
printf '  %-12s %-22s %s\n' "Servicio" "gRPC (texto plano)" "Métricas"
printf '  %-12s %-22s %s\n' "Service" "gRPC (plaintext)" "Metrics"
for row in "${started[@]}"; do
  read -r name grpc metrics _ <<<"$row"
  printf '  %-12s %-22s %s\n' "$name" "127.0.0.1:$grpc" "http://127.0.0.1:$metrics/metrics"
done
if ((${#skipped[@]})); then
  echo "  Sin compilar, omitidos / not built, skipped: ${skipped[*]}"
fi
echo
echo "  PostgreSQL: 127.0.0.1:$PG_PORT, base de datos / database \"$DB\"$pg_note"
echo "  Redis:      127.0.0.1:$REDIS_PORT"
echo "  Registros / Logs: $STATE/logs/   Secretos / Secrets: $TIQ_PG_PWFILE, $TIQ_PG_ROLES_FILE"
echo "  Detener / Stop:   ./deploy/down.sh   (--purge borra los datos / deletes the data)"
