#!/usr/bin/env bash
# Installs the Debian tools the checks run for real (idempotent): Prometheus with promtool (alert
# rule tests, the topology check's scraping server), the Pushgateway (the scheduler's push test),
# unzip (Helm comes zipped inside an npm package) and Chromium (the web dashboard's browser tests
# and Lighthouse; Debian's build, never one downloaded by a test tool). No service is started here.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 && [ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/prometheus-pushgateway ] || need+=(prometheus-pushgateway)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
[ -x /usr/bin/chromium ] || need+=(chromium)
# A text font for the pages Chromium renders (screenshots, Lighthouse); recommended, not pulled in.
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
[ "${#need[@]}" -eq 0 ] && { echo "ensure-tools: prometheus, promtool, pushgateway, unzip and chromium present"; exit 0; }

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "ensure-tools: installing ${need[*]} from Debian"
if ! ${SUDO} apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  ${SUDO} apt-get update >/dev/null
  ${SUDO} apt-get install -y --no-install-recommends "${need[@]}" >/dev/null || {
    echo "ensure-tools: could not install ${need[*]} with apt-get" >&2
    exit 1
  }
fi
# The packages' post-install may start their services where an init system runs; the checks start
# their own instances on free ports, so stop any that came up.
pkill -x prometheus 2>/dev/null || true
pkill -x prometheus-pushgateway 2>/dev/null || true
echo "ensure-tools: installed ${need[*]}"
