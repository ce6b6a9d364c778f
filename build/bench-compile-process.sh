#!/usr/bin/env bash
# Issue 12 item 6: what running the compiler as a separate process costs. Packs Emc.Sdk from this checkout and
# times, interleaved, a build that recompiles 1 and 8 models (every model touched before each run) plus the no-op
# build of samples/ConsoleApp with and without its models (build/bench-noop-build.sh's ratio, target <= 1.05).
# Prints one table row labelled $1, so runs of two checkouts (in-process vs out-of-process) line up.
# Usage: bash build/bench-compile-process.sh <label> [runs=9] [noop-runs=15]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
label="${1:?label}"
runs="${2:-9}"
noop_runs="${3:-15}"
cd "$repo"

dotnet pack src/Emc.Build.Sdk -c Release -o artifacts/packages -nologo >/dev/null
export NUGET_PACKAGES="$repo/artifacts/nuget-packages"
rm -rf "$NUGET_PACKAGES/emc.sdk"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

bench="$repo/artifacts/bench-process"
rm -rf "$bench"
mkdir -p "$bench"
cp -r samples/models samples/Directory.Build.props samples/Directory.Build.targets samples/Directory.Packages.props "$bench/"
sed 's#../artifacts/packages#'"$repo"'/artifacts/packages#' samples/NuGet.config > "$bench/NuGet.config"
for n in 1 8; do
  mkdir -p "$bench/m$n"
  items=""
  for ((k = 0; k < n; k++)); do
    cp samples/models/shapes.onnx "$bench/m$n/net$k.onnx"
    items="$items<EmcModel Include=\"net$k.onnx\" Dataset=\"../models/calib\" InputRange=\"0,1\" />"
  done
  cat > "$bench/m$n/m$n.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><UseAppHost>false</UseAppHost></PropertyGroup>
  <ItemGroup><PackageReference Include="Emc.Sdk" Version="\$(EmcSdkVersion)" PrivateAssets="all" /></ItemGroup>
  <ItemGroup>$items</ItemGroup>
</Project>
XML
  dotnet build "$bench/m$n" -nologo -v:q >/dev/null
done
for variant in with without; do
  mkdir -p "$bench/noop-$variant"
  cp samples/ConsoleApp/ConsoleApp.csproj samples/ConsoleApp/Program.cs "$bench/noop-$variant/"
done
props() { [ "$1" = without ] && echo "-p:EmcBenchNoModels=true" || true; }
for variant in with without; do
  dotnet build "$bench/noop-$variant" -nologo -v:q $(props $variant) >/dev/null
  dotnet build "$bench/noop-$variant" -nologo -v:q --no-restore $(props $variant) >/dev/null
done

timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
declare -a t1 t8 tw to
for ((i = 0; i < runs; i++)); do
  touch "$bench"/m1/*.onnx; t1+=("$(timed dotnet build "$bench/m1" -nologo -v:q --no-restore)")
  touch "$bench"/m8/*.onnx; t8+=("$(timed dotnet build "$bench/m8" -nologo -v:q --no-restore)")
done
for ((i = 0; i < noop_runs; i++)); do
  tw+=("$(timed dotnet build "$bench/noop-with" -nologo -v:q --no-restore)")
  to+=("$(timed dotnet build "$bench/noop-without" -nologo -v:q --no-restore $(props without))")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
m1=$(median "${t1[@]}"); m8=$(median "${t8[@]}"); mw=$(median "${tw[@]}"); mo=$(median "${to[@]}")
echo "raw 1 model: ${t1[*]}"
echo "raw 8 models: ${t8[*]}"
echo "raw no-op with: ${tw[*]}"
echo "raw no-op without: ${to[*]}"
printf '| %-16s | %-22s | %-22s | %-28s |\n' "variant" "compile 1 model (s)" "compile 8 models (s)" "no-op with/without (ratio)"
printf '| %-16s | %-22.3f | %-22.3f | %.3f / %.3f (%.3f) |\n' "$label" "$m1" "$m8" "$mw" "$mo" "$(echo "$mw / $mo" | bc -l)"
