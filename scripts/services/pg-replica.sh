#!/usr/bin/env bash
# A PostgreSQL 15 primary on 127.0.0.1:5433 and a streaming replica on 127.0.0.1:5434 for tests.
#
#   pg-replica.sh start    start (no-op when already streaming; leftovers are recreated)
#   pg-replica.sh stop     stop both servers and remove their directories
#   pg-replica.sh status   print both servers' state; exit 0 only when the replica streams
#
# PostgreSQL refuses to run as root, so every server command runs as the postgres user.
set -euo pipefail

ROOT=${NOSTR_INFO_SERVICES_DIR:-/tmp/nostr-info-services}
DIR=$ROOT/pg-replica
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-postgres}
HOST=127.0.0.1
PRIMARY_PORT=5433
REPLICA_PORT=5434
PRIMARY=$DIR/primary
REPLICA=$DIR/replica
SOCKETS=$DIR/sockets
WAIT_SECONDS=${PG_REPLICA_WAIT_SECONDS:-60}

log() { printf '[pg-replica] %s\n' "$*"; }
fail() {
  printf '[pg-replica] ERROR: %s\n' "$*" >&2
  exit 1
}

for bin in initdb pg_ctl pg_basebackup psql; do
  [ -x "$PG_BIN/$bin" ] || fail "$PG_BIN/$bin is missing (apt-get install postgresql-15)"
done
command -v runuser >/dev/null 2>&1 || fail "runuser is missing (util-linux)"
id "$PG_USER" >/dev/null 2>&1 || fail "user $PG_USER does not exist"

# 9>&-: a server started from here must not inherit (and so hold) the script's lock.
as_pg() { runuser -u "$PG_USER" -- "$@" 9>&-; }
sql() { "$PG_BIN/psql" -X -q -A -t -h "$HOST" -p "$1" -U postgres -d postgres -c "$2" 2>/dev/null; }
answers() { [ "$(sql "$1" 'select 1')" = 1 ]; }

primary_ok() { answers "$PRIMARY_PORT" && [ "$(sql "$PRIMARY_PORT" 'select pg_is_in_recovery()')" = f ]; }
replica_streaming() {
  [ "$(sql "$REPLICA_PORT" 'select pg_is_in_recovery()')" = t ] &&
    [ "$(sql "$REPLICA_PORT" 'select status from pg_stat_wal_receiver')" = streaming ] &&
    [ "$(sql "$PRIMARY_PORT" "select count(*) from pg_stat_replication where state = 'streaming'")" -ge 1 ]
}
healthy() { primary_ok && replica_streaming; }

# wait_until <seconds> <command...>
wait_until() {
  local deadline=$((SECONDS + $1)) && shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Stops whatever server answers on a port (also one left by an earlier run elsewhere) and ours.
stop_server() {
  local port=$1 datadir=$2 running
  if answers "$port"; then
    running=$(sql "$port" 'show data_directory')
    if [ -n "$running" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$running" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
  fi
  if [ -f "$datadir/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$datadir" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  wait_until 30 port_free "$port" || fail "port $port is still taken after stopping its server"
}

stop_all() {
  stop_server "$REPLICA_PORT" "$REPLICA"
  stop_server "$PRIMARY_PORT" "$PRIMARY"
  rm -rf "$DIR"
}

# The server runs as postgres, which must be able to walk down to its data directory.
check_traversable() {
  local path=$1
  while [ "$path" != / ] && [ -n "$path" ]; do
    as_pg test -x "$path" ||
      fail "$path is not traversable by $PG_USER; set NOSTR_INFO_SERVICES_DIR to a directory under /tmp"
    path=$(dirname "$path")
  done
}

start_all() {
  if healthy; then
    log "already running: primary $HOST:$PRIMARY_PORT, replica $HOST:$REPLICA_PORT (streaming)"
    return 0
  fi
  log "cleaning leftovers"
  stop_all
  mkdir -p "$DIR"
  chmod 755 "$ROOT" "$DIR"
  chown "$PG_USER": "$DIR"
  check_traversable "$DIR"
  as_pg mkdir -p "$SOCKETS"

  log "initialising the primary"
  as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/initdb.log" 2>&1 || fail "initdb failed: $(tail -n 5 "$DIR/initdb.log")"
  as_pg tee -a "$PRIMARY/postgresql.conf" >/dev/null <<EOF
# nostr-info test primary
listen_addresses = '$HOST'
port = $PRIMARY_PORT
unix_socket_directories = '$SOCKETS'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
max_connections = 200
shared_buffers = 64MB
# Throwaway test data: durability is not needed, speed is.
fsync = off
full_page_writes = off
synchronous_commit = off
EOF
  as_pg tee "$PRIMARY/pg_hba.conf" >/dev/null <<EOF
# Trust on loopback only: test servers, never reachable from outside.
local all         all                 trust
host  all         all   127.0.0.1/32  trust
host  all         all   ::1/128       trust
local replication all                 trust
host  replication all   127.0.0.1/32  trust
host  replication all   ::1/128       trust
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$PRIMARY" -l "$DIR/primary.log" -w -t 60 start >/dev/null ||
    fail "the primary did not start: $(tail -n 5 "$DIR/primary.log")"

  log "cloning the replica"
  as_pg "$PG_BIN/pg_basebackup" -h "$HOST" -p "$PRIMARY_PORT" -U postgres -D "$REPLICA" -R -X stream \
    >"$DIR/basebackup.log" 2>&1 || fail "pg_basebackup failed: $(tail -n 5 "$DIR/basebackup.log")"
  # postgresql.auto.conf wins over the copied postgresql.conf (which names the primary's port).
  echo "port = $REPLICA_PORT" | as_pg tee -a "$REPLICA/postgresql.auto.conf" >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$REPLICA" -l "$DIR/replica.log" -w -t 60 start >/dev/null ||
    fail "the replica did not start: $(tail -n 5 "$DIR/replica.log")"

  wait_until "$WAIT_SECONDS" healthy ||
    fail "the replica is not streaming from the primary after ${WAIT_SECONDS}s (see $DIR/replica.log)"
  log "running: primary $HOST:$PRIMARY_PORT, replica $HOST:$REPLICA_PORT (streaming)"
}

status() {
  local state=0
  if primary_ok; then echo "primary $HOST:$PRIMARY_PORT up"; else
    echo "primary $HOST:$PRIMARY_PORT down"
    state=1
  fi
  if replica_streaming; then echo "replica $HOST:$REPLICA_PORT up, in recovery, streaming"; else
    echo "replica $HOST:$REPLICA_PORT not streaming"
    state=1
  fi
  return "$state"
}

mkdir -p "$ROOT"
# Several test runs may call this at once: one at a time.
exec 9>"$ROOT/.pg-replica.lock"
flock -w 300 9 || fail "another pg-replica.sh is still running"

case "${1:-}" in
start) start_all ;;
stop)
  stop_all
  log "stopped"
  ;;
status) status ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
