#!/usr/bin/env bash
# Installs promtool from Debian's prometheus package (idempotent). The Prometheus service the
# package brings is not started here: only the promtool binary is needed for rule checks.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi

# Keep the package's post-install from starting the service (no init system runs here anyway).
export DEBIAN_FRONTEND=noninteractive
if ! ${SUDO} apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1; then
  ${SUDO} apt-get update >/dev/null
  ${SUDO} apt-get install -y --no-install-recommends prometheus >/dev/null
fi
promtool --version | head -1
