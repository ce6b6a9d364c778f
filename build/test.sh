#!/usr/bin/env bash
# Runs every test in the repository and ends with one line: "N passed, N failed, N skipped".
# Usage: bash build/test.sh [--fast] [extra dotnet test arguments]
#   --fast  leaves out the slow groups (MSTest categories EndToEnd, Conformance, Fuzz, Slow; see tests/README.md).
#           A --filter among the extra arguments is combined with it (both must hold).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

fast_filter="TestCategory!=EndToEnd&TestCategory!=Conformance&TestCategory!=Fuzz&TestCategory!=Slow"
fast=false
user_filter=""
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --fast) fast=true ;;
    --filter) user_filter="${2-}"; shift ;;
    --filter=*) user_filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ "$fast" = true ]; then
  filter="$fast_filter"
  [ -n "$user_filter" ] && filter="($user_filter)&$fast_filter"
  args+=(--filter "$filter")
elif [ -n "$user_filter" ]; then
  args+=(--filter "$user_filter")
fi

# Optional test oracles. Missing ones make their tests skip with a message (CI installs them).
bash build/install-test-tools.sh || echo "test.sh: optional test tools could not be installed; their tests will skip" >&2

log="$(mktemp)"
dotnet test Emc.Build.sln -c Release --nologo ${args[@]+"${args[@]}"} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13, ...").
read -r passed failed skipped < <(
  grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"

# A build break or crashed test host fails the run even if no summary line says so.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  echo "test.sh: dotnet test exited with $status" >&2
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ]
