#!/usr/bin/env bash
# The "main job" from a fresh clone, offline: packs Emc.Sdk from source into artifacts/packages, then builds (and
# for the console app, runs) one sample against that package. The pack is skipped when the package is newer than
# every source file (a second sample, or a re-run, builds only the sample); EMC_REPACK=1 packs anyway.
# Usage: bash build/build-sample.sh [ConsoleApp|Firmware|Bundle]   (default ConsoleApp)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="${1:-ConsoleApp}"
cd "$repo"

step() { echo "==> [${SECONDS}s] $*"; }

case "$sample" in
  ConsoleApp|Firmware|Bundle) ;;
  *) echo "unknown sample '$sample' (ConsoleApp, Firmware, Bundle)" >&2; exit 2 ;;
esac

export MSBUILDDISABLENODEREUSE=1

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)"
package="artifacts/packages/Emc.Sdk.$version.nupkg"
newer=""
if [[ -f "$package" && "${EMC_REPACK:-0}" != 1 ]]; then
  newer="$(find src Directory.Build.props Directory.Packages.props global.json -newer "$package" \
    -not -path '*/bin/*' -not -path '*/obj/*' -type f -print -quit)"
fi

if [[ ! -f "$package" || -n "$newer" || "${EMC_REPACK:-0}" == 1 ]]; then
  step "packing Emc.Sdk from source into artifacts/packages (restores and builds the compiler in Release; about 2 minutes the first time on 2 cores)"
  dotnet pack src/Emc.Build.Sdk -c Release -o artifacts/packages -nologo
else
  step "Emc.Sdk package is up to date ($package is newer than src/): not re-packed"
fi

# The samples restore into a private package cache (set only now: the pack restores src/ into the ordinary cache, so
# a later `dotnet run -c Release --project src/Emc.Cli` finds its Release build up to date). Packages are immutable
# there, so a freshly packed Emc.Sdk replaces the copy extracted before.
export NUGET_PACKAGES="$repo/artifacts/nuget-packages"
if [[ -d "$NUGET_PACKAGES/emc.sdk" && "$package" -nt "$NUGET_PACKAGES/emc.sdk" ]]; then
  rm -rf "$NUGET_PACKAGES/emc.sdk"
fi

case "$sample" in
  ConsoleApp)
    step "building samples/ConsoleApp against the package (compiles its 3 EmcModels; about 20 s the first time)"
    dotnet build samples/ConsoleApp -nologo
    step "running samples/ConsoleApp"
    dotnet samples/ConsoleApp/bin/Debug/net10.0/ConsoleApp.dll ;;
  Firmware)
    step "building samples/Firmware against the package (host gcc builds the generated header with the C runtime)"
    dotnet build samples/Firmware/Firmware.msbuildproj -nologo ;;
  Bundle)
    step "building samples/Bundle against the package"
    dotnet build samples/Bundle/Bundle.msbuildproj -nologo
    ls -l samples/Bundle/bin/Debug/netstandard2.0/Bundle.kfpkg ;;
esac
step "done"
