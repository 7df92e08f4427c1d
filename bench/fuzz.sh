#!/usr/bin/env bash
# Runs every cargo-fuzz target for FUZZ_SECONDS (default 60) each, seeded with the NCA test files.
# Not part of CI. Prints name=value lines; the headline (crashes found, 0 is good) comes last.
# Needs cargo-fuzz (installed here if missing); RUSTC_BOOTSTRAP lets the stable toolchain build the
# sanitizer flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
vectors=../shared/vectors/nca-test
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

seed() { # target, file glob
  mkdir -p "fuzz/corpus/$1"
  for f in $2; do
    [ -f "$f" ] && cp "$f" "fuzz/corpus/$1/"
  done
  true
}
seed certificate "$vectors/*/*.cer"
seed cms "$vectors/*/*.cms"
seed pkcs12 "$vectors/*/*.p12"

crashes=0
for target in certificate cms pkcs12; do
  log=$(mktemp)
  if cargo fuzz run --release "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    :
  else
    crashes=$((crashes + 1))
    grep -E "panicked|ERROR|SUMMARY" "$log" | head -5 >&2 || true
  fi
  execs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -1)
  echo "fuzz_${target}_seconds=$seconds"
  echo "fuzz_${target}_execs=${execs:-0}"
  rm -f "$log"
done
echo "fuzz_crashes=$crashes"
