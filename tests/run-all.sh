#!/usr/bin/env bash
# Runs StarSync's whole test suite on a Debian or Ubuntu machine with the .NET 10 SDK.
#
# Installs what the integration tests need and the machine lacks (git, git-lfs, rabbitmq-server, postgresql:
# Debian packages, through sudo when not root). Starts nothing itself: each test assembly starts its own private
# PostgreSQL cluster and RabbitMQ node on free loopback ports and removes them afterwards. Ends with one line
# "Total: N passed, N failed, N skipped" and exits non-zero when anything failed or a test assembly did not
# report. Extra arguments go to `dotnet test` (e.g. --filter "Category!=Integration").
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v git-lfs >/dev/null 2>&1 || missing+=(git-lfs)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK (dotnet) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }

mkdir -p artifacts
log="artifacts/test-output.log"
status=0
# pipefail makes the pipeline fail when dotnet test does.
dotnet test StarSync.sln "$@" 2>&1 | tee "$log" || status=$?

# One summary over all test assemblies, from the line dotnet test prints for each:
#   "Passed!  - Failed:     0, Passed:    69, Skipped:     0, Total:    69, Duration: 3 s - X.Tests.dll (net10.0)"
read -r assemblies passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- Failed: ' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+),.*/\1 \2 \3/' |
  awk '{n++; f+=$1; p+=$2; s+=$3} END {print n+0, p+0, f+0, s+0}')
expected=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$assemblies" -ne "$expected" ]; then
  echo "Only $assemblies of $expected test assemblies reported results (see $log)." >&2
  status=1
fi
if [ "$failed" -gt 0 ]; then status=1; fi
echo "Total: $passed passed, $failed failed, $skipped skipped"
exit "$status"
