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
BENCH_NAME=scale
# a hub holding many things may take a while to close its store
STOP_GRACE="${STOP_GRACE:-300}"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
if [[ "${1:-}" == smoke ]]; then
  THINGS=3000
else
  THINGS="${1:-1000000}"
fi
[[ "$THINGS" =~ ^[0-9]+$ ]] || { echo "THINGS must be a number, not '$THINGS'" >&2; exit 2; }
HEAP="${SCALE_HEAP:-2g}"
HOME_DIR="${SCALE_HOME:-$WORK/home}"

"$REPO/lantaarn" build >/dev/null
JMH_JAR="$REPO/bench/jmh/target/benchmarks.jar"
if [[ ! -f "$JMH_JAR" ]]; then
  echo "bench/scale.sh: building the benchmarks jar..." >&2
  (cd "$REPO" && ./mvnw -q -DskipTests -pl bench/jmh package)
fi
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/jcmd}"
JCMD="${JCMD:-jcmd}"

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)"
echo "load average before: $(load_average)"
if [[ -f "$HOME_DIR/data/twin/things.mv" ]]; then
  echo "reusing the store of $HOME_DIR"
else
  # the shipped configuration and no routes (the launcher copies the defaults only into a home that has none)
  fresh_home "$HOME_DIR"
  rm -f "$HOME_DIR"/etc/nl.lantaarn.http.client-*.cfg
  # a million parsed Ditto things would not fit in 2 GB: keep the 20,000 most recently used parsed (the default,
  # 100,000, suits cities up to a few hundred thousand things)
  printf 'cachedThings = %s\n' "${CACHED_THINGS:-20000}" >"$HOME_DIR/etc/nl.lantaarn.twin.cfg"
  # the filler holds the things as the twin does; 3 GB leaves room for its garbage
  "$JAVA" -Xmx3g -cp "$JMH_JAR" nl.lantaarn.bench.jmh.TwinStoreFill "$HOME_DIR" "$THINGS"
fi

started=$(date +%s%N)
LANTAARN_JAVA_OPTS="-Xmx$HEAP ${LANTAARN_JAVA_OPTS:-}" start_hub_in "$HOME_DIR" "$WORK/hub.out" 600

# the twin and the search index each say in health how many things they hold
health_counts() {
  curl -s "http://127.0.0.1:$HUB_HTTP_PORT/api/v1/health" | python3 -c '
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
  kill -0 "$HUB_PID" 2>/dev/null || break
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

"$JCMD" "$HUB_PID" GC.run >/dev/null
used_kb="$("$JCMD" "$HUB_PID" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)"
printf 'heap after a full GC: %d MB (-Xmx%s), %d bytes a thing\n' "$((used_kb / 1024))" "$HEAP" \
  "$((used_kb * 1024 / (THINGS > 0 ? THINGS : 1)))"
echo "load average after: $(load_average)"
stop_pid "$HUB_PID"
echo "hub stopped"
