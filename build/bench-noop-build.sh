#!/usr/bin/env bash
# Issue item 10: cost of Emc.Sdk on a no-op `dotnet build`. Times N no-op builds of samples/ConsoleApp with its
# 3 models and of the same project without them (EmcBenchNoModels=true), interleaved in one run, and prints
# the medians and their ratio (target <= 1.05). Builds copies under artifacts/bench so the two variants never
# invalidate each other's obj folders.  Usage: bash build/bench-noop-build.sh [runs=30]  (fewer runs are too noisy on a 2-core machine)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-30}"
cd "$repo"

dotnet pack src/Emc.Build.Sdk -c Release -o artifacts/packages -nologo >/dev/null
export NUGET_PACKAGES="$repo/artifacts/nuget-packages"
rm -rf "$NUGET_PACKAGES/emc.sdk"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

bench="$repo/artifacts/bench"
rm -rf "$bench"
for variant in with without; do
  mkdir -p "$bench/$variant"
  cp -r samples/models samples/Directory.Build.props samples/Directory.Build.targets samples/Directory.Packages.props "$bench/$variant/"
  sed 's#../artifacts/packages#'"$repo"'/artifacts/packages#' samples/NuGet.config > "$bench/$variant/NuGet.config"
  mkdir -p "$bench/$variant/ConsoleApp"
  cp samples/ConsoleApp/ConsoleApp.csproj samples/ConsoleApp/Program.cs "$bench/$variant/ConsoleApp/"
done
props() { [ "$1" = without ] && echo "-p:EmcBenchNoModels=true" || true; }

# Warm up: first builds (compile models, restore), then one untimed no-op each.
for variant in with without; do
  dotnet build "$bench/$variant/ConsoleApp" -nologo -v:q $(props $variant) >/dev/null
  dotnet build "$bench/$variant/ConsoleApp" -nologo -v:q --no-restore $(props $variant) >/dev/null
done

declare -a with_times without_times
for ((i = 0; i < runs; i++)); do
  for variant in with without; do
    start=$(date +%s.%N)
    dotnet build "$bench/$variant/ConsoleApp" -nologo -v:q --no-restore $(props $variant) >/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ $variant = with ]; then with_times+=("$t"); else without_times+=("$t"); fi
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
mw=$(median "${with_times[@]}")
mo=$(median "${without_times[@]}")
printf 'no-op dotnet build, %d runs each (s): with 3 models: %s\n' "$runs" "${with_times[*]}"
printf '                                   without models: %s\n' "${without_times[*]}"
printf 'median with = %.3f s, median without = %.3f s, ratio = %.3f (target <= 1.05)\n' "$mw" "$mo" "$(echo "$mw / $mo" | bc -l)"
