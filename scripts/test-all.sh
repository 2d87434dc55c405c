#!/usr/bin/env bash
# Every check and test of the repository (`pnpm test:all`): makes sure the machine's PostgreSQL and
# Redis run, starts a Redis Cluster and a Postgres primary + replica on loopback, then lint, build,
# type checks and all tests. The loopback services this run started are stopped on exit.
#
# NOSTR_INFO_KEEP_SERVICES=1 leaves the cluster and the replica running afterwards.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SERVICES=scripts/services
STARTED_AT=$SECONDS
# Everything this run prints is also kept, to add up the test runners' counts at the end.
RUN_LOG=$(mktemp /tmp/nostr-info-test-all.XXXXXX)
exec > >(tee "$RUN_LOG") 2>&1
SUMMARY=()
STARTED_CLUSTER=0
STARTED_REPLICA=0

log() { printf '\n[test-all] %s\n' "$*"; }

# step <name> <command...>: runs a command and records its outcome and duration for the summary.
# A failing step fails the run; with CONTINUE=1 the next steps still run, so one run shows every
# problem (lint, types and tests) at once.
FAILED=0
step() {
  local name=$1 t0=$SECONDS rc=0
  shift
  log "$name: $*"
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then
    SUMMARY+=("ok      $(printf '%4ss' $((SECONDS - t0)))  $name")
  else
    SUMMARY+=("FAILED  $(printf '%4ss' $((SECONDS - t0)))  $name (exit $rc)")
    FAILED=$((FAILED + 1))
    [ "${CONTINUE:-0}" = 1 ] || return "$rc"
  fi
}

finish() {
  local rc=$?
  set +e
  if [ "${NOSTR_INFO_KEEP_SERVICES:-0}" != 1 ]; then
    # Only what this run started: services that were already up belong to someone else's session.
    [ "$STARTED_REPLICA" = 1 ] && bash "$SERVICES/pg-replica.sh" stop
    [ "$STARTED_CLUSTER" = 1 ] && bash "$SERVICES/redis-cluster.sh" stop
  fi
  printf '\n[test-all] summary (%ss in all)\n' $((SECONDS - STARTED_AT))
  local line
  for line in "${SUMMARY[@]}"; do printf '  %s\n' "$line"; done
  if [ "$rc" -eq 0 ]; then printf '[test-all] all passed\n'; else printf '[test-all] FAILED (exit %s)\n' "$rc"; fi
  # The run's output without colours, read twice below.
  local plain
  plain=$(sed 's/\x1b\[[0-9;]*m//g' "$RUN_LOG")
  # One closing line over every vitest run ("Tests  3 failed | 61 passed (64)").
  awk '
    /^[^ ]*:? *Tests +[0-9]/ || /^ *Tests +[0-9]/ {
      for (i = 1; i <= NF; i++) {
        if ($(i + 1) ~ /^passed/) passed += $i
        if ($(i + 1) ~ /^failed/) failed += $i
      }
    }
    END { printf "tests: %d passed, %d failed\n", passed, failed }' <<<"$plain"
  # The failing tests by name, so the last lines of a long run say what to look at.
  local failing
  failing=$(grep -E ' FAIL  ' <<<"$plain" | sed 's/^ *//' | awk '!seen[$0]++' | head -n 40)
  [ -z "$failing" ] || printf 'failing:\n%s\n' "$(sed 's/^/  /' <<<"$failing")"
  rm -f "$RUN_LOG"
  exit "$rc"
}
trap finish EXIT

# Without these services no test can run: they always stop the run when they fail.
step "local PostgreSQL and Redis" bash "$SERVICES/ensure-local.sh"

step "Debian tools: prometheus, promtool, pushgateway, unzip, chromium" bash "$SERVICES/ensure-tools.sh"

bash "$SERVICES/redis-cluster.sh" status >/dev/null 2>&1 || STARTED_CLUSTER=1
step "Redis Cluster 127.0.0.1:7000-7005" bash "$SERVICES/redis-cluster.sh" start

bash "$SERVICES/pg-replica.sh" status >/dev/null 2>&1 || STARTED_REPLICA=1
step "Postgres primary :5433 + replica :5434" bash "$SERVICES/pg-replica.sh" start

CONTINUE=1
step "lint (biome)" pnpm lint
step "structure: no import cycles, no file over 400 lines without a reason" bash scripts/checks/structure.sh
step "build + typecheck" pnpm turbo run build typecheck
# --continue: a failing package does not hide the results of the packages after it.
# chart-tests run inside the chart step below, with helm lint/template first.
step "tests (every package, one at a time)" pnpm turbo run test --concurrency=1 --continue --filter='!@nostr-info/chart-tests'

# chart and topology checks
step "Helm chart: lint, template, schemas, unit assertions, k8s/ drift, promtool rules" bash scripts/chart/check.sh
step "image bundle: Dockerfile build steps, every role started outside the workspace" bash scripts/bundle/check.sh
# Last: it kills (and afterwards restores) a Redis Cluster master.
step "topology: 3 collectors, scheduler on the replica, 2 APIs on Redis Cluster, Prometheus" \
  pnpm --filter @nostr-info/topology topology

[ "$FAILED" -eq 0 ] || exit 1
