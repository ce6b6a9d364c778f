#!/usr/bin/env bash
# Builds and runs the C runtime (src/Emc.Runtime.C) and its tools.
#   bash build/build-runtime.sh host|riscv64|cortex-m      builds into artifacts/runtime/<target>/
#   bash build/build-runtime.sh run <target> MODEL IN OUT   runs emcrt-run (qemu for the cross targets)
#   bash build/build-runtime.sh fuzz SEED COUNT DIR...      runs the ASan+UBSan mutation driver on the kmodels
# host builds emcrt-run with gcc and clang (-std=c99 -Wall -Wextra -Werror -pedantic), an ASan+UBSan emcrt-run
# and the ASan+UBSan fuzz driver; a missing compiler is reported and skipped (exit 3 when nothing was built).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$repo/src/Emc.Runtime.C"
out_root="$repo/artifacts/runtime"
warn=(-std=c99 -Wall -Wextra -Werror -pedantic)
fp=(-ffp-contract=off)
lib=("$src"/emc_*.c)

build_host() {
  local out="$out_root/host" built=0
  mkdir -p "$out"
  for cc in gcc clang; do
    if command -v "$cc" >/dev/null 2>&1; then
      "$cc" "${warn[@]}" "${fp[@]}" -O2 -I"$src" "${lib[@]}" "$src/tools/emcrt-run.c" -o "$out/emcrt-run-$cc" -lm
      built=1
    else
      echo "build-runtime: $cc not found; skipped" >&2
    fi
  done
  [ -f "$out/emcrt-run-gcc" ] && cp "$out/emcrt-run-gcc" "$out/emcrt-run"
  [ -f "$out/emcrt-run" ] || { [ -f "$out/emcrt-run-clang" ] && cp "$out/emcrt-run-clang" "$out/emcrt-run"; }
  local san_cc=""
  for cc in gcc clang; do command -v "$cc" >/dev/null 2>&1 && { san_cc="$cc"; break; }; done
  if [ -n "$san_cc" ]; then
    local san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
    "$san_cc" "${warn[@]}" "${fp[@]}" "${san[@]}" -I"$src" "${lib[@]}" "$src/tools/emcrt-run.c" -o "$out/emcrt-run-asan" -lm
    "$san_cc" "${warn[@]}" "${fp[@]}" "${san[@]}" -I"$src" "${lib[@]}" "$src/tools/emcrt-fuzz.c" -o "$out/emcrt-fuzz-asan" -lm
  fi
  [ "$built" = 1 ] || exit 3
}

build_riscv64() {
  local cc=riscv64-linux-gnu-gcc out="$out_root/riscv64"
  command -v "$cc" >/dev/null 2>&1 || { echo "build-runtime: $cc not found (apt-get install gcc-riscv64-linux-gnu)" >&2; exit 3; }
  mkdir -p "$out"
  "$cc" "${warn[@]}" "${fp[@]}" -O2 -static -I"$src" "${lib[@]}" "$src/tools/emcrt-run.c" -o "$out/emcrt-run" -lm
}

# Cortex-M4F (MPS2 AN386) and Cortex-M7 (MPS2 AN500), newlib with semihosting file I/O.
build_cortex_m() {
  local cc=arm-none-eabi-gcc out="$out_root/cortex-m"
  command -v "$cc" >/dev/null 2>&1 || { echo "build-runtime: $cc not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)" >&2; exit 3; }
  mkdir -p "$out"
  local common=(-mthumb -O2 --specs=rdimon.specs -T "$src/tools/cortex-m/mps2.ld" -Wl,--gc-sections -ffunction-sections -fdata-sections)
  # newlib's expf on a single-precision FPU is not glibc's (the simulator's): see exp_f in emc_cpu_float.c.
  "$cc" "${warn[@]}" "${fp[@]}" -DEMC_EXPF_VIA_DOUBLE -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16 "${common[@]}" -I"$src" \
    "${lib[@]}" "$src/tools/emcrt-run.c" "$src/tools/cortex-m/startup.c" -o "$out/emcrt-run-m4.elf" -lm
  "$cc" "${warn[@]}" "${fp[@]}" -mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16 "${common[@]}" -I"$src" \
    "${lib[@]}" "$src/tools/emcrt-run.c" "$src/tools/cortex-m/startup.c" -o "$out/emcrt-run-m7.elf" -lm
  # Code size of the runtime alone (-Os, Cortex-M4F), what an application links.
  (cd "$out" && "$cc" "${warn[@]}" "${fp[@]}" -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os \
    -ffunction-sections -c -I"$src" "${lib[@]}" && arm-none-eabi-size -t emc_*.o > size-Os-m4.txt)
}

run_target() {
  local target="$1" model="$2" input="$3" output="$4"
  shift 4
  case "$target" in
    host) "$out_root/host/emcrt-run" "$model" "$input" "$output" "$@" ;;
    host-clang) "$out_root/host/emcrt-run-clang" "$model" "$input" "$output" "$@" ;;
    host-asan) "$out_root/host/emcrt-run-asan" "$model" "$input" "$output" "$@" ;;
    riscv64) qemu-riscv64 "$out_root/riscv64/emcrt-run" "$model" "$input" "$output" "$@" ;;
    cortex-m|cortex-m4|cortex-m7)
      local machine=mps2-an386 elf="$out_root/cortex-m/emcrt-run-m4.elf"
      [ "$target" = cortex-m7 ] && { machine=mps2-an500; elf="$out_root/cortex-m/emcrt-run-m7.elf"; }
      # Semihosting opens files relative to QEMU's working directory; pass absolute paths.
      local args="emcrt-run,arg=$(realpath "$model"),arg=$(realpath "$input"),arg=$(realpath -m "$output")"
      for a in "$@"; do args="$args,arg=$a"; done
      timeout 600 qemu-system-arm -M "$machine" -nographic -monitor none -serial none \
        -semihosting-config "enable=on,target=native,arg=$args" -kernel "$elf"
      [ -s "$output" ] ;;
    *) echo "build-runtime: unknown target $target" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  host) build_host ;;
  riscv64) build_riscv64 ;;
  cortex-m) build_cortex_m ;;
  run) shift; [ $# -ge 4 ] || { echo "usage: build-runtime.sh run <target> MODEL IN OUT" >&2; exit 2; }; run_target "$@" ;;
  fuzz) shift; exec "$out_root/host/emcrt-fuzz-asan" "$@" ;;
  *) echo "usage: build-runtime.sh host|riscv64|cortex-m | run <target> MODEL IN OUT | fuzz SEED COUNT FILE..." >&2; exit 2 ;;
esac
