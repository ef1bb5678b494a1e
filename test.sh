#!/usr/bin/env bash
# Builds Chatroom.Ci.slnf and runs every test: .NET (unit, Redis, end-to-end, browser) and the web client's Vitest suite.
# Installs what the tests need when it is missing (Debian packages; run as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Browser tests drive Debian's /usr/bin/chromium; Playwright must never try to download its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

dotnet build Chatroom.Ci.slnf -c "$configuration" -nologo -v quiet

log=$(mktemp)
status=0
dotnet test Chatroom.Ci.slnf -c "$configuration" --no-build -nologo 2>&1 | tee "$log" || status=$?

client=src/Chatroom.Web/client
if [ -f "$client/package.json" ]; then
  (cd "$client" && npm run test --silent 2>&1) | tee -a "$log" || status=$?
fi

# One closing line over every runner: "N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
vitest_passed=$(grep -oE 'Tests +[0-9]+ passed' "$log" | awk '{s+=$2} END {print s+0}')
vitest_failed=$(grep -oE 'Tests +[0-9]+ failed' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo
echo "$((passed + vitest_passed)) passed, $((failed + vitest_failed)) failed"
exit "$status"
