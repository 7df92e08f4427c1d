#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests talk to, then runs every test.
# Peers the tests use for real: the openssl CLI, Java keytool, and ../shared/vectors/nca-test.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v keytool >/dev/null || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

cargo fmt --all -- --check
cargo test --workspace --locked "$@"
