#!/usr/bin/env bash
# Installs the optional test oracles into tests/tools (ignored by git). Idempotent; safe offline (it just fails).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Image decoding oracles (Emc.Imaging.Tests): libjpeg-turbo's djpeg/cjpeg and netpbm. Root only, never fatal.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && { ! command -v djpeg >/dev/null 2>&1 || ! command -v pnmtopng >/dev/null 2>&1; }; then
  (timeout 120 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq --no-install-recommends libjpeg-turbo-progs netpbm) >/dev/null 2>&1 ||
    echo "install-test-tools.sh: could not install libjpeg-turbo-progs/netpbm; imaging oracle tests will skip" >&2
fi

# Headless Chromium (Emc.Cli.Tests HtmlReportTests renders the HTML compile report). Root only, never fatal.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1; then
  (timeout 120 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 ||
    echo "install-test-tools.sh: could not install chromium; the HTML report rendering test will skip" >&2
fi

# C runtime targets (Emc.Runtime.Tests): clang for the second host compiler, the riscv64 cross compiler with
# qemu-user, and the bare-metal Arm toolchain (newlib, semihosting) with qemu-system-arm's MPS2 boards. Root only,
# never fatal; missing ones make their tests skip (CI=true fails them).
runtime_tools=(clang riscv64-linux-gnu-gcc qemu-riscv64 arm-none-eabi-gcc qemu-system-arm)
missing_runtime_tool=0
for tool in "${runtime_tools[@]}"; do command -v "$tool" >/dev/null 2>&1 || missing_runtime_tool=1; done
if [ "$missing_runtime_tool" = 1 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (timeout 120 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends \
    clang qemu-user gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm) >/dev/null 2>&1 ||
    echo "install-test-tools.sh: could not install the C runtime cross toolchains; their tests will skip" >&2
fi

# ONNX Runtime oracle: npm onnxruntime-node (ships libonnxruntime.so + the N-API binding; no install script needed).
ort="$repo/tests/tools/ort"
want="$(sed -nE 's/.*"onnxruntime-node": *"([^"]+)".*/\1/p' "$ort/package.json")"
have="$(sed -nE 's/^ *"version": *"([^"]+)".*/\1/p' "$ort/node_modules/onnxruntime-node/package.json" 2>/dev/null | head -n1)"
if [ -n "$want" ] && [ "$have" = "$want" ]; then
  :
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-test-tools: node/npm not found; ONNX Runtime differential tests will skip" >&2
else
  echo "install-test-tools: installing onnxruntime-node $want into tests/tools/ort" >&2
  (cd "$ort" && timeout 600 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) ||
    echo "install-test-tools: npm ci failed; ONNX Runtime differential tests will skip" >&2
fi

exit 0
