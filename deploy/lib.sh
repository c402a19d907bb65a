# shellcheck shell=bash
# Shell helpers shared by deploy/up.sh, deploy/down.sh and tests/run.sh: Debian packages, the
# CMake build, a private PostgreSQL 15 and Redis 7, per-service database roles, and starting and
# stopping service binaries. Source it from bash running with `set -euo pipefail`; every function
# returns non-zero (after saying why on stderr) instead of exiting, and is safe to call again.
#
#   tiq_install_deps
#   tiq_configure_build BUILD_DIR
#   tiq_pg_start DATA_DIR PORT        tiq_pg_stop DATA_DIR        tiq_pg_purge DATA_DIR
#   tiq_pg_use DATA_DIR PORT          tiq_pg_admin_url [DB]       tiq_pg_psql [DB] [PSQL_ARGS...]
#   tiq_redis_start DIR PORT          tiq_redis_stop PORT
#   tiq_provision DB_NAME SERVICE...  tiq_service_db_url SERVICE
#   tiq_start_service NAME BINARY [ENV=VALUE...] [-- ARGS...]
#   tiq_stop_service NAME             tiq_service_running NAME
#   tiq_run_clean BINARY [ENV=VALUE...] [-- ARGS...]
#   tiq_wait_tcp HOST:PORT SECONDS
#
# Machines have no systemd and usually no sudo: everything runs as root, PostgreSQL as the
# postgres user through runuser (initdb refuses root). See /work/shared/notes/toolchain.md §4.

if [[ -n ${TIQ_LIB_LOADED:-} ]]; then
  return 0
fi
TIQ_LIB_LOADED=1

TIQ_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
TIQ_STATE_DIR=${TIQ_STATE_DIR:-$TIQ_ROOT/.tiquete}
TIQ_PG_BIN=${TIQ_PG_BIN:-/usr/lib/postgresql/15/bin}
TIQ_PG_FALLBACK_ROOT=${TIQ_PG_FALLBACK_ROOT:-/var/lib/postgresql/tiquete}
TIQ_BUILD_LOCK=${TIQ_BUILD_LOCK:-/tmp/tiquete-build.lock}
TIQ_SERVICE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TIQ_DB_NAME=${TIQ_DB_NAME:-tiquete}

TIQ_APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libpqxx-dev libhiredis-dev prometheus-cpp-dev catch2 libsodium-dev grpc-proto libboost-dev
  libjemalloc-dev
  postgresql redis-server redis-tools clang-format
)

if [[ -t 2 ]]; then
  tiq_log() { printf '\033[1m[tiquete]\033[0m %s\n' "$*" >&2; }
  tiq_err() { printf '\033[1;31m[tiquete] error:\033[0m %s\n' "$*" >&2; }
else
  tiq_log() { printf '[tiquete] %s\n' "$*" >&2; }
  tiq_err() { printf '[tiquete] error: %s\n' "$*" >&2; }
fi

# Runs a command as root: directly when we are root (CI, these machines), else through sudo.
tiq__root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -- "$@"
  else
    tiq_err "needs root (or sudo) to run: $*"
    return 1
  fi
}

# Runs a command as the postgres user.
tiq__as_postgres() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -u postgres -- "$@"
  else
    tiq_err "needs root (or sudo) to run as postgres: $*"
    return 1
  fi
}

# 160 random bits as 40 hex digits: safe inside SQL literals and URLs without escaping.
tiq__secret() { od -An -tx1 -N20 /dev/urandom | tr -d ' \n'; }

tiq__valid_ident() { [[ $1 =~ ^[a-z][a-z0-9_]{0,39}$ ]]; }

# Prints the last lines of a log file, indented, to stderr.
tiq__tail() {
  local file=$1 lines=${2:-30}
  if [[ -r $file ]]; then
    printf '  --- last %s lines of %s ---\n' "$lines" "$file" >&2
    tail -n "$lines" -- "$file" | sed 's/^/  | /' >&2
  else
    printf '  (no log at %s)\n' "$file" >&2
  fi
}

# True when something accepts TCP connections on HOST:PORT.
tiq__tcp_open() {
  local host=${1%:*} port=${1##*:}
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

tiq_wait_tcp() {
  local addr=${1:?usage: tiq_wait_tcp HOST:PORT SECONDS} seconds=${2:-20}
  local deadline=$((SECONDS + seconds))
  until tiq__tcp_open "$addr"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# ---------------------------------------------------------------------------------------------
# Packages and build

tiq_install_deps() {
  local out pkg err state missing=()
  local -A installed=()
  out=$(dpkg-query -W -f='${Package} ${Status}\n' "${TIQ_APT_PACKAGES[@]}" 2>/dev/null || true)
  while read -r pkg _ err state; do
    if [[ $err == ok && $state == installed ]]; then
      installed[$pkg]=1
    fi
  done <<<"$out"
  for pkg in "${TIQ_APT_PACKAGES[@]}"; do
    [[ -n ${installed[$pkg]:-} ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  tiq_log "installing ${#missing[@]} missing Debian packages: ${missing[*]}"
  tiq__root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # The whole list, so apt resolves them together; already-installed ones are left alone.
  tiq__root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${TIQ_APT_PACKAGES[@]}"
}

# Configures BUILD_DIR once (Ninja, RelWithDebInfo), then builds it. Builds are serialised
# through a lock file, because two builds at once starve a 2-core machine.
tiq_configure_build() {
  local dir=${1:?usage: tiq_configure_build BUILD_DIR}
  export CCACHE_BASEDIR=$TIQ_ROOT CCACHE_NOHASHDIR=1
  (
    if command -v flock >/dev/null 2>&1; then
      exec 9>>"$TIQ_BUILD_LOCK"
      if ! flock -n 9; then
        tiq_log "another build holds $TIQ_BUILD_LOCK; waiting for it"
        flock 9
      fi
    fi
    if [[ ! -f $dir/CMakeCache.txt ]]; then
      cmake -S "$TIQ_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    elif [[ ! -f $dir/build.ninja && ! -f $dir/Makefile ]]; then
      cmake -S "$TIQ_ROOT" -B "$dir"  # an earlier configure failed: try again
    fi
    cmake --build "$dir"
  )
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# Where DATA_DIR really lives. The postgres user must be able to reach it; when it cannot (a
# checkout under /root, a 0700 mktemp dir), the cluster goes to
# $TIQ_PG_FALLBACK_ROOT/<first 12 hex of sha1 of DATA_DIR's absolute path>. An existing cluster
# stays where it is. With CREATE=1 the requested parent is created first (mode 755).
tiq__pg_resolve() {
  local req create=${2:-0} fallback parent
  req=$(realpath -m -- "$1")
  fallback=$TIQ_PG_FALLBACK_ROOT/$(printf '%s' "$req" | sha1sum | cut -c1-12)
  if [[ -f $fallback/PG_VERSION ]]; then
    printf '%s\n' "$fallback"
    return 0
  fi
  if [[ -f $req/PG_VERSION ]]; then
    printf '%s\n' "$req"
    return 0
  fi
  parent=$(dirname -- "$req")
  if [[ $create == 1 ]]; then
    (umask 022 && mkdir -p -- "$parent")
  fi
  if [[ -d $parent ]] && tiq__as_postgres test -x "$parent" 2>/dev/null; then
    printf '%s\n' "$req"
  else
    printf '%s\n' "$fallback"
  fi
}

# Sets the globals the other PostgreSQL functions use, without starting anything:
# TIQ_PG_DATA (the real data dir), TIQ_PG_PORT, TIQ_PG_PWFILE (superuser password, mode 600),
# TIQ_PG_ROLES_FILE (service role passwords, mode 600), TIQ_PG_SOCKDIR, TIQ_PG_LOG.
tiq_pg_use() {
  local req=${1:?usage: tiq_pg_use DATA_DIR PORT} port=${2:?usage: tiq_pg_use DATA_DIR PORT}
  local create=${3:-0} data
  data=$(tiq__pg_resolve "$req" "$create")
  TIQ_PG_DATA=$data
  TIQ_PG_PORT=$port
  TIQ_PG_PWFILE=$data.superuser-password
  TIQ_PG_ROLES_FILE=$data.roles
  TIQ_PG_LOG=$data.log
  TIQ_PG_SOCKDIR=$data.sock
  # Unix socket paths are limited to 107 bytes.
  if ((${#TIQ_PG_SOCKDIR} + ${#port} + 10 > 100)); then
    TIQ_PG_SOCKDIR=/tmp
  fi
}

tiq__pg_ctl() { tiq__as_postgres "$TIQ_PG_BIN/pg_ctl" -D "$TIQ_PG_DATA" "$@"; }

tiq__pg_running() { tiq__pg_ctl status >/dev/null 2>&1; }

# The port a running cluster listens on (line 4 of postmaster.pid).
tiq__pg_running_port() { sed -n 4p -- "$TIQ_PG_DATA/postmaster.pid" 2>/dev/null; }

tiq_pg_start() {
  local req=${1:?usage: tiq_pg_start DATA_DIR PORT} port=${2:?usage: tiq_pg_start DATA_DIR PORT}
  local tmp running_port
  if [[ ! -x $TIQ_PG_BIN/initdb ]]; then
    tiq_err "PostgreSQL 15 is not installed ($TIQ_PG_BIN/initdb missing); run tiq_install_deps"
    return 1
  fi
  tiq_pg_use "$req" "$port" 1
  if [[ $TIQ_PG_DATA != "$(realpath -m -- "$req")" ]]; then
    tiq_log "the postgres user cannot reach $(dirname -- "$(realpath -m -- "$req")");" \
      "keeping the PostgreSQL data in $TIQ_PG_DATA instead"
    tiq__root mkdir -p -m 755 -- "$TIQ_PG_FALLBACK_ROOT"
  fi

  if [[ -f $TIQ_PG_DATA/PG_VERSION ]] && tiq__pg_running; then
    running_port=$(tiq__pg_running_port)
    if [[ $running_port != "$port" ]]; then
      tiq_err "PostgreSQL in $TIQ_PG_DATA is already running on port $running_port, not $port;" \
        "stop it first (tiq_pg_stop $req)"
      return 1
    fi
    tiq__pg_ensure_password || return 1
    return 0
  fi

  if [[ -z $(ls -A -- "$TIQ_PG_DATA" 2>/dev/null) ]]; then
    tiq_log "initialising a PostgreSQL 15 cluster in $TIQ_PG_DATA"
    tiq__root install -d -m 700 -o postgres -g postgres -- "$TIQ_PG_DATA"
    (umask 077 && tiq__secret >"$TIQ_PG_PWFILE")
    # initdb reads the password from a file it can open as postgres; removed right after.
    tmp=$(mktemp)
    cp -- "$TIQ_PG_PWFILE" "$tmp"
    tiq__root chown postgres -- "$tmp"
    if ! tiq__as_postgres "$TIQ_PG_BIN/initdb" -D "$TIQ_PG_DATA" -U postgres --pwfile="$tmp" \
      --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      --no-instructions >"$tmp.out" 2>&1; then
      rm -f -- "$tmp"
      tiq_err "initdb failed"
      tiq__tail "$tmp.out"
      rm -f -- "$tmp.out"
      return 1
    fi
    rm -f -- "$tmp" "$tmp.out"
    printf "\n# Tiquete: settings written by deploy/lib.sh on every start.\n%s\n" \
      "include_if_exists = 'tiquete.conf'" |
      tiq__as_postgres tee -a "$TIQ_PG_DATA/postgresql.conf" >/dev/null
  elif [[ ! -f $TIQ_PG_DATA/PG_VERSION ]]; then
    tiq_err "$TIQ_PG_DATA is not empty and is not a PostgreSQL data directory"
    return 1
  fi

  # Socket directory, log file and settings are (re)written on every start, so a changed
  # port or setting here takes effect on the next start.
  if [[ $TIQ_PG_SOCKDIR != /tmp ]]; then
    tiq__root install -d -m 700 -o postgres -g postgres -- "$TIQ_PG_SOCKDIR"
  fi
  tiq__root touch -- "$TIQ_PG_LOG"
  tiq__root chown postgres:postgres -- "$TIQ_PG_LOG"
  tiq__root chmod 640 -- "$TIQ_PG_LOG"
  tiq__as_postgres tee "$TIQ_PG_DATA/tiquete.conf" >/dev/null <<EOF
# Written by deploy/lib.sh (tiq_pg_start) on every start: edit lib.sh, not this file.
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TIQ_PG_SOCKDIR'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 256MB
# Durability is real: never turn these off here.
fsync = on
synchronous_commit = on
full_page_writes = on
password_encryption = scram-sha-256
log_line_prefix = '%m [%p] %q%u@%d '
EOF

  if tiq__tcp_open "127.0.0.1:$port"; then
    tiq_err "port $port is already in use by another process; cannot start PostgreSQL there"
    return 1
  fi
  tiq_log "starting PostgreSQL on 127.0.0.1:$port (data $TIQ_PG_DATA)"
  if ! tiq__pg_ctl -l "$TIQ_PG_LOG" -w -t 60 start >/dev/null; then
    tiq_err "PostgreSQL did not start"
    tiq__tail "$TIQ_PG_LOG"
    return 1
  fi
  tiq__pg_ensure_password
}

# Makes sure the superuser password file exists and works over TCP. When the file is gone but
# the cluster is not (someone deleted it), a new password is set over the peer-authenticated
# unix socket.
tiq__pg_ensure_password() {
  if [[ ! -s $TIQ_PG_PWFILE ]]; then
    tiq_log "no superuser password file at $TIQ_PG_PWFILE; setting a new password"
    (umask 077 && tiq__secret >"$TIQ_PG_PWFILE")
    printf "ALTER ROLE postgres PASSWORD '%s';\n" "$(<"$TIQ_PG_PWFILE")" |
      tiq__as_postgres "$TIQ_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$TIQ_PG_SOCKDIR" \
        -p "$TIQ_PG_PORT" -U postgres -d postgres >/dev/null
  fi
  chmod 600 -- "$TIQ_PG_PWFILE"
  if ! tiq_pg_psql postgres -Atc 'SELECT 1' >/dev/null; then
    tiq_err "cannot log in as postgres over 127.0.0.1:$TIQ_PG_PORT with $TIQ_PG_PWFILE"
    return 1
  fi
}

tiq_pg_stop() {
  local req=${1:?usage: tiq_pg_stop DATA_DIR}
  tiq_pg_use "$req" "${TIQ_PG_PORT:-0}"
  if [[ -f $TIQ_PG_DATA/PG_VERSION ]] && tiq__pg_running; then
    tiq_log "stopping PostgreSQL ($TIQ_PG_DATA)"
    tiq__pg_ctl -m fast -w -t 60 stop >/dev/null
  fi
}

# Stops the cluster and deletes its data, password and role files (wherever they live).
tiq_pg_purge() {
  local req=${1:?usage: tiq_pg_purge DATA_DIR}
  tiq_pg_stop "$req"
  tiq_pg_use "$req" 0
  tiq__root rm -rf -- "$TIQ_PG_DATA" "$TIQ_PG_PWFILE" "$TIQ_PG_ROLES_FILE" "$TIQ_PG_LOG"
  if [[ $TIQ_PG_SOCKDIR != /tmp ]]; then
    tiq__root rm -rf -- "$TIQ_PG_SOCKDIR"
  fi
}

# postgresql:// URL of the superuser over TCP (for tests and tools), database DB or postgres.
tiq_pg_admin_url() {
  printf 'postgresql://postgres:%s@127.0.0.1:%s/%s\n' "$(<"$TIQ_PG_PWFILE")" "$TIQ_PG_PORT" \
    "${1:-postgres}"
}

# psql as the superuser over TCP. The password travels in the environment of psql only.
tiq_pg_psql() {
  local db=${1:-postgres}
  shift || true
  PGPASSWORD=$(<"$TIQ_PG_PWFILE") PGCONNECT_TIMEOUT=10 "$TIQ_PG_BIN/psql" -X -q \
    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$TIQ_PG_PORT" -U postgres -d "$db" "$@"
}

# Password of role tiquete_SERVICE from the roles file; a new one is generated and stored the
# first time.
tiq__role_password() {
  local role=$1 line pw
  if [[ -f $TIQ_PG_ROLES_FILE ]]; then
    while IFS= read -r line; do
      if [[ ${line%%=*} == "$role" ]]; then
        printf '%s\n' "${line#*=}"
        return 0
      fi
    done <"$TIQ_PG_ROLES_FILE"
  fi
  pw=$(tiq__secret)
  (umask 077 && printf '%s=%s\n' "$role" "$pw" >>"$TIQ_PG_ROLES_FILE")
  printf '%s\n' "$pw"
}

# Creates (or brings back in line) database DB_NAME with one login role and one schema per
# service: role tiquete_S owns schema S and nothing else, its search_path is S, PUBLIC has no
# rights on the database or on schema public, and pg_trgm + unaccent live in schema ext, which
# every service role may use. Safe to run any number of times.
tiq_provision() {
  local db=${1:?usage: tiq_provision DB_NAME SERVICE...}
  shift
  local s role pw roles_sql="" db_sql=""
  if [[ -z ${TIQ_PG_PWFILE:-} || ! -s ${TIQ_PG_PWFILE:-/nonexistent} ]]; then
    tiq_err "tiq_provision: call tiq_pg_start (or tiq_pg_use) first"
    return 1
  fi
  if ! tiq__valid_ident "$db"; then
    tiq_err "tiq_provision: invalid database name '$db'"
    return 1
  fi
  if (($# == 0)); then
    tiq_err "tiq_provision: no services given"
    return 1
  fi
  for s in "$@"; do
    if ! tiq__valid_ident "$s" || [[ $s == ext || $s == public || $s == pg_* ]]; then
      tiq_err "tiq_provision: invalid service name '$s'"
      return 1
    fi
    role=tiquete_$s
    pw=$(tiq__role_password "$role")
    roles_sql+="SELECT 'CREATE ROLE $role' WHERE NOT EXISTS
  (SELECT FROM pg_roles WHERE rolname = '$role')\\gexec
ALTER ROLE $role WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '$pw';
"
    db_sql+="GRANT CONNECT, TEMP ON DATABASE $db TO $role;
CREATE SCHEMA IF NOT EXISTS $s AUTHORIZATION $role;
ALTER SCHEMA $s OWNER TO $role;
GRANT USAGE ON SCHEMA ext TO $role;
ALTER ROLE $role IN DATABASE $db SET search_path = $s;
"
  done
  TIQ_DB_NAME=$db

  # Database and roles: CREATE DATABASE cannot run inside a transaction.
  tiq_pg_psql postgres >/dev/null <<EOF
SET client_min_messages = warning;
SELECT 'CREATE DATABASE $db' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\\gexec
$roles_sql
EOF
  # Inside the database, all or nothing.
  tiq_pg_psql "$db" --single-transaction >/dev/null <<EOF
SET client_min_messages = warning;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS ext;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA ext;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA ext;
-- An extension created elsewhere earlier is moved, so every service finds it in ext.
SELECT format('ALTER EXTENSION %I SET SCHEMA ext', e.extname)
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname IN ('pg_trgm', 'unaccent') AND n.nspname <> 'ext'\\gexec
$db_sql
EOF
}

# postgresql://tiquete_S:PASSWORD@127.0.0.1:PORT/DB for a provisioned service.
tiq_service_db_url() {
  local s=${1:?usage: tiq_service_db_url SERVICE} role line
  role=tiquete_$s
  if [[ -z ${TIQ_PG_ROLES_FILE:-} || ! -f $TIQ_PG_ROLES_FILE ]]; then
    tiq_err "tiq_service_db_url: no roles file; run tiq_pg_start and tiq_provision first"
    return 1
  fi
  while IFS= read -r line; do
    if [[ ${line%%=*} == "$role" ]]; then
      printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$role" "${line#*=}" "$TIQ_PG_PORT" \
        "$TIQ_DB_NAME"
      return 0
    fi
  done <"$TIQ_PG_ROLES_FILE"
  tiq_err "tiq_service_db_url: service '$s' was never provisioned"
  return 1
}

# ---------------------------------------------------------------------------------------------
# Redis

tiq__redis_cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }

tiq__redis_ping() { [[ $(tiq__redis_cli "$1" ping 2>/dev/null) == PONG ]]; }

# Append-only file fsynced on every write: once the relay has marked an outbox row published,
# Redis holds the only copy a consumer will read, so an acknowledged XADD must survive a crash
# (with "everysec" the last second of events could vanish). The test Redis runs the same way.
tiq_redis_start() {
  local dir=${1:?usage: tiq_redis_start DIR PORT} port=${2:?usage: tiq_redis_start DIR PORT}
  local running_dir deadline
  mkdir -p -- "$dir"
  dir=$(realpath -- "$dir")
  if tiq__redis_ping "$port"; then
    running_dir=$(tiq__redis_cli "$port" config get dir 2>/dev/null | sed -n 2p)
    if [[ $running_dir != "$dir" ]]; then
      tiq_err "a Redis with dir '$running_dir' already answers on port $port, not ours ($dir)"
      return 1
    fi
    return 0
  fi
  if tiq__tcp_open "127.0.0.1:$port"; then
    tiq_err "port $port is already in use by another process; cannot start Redis there"
    return 1
  fi
  tiq_log "starting Redis on 127.0.0.1:$port (data $dir)"
  : >>"$dir/redis.log"
  redis-server --daemonize yes --port "$port" --bind 127.0.0.1 --protected-mode yes \
    --appendonly yes --appendfsync always --dir "$dir" --pidfile "$dir/redis.pid" \
    --logfile "$dir/redis.log" >/dev/null
  deadline=$((SECONDS + 10))
  until tiq__redis_ping "$port"; do
    if ((SECONDS >= deadline)); then
      tiq_err "Redis did not answer PING on port $port within 10 s"
      tiq__tail "$dir/redis.log"
      return 1
    fi
    sleep 0.05
  done
}

tiq_redis_stop() {
  local port=${1:?usage: tiq_redis_stop PORT} deadline
  tiq__redis_ping "$port" || return 0
  tiq_log "stopping Redis on port $port"
  # SHUTDOWN flushes the append-only file; the connection just closes, so ignore its status.
  tiq__redis_cli "$port" shutdown >/dev/null 2>&1 || true
  deadline=$((SECONDS + 10))
  while tiq__tcp_open "127.0.0.1:$port"; do
    if ((SECONDS >= deadline)); then
      tiq_err "Redis on port $port is still up 10 s after SHUTDOWN"
      return 1
    fi
    sleep 0.05
  done
}

# ---------------------------------------------------------------------------------------------
# Service processes: pid in $TIQ_STATE_DIR/run/NAME.pid, log in $TIQ_STATE_DIR/logs/NAME.log.

tiq__run_dir() { printf '%s/run\n' "$TIQ_STATE_DIR"; }

# True while PID exists and is not a zombie (an exited child nobody has reaped yet still
# answers kill -0).
tiq__alive() {
  local stat
  stat=$(cat -- "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# PID of service NAME if its recorded process is alive and still runs the recorded binary.
tiq__service_pid() {
  local name=$1 run pid bin exe
  run=$(tiq__run_dir)
  [[ -f $run/$name.pid ]] || return 1
  pid=$(<"$run/$name.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  tiq__alive "$pid" || return 1
  bin=$(cat -- "$run/$name.binary" 2>/dev/null || true)
  exe=$(readlink -- "/proc/$pid/exe" 2>/dev/null || true)
  exe=${exe% (deleted)}  # the binary was rebuilt under it
  case $exe in
    "$bin" | */env | */setsid) printf '%s\n' "$pid" ;;
    *) return 1 ;;  # the pid was reused by something else
  esac
}

tiq_service_running() { tiq__service_pid "${1:?usage: tiq_service_running NAME}" >/dev/null; }

# Starts BINARY [ARGS...] as service NAME with exactly the given environment (plus PATH and
# HOME): services refuse unknown TIQUETE_* settings, so nothing may leak in from the caller.
# Readiness is the TCP port of TIQUETE_GRPC_ADDR (else TIQUETE_HTTP_ADDR) accepting within
# 20 s. An instance already running the same binary with the same environment is left alone
# unless the binary is newer than its pid file.
tiq_start_service() {
  local name=${1:?usage: tiq_start_service NAME BINARY [ENV=VALUE...] [-- ARGS...]}
  local bin=${2:?usage: tiq_start_service NAME BINARY [ENV=VALUE...] [-- ARGS...]}
  shift 2
  local envs=() args=() e addr="" run logs log pidf sig pid deadline
  while (($# > 0)); do
    if [[ $1 == -- ]]; then
      shift
      args=("$@")
      break
    fi
    if [[ $1 != *=* ]]; then
      tiq_err "tiq_start_service $name: '$1' is not NAME=VALUE"
      return 1
    fi
    envs+=("$1")
    shift
  done
  if [[ ! -x $bin ]]; then
    tiq_err "tiq_start_service $name: $bin is not an executable"
    return 1
  fi
  bin=$(realpath -- "$bin")
  for e in "${envs[@]}"; do
    case $e in
      TIQUETE_GRPC_ADDR=*) addr=${e#*=} ;;
      TIQUETE_HTTP_ADDR=*) [[ -n $addr ]] || addr=${e#*=} ;;
    esac
  done
  if [[ -z $addr ]]; then
    tiq_err "tiq_start_service $name: no TIQUETE_GRPC_ADDR or TIQUETE_HTTP_ADDR to wait for"
    return 1
  fi
  run=$(tiq__run_dir)
  logs=$TIQ_STATE_DIR/logs
  mkdir -p -- "$run" "$logs"
  log=$logs/$name.log
  pidf=$run/$name.pid
  sig=$(printf '%s\0' "$bin" "${envs[@]}" -- "${args[@]}" | sha256sum | cut -c1-64)

  if pid=$(tiq__service_pid "$name"); then
    if [[ $(cat -- "$run/$name.binary" 2>/dev/null) == "$bin" && ! $bin -nt $pidf &&
      $(cat -- "$run/$name.sig" 2>/dev/null) == "$sig" ]]; then
      if tiq_wait_tcp "$addr" 20; then
        return 0
      fi
      tiq_err "$name (pid $pid) is running but not accepting on $addr"
      tiq__tail "$log"
      return 1
    fi
    tiq_log "restarting $name (binary or settings changed)"
    tiq_stop_service "$name"
  fi
  rm -f -- "$pidf" "$run/$name.binary" "$run/$name.sig"

  if tiq__tcp_open "$addr"; then
    tiq_err "cannot start $name: $addr is already taken by another process"
    return 1
  fi
  printf '==== %s starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$bin" >>"$log"
  # setsid: its own session, so a Ctrl-C in the terminal that ran up.sh does not reach it.
  setsid env -i PATH="$TIQ_SERVICE_PATH" HOME="${HOME:-/root}" "${envs[@]}" "$bin" "${args[@]}" \
    >>"$log" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$pidf"
  printf '%s\n' "$bin" >"$run/$name.binary"
  printf '%s\n' "$sig" >"$run/$name.sig"

  deadline=$((SECONDS + 20))
  until tiq__tcp_open "$addr"; do
    if ! tiq__alive "$pid"; then
      wait "$pid" 2>/dev/null && e=0 || e=$?
      tiq_err "$name exited (status $e) before accepting connections on $addr"
      tiq__tail "$log"
      rm -f -- "$pidf"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      tiq_err "$name did not accept connections on $addr within 20 s"
      tiq__tail "$log"
      tiq_stop_service "$name" || true
      return 1
    fi
    sleep 0.1
  done
  tiq_log "$name is up on $addr (pid $pid, log $log)"
}

# Runs BINARY [ARGS...] in the foreground with exactly the given environment (plus PATH and
# HOME), e.g. a service's `migrate` or `import` subcommand.
tiq_run_clean() {
  local bin=${1:?usage: tiq_run_clean BINARY [ENV=VALUE...] [-- ARGS...]}
  shift
  local envs=()
  while (($# > 0)) && [[ $1 != -- ]]; do
    envs+=("$1")
    shift
  done
  if (($# > 0)); then
    shift
  fi
  env -i PATH="$TIQ_SERVICE_PATH" HOME="${HOME:-/root}" "${envs[@]}" "$bin" "$@"
}

# SIGTERM, up to 10 s to drain, then SIGKILL.
tiq_stop_service() {
  local name=${1:?usage: tiq_stop_service NAME} run pid deadline
  run=$(tiq__run_dir)
  if pid=$(tiq__service_pid "$name"); then
    tiq_log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while tiq__alive "$pid"; do
      if ((SECONDS >= deadline)); then
        tiq_log "$name did not stop within 10 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
        break
      fi
      sleep 0.1
    done
  fi
  rm -f -- "$run/$name.pid" "$run/$name.binary" "$run/$name.sig"
}
