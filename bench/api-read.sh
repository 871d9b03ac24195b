#!/usr/bin/env bash
# Measures authenticated reads over the hub's HTTP API: starts ./lantaarn in a fresh home folder on free ports, adds an
# API client (role writer, a rate limit far above the load), loads the city mix of things through
# PUT /api/v1/things/{id}, then runs `lantaarn-bench api-read`: GET of random things, a zone search and a near search,
# each at a fixed number of connections, with requests/s, p50/p95/p99/max latency and errors. Stops the hub at the end.
#
# Usage: bench/api-read.sh [THINGS [DURATION [WARMUP [CONNECTIONS]]]]   defaults: 100000 things, 30 s, 10 s, 32
#        bench/api-read.sh smoke                                        300 things, 1 s warm-up, 2 s, 4 connections
# Extra options for the hub's JVM go in LANTAARN_JAVA_OPTS as usual (e.g. a flight recording); API_READ_OPTS adds
# options of `api-read` (e.g. "--scenarios get"); KEEP=1 keeps the home folder (and the hub's log and audit files).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == smoke ]]; then
  THINGS=300
  DURATION=2
  WARMUP=1
  CONNECTIONS=4
else
  THINGS="${1:-100000}"
  DURATION="${2:-30}"
  WARMUP="${3:-10}"
  CONNECTIONS="${4:-32}"
fi
WORK="$(mktemp -d)"
HOME_DIR="$WORK/home"
hub_pid=""

cleanup() {
  if [[ -n "$hub_pid" ]] && kill -0 "$hub_pid" 2>/dev/null; then
    kill -TERM "$hub_pid" 2>/dev/null || true
    wait "$hub_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

"$REPO/lantaarn" build >/dev/null
BENCH_JAR="$REPO/bench/target/lantaarn-bench.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"
JAVA="${JAVA:-java}"

# The home: the shipped configuration and no routes (the launcher copies the default etc/ and routes/ only into a home
# that has none), and one API client whose own limit is far above what two cores can serve, so no request gets a 429.
mkdir -p "$HOME_DIR/etc" "$HOME_DIR/routes"
cp "$REPO"/etc/*.cfg "$HOME_DIR/etc/"
rm -f "$HOME_DIR"/etc/nl.lantaarn.http.client-*.cfg
KEY_FILE="$WORK/api.key"
LANTAARN_HOME="$HOME_DIR" "$REPO/lantaarn" clients add api-read-bench --role writer \
  --purpose "Measure the read throughput of the HTTP API (benchmark)" --rate-limit 1000000 --rate-burst 1000000 |
  tail -1 >"$KEY_FILE"

HTTP_PORT="$(free_port)"
OUT="$WORK/hub.out"
: >"$OUT"
LANTAARN_HOME="$HOME_DIR" LANTAARN_HTTP_PORT="$HTTP_PORT" LANTAARN_HTTPS_PORT="$(free_port)" \
  LANTAARN_MQTT_PORT="$(free_port)" "$REPO/lantaarn" >"$OUT" 2>&1 &
hub_pid=$!
for _ in $(seq 1 600); do
  grep -q '^Lantaarn .* in [0-9.]* s' "$OUT" && break
  kill -0 "$hub_pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q '^Lantaarn .* in [0-9.]* s' "$OUT"; then
  echo "the hub did not get ready; its output:" >&2
  cat "$OUT" >&2
  exit 1
fi
grep -m 1 '^Lantaarn .* in [0-9.]* s' "$OUT"

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
status=0
# shellcheck disable=SC2086 # API_READ_OPTS is a list of options
"$JAVA" -Dlantaarn.home="$HOME_DIR" -jar "$BENCH_JAR" api-read --url "http://127.0.0.1:$HTTP_PORT" \
  --api-key-file "$KEY_FILE" --hub-pid "$hub_pid" --things "$THINGS" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$CONNECTIONS" ${API_READ_OPTS:-} || status=$?
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"

LOG="$HOME_DIR/data/log/lantaarn.log"
if [[ -f "$LOG" ]]; then
  warnings="$(grep -c -E ' (WARN|ERROR) ' "$LOG" || true)"
  echo "hub log: $warnings WARN/ERROR lines, by logger:"
  grep -E ' (WARN|ERROR) ' "$LOG" | sed -E 's/^[^ ]+ +([A-Z]+) +\[[^]]*\] +([^ ]+) .*/  \1 \2/' | sort | uniq -c || true
  grep -E ' (WARN|ERROR) ' "$LOG" | head -3 || true
fi
exit "$status"
