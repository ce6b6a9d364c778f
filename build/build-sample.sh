#!/usr/bin/env bash
# The "main job" from a fresh clone, offline: packs Emc.Sdk from source into artifacts/packages, then builds (and
# for the console app, runs) one sample against that package.
# Usage: bash build/build-sample.sh [ConsoleApp|Firmware|Bundle]   (default ConsoleApp)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="${1:-ConsoleApp}"
cd "$repo"

dotnet pack src/Emc.Build.Sdk -c Release -o artifacts/packages -nologo

# A private package cache: packages are immutable there, so a freshly packed Emc.Sdk 0.1.0 must replace the old one.
export NUGET_PACKAGES="$repo/artifacts/nuget-packages"
rm -rf "$NUGET_PACKAGES/emc.sdk"
export MSBUILDDISABLENODEREUSE=1

case "$sample" in
  ConsoleApp)
    dotnet build samples/ConsoleApp -nologo
    dotnet samples/ConsoleApp/bin/Debug/net10.0/ConsoleApp.dll ;;
  Firmware) dotnet build samples/Firmware/Firmware.msbuildproj -nologo ;;
  Bundle)
    dotnet build samples/Bundle/Bundle.msbuildproj -nologo
    ls -l samples/Bundle/bin/Debug/netstandard2.0/Bundle.kfpkg ;;
  *) echo "unknown sample '$sample' (ConsoleApp, Firmware, Bundle)" >&2; exit 2 ;;
esac
