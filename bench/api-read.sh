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
BENCH_NAME=api-read
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
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
HOME_DIR="$WORK/home"

"$REPO/lantaarn" build >/dev/null

# The home: the shipped configuration and no routes (the launcher copies the default etc/ and routes/ only into a home
# that has none), and one API client whose own limit is far above what two cores can serve, so no request gets a 429.
fresh_home "$HOME_DIR"
rm -f "$HOME_DIR"/etc/nl.lantaarn.http.client-*.cfg
KEY_FILE="$WORK/api.key"
LANTAARN_HOME="$HOME_DIR" "$REPO/lantaarn" clients add api-read-bench --role writer \
  --purpose "Measure the read throughput of the HTTP API (benchmark)" --rate-limit 1000000 --rate-burst 1000000 |
  tail -1 >"$KEY_FILE"

start_hub_in "$HOME_DIR" "$WORK/hub.out" 60

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)"
echo "load average before: $(load_average)"
status=0
# shellcheck disable=SC2086 # API_READ_OPTS is a list of options
"$JAVA" -Dlantaarn.home="$HOME_DIR" -jar "$BENCH_JAR" api-read --url "http://127.0.0.1:$HUB_HTTP_PORT" \
  --api-key-file "$KEY_FILE" --hub-pid "$HUB_PID" --things "$THINGS" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$CONNECTIONS" ${API_READ_OPTS:-} || status=$?
echo "load average after: $(load_average)"

hub_log_summary "$HOME_DIR" 3
exit "$status"
