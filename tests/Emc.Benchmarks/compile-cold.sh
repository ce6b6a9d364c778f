#!/usr/bin/env bash
# Cold CLI compile of MobileNetV1-0.25 with 16 calibration JPEGs: one fresh `emc` process per run.
# Usage: tests/Emc.Benchmarks/compile-cold.sh [runs]   (from the repository root; builds emc in Release first)
set -euo pipefail
runs=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
data="$root/../shared/testdata"
dotnet build "$root/src/Emc.Cli" -c Release -v q -nologo >/dev/null
emc="$root/src/Emc.Cli/bin/Release/net10.0/emc"
out=$(mktemp -d)
mapfile -t images < <(ls "$data/maix-emc-mbnetv1/mbnetv1_dataset/"*.JPEG | LC_ALL=C sort | head -16)
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  "$emc" compile "$data/mobilenetv1-0.25-imagenet/model.onnx" -o "$out/m.kmodel" --input-range -1,1 \
    --report "$out/r.json" --dataset "${images[@]}" >"$out/table.txt" 2>"$out/stderr.txt"
  end=$(date +%s.%N)
  printf 'run %d: %.2f s\n' "$i" "$(echo "$end - $start" | bc)"
done
printf 'kmodel %d bytes; ' "$(stat -c %s "$out/m.kmodel")"
grep -o '"mainMemUsage": [0-9]*\|"kpuPeakBytes": [0-9]*' "$out/r.json" | tr '\n' ' '
echo
rm -rf "$out"
