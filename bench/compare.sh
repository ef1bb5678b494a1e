#!/usr/bin/env bash
# Side-by-side load runs on loopback (docs/benchmarks.md): our standalone host on its embedded backends and on Redis,
# and the Socket.IO 4.8 peer persisting each message to Redis and persisting nothing. Every target gets the same
# workloads; ours is driven by bench/Chatroom.LoadTest (SignalR .NET client), the peer by bench/peer/loadtest.js
# (socket.io-client) with the same schedule and measurement. Prints a markdown table and keeps every run's JSON.
#
#   bench/compare.sh
#   WORKLOADS="100:10:5:10" TARGETS="embedded peer-redis" bench/compare.sh     # a short smoke run
#
# Environment:
#   WORKLOADS  space-separated connections:rooms:msg-per-second-per-room:seconds
#              (default: 600:60:5:30 1000:100:10:30 and the saturation step 1000:100:100:20)
#   TARGETS    any of embedded redis peer-redis peer-none (default: all four), and embedded-baseline, redis-baseline,
#              and redis-2node: the distributed tier as the Helm chart deploys it (one API, two socket servers and one
#              analysis worker, separate processes on one redis-server; connections spread over both socket servers,
#              cross-node deliveries reported apart; CPU and RSS summed over the four processes)
#   DRIVERS    load clients for our targets: dotnet (bench/Chatroom.LoadTest, the default) and/or node
#              (bench/peer/loadtest.js --client signalr: the peer's own Node driver with @microsoft/signalr); the peer
#              targets always use the Node driver with socket.io-client
#   BASELINE_STANDALONE  for the *-baseline targets: another build's Chatroom.Standalone.dll (e.g. a worktree of
#              an older commit), run like `embedded` or `redis`, for before/after rows in one run; default: this build
#   BASELINE_ENV  space-separated NAME=value settings the *-baseline targets run with (before/after of one runtime or
#              configuration setting on the same build, e.g. BASELINE_ENV="DOTNET_TieredPGO=1")
#   ROUNDS     run the targets this many times, the order reversed every other round, and add a table of medians
#              (default 1): on a shared machine one run's tail moves by 2x; medians of interleaved rounds compare builds
#   SIZE       message size in bytes (default 100)
#   WARMUP     seconds of a warm-up run, discarded, after each target starts (default 5; 0 = none)
#   WARMUP_SHAPE  the warm-up's connections:rooms:msg-per-second-per-room (default 100:10:5); the .NET hosts JIT for
#              about 40 s under 1000:100:10, so `WARMUP=45 WARMUP_SHAPE=1000:100:10` measures the steady state
#   OUT        folder for the JSON, logs and table (default bench/results/<UTC stamp>)
#   SKIP_BUILD set to 1 to use the existing Release builds
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKLOADS=${WORKLOADS:-"600:60:5:30 1000:100:10:30 1000:100:100:20"}
TARGETS=${TARGETS:-"embedded redis peer-redis peer-none"}
DRIVERS=${DRIVERS:-dotnet}
SIZE=${SIZE:-100}
ROUNDS=${ROUNDS:-1}
WARMUP=${WARMUP:-5}
WARMUP_SHAPE=${WARMUP_SHAPE:-100:10:5}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-$ROOT/bench/results/$STAMP}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chatroom-compare.XXXXXX")
STANDALONE=$ROOT/src/Chatroom.Standalone/bin/Release/net10.0/Chatroom.Standalone.dll
service_dll() { echo "$ROOT/src/Chatroom.$1/bin/Release/net10.0/Chatroom.$1.dll"; }
LOADTEST=$ROOT/bench/Chatroom.LoadTest/bin/Release/net10.0/Chatroom.LoadTest.dll
COMMAND="$0 $*"
mkdir -p "$OUT"

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_healthy() { # url seconds pid
  local deadline=$((SECONDS + $2))
  until curl -sf "$1/health" >/dev/null 2>&1; do
    if ! kill -0 "$3" 2>/dev/null; then
      log "the server for $1 exited (see its log in $OUT)"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "no answer from $1/health within $2 s"
      return 1
    fi
    sleep 0.5
  done
}

stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# 1000 connections need 1000 sockets on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building the standalone host and the load tool (Release)"
  dotnet build "$ROOT/src/Chatroom.Standalone" -c Release -v quiet -nologo >"$OUT/build.log" 2>&1
  if [[ " $TARGETS " == *" redis-2node "* ]]; then
    for service in Api SocketServer Analysis; do
      dotnet build "$ROOT/src/Chatroom.$service" -c Release -v quiet -nologo >>"$OUT/build.log" 2>&1
    done
  fi
  dotnet build "$ROOT/bench/Chatroom.LoadTest" -c Release -v quiet -nologo >>"$OUT/build.log" 2>&1
fi
if [[ ! -d $ROOT/bench/peer/node_modules ]]; then
  log "installing the peer's packages (npm ci)"
  (cd "$ROOT/bench/peer" && npm ci --no-audit --no-fund >"$OUT/npm.log" 2>&1)
fi

REDIS_PORT=""
REDIS_PID=""
start_redis() {
  if [[ -n $REDIS_PORT ]]; then
    redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
    return
  fi
  REDIS_PORT=$(free_port)
  mkdir -p "$WORK/redis"
  # Durable like a production Redis: the append-only file, fsynced every second.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" --save "" \
    --appendonly yes --appendfsync everysec --daemonize no >"$OUT/redis-server.log" 2>&1 &
  PIDS+=($!)
  REDIS_PID=$!
  local deadline=$((SECONDS + 20))
  until redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { log "redis-server did not start"; exit 1; }
    sleep 0.2
  done
}

# What start_target leaves for run_load: the server processes, the socket URL(s), and the API's URL when apart.
SERVER_PIDS=()
SERVER_NAMES=()
SERVER_URLS=()
API_URL=""

# Limits far above the workloads (they are still enforced; refusals are reported by code), every sign-in from loopback.
OUR_LIMITS=(
  Chatroom__Admin__Password=compare-admin
  Chatroom__Api__SignInsPerMinute=100000
  Chatroom__Chat__MessagesPerSecond=1000 Chatroom__Chat__Burst=1000
  Chatroom__Chat__UserMessagesPerSecond=1000 Chatroom__Chat__UserBurst=1000
  Chatroom__Sockets__InvocationsPerSecond=1000 Chatroom__Sockets__InvocationBurst=1000
  Chatroom__Sockets__MaxConnectionsPerAddress=100000
  Logging__LogLevel__Default=Warning
)

start_process() { # log-name url dll env...
  local name=$1 url=$2 dll=$3
  shift 3
  env "${OUR_LIMITS[@]}" "$@" dotnet "$dll" --urls "$url" >"$OUT/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  SERVER_PIDS+=("$pid")
  SERVER_NAMES+=("$name")
  wait_healthy "$url" 90 "$pid"
}

# CPU seconds so far: of one process (user + system), and of the whole machine (every CPU's busy time).
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

# Where the machine's CPU went during one run: each server process, redis-server, and the rest (the load client).
cpu_split() { # before-file after-file seconds -> "name cores" lines
  local hz
  hz=$(getconf CLK_TCK)
  paste -d' ' "$1" "$2" | awk -v hz="$hz" -v s="$3" '{printf "%s %.2f\n", $1, ($4 - $2) / hz / s}'
}
cpu_snapshot() { # file
  local i
  {
    for i in "${!SERVER_PIDS[@]}"; do
      echo "${SERVER_NAMES[$i]} $(process_ticks "${SERVER_PIDS[$i]}")"
    done
    [[ -n $REDIS_PID ]] && echo "redis-server $(process_ticks "$REDIS_PID")"
    echo "machine $(machine_ticks)"
  } >"$1"
}

start_target() { # target
  SERVER_PIDS=()
  SERVER_NAMES=()
  SERVER_URLS=()
  API_URL=""
  local port url
  port=$(free_port)
  url="http://127.0.0.1:$port"
  case $1 in
    embedded | redis | embedded-baseline | redis-baseline)
      local data="$WORK/data-$1"
      mkdir -p "$data"
      local redis_env=()
      local host=$STANDALONE baseline_env=()
      if [[ $1 == *-baseline ]]; then
        host=${BASELINE_STANDALONE:-$STANDALONE}
        read -r -a baseline_env <<<"${BASELINE_ENV:-}"
      fi
      if [[ $1 == redis* ]]; then
        start_redis
        redis_env=("ConnectionStrings__redis=127.0.0.1:$REDIS_PORT")
      fi
      start_process "$1" "$url" "$host" "${redis_env[@]}" "${baseline_env[@]}" Chatroom__DataDirectory="$data"
      SERVER_URLS=("$url")
      ;;
    redis-2node)
      start_redis
      # One signing key for the API that issues tokens and the socket servers that check them.
      local key shared
      key=$(head -c 32 /dev/urandom | base64)
      shared=("ConnectionStrings__redis=127.0.0.1:$REDIS_PORT" "Chatroom__Auth__SigningKey=$key")
      mkdir -p "$WORK/2node-api" "$WORK/2node-a" "$WORK/2node-b" "$WORK/2node-analysis"
      API_URL=$url
      start_process "$1-api" "$API_URL" "$(service_dll Api)" "${shared[@]}" Chatroom__DataDirectory="$WORK/2node-api"
      local node
      for node in a b; do
        url="http://127.0.0.1:$(free_port)"
        start_process "$1-socket-$node" "$url" "$(service_dll SocketServer)" "${shared[@]}" \
          Chatroom__DataDirectory="$WORK/2node-$node" Chatroom__Sockets__NodeId="compare-$node"
        SERVER_URLS+=("$url")
      done
      start_process "$1-analysis" "http://127.0.0.1:$(free_port)" "$(service_dll Analysis)" "${shared[@]}" \
        Chatroom__DataDirectory="$WORK/2node-analysis"
      ;;
    peer-redis)
      start_redis
      node "$ROOT/bench/peer/server.js" --port "$port" --persist redis --redis "redis://127.0.0.1:$REDIS_PORT" >"$OUT/$1.log" 2>&1 &
      PIDS+=($!)
      SERVER_PIDS=($!)
      SERVER_NAMES=("$1")
      SERVER_URLS=("$url")
      wait_healthy "$url" 90 "$!"
      ;;
    peer-none)
      node "$ROOT/bench/peer/server.js" --port "$port" --persist none >"$OUT/$1.log" 2>&1 &
      PIDS+=($!)
      SERVER_PIDS=($!)
      SERVER_NAMES=("$1")
      SERVER_URLS=("$url")
      wait_healthy "$url" 90 "$!"
      ;;
    *)
      log "unknown target $1 (embedded, redis, redis-2node, embedded-baseline, redis-baseline, peer-redis, peer-none)"
      exit 2
      ;;
  esac
}

stop_target() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    stop_pid "$pid"
  done
}

run_load() { # target driver label connections rooms rate seconds json
  local driver=(dotnet "$LOADTEST")
  if [[ $1 == peer-* ]]; then
    driver=(node "$ROOT/bench/peer/loadtest.js")
  elif [[ $2 == node ]]; then
    driver=(node "$ROOT/bench/peer/loadtest.js" --client signalr)
  fi
  local targets=() pid
  for url in "${SERVER_URLS[@]}"; do
    targets+=(--url "$url")
  done
  [[ -n $API_URL ]] && targets+=(--api-url "$API_URL")
  for pid in "${SERVER_PIDS[@]}"; do
    targets+=(--server-pid "$pid")
  done
  # Bounded: the send phase, the drain, and generous time to connect.
  timeout --signal=INT --kill-after=20 $(($7 + 240)) "${driver[@]}" "${targets[@]}" \
    --connections "$4" --rooms "$5" --rate "$6" --duration "$7" --size "$SIZE" --label "$3" --json "$8"
}

# The drivers a target runs with: the peer only with its own; ours with each of DRIVERS.
target_drivers() {
  if [[ $1 == peer-* ]]; then
    echo node
  else
    echo "$DRIVERS"
  fi
}

# A row's name in the tables: the target, and the driver when ours is driven by the Node client.
target_label() { # target driver
  if [[ $1 != peer-* && $2 == node ]]; then
    echo "$1 (node client)"
  else
    echo "$1"
  fi
}

log "results in $OUT"
# The targets of round r, reversed on even rounds so that neither side always runs first.
round_targets() {
  if (($1 % 2 == 0)); then
    printf '%s\n' $TARGETS | tac | tr '\n' ' '
  else
    echo "$TARGETS"
  fi
}

# One run's files: <target>[-node]-<workload>[-r<round>].json
run_name() { # target driver workload round
  local name=$1
  [[ $1 != peer-* && $2 == node ]] && name+="-node"
  name+="-${3//:/-}"
  ((ROUNDS > 1)) && name+="-r$4"
  echo "$name"
}

for round in $(seq 1 "$ROUNDS"); do
  for target in $(round_targets "$round"); do
    log "target $target: starting"
    start_target "$target"
    for driver in $(target_drivers "$target"); do
      label=$(target_label "$target" "$driver")
      ((ROUNDS > 1)) && label+=" r$round"
      if ((WARMUP > 0)); then
        IFS=: read -r wconns wrooms wrate <<<"$WARMUP_SHAPE"
        log "target $label: warm-up ($WARMUP s of $WARMUP_SHAPE, discarded)"
        run_load "$target" "$driver" "$label warm-up" "$wconns" "$wrooms" "$wrate" "$WARMUP" "$OUT/$target-$driver-warmup.json" >/dev/null 2>"$OUT/$target-$driver-warmup.progress" || true
      fi
      for workload in $WORKLOADS; do
        IFS=: read -r conns rooms rate seconds <<<"$workload"
        name=$(run_name "$target" "$driver" "$workload" "$round")
        log "target $label: $conns connections, $rooms rooms, $rate msg/s per room, $seconds s"
        cpu_snapshot "$WORK/cpu-before"
        started=$SECONDS
        run_load "$target" "$driver" "$label" "$conns" "$rooms" "$rate" "$seconds" "$OUT/$name.json" >"$OUT/$name.md" 2> >(tee "$OUT/$name.progress" >&2) ||
          log "target $target: the run $name failed (see $OUT/$name.progress)"
        cpu_snapshot "$WORK/cpu-after"
        cpu_split "$WORK/cpu-before" "$WORK/cpu-after" "$((SECONDS - started))" >"$OUT/$name.cpu"
      done
    done
    stop_target
  done
done

# Every (target, driver) pair the tables list, in order.
rows() {
  local target driver
  for target in $TARGETS; do
    for driver in $(target_drivers "$target"); do
      echo "$target $driver"
    done
  done
}

# Every run that left a file with this extension, in the tables' order: "target driver round workload file" per line.
runs_with() { # extension
  local workload target driver round file
  for workload in $WORKLOADS; do
    while read -r target driver; do
      for round in $(seq 1 "$ROUNDS"); do
        file="$OUT/$(run_name "$target" "$driver" "$workload" "$round").$1"
        [[ -f $file ]] && echo "$target $driver $round $workload $file"
      done
    done < <(rows)
  done
}

{
  echo "## Chatroom vs Socket.IO peer, $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`WORKLOADS=\"$WORKLOADS\" TARGETS=\"$TARGETS\" SIZE=$SIZE $COMMAND\`"
  echo "- targets: embedded = standalone host, SQLite (synchronous=FULL); redis = standalone host on redis-server (AOF everysec);"
  echo "  redis-2node = API + two socket servers + analysis as separate processes on one redis-server;"
  echo "  peer-redis = Socket.IO 4.8 on Node, XADD before broadcast; peer-none = Socket.IO, stores nothing;"
  echo "  ours driven by bench/Chatroom.LoadTest (SignalR .NET client) unless marked (node client) = bench/peer/loadtest.js --client signalr"
  echo
  echo "| target | connections / rooms / msg/s per room / s | connected | sent | acked | refused | send→ack p50 / p90 / p99 / max (ms) | send→deliver p50 / p90 / p99 / max (ms) | delivered/s | missing | server RSS per connection | server CPU per delivery |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  while read -r _ _ _ _ json; do
        jq -r '
        def ms: . * 100 | round / 100;
        def lat: "\(.p50 | ms) / \(.p90 | ms) / \(.p99 | ms) / \(.max | ms)";
        def counts: if length == 0 then "0" else (to_entries | map("\(.key) \(.value)") | join(", ")) end;
        "| \(.label) | \(.workload.connections) / \(.workload.rooms) / \(.workload.ratePerRoom) / \(.workload.durationSeconds) "
        + "| \(.connections.connected)\(if (.connections.failures | length) > 0 then " (" + (.connections.failures | counts) + ")" else "" end) "
        + "| \(.sent) | \(.acked) | \(.refused | counts) | \(.ackMs | lat) | \(.deliverMs | lat) | \(.deliveredPerSecond | round) "
        + "| \(.missing) | \(if .serverRss == null then "–" else "\(.serverRss.perConnectionBytes / 1024 * 10 | round / 10) KiB" end) "
        + "| \(if .serverCpu == null then "–" else "\(.serverCpu.microsecondsPerDelivery) µs" end) |"
      ' "$json"
  done < <(runs_with json)
  crossed=()
  while read -r _ _ _ _ json; do
    jq -e '.crossNode != null' "$json" >/dev/null 2>&1 && crossed+=("$json")
  done < <(runs_with json)
  if ((${#crossed[@]} > 0)); then
    echo
    echo "Deliveries between socket nodes (the sender on one server, the receiver on the other):"
    echo
    echo "| target | connections / rooms / msg/s per room / s | all: send→deliver p50 / p90 / p99 (ms) | cross-node: p50 / p90 / p99 (ms) | cross-node deliveries |"
    echo "|---|---|---|---|---|"
    jq -r '
      def ms: . * 100 | round / 100;
      "| \(.label) | \(.workload.connections) / \(.workload.rooms) / \(.workload.ratePerRoom) / \(.workload.durationSeconds) "
      + "| \(.deliverMs.p50 | ms) / \(.deliverMs.p90 | ms) / \(.deliverMs.p99 | ms) "
      + "| \(.crossNode.deliverMs.p50 | ms) / \(.crossNode.deliverMs.p90 | ms) / \(.crossNode.deliverMs.p99 | ms) "
      + "| \(.crossNode.delivered) of \(.delivered) |"' "${crossed[@]}"
  fi
  echo
  echo "Where the CPU went (cores in use, averaged over each run from connecting to the end of the drain; \"rest\" is the"
  echo "machine's busy time outside the servers and redis-server: mostly the load client):"
  echo
  echo "| target | connections / rooms / msg/s per room / s | server processes | redis-server | rest | machine |"
  echo "|---|---|---|---|---|---|"
  while read -r target driver round workload split; do
    awk -v label="$(target_label "$target" "$driver")$( ((ROUNDS > 1)) && echo " r$round")" -v wl="${workload//:/ \/ }" '
        $1 == "machine" { machine = $2; next }
        $1 == "redis-server" { redis = $2; next }
        { servers = servers (servers == "" ? "" : ", ") $1 " " $2; used += $2 }
        END { printf "| %s | %s | %s | %s | %.2f | %s |\n", label, wl, servers, (redis == "" ? "–" : redis), machine - used - redis, machine }
      ' "$split"
  done < <(runs_with cpu)
  echo
  echo "Saturation: the most delivered/s among these workloads with send→deliver p99 < 250 ms, nothing missing and nothing refused:"
  echo
  echo "| target | delivered/s | at connections / rooms / msg/s per room | p99 (ms) |"
  echo "|---|---|---|---|"
  while read -r target driver; do
    files=()
    for workload in $WORKLOADS; do
      for round in $(seq 1 "$ROUNDS"); do
        json="$OUT/$(run_name "$target" "$driver" "$workload" "$round").json"
        [[ -f $json ]] && files+=("$json")
      done
    done
    ((${#files[@]} > 0)) || continue
    jq -rs --arg target "$(target_label "$target" "$driver")" '
      map(select(.deliverMs.p99 < 250 and .missing == 0 and ((.refused | length) == 0))) | max_by(.deliveredPerSecond)
      | if . == null then "| \($target) | none under 250 ms | – | – |"
        else "| \($target) | \(.deliveredPerSecond | round) | \(.workload.connections) / \(.workload.rooms) / \(.workload.ratePerRoom) | \(.deliverMs.p99 * 100 | round / 100) |" end
    ' "${files[@]}"
  done < <(rows)
  if ((ROUNDS > 1)); then
    echo
    echo "Medians over $ROUNDS rounds:"
    echo
    echo "| target | connections / rooms / msg/s per room / s | runs | send→deliver p50 / p90 / p99 (ms) | delivered/s | missing (sum) | server CPU per delivery |"
    echo "|---|---|---|---|---|---|---|"
    for workload in $WORKLOADS; do
      while read -r target driver; do
        files=()
        for round in $(seq 1 "$ROUNDS"); do
          json="$OUT/$(run_name "$target" "$driver" "$workload" "$round").json"
          [[ -f $json ]] && files+=("$json")
        done
        ((${#files[@]} > 0)) || continue
        jq -rs --arg target "$(target_label "$target" "$driver")" '
        def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
        def ms: . * 100 | round / 100;
        "| \($target) | \(.[0].workload.connections) / \(.[0].workload.rooms) / \(.[0].workload.ratePerRoom) / \(.[0].workload.durationSeconds) "
        + "| \(length) | \(map(.deliverMs.p50) | median | ms) / \(map(.deliverMs.p90) | median | ms) / \(map(.deliverMs.p99) | median | ms) "
        + "| \(map(.deliveredPerSecond) | median | round) | \(map(.missing) | add) "
        + "| \(if any(.[]; .serverCpu == null) then "–" else "\(map(.serverCpu.microsecondsPerDelivery) | median | . * 10 | round / 10) µs" end) |"
        ' "${files[@]}"
      done < <(rows)
    done
  fi
} | tee "$OUT/table.md"
