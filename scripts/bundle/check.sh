#!/usr/bin/env bash
# Builds the production bundle the image ships and starts every role from it, outside the
# workspace, against the local PostgreSQL and Redis: --help, a bad command and a bad setting
# (exit 2), migrate, scheduler run, api (/health, /ready, /metrics, a stats endpoint) and
# collector (/health, /metrics), each stopped with SIGTERM.
#
# Default: the bundle comes from the Dockerfile's build stage run without Docker
# (scripts/bundle/docker-steps.sh: build context per .dockerignore, pnpm fetch/install/build/deploy).
#   --workspace   bundle with `pnpm deploy --prod` straight from this checkout (faster)
#   --no-build    with --workspace: use the packages' current dist/ as they are
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG="postgresql://postgres@127.0.0.1:5432"
REDIS="redis://127.0.0.1:6379"
MODE=docker
BUILD=1
for arg in "$@"; do
  case "${arg}" in
    --workspace) MODE=workspace ;;
    --no-build) BUILD=0 ;;
    *) echo "unknown option ${arg}" >&2; exit 2 ;;
  esac
done
start=$(date +%s)
passed=0
failed=0
pids=()

WORK="$(mktemp -d /tmp/nostr-info-bundle.XXXXXX)"
DB="nostr_info_bundle_$$_$(date +%s)"
PREFIX="test:bundle:$$:"

cleanup() {
  for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
  dropdb --if-exists -h 127.0.0.1 -U postgres "${DB}" 2>/dev/null || true
  redis-cli -u "${REDIS}" --scan --pattern "${PREFIX}*" 2>/dev/null | xargs -r redis-cli -u "${REDIS}" del >/dev/null 2>&1 || true
  chmod -R u+w "${WORK}" 2>/dev/null || true
  rm -rf "${WORK}"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# As the image runs it: an unprivileged user, code not writable (root runs as `nobody` here;
# setpriv execs, so signals reach node itself).
AS_USER=()
if [[ "$(id -u)" -eq 0 ]]; then AS_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
# Runs the CLI from the bundle with a clean environment plus the given settings.
cli() { "${AS_USER[@]}" env -i -C "${APP}" PATH="${PATH}" HOME="${WORK}" NODE_ENV=production LOG_LEVEL=warn "$@"; }
# Same in the background (a simple command, so $! is the node process itself): bg LOG settings...
bg() {
  local log=$1
  shift
  "${AS_USER[@]}" env -i -C "${APP}" PATH="${PATH}" HOME="${WORK}" NODE_ENV=production LOG_LEVEL=warn "$@" >"${log}" 2>&1 &
  bg_pid=$!
  pids+=("${bg_pid}")
}
wait_http() { # url seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
stop() { # pid name
  kill -TERM "$1" 2>/dev/null || true
  local code=0
  wait "$1" || code=$?
  if [[ ${code} -eq 0 ]]; then ok "$2 exits 0 on SIGTERM"; else bad "$2 exited ${code} on SIGTERM"; fi
}

echo "== services"
if [[ -f "${ROOT}/scripts/services/ensure-local.sh" ]]; then bash "${ROOT}/scripts/services/ensure-local.sh" >/dev/null; fi

t0=$(date +%s)
if [[ "${MODE}" == docker ]]; then
  echo "== the Dockerfile's build stage, without Docker, in ${WORK}/context"
  bash "${ROOT}/scripts/bundle/docker-steps.sh" "${WORK}"
  APP="${WORK}/out"
else
  if [[ ${BUILD} -eq 1 ]]; then
    echo "== build the CLI and its workspace dependencies"
    (cd "${ROOT}" && pnpm --filter '@nostr-info/cli...' run build >/dev/null)
  fi
  echo "== pnpm deploy --prod from the workspace into ${WORK}/app"
  APP="${WORK}/app"
  (cd "${ROOT}" && pnpm --filter @nostr-info/cli deploy --prod --legacy "${APP}" >/dev/null)
fi
echo "  bundle: $(du -sh "${APP}" | cut -f1), built in $(( $(date +%s) - t0 )) s"

# Read-only code, readable by everyone: the runtime image's /app.
chmod 755 "${WORK}"
chmod -R a-w,a+rX "${APP}"

echo "== bundle contents"
leaks=$(ls "${APP}/node_modules/.pnpm" | grep -E '^(vitest|@vitest|@biomejs|tsx|turbo|@nostr-info\+relay-sim)' || true)
if [[ -z "${leaks}" ]]; then ok "no development dependency in the bundle"; else bad "development dependencies bundled: ${leaks}"; fi
outside=""
for pkg in "${APP}"/node_modules/@nostr-info/*; do
  real="$(readlink -f "${pkg}")"
  [[ "${real}" == "${WORK}"/* ]] || outside="${outside} ${real}"
done
if [[ -z "${outside}" ]]; then ok "workspace packages copied into the bundle, no link back"; else bad "links out of the bundle:${outside}"; fi
if [[ -f "${APP}/node_modules/@nostr-info/shared/assets/seed-relays.txt" ]]; then ok "seed relay list shipped"; else bad "seed relay list missing"; fi
# The API's dependency, not the CLI's: it sits in the bundle's package store, not at the top.
web_manifest=$(find "${APP}/node_modules" -path '*/@nostr-info/web/dist/manifest.json' -print -quit)
if [[ -n "${web_manifest}" && -f "$(dirname "${web_manifest}")/index.html" ]]; then
  ok "web dashboard build shipped"
else
  bad "web dashboard build (@nostr-info/web/dist) missing"
fi

uid=$(cli node -e 'process.stdout.write(String(process.getuid()))')
if [[ "$(id -u)" -ne 0 || "${uid}" -ne 0 ]]; then ok "roles run unprivileged (uid ${uid}) on read-only code"; else bad "roles run as root"; fi

echo "== CLI"
if cli node dist/main.js --help | grep -q 'Usage: nostr-info'; then ok "--help"; else bad "--help"; fi
code=0; cli node dist/main.js no-such-role >/dev/null 2>&1 || code=$?
if [[ ${code} -eq 2 ]]; then ok "unknown command exits 2"; else bad "unknown command exited ${code}"; fi
code=0; cli PORT=not-a-port node dist/main.js api >/dev/null 2>&1 || code=$?
if [[ ${code} -eq 2 ]]; then ok "invalid setting exits 2"; else bad "invalid setting exited ${code}"; fi

echo "== migrate"
createdb -h 127.0.0.1 -U postgres "${DB}"
if cli DATABASE_URL="${PG}/${DB}" node dist/main.js migrate >/dev/null; then ok "migrate"; else bad "migrate"; fi
tables=$(psql -h 127.0.0.1 -U postgres -d "${DB}" -Atc "select count(*) from information_schema.tables where table_schema = 'public'")
if [[ "${tables}" -gt 3 ]]; then ok "migrate created ${tables} tables"; else bad "migrate created ${tables} tables"; fi

common=(DATABASE_URL="${PG}/${DB}" DATABASE_READ_URL="${PG}/${DB}" REDIS_URL="${REDIS}" REDIS_KEY_PREFIX="${PREFIX}")

echo "== scheduler run"
if cli "${common[@]}" node dist/main.js scheduler run >/dev/null; then ok "scheduler run exits 0"; else bad "scheduler run"; fi

echo "== api"
port=$(free_port)
bg "${WORK}/api.log" "${common[@]}" PORT="${port}" HOST=127.0.0.1 node dist/main.js api
api_pid=${bg_pid}
if wait_http "http://127.0.0.1:${port}/health" 20; then ok "api /health"; else bad "api /health (log: $(tail -3 "${WORK}/api.log"))"; fi
if curl -fsS -o /dev/null "http://127.0.0.1:${port}/ready"; then ok "api /ready"; else bad "api /ready"; fi
curl -fsS "http://127.0.0.1:${port}/api/v1/stats/overview?range=24h" -o /dev/null 2>/dev/null || true
curl -fsS "http://127.0.0.1:${port}/metrics" -o "${WORK}/api.metrics" || true
if grep -q '^nostr_info_http_requests_total{' "${WORK}/api.metrics" && grep -q '^nostr_info_stats_last_success_timestamp_seconds [1-9]' "${WORK}/api.metrics"; then
  ok "api /metrics (requests counted, last scheduler run exported)"
else
  bad "api /metrics lacks nostr_info_http_requests_total or the last run time"
fi
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port}/api/v1/stats/overview?range=24h")
if [[ "${status}" == 200 ]]; then ok "api serves the scheduler's snapshot (200)"; else bad "api /api/v1/stats/overview answered ${status}"; fi
page=$(curl -s -D "${WORK}/page.headers" "http://127.0.0.1:${port}/" || true)
if grep -qi '^content-type: text/html' "${WORK}/page.headers" && grep -qi "^content-security-policy: .*script-src 'self'" "${WORK}/page.headers"; then
  ok "api serves the web dashboard at / (HTML, with its CSP)"
else
  bad "api / is not the dashboard: $(head -1 "${WORK}/page.headers")"
fi
script=$(grep -o '/assets/app\.[A-Za-z0-9]*\.js' <<<"${page}" | head -1)
asset=$(curl -s -o /dev/null -w '%{http_code} %header{cache-control}' "http://127.0.0.1:${port}${script:-/assets/none.js}")
if [[ -n "${script}" && "${asset}" == "200 public, max-age=31536000, immutable" ]]; then
  ok "api serves the dashboard's hashed script ${script} (immutable)"
else
  bad "dashboard script ${script:-not named in /}: ${asset}"
fi
stop "${api_pid}" api

echo "== collector"
mport=$(free_port)
closed=$(free_port)
echo "ws://127.0.0.1:${closed}" >"${WORK}/relays.txt"
chmod 644 "${WORK}/relays.txt"
bg "${WORK}/collector.log" "${common[@]}" METRICS_PORT="${mport}" RELAYS_FILE="${WORK}/relays.txt" \
  DISCOVERY_ENABLED=false COLLECTOR_REPLICAS=1 POD_NAME=nostr-info-collector-0 FLUSH_INTERVAL_MS=500 \
  node dist/main.js collector
collector_pid=${bg_pid}
if wait_http "http://127.0.0.1:${mport}/health" 20; then ok "collector /health"; else bad "collector /health (log: $(tail -3 "${WORK}/collector.log"))"; fi
curl -fsS "http://127.0.0.1:${mport}/metrics" -o "${WORK}/collector.metrics" || true
if grep -q '^nostr_info_collector_relays_owned 1' "${WORK}/collector.metrics"; then ok "collector owns its relay (metrics)"; else bad "collector /metrics"; fi
if grep -q '^nostr_info_collector_verifier_info{backend="libsecp256k1-native"} 1' "${WORK}/collector.metrics"; then
  ok "collector verifies with the native libsecp256k1 addon built into the bundle"
else
  bad "collector verifier: $(grep '^nostr_info_collector_verifier_info' "${WORK}/collector.metrics" || echo 'metric missing')"
fi
stop "${collector_pid}" collector

echo
echo "bundle check took $(( $(date +%s) - start )) s"
echo "bundle: ${passed} passed, ${failed} failed"
[[ ${failed} -eq 0 ]]
