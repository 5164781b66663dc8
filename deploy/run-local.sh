#!/usr/bin/env bash
# Runs StarSync on this machine without Docker: a private RabbitMQ node and PostgreSQL cluster under .local/, then
# the three services built from source. Ctrl+C (or SIGTERM) stops everything again.
#
#   ONEDEV_URL=https://onedev.example.com/ ONEDEV_TOKEN=... WEBHOOK_SECRET=... deploy/run-local.sh [--build]
#   deploy/run-local.sh --build-only [--build]
#
# The services are built (dotnet build -c Release) only when a file under services/ or shared/, or a root build
# file (Directory.*.props, global.json, .editorconfig), changed since the last build of this script; --build forces
# a build, --build-only builds when needed and exits (no settings needed, nothing is started).
#
# Settings come from the environment, or from the file .env at the repository root (see .env.example); the
# environment wins. Required: ONEDEV_URL, ONEDEV_TOKEN, WEBHOOK_SECRET. Optional: ADMIN_TOKEN (admin API, at least
# 16 characters), GITHUB_TOKEN or the GITHUB_APP_* settings (star polling, private repositories), STARSYNC_SECRET_KEY
# (generated into .local/secrets when unset), INGRESS_PORT (8080), ORCHESTRATOR_PORT (8081), GITWORKER_PORT (8082),
# LOCAL_RABBITMQ_PORT (5673), LOCAL_RABBITMQ_MANAGEMENT_PORT (15673), LOCAL_RABBITMQ_DIST_PORT (25673), LOCAL_EPMD_PORT
# (4370), LOCAL_POSTGRES_PORT (5433) (a second copy of StarSync on one machine needs other values for all eight),
# ASPNETCORE_ENVIRONMENT (Production), and the tuning variables of .env.example (UNSTAR_POLICY, SYNC_INTERVAL, ...):
# each is passed to its service only when set. The GitHub user token's refresh token goes to the Orchestrator only.
# Needs Debian/Ubuntu with the .NET 10 SDK; installs rabbitmq-server, postgresql, git, git-lfs and curl with apt
# when they are missing (through sudo when not root). Data, generated passwords (mode 600) and logs stay in .local/,
# so a second run reuses them; `rm -rf .local` starts from scratch.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$REPO/.local"

say() { printf '%s\n' "$*"; }
die() { printf 'run-local: %s\n' "$*" >&2; exit 1; }

FORCE_BUILD=0
BUILD_ONLY=0
for argument in "$@"; do
  case "$argument" in
    --build) FORCE_BUILD=1 ;;
    --build-only) BUILD_ONLY=1 ;;
    *) printf 'run-local: unknown argument %s\nusage: deploy/run-local.sh [--build] [--build-only]\n' "$argument" >&2; exit 2 ;;
  esac
done

# --- 1. Settings: checked before anything is installed or started -----------------------------------------------
REQUIRED_SETTINGS=(ONEDEV_URL ONEDEV_TOKEN WEBHOOK_SECRET)
declare -A SETTING_HELP=(
  [ONEDEV_URL]="the root URL of your OneDev server, e.g. https://onedev.example.com/"
  [ONEDEV_TOKEN]="a OneDev access token of a user with owner permissions"
  [WEBHOOK_SECRET]="the secret configured on the GitHub webhook (checks X-Hub-Signature-256)"
)
# Optional service settings, as Setting=VARIABLE: the setting is passed to the service only when the variable is set
# (otherwise the service's default applies). The same variables as in compose.yaml and .env.example.
GITHUB_SETTINGS=(GitHub__Token=GITHUB_TOKEN GitHub__AppId=GITHUB_APP_ID GitHub__AppPrivateKey=GITHUB_APP_PRIVATE_KEY
  GitHub__InstallationId=GITHUB_INSTALLATION_ID GitHub__ApiUrl=GITHUB_API_URL)
# The user access token and its single-use refresh token: the Orchestrator's only (it owns them; the GitWorker borrows).
GITHUB_USER_SETTINGS=(GitHub__UserAccessToken=GITHUB_USER_ACCESS_TOKEN GitHub__UserRefreshToken=GITHUB_USER_REFRESH_TOKEN
  GitHub__AppClientId=GITHUB_APP_CLIENT_ID GitHub__AppClientSecret=GITHUB_APP_CLIENT_SECRET)
# Encrypts the Orchestrator's user token store and the tokens it hands to the GitWorker; generated into .local/ when unset.
SECRET_KEY_SETTINGS=(StarSync__SecretKey=STARSYNC_SECRET_KEY)
INGRESS_SETTINGS=(Ingress__MaxPayloadBytes=INGRESS_MAX_PAYLOAD_BYTES Ingress__PublishTimeout=INGRESS_PUBLISH_TIMEOUT
  Ingress__AdminToken=ADMIN_TOKEN Ingress__AdminRequestTimeout=INGRESS_ADMIN_REQUEST_TIMEOUT Ingress__JaegerUrl=JAEGER_URL)
ORCHESTRATOR_SETTINGS=(OneDev__RequestTimeout=ONEDEV_REQUEST_TIMEOUT Projects__ConflictPolicy=PROJECTS_CONFLICT_POLICY
  Mirroring__SyncInterval=SYNC_INTERVAL Mirroring__UnstarPolicy=UNSTAR_POLICY Mirroring__MaxRetries=MIRRORING_MAX_RETRIES
  Mirroring__RetryBaseDelay=MIRRORING_RETRY_BASE_DELAY Mirroring__RetryMaxDelay=MIRRORING_RETRY_MAX_DELAY
  Mirroring__ProjectDeadline=MIRRORING_PROJECT_DEADLINE Mirroring__QueueDeadline=MIRRORING_QUEUE_DEADLINE
  Mirroring__MirrorDeadline=MIRRORING_MIRROR_DEADLINE Mirroring__MaxRedrives=MIRRORING_MAX_REDRIVES
  Orchestrator__DatabaseStartupTimeout=ORCHESTRATOR_DATABASE_STARTUP_TIMEOUT
  Orchestrator__MigrationLockTimeout=ORCHESTRATOR_MIGRATION_LOCK_TIMEOUT
  Stars__Enabled=STARS_ENABLED Stars__PollInterval=STARS_POLL_INTERVAL Stars__ReconcileInterval=STARS_RECONCILE_INTERVAL
  Stars__PageSize=STARS_PAGE_SIZE Stars__BackfillOnFirstStart=STARS_BACKFILL_ON_FIRST_START
  Stars__PublishTimeout=STARS_PUBLISH_TIMEOUT)
GITWORKER_SETTINGS=(OneDev__RequestTimeout=ONEDEV_REQUEST_TIMEOUT GitWorker__JobTimeout=GITWORKER_JOB_TIMEOUT
  GitHub__UserTokenFromOwner=GITWORKER_USER_TOKEN_FROM_ORCHESTRATOR
  GitWorker__LargeRepositoryThresholdKb=GITWORKER_LARGE_REPOSITORY_THRESHOLD_KB
  GitWorker__LargeRepositoryJobTimeout=GITWORKER_LARGE_REPOSITORY_JOB_TIMEOUT
  GitWorker__MinimumFreeDiskBytes=GITWORKER_MINIMUM_FREE_DISK_BYTES GitWorker__ConcurrentJobs=GITWORKER_CONCURRENT_JOBS)
# Secrets: removed from a service's environment once its settings are exported.
SECRET_SETTINGS=(ONEDEV_TOKEN WEBHOOK_SECRET ADMIN_TOKEN GITHUB_TOKEN GITHUB_APP_PRIVATE_KEY GITHUB_USER_ACCESS_TOKEN
  GITHUB_USER_REFRESH_TOKEN GITHUB_APP_CLIENT_SECRET STARSYNC_SECRET_KEY)
OPTIONAL_SETTINGS=(INGRESS_PORT ORCHESTRATOR_PORT GITWORKER_PORT
  LOCAL_RABBITMQ_PORT LOCAL_RABBITMQ_MANAGEMENT_PORT LOCAL_RABBITMQ_DIST_PORT LOCAL_EPMD_PORT LOCAL_POSTGRES_PORT
  ASPNETCORE_ENVIRONMENT)
for pair in "${GITHUB_SETTINGS[@]}" "${GITHUB_USER_SETTINGS[@]}" "${SECRET_KEY_SETTINGS[@]}" "${INGRESS_SETTINGS[@]}" \
  "${ORCHESTRATOR_SETTINGS[@]}" "${GITWORKER_SETTINGS[@]}"; do
  OPTIONAL_SETTINGS+=("${pair#*=}")
done

# Reads KEY=VALUE lines of .env for the known keys that the environment does not set. The file is parsed, never
# sourced, so it cannot run commands.
load_dotenv() {
  local file="$REPO/.env" line key value
  [[ -f "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[2]}"
    value="${BASH_REMATCH[3]}"
    if [[ "$value" =~ ^\"(.*)\"[[:space:]]*$ || "$value" =~ ^\'(.*)\'[[:space:]]*$ ]]; then
      value="${BASH_REMATCH[1]}"
    else
      value="${value%%[[:space:]]#*}"                 # an unquoted value ends at " #"
      value="${value%"${value##*[![:space:]]}"}"       # trailing blanks
    fi
    case " ${REQUIRED_SETTINGS[*]} ${OPTIONAL_SETTINGS[*]} " in
      *" $key "*) [[ -n "${!key:-}" ]] || printf -v "$key" '%s' "$value" ;;
    esac
  done <"$file"
}
load_dotenv

missing=0
(( BUILD_ONLY )) && REQUIRED_SETTINGS=()   # a build needs none of them
for name in "${REQUIRED_SETTINGS[@]}"; do
  if [[ -z "${!name:-}" ]]; then
    printf 'run-local: missing setting %s: %s\n' "$name" "${SETTING_HELP[$name]}" >&2
    missing=1
  fi
done
if (( missing )); then
  printf 'run-local: set it in the environment or in %s/.env (see .env.example); nothing was started.\n' "$REPO" >&2
  exit 1
fi
(( BUILD_ONLY )) || [[ "$ONEDEV_URL" =~ ^https?://[^[:space:]]+$ ]] || die "ONEDEV_URL must be an http(s) URL, got '$ONEDEV_URL'"
# The Ingress would refuse to start with a short admin token; say so before anything is installed or started.
if [[ -n "${ADMIN_TOKEN:-}" ]] && (( ${#ADMIN_TOKEN} < 16 )); then
  die "ADMIN_TOKEN must be at least 16 characters long (or empty to disable the admin API); nothing was started."
fi

INGRESS_PORT="${INGRESS_PORT:-8080}"
ORCHESTRATOR_PORT="${ORCHESTRATOR_PORT:-8081}"
GITWORKER_PORT="${GITWORKER_PORT:-8082}"
RABBITMQ_PORT="${LOCAL_RABBITMQ_PORT:-5673}"
RABBITMQ_MANAGEMENT_PORT="${LOCAL_RABBITMQ_MANAGEMENT_PORT:-15673}"
RABBITMQ_DIST_PORT="${LOCAL_RABBITMQ_DIST_PORT:-25673}"
EPMD_PORT="${LOCAL_EPMD_PORT:-4370}"
POSTGRES_PORT="${LOCAL_POSTGRES_PORT:-5433}"
for port in "$INGRESS_PORT" "$ORCHESTRATOR_PORT" "$GITWORKER_PORT" "$RABBITMQ_PORT" "$RABBITMQ_MANAGEMENT_PORT" \
  "$RABBITMQ_DIST_PORT" "$EPMD_PORT" "$POSTGRES_PORT"; do
  [[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "not a port number: '$port'"
done

# --- 2. Build (only what changed since the last build), before any server is installed or started -----------------
command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required: https://learn.microsoft.com/dotnet/core/install/linux"
mkdir -p "$LOCAL/logs" "$LOCAL/run" "$LOCAL/secrets"
chmod 700 "$LOCAL/secrets"

# One run at a time. Children get the descriptor closed (9>&-), so a leftover process never holds the lock.
exec 9>"$LOCAL/run.lock"
flock -n 9 || die "another deploy/run-local.sh is running for $REPO (lock $LOCAL/run.lock)"

SERVICES=(StarSync.Orchestrator StarSync.GitWorker StarSync.Ingress)
# Written (from a copy made before the build started) after every successful build of all services.
BUILD_STAMP="$LOCAL/run/build.stamp"
# The first build input changed since the stamp: anything under services/ and shared/ except build outputs, and the
# root files every project imports. Empty output: the last build is current.
changed_build_input() {
  local first
  first="$(find "$REPO/services" "$REPO/shared" \( -name bin -o -name obj \) -prune -o -type f -newer "$BUILD_STAMP" \
    -print -quit 2>/dev/null)"
  [[ -n "$first" ]] || first="$(find "$REPO" -maxdepth 1 -type f \( -name 'Directory.*.props' -o -name 'Directory.*.targets' \
    -o -name global.json -o -name .editorconfig -o -iname nuget.config \) -newer "$BUILD_STAMP" -print -quit 2>/dev/null)"
  printf '%s' "$first"
}
build_reason() { # prints why a build is needed, nothing when the last one is current
  local service changed
  (( FORCE_BUILD )) && { say "--build was given"; return; }
  [[ -f "$BUILD_STAMP" ]] || { say "no earlier build by this script"; return; }
  for service in "${SERVICES[@]}"; do
    [[ -f "$REPO/services/$service/bin/Release/net10.0/$service.dll" ]] || { say "$service.dll is missing"; return; }
  done
  changed="$(changed_build_input)"
  [[ -z "$changed" ]] || say "${changed#"$REPO/"} changed"
}
reason="$(build_reason)"
if [[ -z "$reason" ]]; then
  say "The build is current (nothing under services/ or shared/ changed since the last one; --build forces one)."
else
  say "Building (dotnet build -c Release: $reason)..."
  touch "$BUILD_STAMP.next"
  for service in "${SERVICES[@]}"; do
    build_log="$LOCAL/logs/build-$service.log"
    # One retry: other builds of the same tree may hold obj/ files for a moment.
    dotnet build "$REPO/services/$service/$service.csproj" -c Release -nologo -v q >"$build_log" 2>&1 9>&- \
      || dotnet build "$REPO/services/$service/$service.csproj" -c Release -nologo -v q >"$build_log" 2>&1 9>&- \
      || { tail -n 30 "$build_log" >&2; rm -f "$BUILD_STAMP.next"; die "build of $service failed, see $build_log"; }
  done
  # The stamp carries the time the build started: a file saved during the build is newer, so the next run builds.
  mv "$BUILD_STAMP.next" "$BUILD_STAMP"
fi
if (( BUILD_ONLY )); then
  say "Nothing started (--build-only)."
  exit 0
fi

# --- 3. Prerequisites --------------------------------------------------------------------------------------------
SUDO=()
if (( EUID != 0 )); then
  SUDO=(sudo)
fi
missing_packages=()
for package in rabbitmq-server postgresql git git-lfs curl; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing_packages+=("$package")
done
if (( ${#missing_packages[@]} )); then
  if (( ${#SUDO[@]} )) && ! command -v sudo >/dev/null; then
    die "missing packages ${missing_packages[*]}: install them as root (apt-get install ${missing_packages[*]}) or install sudo"
  fi
  say "Installing ${missing_packages[*]} (apt)..."
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_packages[@]}"
  # The packages start system-wide servers on their standard ports; the private ones below use other ports.
fi
RABBITMQ_BIN=/usr/lib/rabbitmq/bin
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$RABBITMQ_BIN/rabbitmq-server" ]] || die "rabbitmq-server is not in $RABBITMQ_BIN"
[[ -n "$PG_BIN" && -x "$PG_BIN/initdb" ]] || die "PostgreSQL server programs (initdb) not found under /usr/lib/postgresql"
EPMD="$(command -v epmd || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | tail -n 1 || true)"

# A process of ours, recorded in a pid file, that is still alive (the previous run was killed without cleanup).
alive_pid() { # pidfile marker
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(head -n 1 "$1" 2>/dev/null | tr -dc 0-9)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" \
    && printf '%s' "$pid"
}
for name in ingress orchestrator gitworker; do
  if pid="$(alive_pid "$LOCAL/run/$name.pid" "StarSync.")"; then
    say "Stopping $name (pid $pid) left over from an earlier run..."
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$LOCAL/run/$name.pid"
done

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

new_secret() { # file: 48 hex characters, created once, mode 600
  if [[ ! -s "$1" ]]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$1")
  fi
  chmod 600 "$1"
}

# --- 4. Cleanup on exit, Ctrl+C and SIGTERM ----------------------------------------------------------------------
SERVICE_PIDS=()
RABBITMQ_PID=""
POSTGRES_STARTED=0
CLEANED=0
cleanup() {
  (( CLEANED )) && return 0
  CLEANED=1
  trap '' INT TERM
  say ""
  say "Stopping StarSync..."
  local pid
  for pid in "${SERVICE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVICE_PIDS[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -f "$LOCAL/run/ingress.pid" "$LOCAL/run/orchestrator.pid" "$LOCAL/run/gitworker.pid"
  if [[ -n "$RABBITMQ_PID" ]]; then
    stop_rabbitmq
  fi
  if (( POSTGRES_STARTED )); then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  fi
  say "Stopped. Data and logs stay in $LOCAL."
}
on_signal() { exit 130; }
trap cleanup EXIT
trap on_signal INT TERM HUP

# --- 5. PostgreSQL: a private cluster in .local/postgres ------------------------------------------------------------
PG_DIR="$LOCAL/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$LOCAL/logs/postgres.log"
PG_PASSWORD_FILE="$LOCAL/secrets/postgres-password"
PG_DATABASE=starsync
PG_ROLE=starsync
# initdb and postgres refuse to run as root: as root the cluster belongs to the postgres system user.
if (( EUID == 0 )); then
  PG_OWNER=postgres
  RUNUSER="$(command -v runuser || echo /usr/sbin/runuser)"
  as_pg() { env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$RUNUSER" -u postgres -- "$@"; }
else
  PG_OWNER="$(id -un)"
  as_pg() { env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$HOME" "$@"; }
fi
# The unix socket (administration by peer authentication) lives in .local unless the path is too long for a socket.
PG_SOCKET_DIR="$PG_DIR/run"
if (( ${#PG_SOCKET_DIR} > 90 )); then
  PG_SOCKET_DIR="/tmp/starsync-pg-$(id -u)-$(printf '%s' "$REPO" | md5sum | cut -c1-8)"
fi
mkdir -p "$PG_DIR" "$PG_SOCKET_DIR"
touch "$PG_LOG"
if (( EUID == 0 )); then
  chown -R postgres: "$PG_DIR" "$PG_SOCKET_DIR" "$PG_LOG"
  as_pg test -w "$PG_DIR" \
    || die "the postgres system user cannot reach $PG_DIR (a parent directory is not searchable by others); move the repository or run as a normal user"
fi
chmod 700 "$PG_DIR"

if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
  say "Creating the PostgreSQL cluster in $PG_DATA..."
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_OWNER" --auth-local=peer --auth-host=scram-sha-256 -E UTF8 \
    --locale=C --no-instructions >>"$PG_LOG" 2>&1 || die "initdb failed, see $PG_LOG"
  printf "\ninclude_if_exists = 'starsync-local.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
fi
printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" "$POSTGRES_PORT" "$PG_SOCKET_DIR" \
  | as_pg tee "$PG_DATA/starsync-local.conf" >/dev/null
if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  say "Stopping the PostgreSQL cluster left running by an earlier run..."
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
fi
port_in_use "$POSTGRES_PORT" && die "port $POSTGRES_PORT (LOCAL_POSTGRES_PORT) is already in use"
say "Starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT..."
POSTGRES_STARTED=1
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 90 start 9>&- >/dev/null \
  || die "PostgreSQL did not start, see $PG_LOG"
new_secret "$PG_PASSWORD_FILE"
PG_PASSWORD="$(<"$PG_PASSWORD_FILE")"
# The password travels on standard input, never on a command line.
as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$POSTGRES_PORT" -U "$PG_OWNER" -d postgres \
  >>"$PG_LOG" 2>&1 <<SQL || die "could not create the database role and database, see $PG_LOG"
SELECT 'CREATE ROLE $PG_ROLE LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE')\gexec
ALTER ROLE $PG_ROLE WITH LOGIN PASSWORD '$PG_PASSWORD';
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE')\gexec
SQL

# --- 6. RabbitMQ: a private node in .local/rabbitmq ---------------------------------------------------------------
RMQ_DIR="$LOCAL/rabbitmq"
RMQ_USER=starsync
RMQ_PASSWORD_FILE="$LOCAL/secrets/rabbitmq-password"
RMQ_NODE="starsync-local@localhost"
RMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
RMQ_LOG="$LOCAL/logs/rabbitmq-server.log"
mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/log"
chmod 700 "$RMQ_DIR"
if [[ -d "$RMQ_DIR/mnesia" && ! -s "$RMQ_PASSWORD_FILE" ]]; then
  # The user is created only on a node's first start, with the password from the file.
  say "The RabbitMQ password file is gone: recreating the node's data directory."
  rm -rf "$RMQ_DIR/mnesia"
fi
new_secret "$RMQ_PASSWORD_FILE"
RMQ_PASSWORD="$(<"$RMQ_PASSWORD_FILE")"
if [[ ! -s "$RMQ_DIR/home/.erlang.cookie" ]]; then
  (umask 077 && od -An -tx1 -N20 /dev/urandom | tr -d ' \n' | tr 'a-f0-9' 'A-P' >"$RMQ_DIR/home/.erlang.cookie")
fi
chmod 400 "$RMQ_DIR/home/.erlang.cookie"
cp "$REPO/deploy/rabbitmq/enabled_plugins" "$RMQ_DIR/enabled_plugins"
(
  umask 077
  cat "$REPO/deploy/rabbitmq/rabbitmq.conf"
  printf '\n# --- added by deploy/run-local.sh ---\n'
  printf 'listeners.tcp.1 = 127.0.0.1:%s\n' "$RABBITMQ_PORT"
  printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "$RABBITMQ_MANAGEMENT_PORT"
  printf 'default_user = %s\ndefault_pass = %s\n' "$RMQ_USER" "$RMQ_PASSWORD"
  printf 'log.console = false\n'
) >"$RMQ_DIR/rabbitmq.conf.new"
mv "$RMQ_DIR/rabbitmq.conf.new" "$RMQ_DIR/rabbitmq.conf"
: >"$RMQ_DIR/rabbitmq-env.conf"   # so that /etc/rabbitmq/rabbitmq-env.conf of the system node is not read

# rabbitmq-server and rabbitmqctl run with only these variables: nothing of the caller's environment (secrets) leaks.
RMQ_ENV=(env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$RMQ_DIR/home"
  RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
  RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT" ERL_EPMD_PORT="$EPMD_PORT"
  RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log"
  RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
  RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" RABBITMQ_PID_FILE="$RMQ_PID_FILE"
  RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf" ERL_CRASH_DUMP="$RMQ_DIR/log/erl_crash.dump"
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
rmqctl() { "${RMQ_ENV[@]}" "$RABBITMQ_BIN/rabbitmqctl" -n "$RMQ_NODE" "$@"; }
stop_rabbitmq() {
  local beam
  rmqctl stop "$RMQ_PID_FILE" >/dev/null 2>&1 || true
  beam="$(alive_pid "$RMQ_PID_FILE" "$RMQ_DIR" || true)"
  [[ -n "$beam" ]] && kill -KILL "$beam" 2>/dev/null
  if [[ -n "$RABBITMQ_PID" ]]; then
    kill -TERM "$RABBITMQ_PID" 2>/dev/null || true
    wait "$RABBITMQ_PID" 2>/dev/null || true
  fi
  # The node started its own epmd on EPMD_PORT; it is ours alone.
  [[ -n "$EPMD" ]] && env -i ERL_EPMD_PORT="$EPMD_PORT" "$EPMD" -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
}

if leftover="$(alive_pid "$RMQ_PID_FILE" "$RMQ_DIR")"; then
  say "Stopping the RabbitMQ node left running by an earlier run (pid $leftover)..."
  RABBITMQ_PID=""
  stop_rabbitmq
fi
for port in "$RABBITMQ_PORT" "$RABBITMQ_MANAGEMENT_PORT" "$RABBITMQ_DIST_PORT"; do
  port_in_use "$port" && die "port $port (LOCAL_RABBITMQ_*) is already in use"
done
say "Starting RabbitMQ on 127.0.0.1:$RABBITMQ_PORT (management on $RABBITMQ_MANAGEMENT_PORT)..."
rm -f "$RMQ_PID_FILE"
"${RMQ_ENV[@]}" setsid "$RABBITMQ_BIN/rabbitmq-server" >>"$RMQ_LOG" 2>&1 </dev/null 9>&- &
RABBITMQ_PID=$!
rmqctl wait "$RMQ_PID_FILE" --timeout 120 >>"$RMQ_LOG" 2>&1 9>&- || die "RabbitMQ did not start, see $RMQ_LOG and $RMQ_DIR/log"
rmqctl await_startup --timeout 120 >>"$RMQ_LOG" 2>&1 9>&- || die "RabbitMQ did not finish starting, see $RMQ_LOG"
# The user from the password file must work (curl reads the credentials from standard input).
printf 'user = "%s:%s"\n' "$RMQ_USER" "$RMQ_PASSWORD" \
  | curl -fsS -o /dev/null --max-time 10 --retry 10 --retry-delay 1 --retry-all-errors -K - \
      "http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT/api/whoami" \
  || die "RabbitMQ does not accept the user $RMQ_USER with the password in $RMQ_PASSWORD_FILE; delete $RMQ_DIR to reset the node"

# --- 7. Start the services -----------------------------------------------------------------------------------------
# StarSync:SecretKey: the one given, or one generated once (32 random bytes in base64, mode 600) and kept in .local/.
# The Orchestrator's user token store is encrypted with it, so it must stay the same between runs.
if [[ -z "${STARSYNC_SECRET_KEY:-}" ]]; then
  if [[ ! -s "$LOCAL/secrets/secret-key" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 -w 0 >"$LOCAL/secrets/secret-key")
  fi
  chmod 600 "$LOCAL/secrets/secret-key"
  STARSYNC_SECRET_KEY="$(<"$LOCAL/secrets/secret-key")"
fi
mkdir -p "$LOCAL/orchestrator"
chmod 700 "$LOCAL/orchestrator"
# Until the Orchestrator owned the user token the Ingress kept its store in .local/ingress: the rotated pair in it is
# the only valid one (the configured refresh token is spent), so it moves, once, rather than being left behind.
if [[ -f "$LOCAL/ingress/github-user-token.json" && ! -e "$LOCAL/orchestrator/github-user-token.json" ]]; then
  mv "$LOCAL/ingress/github-user-token.json" "$LOCAL/orchestrator/github-user-token.json"
  say "Moved the GitHub user token store from $LOCAL/ingress to $LOCAL/orchestrator (the Orchestrator owns the token now)."
fi

RABBITMQ_URL="amqp://$RMQ_USER:$RMQ_PASSWORD@127.0.0.1:$RABBITMQ_PORT/"
POSTGRES_CONNECTION="Host=127.0.0.1;Port=$POSTGRES_PORT;Database=$PG_DATABASE;Username=$PG_ROLE;Password=$PG_PASSWORD"

# Exports each Setting=VARIABLE pair whose variable is set (in the service's subshell).
pass_settings() {
  local pair variable
  for pair in "$@"; do
    variable="${pair#*=}"
    [[ -z "${!variable:-}" ]] || export "${pair%%=*}=${!variable}"
  done
}

# Settings reach the services as exported variables of a subshell: never on a command line.
start_service() { # name project port
  local name="$1" project="$2" port="$3" dir="$REPO/services/$2/bin/Release/net10.0"
  port_in_use "$port" && die "port $port for $name is already in use"
  [[ -f "$dir/$project.dll" ]] || die "$dir/$project.dll is missing after the build"
  (
    cd "$dir"
    # The Ingress listens on all interfaces (GitHub must reach it); the other two on loopback only.
    if [[ "$name" == ingress ]]; then
      export ASPNETCORE_URLS="http://0.0.0.0:$port"
    else
      export ASPNETCORE_URLS="http://127.0.0.1:$port"
    fi
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
    export DOTNET_NOLOGO=1 OTEL_SERVICE_NAME="$name"
    export ConnectionStrings__rabbitmq="$RABBITMQ_URL"
    case "$name" in
      ingress)
        # Stateless: no database, no GitHub credential (the admin API reaches the star poller over RabbitMQ).
        export Ingress__WebhookSecret="$WEBHOOK_SECRET"
        pass_settings "${INGRESS_SETTINGS[@]}"
        ;;
      orchestrator)
        export ConnectionStrings__postgres="$POSTGRES_CONNECTION"
        export OneDev__Url="$ONEDEV_URL" OneDev__Token="$ONEDEV_TOKEN"
        # The star poller and the GitHub user token's owner: the rotated pair (encrypted), kept between runs like the
        # rest of .local/. It polls only with a GitHub user credential.
        export GitHub__UserTokenStorePath="$LOCAL/orchestrator/github-user-token.json"
        pass_settings "${ORCHESTRATOR_SETTINGS[@]}" "${GITHUB_SETTINGS[@]}" "${GITHUB_USER_SETTINGS[@]}" "${SECRET_KEY_SETTINGS[@]}"
        ;;
      gitworker)
        export OneDev__Url="$ONEDEV_URL" OneDev__Token="$ONEDEV_TOKEN"
        mkdir -p "$LOCAL/gitworker/cache"
        export GitWorker__WorkDirectory="$LOCAL/gitworker"
        # The persistent bare repositories, kept between runs like the rest of .local/.
        export GitWorker__CacheDirectory="$LOCAL/gitworker/cache"
        # Never GITHUB_USER_SETTINGS: the single-use refresh token is the Orchestrator's (GITWORKER_USER_TOKEN_FROM_ORCHESTRATOR borrows).
        pass_settings "${GITWORKER_SETTINGS[@]}" "${GITHUB_SETTINGS[@]}" "${SECRET_KEY_SETTINGS[@]}"
        ;;
    esac
    # The raw settings are not needed by the services themselves.
    unset "${SECRET_SETTINGS[@]}"
    exec setsid dotnet "$project.dll" >>"$LOCAL/logs/$name.log" 2>&1 </dev/null 9>&-
  ) &
  local pid=$!
  SERVICE_PIDS+=("$pid")
  printf '%s\n' "$pid" >"$LOCAL/run/$name.pid"
  wait_healthy "$name" "$port" "$pid"
}

wait_healthy() { # name port pid
  local name="$1" port="$2" pid="$3" deadline=$((SECONDS + 180))
  printf 'Starting %s on 127.0.0.1:%s' "$name" "$port"
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/health" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say ""
      tail -n 20 "$LOCAL/logs/$name.log" >&2 || true
      die "$name exited during start-up, see $LOCAL/logs/$name.log"
    fi
    (( SECONDS < deadline )) || { say ""; die "$name did not become healthy within 180 s, see $LOCAL/logs/$name.log"; }
    printf '.'
    sleep 1
  done
  say " healthy"
}

say "Logs: $LOCAL/logs"
# The Orchestrator first: it declares the queues that the Ingress's events and the GitWorker's replies go to.
start_service orchestrator StarSync.Orchestrator "$ORCHESTRATOR_PORT"
start_service gitworker StarSync.GitWorker "$GITWORKER_PORT"
start_service ingress StarSync.Ingress "$INGRESS_PORT"

say ""
say "StarSync is running. Press Ctrl+C to stop everything."
say "  GitHub webhook:       http://$(hostname -f 2>/dev/null || hostname):$INGRESS_PORT/webhooks/github  (POST, content type"
say "                        application/json, secret = WEBHOOK_SECRET; listens on all interfaces, port $INGRESS_PORT)"
say "  Health:               http://127.0.0.1:$INGRESS_PORT/health  :$ORCHESTRATOR_PORT/health  :$GITWORKER_PORT/health"
say "  RabbitMQ management:  http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT/  user $RMQ_USER, password in $RMQ_PASSWORD_FILE"
say "  PostgreSQL:           127.0.0.1:$POSTGRES_PORT database $PG_DATABASE, user $PG_ROLE, password in $PG_PASSWORD_FILE"
say "  Logs:                 $LOCAL/logs (ingress.log, orchestrator.log, gitworker.log, postgres.log, rabbitmq-server.log)"

# Runs until Ctrl+C/SIGTERM (trap) or until a service exits on its own.
set +e
wait -n "${SERVICE_PIDS[@]}"
status=$?
set -e
for name in orchestrator gitworker ingress; do
  pid="$(head -n 1 "$LOCAL/run/$name.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
    say "run-local: $name exited (code $status), see $LOCAL/logs/$name.log; stopping the rest." >&2
  fi
done
exit 1
