#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs and starts what the tests talk to, then runs them.
# Real peers: the openssl CLI, Java keytool, headless Chromium (WebDriver), SoftHSM2 (+ OpenSC's pkcs11-tool), PostgreSQL, the Python
# openapi-spec-validator, a desktop JVM for the Kotlin bindings; plus ../shared/vectors/nca-test.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v keytool >/dev/null || need+=(openjdk-17-jdk-headless)
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
# The Kotlin suite (cargo xtask kotlin-test): JNA and JUnit 4 from Debian, kotlinc from npm (fetched by xtask).
[ -f /usr/share/java/jna.jar ] || need+=(libjna-java)
[ -f /usr/share/java/junit4.jar ] || need+=(junit4)
command -v npm >/dev/null || need+=(npm)
# Browser tests (tests/tests/demo_bank.rs, tests/tests/login_browser.rs): headless Chromium over WebDriver.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
python3 -c "import openapi_spec_validator" 2>/dev/null || python3 -m pip install -q openapi-spec-validator

# PostgreSQL: the server's storage tests run against it as well as SQLite.
scripts/postgres.sh
export QOLTANBA_TEST_POSTGRES_URL=${QOLTANBA_TEST_POSTGRES_URL:-postgres://qoltanba:qoltanba@127.0.0.1:5432/postgres}

# A one-shot build gains nothing from incremental compilation's extra work and disk.
export CARGO_INCREMENTAL=0

cargo fmt --all -- --check
cargo test --workspace --locked "$@"
# The UniFFI bindings and the Kotlin library module, compiled with kotlinc and run on the JVM against real
# qoltanba-server processes.
cargo xtask kotlin-test
# The Swift bindings, regenerated from the same library: fails when the public Swift API drifts from
# ios/Qoltanba/api/QoltanbaFFI.api (`cargo xtask swift-api --bless` after an intended change).
cargo xtask swift-api
