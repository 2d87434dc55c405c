#!/usr/bin/env bash
# A 6-node Redis Cluster (3 masters, 3 replicas) on 127.0.0.1:7000-7005 for tests
# (REDIS_CLUSTER_BASE_PORT=7100 gives 7100-7105 instead).
#
#   redis-cluster.sh start             start (no-op when already healthy; leftovers are recreated)
#   redis-cluster.sh stop              stop every node and remove its directory
#   redis-cluster.sh status            print each node's role; exit 0 only when healthy
#   redis-cluster.sh kill-master PORT  kill a master (SIGKILL) and wait until its replica took over
#   redis-cluster.sh restart-node PORT start a killed node again with its old identity
set -euo pipefail

ROOT=${NOSTR_INFO_SERVICES_DIR:-/tmp/nostr-info-services}
# Another base port gives a second, independent cluster (failover tests use their own).
BASE_PORT=${REDIS_CLUSTER_BASE_PORT:-7000}
HOST=127.0.0.1
PORTS=()
for ((i = 0; i < 6; i++)); do PORTS+=($((BASE_PORT + i))); done
if [ "$BASE_PORT" = 7000 ]; then DIR=$ROOT/redis-cluster; else DIR=$ROOT/redis-cluster-$BASE_PORT; fi
WAIT_SECONDS=${REDIS_CLUSTER_WAIT_SECONDS:-60}

log() { printf '[redis-cluster] %s\n' "$*"; }
fail() {
  printf '[redis-cluster] ERROR: %s\n' "$*" >&2
  exit 1
}

for bin in redis-server redis-cli; do
  command -v "$bin" >/dev/null 2>&1 || fail "$bin is not installed (apt-get install redis-server redis-tools)"
done

cli() { redis-cli -h "$HOST" -p "$1" "${@:2}" 2>/dev/null; }
answers() { [ "$(cli "$1" ping)" = PONG ]; }
cluster_info() { cli "$1" cluster info | tr -d '\r'; }
node_ok() {
  local info
  info=$(cluster_info "$1") || return 1
  grep -q '^cluster_state:ok$' <<<"$info" && grep -q "^cluster_known_nodes:${#PORTS[@]}$" <<<"$info"
}

# Healthy: every node answers, sees the cluster as ok and knows all six nodes, and there are 3 masters.
healthy() {
  local port masters=0
  for port in "${PORTS[@]}"; do
    node_ok "$port" || return 1
    [ "$(cli "$port" role | head -n1)" = master ] && masters=$((masters + 1))
  done
  [ "$masters" -eq 3 ]
}

# wait_until <seconds> <command...>
wait_until() {
  local deadline=$((SECONDS + $1)) && shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

all_ok() {
  local port
  for port in "$@"; do node_ok "$port" || return 1; done
}

stop_node() {
  local port=$1 pidfile=$DIR/$1/redis.pid
  # Whatever answers on the port (a leftover from an earlier run too) is shut down.
  if answers "$port"; then cli "$port" shutdown nosave >/dev/null || true; fi
  if [ -f "$pidfile" ]; then
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  wait_until 10 bash -c "! (exec 3<>/dev/tcp/$HOST/$port) 2>/dev/null" ||
    fail "port $port is still taken after stopping its node"
}

start_node() {
  local port=$1
  mkdir -p "$DIR/$port"
  # 9>&-: the daemon must not inherit (and so hold) the script's lock.
  redis-server --port "$port" --bind "$HOST" --daemonize yes \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --save "" --appendonly no --repl-diskless-sync-delay 0 \
    --dir "$DIR/$port" --pidfile "$DIR/$port/redis.pid" --logfile "$DIR/$port/redis.log" 9>&- ||
    fail "redis-server could not start on port $port (see $DIR/$port/redis.log)"
}

stop_all() {
  local port
  for port in "${PORTS[@]}"; do stop_node "$port"; done
  rm -rf "$DIR"
}

start_all() {
  if healthy; then
    log "already running and healthy on $HOST:${PORTS[0]}-${PORTS[-1]}"
    return 0
  fi
  log "cleaning leftovers"
  stop_all
  mkdir -p "$DIR"
  local port nodes=()
  for port in "${PORTS[@]}"; do
    start_node "$port"
    nodes+=("$HOST:$port")
  done
  for port in "${PORTS[@]}"; do
    wait_until 15 answers "$port" || fail "node $port did not answer (see $DIR/$port/redis.log)"
  done
  log "creating the cluster"
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/create.log" 2>&1 ||
    fail "redis-cli --cluster create failed: $(tail -n 5 "$DIR/create.log")"
  wait_until "$WAIT_SECONDS" healthy ||
    fail "the cluster did not reach cluster_state:ok on every node within ${WAIT_SECONDS}s"
  log "running on $HOST:${PORTS[0]}-${PORTS[-1]} (3 masters, 3 replicas)"
}

status() {
  local port state=0
  for port in "${PORTS[@]}"; do
    if answers "$port"; then
      printf '%s:%s %s %s\n' "$HOST" "$port" "$(cli "$port" role | head -n1)" \
        "$(cluster_info "$port" | grep '^cluster_state:' || echo 'cluster_state:?')"
    else
      printf '%s:%s down\n' "$HOST" "$port"
      state=1
    fi
  done
  healthy || state=1
  return "$state"
}

kill_master() {
  local port=${1:?usage: kill-master PORT}
  [ "$(cli "$port" role | head -n1)" = master ] || fail "node $port is not a running master"
  local id pid replicas
  id=$(cli "$port" cluster myid | tr -d '\r')
  # Ports of this master's replicas: one of them must become master.
  replicas=$(cli "$port" cluster replicas "$id" | sed -E 's/^[^ ]+ [^:]+:([0-9]+)@.*/\1/' | tr '\n' ' ')
  [ -n "${replicas// /}" ] || fail "master $port has no replica to fail over to"
  pid=$(cat "$DIR/$port/redis.pid" 2>/dev/null) || fail "no pid file for node $port"
  kill -9 "$pid"
  log "killed master $port (pid $pid); waiting for one of its replicas ($replicas) to take over"
  local others=()
  for other in "${PORTS[@]}"; do [ "$other" = "$port" ] || others+=("$other"); done
  # The killed node stays in the node list, so cluster_state is checked, not the node count.
  wait_until "$WAIT_SECONDS" bash -c "
    promoted=0
    for p in $replicas; do
      [ \"\$(redis-cli -h $HOST -p \$p role 2>/dev/null | head -n1)\" = master ] && promoted=1
    done
    [ \$promoted = 1 ] || exit 1
    for p in ${others[*]}; do
      redis-cli -h $HOST -p \$p cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_state:ok$' || exit 1
    done" || fail "no failover within ${WAIT_SECONDS}s"
  log "failover done"
}

restart_node() {
  local port=${1:?usage: restart-node PORT}
  answers "$port" && fail "node $port is already running"
  [ -f "$DIR/$port/nodes.conf" ] || fail "node $port has no saved identity; use start"
  start_node "$port"
  wait_until "$WAIT_SECONDS" all_ok "${PORTS[@]}" || fail "node $port did not rejoin within ${WAIT_SECONDS}s"
  log "node $port rejoined"
}

mkdir -p "$ROOT"
# Several test runs may call this at once: one at a time.
exec 9>"$ROOT/.redis-cluster-$BASE_PORT.lock"
flock -w 300 9 || fail "another redis-cluster.sh is still running"

case "${1:-}" in
start) start_all ;;
stop)
  stop_all
  log "stopped"
  ;;
status) status ;;
kill-master) kill_master "${2:-}" ;;
restart-node) restart_node "${2:-}" ;;
*)
  echo "usage: $0 start|stop|status|kill-master PORT|restart-node PORT" >&2
  exit 2
  ;;
esac
