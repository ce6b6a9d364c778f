#!/usr/bin/env bash
# Installs the optional test oracles into tests/tools (ignored by git). Idempotent; safe offline (it just fails).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Image decoding oracles (Emc.Imaging.Tests): libjpeg-turbo's djpeg/cjpeg and netpbm. Root only, never fatal.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && { ! command -v djpeg >/dev/null 2>&1 || ! command -v pnmtopng >/dev/null 2>&1; }; then
  (timeout 120 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq --no-install-recommends libjpeg-turbo-progs netpbm) >/dev/null 2>&1 ||
    echo "install-test-tools.sh: could not install libjpeg-turbo-progs/netpbm; imaging oracle tests will skip" >&2
fi

exit 0
