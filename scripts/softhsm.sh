#!/usr/bin/env bash
# Installs what the qoltanba-hsm tests talk to, if missing: SoftHSM2 (the PKCS#11 module and
# softhsm2-util) and OpenSC's pkcs11-tool. The tests make their own token in a temp dir; nothing here
# touches the system's /etc/softhsm or /var/lib/softhsm.
set -euo pipefail

need=()
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
