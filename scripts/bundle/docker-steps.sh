#!/usr/bin/env bash
# Runs the build stage of the Dockerfile without Docker: copies the build context (honouring
# .dockerignore) to WORK/context and executes the stage's RUN instructions there, in order, with
# `/out` mapped to WORK/out. `corepack enable` and the toolchain's apt-get install are skipped
# (pnpm, python3, make and g++ are installed here) and
# `--mount=type=cache` flags are dropped.
# Usage: scripts/bundle/docker-steps.sh WORK   → the production bundle in WORK/out
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$1"
CONTEXT="${WORK}/context"
OUT="${WORK}/out"
mkdir -p "${CONTEXT}"

# .dockerignore → rsync excludes: "**/x" matches at any depth, anything else from the context root.
excludes=()
while IFS= read -r line; do
  line="${line%%#*}"
  line="$(echo "${line}" | xargs)"
  [[ -z "${line}" ]] && continue
  if [[ "${line}" == '**/'* ]]; then excludes+=("--exclude=${line#'**/'}"); else excludes+=("--exclude=/${line}"); fi
done <"${ROOT}/.dockerignore"
rsync -a "${excludes[@]}" "${ROOT}/" "${CONTEXT}/"

# The RUN instructions of the build stage, continuation lines joined.
mapfile -t steps < <(awk '
  /^FROM .* AS build/ { in_build = 1; next }
  /^FROM / { in_build = 0 }
  in_build {
    line = $0
    if (cont != "") { line = cont " " line; cont = "" }
    if (line ~ /\\$/) { sub(/\\$/, "", line); cont = line; next }
    if (line ~ /^RUN /) print substr(line, 5)
  }' "${ROOT}/Dockerfile")

cd "${CONTEXT}"
export CI=true
for step in "${steps[@]}"; do
  step="$(echo "${step}" | sed -E 's/--mount=[^ ]+ *//g; s#(^| )/out( |$)#\1'"${OUT}"'\2#g; s#/out/#'"${OUT}"'/#g')"
  if [[ "${step}" == "corepack enable"* ]]; then continue; fi
  # The toolchain the stage installs (python3, make, g++) is on this machine already.
  if [[ "${step}" == "apt-get update"* ]]; then continue; fi
  echo "  RUN ${step}"
  bash -c "${step}" >"${WORK}/step.log" 2>&1 || { tail -20 "${WORK}/step.log"; exit 1; }
done
