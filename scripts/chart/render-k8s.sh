#!/usr/bin/env bash
# Regenerates k8s/ (plain manifests from the chart's defaults), the chart README and
# values.schema.json. `--check` only reports drift (exit 1), as CI does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "${ROOT}/scripts/chart/install-helm.sh" >/dev/null
cd "${ROOT}/tools/chart-tests"
exec node --import tsx src/cli/generate.ts "$@"
