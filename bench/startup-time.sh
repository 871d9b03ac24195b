#!/usr/bin/env bash
# Measures the hub's start-up: runs ./lantaarn N times (default 5) and reports the "ready in X s" figure of each run
# and their median. Usage: bench/startup-time.sh [N]. Extra JVM options go in LANTAARN_JAVA_OPTS as usual.
# Every run uses a fresh home folder under a temporary directory and free ports, and is stopped after its ready line.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

"$REPO/lantaarn" build >/dev/null
times=()
for run in $(seq 1 "$RUNS"); do
  out="$WORK/run-$run.out"
  : >"$out"
  LANTAARN_HOME="$WORK/home" LANTAARN_HTTP_PORT="$(free_port)" LANTAARN_MQTT_PORT="$(free_port)" \
    "$REPO/lantaarn" >"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q '^Lantaarn .* in [0-9.]* s' "$out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  line="$(grep -m 1 '^Lantaarn .* in [0-9.]* s' "$out" || true)"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -z "$line" ]]; then
    echo "run $run: no ready line; output:" >&2
    cat "$out" >&2
    exit 1
  fi
  echo "run $run: $line"
  times+=("$(sed -n 's/^Lantaarn .* in \([0-9.]*\) s.*/\1/p' <<<"$line")")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median of %d runs: %s s\n", NR, a[int((NR + 1) / 2)] }'
