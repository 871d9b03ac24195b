#!/usr/bin/env bash
# Measures the latency from an MQTT publish of a noise reading to the webhook delivery of the alert a route raises on
# it, through the real hub: starts ./lantaarn in a fresh home folder on free ports with one route (demo noise adapter
# readings above 70 dB(A) -> hub:alert, no de-duplication, on webhook channel "bench") and runs
# `lantaarn-bench route-latency`, whose receiver is that webhook. Prints the command's report, then stops the hub.
#
# Usage: bench/route-latency.sh [RATE [DURATION [WARMUP [SENSORS]]]]    defaults: 5000 readings/s, 60 s, 10 s, 500
# Extra options for the hub's JVM go in LANTAARN_JAVA_OPTS as usual; KEEP=1 keeps the home folder (and its log).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${1:-5000}"
DURATION="${2:-60}"
WARMUP="${3:-10}"
SENSORS="${4:-500}"
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
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The home: the shipped configuration, one webhook channel, and only the benchmark's route (the launcher copies the
# default etc/ and routes/ only into a home that has none).
mkdir -p "$HOME_DIR/etc" "$HOME_DIR/routes"
cp "$REPO"/etc/*.cfg "$HOME_DIR/etc/"
WEBHOOK_PORT="$(free_port)"
cat >"$HOME_DIR/etc/nl.lantaarn.notify.webhook-bench.cfg" <<EOF
url = http://127.0.0.1:$WEBHOOK_PORT/alerts
secret = route-latency-bench
EOF
cat >"$HOME_DIR/routes/bench-latency.yaml" <<'EOF'
- route:
    id: bench-latency
    description: Noise above 70 dB(A) from the demo noise adapter -> alert on webhook channel "bench", every reading
    routeProperties:
      purpose: Measure the hub's latency from an MQTT reading to a webhook alert (benchmark)
      legalBasis: PUBLIC_TASK
      owner: bench
    from:
      uri: hub:events
      parameters:
        namespace: nl.demo.safety
        feature: noise
      steps:
        - filter:
            simple: "${body[features][noise][properties][laeq]} > 70.0"
            steps:
              - setBody:
                  method:
                    ref: json
                    method: "pick(${body}, 'thingId=thingId; laeq=features/noise/properties/laeq; measuredAt=features/noise/properties/measuredAt')"
              - to:
                  uri: hub:alert
                  parameters:
                    channels: bench
                    severity: warning
                    title: Noise above 70 dB(A) (benchmark)
                    dedupWindow: PT0S
EOF

OUT="$WORK/hub.out"
: >"$OUT"
LANTAARN_HOME="$HOME_DIR" LANTAARN_HTTP_PORT="$(free_port)" LANTAARN_MQTT_PORT="$(free_port)" \
  "$REPO/lantaarn" >"$OUT" 2>&1 &
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
sleep 2 # FileInstall hands the webhook channel's configuration over shortly after the ready line

echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
status=0
"$JAVA" -Dlantaarn.home="$HOME_DIR" -jar "$BENCH_JAR" route-latency --rate "$RATE" --duration "$DURATION" \
  --warmup "$WARMUP" --sensors "$SENSORS" --webhook-port "$WEBHOOK_PORT" || status=$?
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"

LOG="$HOME_DIR/data/log/lantaarn.log"
if [[ -f "$LOG" ]]; then
  warnings="$(grep -c -E ' (WARN|ERROR) ' "$LOG" || true)"
  echo "hub log: $warnings WARN/ERROR lines, by logger:"
  grep -E ' (WARN|ERROR) ' "$LOG" | sed -E 's/^[^ ]+ +([A-Z]+) +\[[^]]*\] +([^ ]+) .*/  \1 \2/' | sort | uniq -c || true
  grep -E ' (WARN|ERROR) ' "$LOG" | head -3 || true
fi
exit "$status"
