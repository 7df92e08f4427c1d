#!/usr/bin/env bash
# Speed of the pki operations (criterion, release profile): prints `<name>_us=<mean microseconds>` lines,
# the headline (CMS verification of a 64 KiB document) last. Needs ../shared/vectors/nca-test.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo bench -q -p qoltanba-pki --bench pki -- --output-format bencher 2>/dev/null)
# bencher lines: "test <name> ... bench:   <ns> ns/iter (+/- <ns>)"
echo "$out" | awk '/^test .* bench:/ { gsub(",", "", $5); printf "%s_us=%.1f\n", $2, $5 / 1000 }' \
  | sort -t= -k1,1 | awk '/^cms_verify_64k/ { last = $0; next } { print } END { if (last) print last }'
