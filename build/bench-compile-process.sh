#!/usr/bin/env bash
# Issue 12 item 6: what running the compiler as a separate process costs. For each checkout given (e.g. main with the
# in-process compiler and this branch), packs its Emc.Sdk under a version of its own and times, interleaved round by
# round so machine load hits every variant alike: a build recompiling 1 and 8 models (every model touched before
# each run) and the no-op build of samples/ConsoleApp with and without its 3 models (target ratio <= 1.05).
# Prints one table row per checkout (medians).
# Usage: bash build/bench-compile-process.sh <label>=<checkout> [<label>=<checkout> ...]   (RUNS=15 by default)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-15}"
[ $# -gt 0 ] || set -- "this=$repo"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
bench="$repo/artifacts/bench-process"
rm -rf "$bench"
labels=()

for spec in "$@"; do
  label="${spec%%=*}"; checkout="$(cd "${spec#*=}" && pwd)"; labels+=("$label")
  root="$bench/$label"; version="0.1.0-bench-$label"
  mkdir -p "$root"
  dotnet pack "$checkout/src/Emc.Build.Sdk" -c Release -o "$root/feed" -p:PackageVersion="$version" -nologo >/dev/null
  cp -r "$checkout/samples/models" "$root/"
  printf '<Project><PropertyGroup><EmcSdkVersion>%s</EmcSdkVersion><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup></Project>\n' "$version" > "$root/Directory.Build.props"
  echo '<Project />' > "$root/Directory.Build.targets"
  cp "$checkout/samples/Directory.Packages.props" "$root/"
  printf '<configuration><packageSources><clear /><add key="bench" value="%s" /></packageSources></configuration>\n' "$root/feed" > "$root/NuGet.config"
  export NUGET_PACKAGES="$root/packages"
  for n in 1 8; do
    mkdir -p "$root/m$n"; items=""
    for ((k = 0; k < n; k++)); do
      cp "$checkout/samples/models/shapes.onnx" "$root/m$n/net$k.onnx"
      items="$items<EmcModel Include=\"net$k.onnx\" Dataset=\"../models/calib\" InputRange=\"0,1\" />"
    done
    printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><UseAppHost>false</UseAppHost></PropertyGroup><ItemGroup><PackageReference Include="Emc.Sdk" Version="$(EmcSdkVersion)" PrivateAssets="all" /></ItemGroup><ItemGroup>%s</ItemGroup></Project>\n' "$items" > "$root/m$n/m$n.csproj"
    dotnet build "$root/m$n" -nologo -v:q >/dev/null
  done
  for variant in with without; do
    mkdir -p "$root/noop-$variant"
    cp "$checkout/samples/ConsoleApp/ConsoleApp.csproj" "$checkout/samples/ConsoleApp/Program.cs" "$root/noop-$variant/"
    p=""; [ $variant = without ] && p="-p:EmcBenchNoModels=true"
    dotnet build "$root/noop-$variant" -nologo -v:q $p >/dev/null
    dotnet build "$root/noop-$variant" -nologo -v:q --no-restore $p >/dev/null
  done
done

timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
declare -A times
for ((i = 0; i < runs; i++)); do
  for label in "${labels[@]}"; do
    root="$bench/$label"; export NUGET_PACKAGES="$root/packages"
    touch "$root"/m1/*.onnx; times[$label,m1]+="$(timed dotnet build "$root/m1" -nologo -v:q --no-restore) "
    touch "$root"/m8/*.onnx; times[$label,m8]+="$(timed dotnet build "$root/m8" -nologo -v:q --no-restore) "
    times[$label,with]+="$(timed dotnet build "$root/noop-with" -nologo -v:q --no-restore) "
    times[$label,without]+="$(timed dotnet build "$root/noop-without" -nologo -v:q --no-restore -p:EmcBenchNoModels=true) "
  done
done

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
printf '%d interleaved rounds; medians in seconds\n' "$runs"
printf '| %-12s | %-17s | %-18s | %-14s | %-17s | %-13s |\n' checkout "recompile 1 model" "recompile 8 models" "no-op, models" "no-op, no models" "no-op ratio"
printf '|%s|%s|%s|%s|%s|%s|\n' -------------- ------------------- -------------------- ---------------- ------------------- ---------------
for label in "${labels[@]}"; do
  m1=$(median "${times[$label,m1]}"); m8=$(median "${times[$label,m8]}"); w=$(median "${times[$label,with]}"); o=$(median "${times[$label,without]}")
  printf '| %-12s | %-17.3f | %-18.3f | %-14.3f | %-17.3f | %-13.3f |\n' "$label" "$m1" "$m8" "$w" "$o" "$(echo "$w / $o" | bc -l)"
done
for key in "${!times[@]}"; do echo "raw $key: ${times[$key]}"; done | sort
