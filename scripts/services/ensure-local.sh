#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, starting
# them when they are down. Exits non-zero with a clear message when either cannot be started.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
WAIT_SECONDS=${ENSURE_LOCAL_WAIT_SECONDS:-30}

log() { printf '[ensure-local] %s\n' "$*"; }
fail() {
  printf '[ensure-local] ERROR: %s\n' "$*" >&2
  exit 1
}

# True when a TCP port accepts connections (no client binary needed).
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    port_open "$PG_HOST" "$PG_PORT"
  fi
}

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    port_open "$REDIS_HOST" "$REDIS_PORT"
  fi
}

# wait_for <check function>
wait_for() {
  local check=$1 i
  for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
    if "$check"; then return 0; fi
    sleep 0.25
  done
  return 1
}

start_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 ||
    fail "PostgreSQL is not answering on $PG_HOST:$PG_PORT and pg_ctlcluster is not installed (apt-get install postgresql-15)"
  if [ ! -d /etc/postgresql ] || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    fail "PostgreSQL is not answering on $PG_HOST:$PG_PORT and no cluster is configured under /etc/postgresql"
  fi
  log "PostgreSQL is down; starting it"
  # shellcheck disable=SC2046 # one version directory is expected on this machine kind
  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ||
    fail "pg_ctlcluster could not start PostgreSQL (see /var/log/postgresql/)"
}

start_redis() {
  command -v redis-server >/dev/null 2>&1 ||
    fail "Redis is not answering on $REDIS_HOST:$REDIS_PORT and redis-server is not installed (apt-get install redis-server)"
  log "Redis is down; starting it"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
    fail "redis-server could not be started (see /var/log/redis/ci.log)"
}

if pg_up; then
  log "PostgreSQL answers on $PG_HOST:$PG_PORT"
else
  start_postgres
  wait_for pg_up ||
    fail "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${WAIT_SECONDS}s after starting (see /var/log/postgresql/)"
  log "PostgreSQL started on $PG_HOST:$PG_PORT"
fi

if redis_up; then
  log "Redis answers on $REDIS_HOST:$REDIS_PORT"
else
  start_redis
  wait_for redis_up ||
    fail "Redis did not answer on $REDIS_HOST:$REDIS_PORT within ${WAIT_SECONDS}s after starting (see /var/log/redis/ci.log)"
  log "Redis started on $REDIS_HOST:$REDIS_PORT"
fi
