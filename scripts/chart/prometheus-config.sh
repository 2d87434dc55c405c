#!/usr/bin/env bash
# Writes prometheus.yml, rules.yaml and used-metrics.txt for a Prometheus outside Kubernetes, with
# the chart's scrape settings (from its ServiceMonitors) and alerts (its PrometheusRule).
# Usage: scripts/chart/prometheus-config.sh --api h:p[,h:p] --collector h:p[,h:p] --out DIR [--set key=value]...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "${ROOT}/scripts/chart/install-helm.sh" >/dev/null
TSX="$(cd "${ROOT}/tools/chart-tests" && node --input-type=module -e "console.log(import.meta.resolve('tsx'))")"
exec node --import "${TSX}" "${ROOT}/tools/chart-tests/src/cli/prometheus-config.ts" "$@"
