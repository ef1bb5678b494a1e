#!/usr/bin/env bash
# Interleaved before/after pairs of one runtime or configuration setting on the standalone host (docs/benchmarks.md,
# session 10): each run starts a fresh host (on its own redis-server unless EMBEDDED=1), discards WARM seconds of the
# workload (the JIT settles in ~40 s under 1000/100/10), then measures SECONDS_MEASURED seconds and prints server CPU
# per delivery (from /proc) and send→deliver percentiles. The two sides alternate order every pair.
#
#   bench/profile/ab-env.sh "DOTNET_TieredPGO=1" "DOTNET_TieredPGO=0"
#   PAIRS=3 WORKLOAD=600:60:5 bench/profile/ab-env.sh "Chatroom__Redis__DedicatedSocketThreads=true" ""
#
# Environment: PAIRS (2), WORKLOAD connections:rooms:rate (1000:100:10), WARM (40), SECONDS_MEASURED (30), EMBEDDED (0).
# Needs the Release builds (bench/compare.sh builds them; or dotnet build -c Release).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
A=${1-}; B=${2-}
PAIRS=${PAIRS:-2}; WARM=${WARM:-40}; MEASURE=${SECONDS_MEASURED:-30}
IFS=: read -r C R RATE <<<"${WORKLOAD:-1000:100:10}"
HOST=$ROOT/src/Chatroom.Standalone/bin/Release/net10.0/Chatroom.Standalone.dll
LT=$ROOT/bench/Chatroom.LoadTest/bin/Release/net10.0/Chatroom.LoadTest.dll
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ab-env.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

REDIS_ENV=()
if [[ ${EMBEDDED:-0} != 1 ]]; then
  rport=$(free_port)
  redis-server --bind 127.0.0.1 --port "$rport" --dir "$WORK" --save "" --appendonly yes --appendfsync everysec >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  until redis-cli -p "$rport" PING >/dev/null 2>&1; do sleep 0.2; done
  REDIS_ENV=("ConnectionStrings__redis=127.0.0.1:$rport")
fi

run() { # label env-string
  local label=$1 port url data pid t0 t1 json
  port=$(free_port); url=http://127.0.0.1:$port; data=$(mktemp -d "$WORK/data.XXXX"); json=$WORK/$label.json
  [[ ${#REDIS_ENV[@]} -gt 0 ]] && redis-cli -p "$rport" FLUSHALL >/dev/null
  # shellcheck disable=SC2086
  env "${REDIS_ENV[@]}" $2 Chatroom__DataDirectory="$data" Chatroom__Admin__Password=ab-admin Chatroom__Api__SignInsPerMinute=100000 \
    Chatroom__Chat__MessagesPerSecond=1000 Chatroom__Chat__Burst=1000 Chatroom__Chat__UserMessagesPerSecond=1000 Chatroom__Chat__UserBurst=1000 \
    Chatroom__Sockets__InvocationsPerSecond=1000 Chatroom__Sockets__InvocationBurst=1000 Chatroom__Sockets__MaxConnectionsPerAddress=100000 \
    Logging__LogLevel__Default=Warning dotnet "$HOST" --urls "$url" >"$WORK/$label.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  local deadline=$((SECONDS + 90))
  until curl -sf "$url/health" >/dev/null 2>&1; do ((SECONDS < deadline)) || { echo "$label: host did not start" >&2; return 1; }; sleep 0.5; done
  timeout $((WARM + 240)) dotnet "$LT" --url "$url" --connections "$C" --rooms "$R" --rate "$RATE" --duration "$WARM" --size 100 --json "$WORK/$label-warm.json" >/dev/null 2>&1 || true
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  timeout $((MEASURE + 240)) dotnet "$LT" --url "$url" --connections "$C" --rooms "$R" --rate "$RATE" --duration "$MEASURE" --size 100 --json "$json" >/dev/null 2>&1
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  jq -r --arg name "$label" --argjson ticks $((t1 - t0)) --argjson hz "$(getconf CLK_TCK)" '
    "| \($name) | \(.deliverMs.p50) / \(.deliverMs.p90) / \(.deliverMs.p99) | \(.missing) | \($ticks / $hz * 1000000 / .deliverMs.count | round) µs |"' "$json"
}

echo "| run | send→deliver p50 / p90 / p99 (ms) | missing | server CPU per delivery |"
echo "|---|---|---|---|"
for pair in $(seq 1 "$PAIRS"); do
  if ((pair % 2 == 1)); then run "A$pair" "$A"; run "B$pair" "$B"; else run "B$pair" "$B"; run "A$pair" "$A"; fi
done
echo
echo "A: ${A:-(nothing set)}; B: ${B:-(nothing set)}; workload $C/$R/$RATE, $WARM s discarded, $MEASURE s measured"
