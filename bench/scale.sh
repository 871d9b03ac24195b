#!/usr/bin/env bash
# Measures the hub with many things: fills a fresh home's embedded store with THINGS things of the city mix
# (bench/jmh TwinStoreFill: the twin's own write path, in a plain JVM), starts ./lantaarn on that home with -Xmx2g on
# free ports, and prints the ready time, the time until the twin and the search index hold every thing (from the
# health endpoint), and the heap after a full GC (jcmd GC.run, GC.heap_info). Stops the hub by its pid at the end.
#
# Usage: bench/scale.sh [THINGS]    default 1000000
#        bench/scale.sh smoke       3000 things: checks the harness, in seconds
# SCALE_HOME=<folder> fills the home there once and reuses it when it already has a store (fill once, start often);
# SCALE_HEAP sets the hub's -Xmx (default 2g); LANTAARN_JAVA_OPTS adds JVM options; KEEP=1 keeps the work folder.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == smoke ]]; then
  THINGS=3000
else
  THINGS="${1:-1000000}"
fi
[[ "$THINGS" =~ ^[0-9]+$ ]] || { echo "THINGS must be a number, not '$THINGS'" >&2; exit 2; }
HEAP="${SCALE_HEAP:-2g}"
WORK="$(mktemp -d)"
HOME_DIR="${SCALE_HOME:-$WORK/home}"
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
JMH_JAR="$REPO/bench/jmh/target/benchmarks.jar"
if [[ ! -f "$JMH_JAR" ]]; then
  echo "bench/scale.sh: building the benchmarks jar..." >&2
  (cd "$REPO" && ./mvnw -q -DskipTests -pl bench/jmh package)
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"
JAVA="${JAVA:-java}"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/jcmd}"
JCMD="${JCMD:-jcmd}"

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
if [[ -f "$HOME_DIR/data/twin/things.mv" ]]; then
  echo "reusing the store of $HOME_DIR"
else
  # the shipped configuration and no routes (the launcher copies the defaults only into a home that has none)
  mkdir -p "$HOME_DIR/etc" "$HOME_DIR/routes"
  cp "$REPO"/etc/*.cfg "$HOME_DIR/etc/"
  rm -f "$HOME_DIR"/etc/nl.lantaarn.http.client-*.cfg
  # a million parsed Ditto things would not fit in 2 GB: keep the 20,000 most recently used parsed (the default,
  # 100,000, suits cities up to a few hundred thousand things)
  printf 'cachedThings = %s\n' "${CACHED_THINGS:-20000}" >"$HOME_DIR/etc/nl.lantaarn.twin.cfg"
  # the filler holds the things as the twin does; 3 GB leaves room for its garbage
  "$JAVA" -Xmx3g -cp "$JMH_JAR" nl.lantaarn.bench.jmh.TwinStoreFill "$HOME_DIR" "$THINGS"
fi

HTTP_PORT="$(free_port)"
OUT="$WORK/hub.out"
: >"$OUT"
started=$(date +%s%N)
LANTAARN_HOME="$HOME_DIR" LANTAARN_HTTP_PORT="$HTTP_PORT" LANTAARN_HTTPS_PORT="$(free_port)" \
  LANTAARN_MQTT_PORT="$(free_port)" LANTAARN_JAVA_OPTS="-Xmx$HEAP ${LANTAARN_JAVA_OPTS:-}" \
  "$REPO/lantaarn" >"$OUT" 2>&1 &
hub_pid=$!
for _ in $(seq 1 6000); do
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

# the twin and the search index each say in health how many things they hold
health_counts() {
  curl -s "http://127.0.0.1:$HTTP_PORT/api/v1/health" | python3 -c '
import json, re, sys
components = json.load(sys.stdin).get("components", {})
def things(name):
    match = re.match(r"(\d+) things", components.get(name, {}).get("detail", ""))
    return match.group(1) if match else "-"
print(things("twin"), things("search"))' 2>/dev/null || echo "- -"
}
counts="- -"
for _ in $(seq 1 6000); do
  counts="$(health_counts)"
  [[ "$counts" == "$THINGS $THINGS" ]] && break
  kill -0 "$hub_pid" 2>/dev/null || break
  sleep 0.1
done
served=$(( ($(date +%s%N) - started) / 1000000 ))
read -r twin_things search_things <<<"$counts"
if [[ "$counts" != "$THINGS $THINGS" ]]; then
  echo "the twin and the search index do not hold $THINGS things: twin $twin_things, search $search_things" >&2
  exit 1
fi
printf 'twin and search index hold %d things, %.1f s after the launcher started\n' "$THINGS" \
  "$(echo "$served / 1000" | bc -l)"

"$JCMD" "$hub_pid" GC.run >/dev/null
used_kb="$("$JCMD" "$hub_pid" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)"
printf 'heap after a full GC: %d MB (-Xmx%s), %d bytes a thing\n' "$((used_kb / 1024))" "$HEAP" \
  "$((used_kb * 1024 / (THINGS > 0 ? THINGS : 1)))"
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
kill -TERM "$hub_pid"
wait "$hub_pid" 2>/dev/null || true
hub_pid=""
echo "hub stopped"
