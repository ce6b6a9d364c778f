#!/usr/bin/env bash
# Prints the C runtime's figures: host ms per inference next to the C# simulator's (MobileNetV1-0.25 compiled by
# emc, the MaixPy MNIST kmodel, a compiled MNIST net), Cortex-M4F code size of the runtime at -Os, and the RAM each
# model needs (main memory + KPU arena). Needs ../shared/testdata; writes only under artifacts/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$repo/../shared/testdata"
work="$repo/artifacts/runtime/bench"
mkdir -p "$work"
cd "$repo"

bash build/build-runtime.sh host >/dev/null
command -v arm-none-eabi-gcc >/dev/null 2>&1 && bash build/build-runtime.sh cortex-m >/dev/null || true
dotnet build -c Release src/Emc.Cli >/dev/null
dotnet build -c Release tests/Emc.Benchmarks >/dev/null
emc() { dotnet "$repo/src/Emc.Cli/bin/Release/net10.0/emc.dll" "$@"; }
bench() { dotnet "$repo/tests/Emc.Benchmarks/bin/Release/net10.0/Emc.Benchmarks.dll" "$@"; }

# Models: MobileNetV1-0.25 and an MNIST net compiled by emc, and the MaixPy MNIST kmodel.
if [ ! -f "$work/mobilenetv1-0.25.kmodel" ]; then
  mapfile -t calib < <(ls "$data/maix-emc-mbnetv1/mbnetv1_dataset/"*.JPEG | sort | head -16)
  emc compile "$data/mobilenetv1-0.25-imagenet/model.onnx" -o "$work/mobilenetv1-0.25.kmodel" --input-range -1,1 -d "${calib[@]}" >/dev/null
fi
if [ ! -f "$work/mnist-tiny.kmodel" ]; then
  # 64 t10k digits as float32 .npy in [-1, 1], the model's input range.
  mkdir -p "$work/mnist-calibration"
  python3 - "$data/real-onnx/mnist-t10k/t10k-images-idx3-ubyte.gz" "$work/mnist-calibration" <<'PY'
import gzip, struct, sys
raw = gzip.open(sys.argv[1]).read()
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 28, 28), }".ljust(117) + "\n"
for i in range(64):
    pixels = raw[16 + i * 784:16 + (i + 1) * 784]
    with open(f"{sys.argv[2]}/{i:04d}.npy", "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<784f", *[p * 2 / 255 - 1 for p in pixels]))
PY
  emc compile "$data/real-onnx/mnist-tiny-3x3_pytorch_joeylical/mnist.onnx" -o "$work/mnist-tiny.kmodel" --input-range -1,1 \
    -d "$work/mnist-calibration" >/dev/null || rm -f "$work/mnist-tiny.kmodel"
fi
models=("$work/mobilenetv1-0.25.kmodel" "$data/kmodel-v3/maixpy-v1-scripts/mnist/mnist.kmodel" "$data/maix-emc-mbnetv1/mbnetv1.kmodel")
[ -f "$work/mnist-tiny.kmodel" ] && models+=("$work/mnist-tiny.kmodel")

printf '%-28s %10s %10s %8s %12s %12s\n' model "C ms" "C# ms" ratio "main bytes" "arena bytes"
for m in "${models[@]}"; do
  bytes=$("$repo/artifacts/runtime/host/emcrt-run" --info "$m" | sed -nE 's/^input: [a-z0-9]+ \[[0-9,]+\] ([0-9]+) bytes.*/\1/p')
  head -c "$bytes" /dev/urandom > "$work/input.bin"
  c_ms=$("$repo/artifacts/runtime/host/emcrt-run" "$m" "$work/input.bin" "$work/out.bin" --repeat 20 2>&1 | sed -nE 's/.*: ([0-9.]+) ms per inference.*/\1/p')
  cs_ms=$(bench sim-timing "$m" "$work/input.bin" | sed -nE 's/^([0-9.]+) ms per inference.*/\1/p')
  read -r main arena < <("$repo/artifacts/runtime/host/emcrt-run" --info "$m" | sed -nE 's/^main memory ([0-9]+) bytes, KPU arena ([0-9]+) bytes.*/\1 \2/p')
  printf '%-28s %10s %10s %8s %12s %12s\n' "$(basename "$m")" "$c_ms" "$cs_ms" "$(awk -v a="$c_ms" -v b="$cs_ms" 'BEGIN{printf "%.2f", a/b}')" "$main" "$arena"
done
if [ -f "$repo/artifacts/runtime/cortex-m/size-Os-m4.txt" ]; then
  echo "Cortex-M4F code size of the runtime (-Os, arm-none-eabi-gcc, text data bss):"
  tail -n 1 "$repo/artifacts/runtime/cortex-m/size-Os-m4.txt"
fi
echo "host: $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); C: gcc -O2; C#: simulator after warm-up"
