#!/usr/bin/env bash
# A PostgreSQL 15 server of its own on 127.0.0.1:${PG_CRASHABLE_PORT:-5440}, for fault tests that
# crash and restart their database (the machine's server on 5432 is shared by every test).
#
#   pg-crashable.sh start    start (no-op when it answers; leftovers are recreated)
#   pg-crashable.sh crash [S]  stop it as a crash does (immediate: no checkpoint, every connection
#                            cut), leave it down S seconds (default 0), then start it again: it
#                            recovers from its write-ahead log
#   pg-crashable.sh stop     stop it and remove its directory
#
# PostgreSQL refuses to run as root, so every server command runs as the postgres user.
set -euo pipefail

ROOT=${NOSTR_INFO_SERVICES_DIR:-/tmp/nostr-info-services}
PORT=${PG_CRASHABLE_PORT:-5440}
DIR=$ROOT/pg-crashable-$PORT
DATA=$DIR/data
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-postgres}
HOST=127.0.0.1

log() { printf '[pg-crashable] %s\n' "$*"; }
fail() {
  printf '[pg-crashable] ERROR: %s\n' "$*" >&2
  exit 1
}

for bin in initdb pg_ctl psql; do
  [ -x "$PG_BIN/$bin" ] || fail "$PG_BIN/$bin is missing (apt-get install postgresql-15)"
done
command -v runuser >/dev/null 2>&1 || fail "runuser is missing (util-linux)"

as_pg() { runuser -u "$PG_USER" -- "$@" 9>&-; }
answers() { [ "$("$PG_BIN/psql" -X -q -A -t -h "$HOST" -p "$PORT" -U postgres -d postgres -c 'select 1' 2>/dev/null)" = 1 ]; }
pg() { as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" "$@"; }

start() {
  if answers; then
    log "already running on $HOST:$PORT"
    return 0
  fi
  if [ -f "$DATA/PG_VERSION" ]; then
    pg -w -t 60 start >/dev/null || fail "did not start: $(tail -n 5 "$DIR/server.log")"
    log "running on $HOST:$PORT"
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chmod 755 "$ROOT" "$DIR"
  chown "$PG_USER": "$DIR"
  as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/initdb.log" 2>&1 || fail "initdb failed: $(tail -n 5 "$DIR/initdb.log")"
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
# nostr-info crashable test server
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 100
shared_buffers = 32MB
# Commits are acknowledged once in the write-ahead log, as in production; the crash this server is
# put through keeps the operating system's cache, so fsync is not needed for it.
fsync = off
synchronous_commit = on
EOF
  pg -w -t 60 start >/dev/null || fail "did not start: $(tail -n 5 "$DIR/server.log")"
  log "running on $HOST:$PORT"
}

crash() {
  answers || fail "not running on $HOST:$PORT"
  pg -m immediate -w -t 30 stop >/dev/null || fail "immediate stop failed"
  log "crashed; down for ${1:-0}s"
  sleep "${1:-0}"
  pg -w -t 60 start >/dev/null || fail "did not restart: $(tail -n 5 "$DIR/server.log")"
  log "recovered on $HOST:$PORT"
}

stop() {
  if [ -f "$DATA/postmaster.pid" ]; then pg -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
  log "stopped"
}

mkdir -p "$ROOT"
exec 9>"$ROOT/.pg-crashable-$PORT.lock"
flock -w 120 9 || fail "another pg-crashable.sh is still running"

case "${1:-}" in
start) start ;;
crash) crash "${2:-0}" ;;
stop) stop ;;
*)
  echo "usage: $0 start|crash [seconds-down]|stop" >&2
  exit 2
  ;;
esac
