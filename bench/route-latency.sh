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
BENCH_NAME=route-latency
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
RATE="${1:-5000}"
DURATION="${2:-60}"
WARMUP="${3:-10}"
SENSORS="${4:-500}"
HOME_DIR="$WORK/home"

"$REPO/lantaarn" build >/dev/null

# The home: the shipped configuration, one webhook channel, and only the benchmark's route (the launcher copies the
# default etc/ and routes/ only into a home that has none).
fresh_home "$HOME_DIR"
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

start_hub_in "$HOME_DIR" "$WORK/hub.out" 60
sleep 2 # FileInstall hands the webhook channel's configuration over shortly after the ready line

echo "load average before: $(load_average)"
status=0
"$JAVA" -Dlantaarn.home="$HOME_DIR" -jar "$BENCH_JAR" route-latency --rate "$RATE" --duration "$DURATION" \
  --warmup "$WARMUP" --sensors "$SENSORS" --webhook-port "$WEBHOOK_PORT" || status=$?
echo "load average after: $(load_average)"

hub_log_summary "$HOME_DIR" 3
exit "$status"
