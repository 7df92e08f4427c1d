#!/usr/bin/env bash
# Runs every cargo-fuzz target for FUZZ_SECONDS (default 60) each, seeded with the NCA test files.
# Not part of CI. Prints name=value lines; the headline (targets that found a crash, hang or OOM;
# 0 is good) comes last. Findings are saved under fuzz/artifacts/<target>/ and named on stderr;
# replay one with `RUSTC_BOOTSTRAP=1 cargo fuzz run -a <target> <file>`.
#
# Needs cargo-fuzz (installed here if missing). cargo-fuzz passes nightly-only flags
# (-Zsanitizer=address, -Cpasses=sancov-module); RUSTC_BOOTSTRAP=1 lets the stable toolchain accept
# them, and stable ships the ASan runtime (librustc-stable_rt.asan.a), so AddressSanitizer is on.
# `-a` keeps debug assertions and overflow checks, as in the crate's own tests.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-certificate cms pkcs12}
vectors=../shared/vectors/nca-test
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

seed() { # target, file glob; base64 files (NCA's .cms) are also added decoded, PEM/base64 .cer too
  mkdir -p "fuzz/corpus/$1"
  for f in $2; do
    [ -f "$f" ] || continue
    cp "$f" "fuzz/corpus/$1/"
    openssl base64 -d -in "$f" -out "fuzz/corpus/$1/$(basename "$f").der" 2>/dev/null || true
    [ -s "fuzz/corpus/$1/$(basename "$f").der" ] || rm -f "fuzz/corpus/$1/$(basename "$f").der"
  done
  true
}
seed certificate "$vectors/*/*.cer"
seed cms "$vectors/*/*.cms"
seed pkcs12 "$vectors/*/*.p12"

# Build first, so that a build failure stops the script instead of counting as a crash.
cargo fuzz build -a >&2

crashes=0
for target in $targets; do
  log=$(mktemp)
  # -timeout: one input running longer than this is a hang; -rss_limit_mb: more memory is an OOM.
  if cargo fuzz run -a "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" \
      -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    :
  else
    crashes=$((crashes + 1))
    echo "fuzz: $target found a problem:" >&2
    grep -E "panicked|ERROR|SUMMARY|Test unit written|timeout after|out-of-memory" "$log" | head -8 >&2 || true
  fi
  execs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -1)
  slow=$(grep -c "Slowest unit" "$log" || true) # libFuzzer reports units over 10 s
  echo "fuzz_${target}_seconds=$seconds"
  echo "fuzz_${target}_execs=${execs:-0}"
  echo "fuzz_${target}_slow_units=${slow:-0}"
  rm -f "$log"
done
echo "fuzz_crashes=$crashes"
