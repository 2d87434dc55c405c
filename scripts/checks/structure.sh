#!/usr/bin/env bash
# Structure checks (part of `pnpm test:all`):
#  1. no import cycle in any package's sources (type-only imports count: a cycle of types is still
#     two modules that cannot be read one without the other);
#  2. no source file over 400 lines unless its first lines say why (a comment containing
#     "over 400 lines:" followed by the reason). Frozen migrations are exempt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

MAX_LINES=400
SOURCES=(packages/*/src relay-sim/src tools/*/src)
status=0

echo "[structure] import cycles in ${SOURCES[*]}"
if ! pnpm exec madge --circular --no-spinner --extensions ts --ts-config tooling/tsconfig.base.json "${SOURCES[@]}"; then
  echo "[structure] FAILED: import cycles above" >&2
  status=1
fi

echo "[structure] files over $MAX_LINES lines"
long=0
while IFS= read -r file; do
  lines=$(wc -l <"$file")
  [ "$lines" -le "$MAX_LINES" ] && continue
  if head -n 5 "$file" | grep -qi "over $MAX_LINES lines:"; then
    echo "  $file: $lines lines (reason stated)"
    continue
  fi
  echo "  $file: $lines lines, no reason stated at its top" >&2
  long=$((long + 1))
done < <(find "${SOURCES[@]}" -name '*.ts' -not -path '*/db/migrations/*' -not -path '*/node_modules/*' | sort)
if [ "$long" -gt 0 ]; then
  echo "[structure] FAILED: $long file(s) over $MAX_LINES lines without a reason" >&2
  status=1
else
  echo "[structure] no file over $MAX_LINES lines without a reason"
fi
exit "$status"
