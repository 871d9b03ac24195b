# Shared by the benchmark scripts (compare.sh, scale.sh, api-read.sh, route-latency.sh): a work folder, the hub and
# other processes started on free ports and stopped by their pid, the hub log's summary. Sourced, not run.
# The script sets BENCH_NAME (the prefix of its messages) and REPO before sourcing this file.
# shellcheck shell=bash

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
BENCH_JAR="$REPO/bench/target/lantaarn-bench.jar"
# how long a stopped process gets to end after SIGTERM before it is killed
STOP_GRACE="${STOP_GRACE:-10}"

WORK="$(mktemp -d)"
PIDS=()

die() {
  echo "$BENCH_NAME: $*" >&2
  exit 2
}

# stop_pid PID: SIGTERM, up to STOP_GRACE seconds to end, then SIGKILL
stop_pid() {
  local pid="$1"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((STOP_GRACE * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

# on exit: every process started here stopped, the work folder removed (KEEP=1 keeps it)
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap bench_cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for FILE PATTERN PID SECONDS: until FILE has a line matching PATTERN, the process died, or time is up
wait_for() {
  local file="$1" pattern="$2" pid="$3" seconds="$4"
  for _ in $(seq 1 $((seconds * 10))); do
    grep -q -E "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$BENCH_NAME: '$pattern' did not appear in $file within ${seconds} s; its last lines:" >&2
  tail -20 "$file" >&2 || true
  return 1
}

# fresh_home HOME: a home folder with the shipped configuration and no routes (the launcher copies the default etc/ and
# routes/ only into a home that has none)
fresh_home() {
  mkdir -p "$1/etc" "$1/routes"
  cp "$REPO"/etc/*.cfg "$1/etc/"
}

HUB_READY='^Lantaarn .* in [0-9.]+ s'
HUB_PID="" HUB_HTTP_PORT="" HUB_MQTT_PORT=""
# launch_hub_in HOME OUT: ./lantaarn on HOME in the background, on free ports (HUB_HTTP_PORT, HUB_MQTT_PORT), its
# output in OUT, its pid in HUB_PID; not waited for. Extra environment (LANTAARN_JAVA_OPTS) as usual.
launch_hub_in() {
  local home="$1" out="$2"
  HUB_HTTP_PORT="$(free_port)"
  HUB_MQTT_PORT="$(free_port)"
  : >"$out"
  LANTAARN_HOME="$home" LANTAARN_HTTP_PORT="$HUB_HTTP_PORT" LANTAARN_HTTPS_PORT="$(free_port)" \
    LANTAARN_MQTT_PORT="$HUB_MQTT_PORT" "$REPO/lantaarn" >"$out" 2>&1 &
  HUB_PID=$!
  PIDS+=("$HUB_PID")
}

# await_hub OUT PID SECONDS: prints the hub's ready line; dies when it is not ready within SECONDS
await_hub() {
  wait_for "$1" "$HUB_READY" "$2" "$3" || die "the hub did not get ready"
  grep -m 1 -E "$HUB_READY" "$1"
}

# start_hub_in HOME OUT SECONDS: launch_hub_in, then await_hub
start_hub_in() {
  launch_hub_in "$1" "$2"
  await_hub "$2" "$HUB_PID" "$3"
}

# hub_log_summary HOME [EXAMPLES]: the WARN/ERROR lines of the hub's log counted by logger, and the first EXAMPLES
hub_log_summary() {
  local log="$1/data/log/lantaarn.log" examples="${2:-0}"
  [[ -f "$log" ]] || return 0
  echo "hub log: $(grep -c -E ' (WARN|ERROR) ' "$log" || true) WARN/ERROR lines, by logger:"
  grep -E ' (WARN|ERROR) ' "$log" | sed -E 's/^[^ ]+ +([A-Z]+) +\[[^]]*\] +([^ ]+) .*/  \1 \2/' | sort | uniq -c || true
  if [[ "$examples" -gt 0 ]]; then grep -E ' (WARN|ERROR) ' "$log" | head -"$examples" || true; fi
}

load_average() {
  cut -d ' ' -f 1-3 /proc/loadavg
}
