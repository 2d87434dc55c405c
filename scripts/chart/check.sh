#!/usr/bin/env bash
# Chart checks: helm lint --strict and helm template over the defaults and every ci/*-values.yaml,
# then the chart-tests vitest suite (strict schema validation of every rendered object, unit
# assertions, README/values.schema.json/k8s drift, dashboards and alerts against docs/metrics.md,
# promtool check/test rules). Installs helm and promtool first when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHART="${ROOT}/charts/nostr-info"
HELM="${ROOT}/.tools/bin/helm"
start=$(date +%s)

step() { printf '\n== %s\n' "$*"; }

step "tools"
bash "${ROOT}/scripts/chart/install-helm.sh" >/dev/null
bash "${ROOT}/scripts/chart/install-promtool.sh" >/dev/null
"${HELM}" version --short
promtool --version 2>&1 | head -1

helm_args() { sed -n 's/^# helm-args: //p' "$1"; }

step "helm lint --strict"
"${HELM}" lint --strict "${CHART}" --quiet
for values in "${CHART}"/ci/*-values.yaml; do
  echo "-- $(basename "${values}")"
  "${HELM}" lint --strict "${CHART}" --quiet --values "${values}"
done

step "helm template"
for values in "${CHART}"/ci/*-values.yaml; do
  # shellcheck disable=SC2046 # helm-args are flags, split on purpose
  count=$("${HELM}" template nostr-info "${CHART}" --namespace nostr-info --values "${values}" $(helm_args "${values}") | grep -c '^kind:')
  echo "-- $(basename "${values}"): ${count} objects"
done

step "chart-tests (vitest)"
if [[ ! -d "${ROOT}/tools/chart-tests/node_modules" ]]; then
  (cd "${ROOT}" && pnpm install --frozen-lockfile)
fi
if [[ ! -f "${ROOT}/packages/shared/dist/index.js" ]]; then
  (cd "${ROOT}" && pnpm --filter @nostr-info/shared build)
fi
(cd "${ROOT}" && pnpm --filter @nostr-info/chart-tests test)

echo
echo "chart checks passed in $(( $(date +%s) - start )) s"
