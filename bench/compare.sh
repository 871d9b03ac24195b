#!/usr/bin/env bash
# The side-by-side benchmark of issue 8: the same devices and payloads (bench/README.md, "load") through four set-ups
# on this machine, one after the other, then one table with the ratios:
#   mosquitto            bare Mosquitto (the Debian package): publisher -> broker -> subscriber, no processing
#   node-red             Mosquitto + Node-RED (bench/node-red) running a flow that parses, maps, thresholds, alerts
#   lantaarn             the hub with its embedded broker: adapters -> twin (persisted) -> routes -> MQTT alert
#   lantaarn-mosquitto   the hub connected to an external Mosquitto, devices and subscriber on that Mosquitto
# Phases per set-up: qos1-max (at most 4,000 messages on their way from publish to output: what the chain sustains),
# qos1-<rate> and qos0-<rate> at a fixed rate (the latency; at 80 % of the sustained rate when that is lower), and
# for the set-ups of --burst-on (default: lantaarn) a burst of 10 x the sustained rate for 30 s, then a recovery run.
# Every process is started here, on free ports, and stopped by its pid.
#
# Usage: bench/compare.sh [smoke] [--setups LIST] [--devices N] [--rate R] [--warmup S] [--duration S]
#                         [--connections C] [--no-burst] [--burst-on LIST] [--results FILE]
# Before its phases each set-up is primed: every device sends once (the hub creates its things), not measured.
# `smoke` runs every set-up with a few hundred devices for a few seconds each: it checks the harness, not the speed.
# Extra options for the hub's JVM go in LANTAARN_JAVA_OPTS; KEEP=1 keeps the work folder (logs, homes).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME=compare
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
SETUPS="mosquitto,node-red,lantaarn,lantaarn-mosquitto"
DEVICES=10000
CONNECTIONS=4
RATE=10000
WARMUP=10
DURATION=30
DRAIN=20
BURST=1
BURST_FACTOR=10
BURST_SECONDS=30
BURST_DRAIN=""
BURST_ON="lantaarn"
RESULTS=""
SMOKE=0
INFLIGHT=""
SMOKE_JVM_OPTS=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    smoke) SMOKE=1 ;;
    --setups) SETUPS="${2:?--setups needs a list}"; shift ;;
    --devices) DEVICES="${2:?--devices needs a number}"; shift ;;
    --rate) RATE="${2:?--rate needs a number}"; shift ;;
    --warmup) WARMUP="${2:?--warmup needs seconds}"; shift ;;
    --duration) DURATION="${2:?--duration needs seconds}"; shift ;;
    --connections) CONNECTIONS="${2:?--connections needs a number}"; shift ;;
    --no-burst) BURST=0 ;;
    --burst-on) BURST_ON="${2:?--burst-on needs a list of set-ups}"; shift ;;
    --results) RESULTS="${2:?--results needs a file}"; shift ;;
    -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
PHASES="qos1-max qos1-rate burst qos0-rate"
if [[ "$SMOKE" == 1 ]]; then
  # every set-up, both QoS levels, a few thousand messages in all; no burst. A window of 400 messages on their way
  # keeps qos1-max short on a slow machine (4,000 waiting for a hub that handles a few hundred a second take as many
  # seconds to drain); the hubs start while the first set-ups run (see below). Its JVMs, the hubs' and the load
  # generator's, compile with C1 only: they run for seconds, and C2 would spend much of them compiling.
  DEVICES=300 RATE=300 WARMUP=1 DURATION=1 DRAIN=30 PHASES="qos1-max qos0-rate" INFLIGHT=100
  SMOKE_JVM_OPTS="-XX:TieredStopAtLevel=1"
fi
for n in DEVICES RATE WARMUP DURATION CONNECTIONS; do
  [[ "${!n}" =~ ^[0-9]+$ && "${!n}" -gt 0 ]] || die "--${n,,} must be a positive whole number, not '${!n}'"
done
IFS=',' read -r -a SETUP_LIST <<<"$SETUPS"
for s in "${SETUP_LIST[@]}"; do
  case "$s" in
    mosquitto | node-red | lantaarn | lantaarn-mosquitto) ;;
    *) die "unknown set-up '$s' (known: mosquitto, node-red, lantaarn, lantaarn-mosquitto)" ;;
  esac
done

MOSQUITTO="${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}"
[[ -x "$MOSQUITTO" ]] || die "Mosquitto is not installed (Debian: apt-get install mosquitto); set MOSQUITTO=<path> otherwise"
command -v node >/dev/null || [[ ",$SETUPS," != *,node-red,* ]] \
  || die "Node.js is not installed; Node-RED needs it (or leave node-red out: --setups mosquitto,lantaarn,...)"

[[ -n "$RESULTS" ]] || RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

"$REPO/lantaarn" build >/dev/null

# --- the systems under test ---------------------------------------------------------------------------------------

MQ_PORT="" MQ_PID=""
# start_mosquitto [INFLIGHT]: INFLIGHT unacknowledged QoS 1 messages at most towards each client (default 1,000)
start_mosquitto() {
  local inflight="${1:-1000}"
  MQ_PORT="$(free_port)"
  local conf="$WORK/mosquitto-$MQ_PORT.conf"
  # Anonymous on loopback only. The queue limits are raised so that a subscriber that lags behind during the
  # measured run is not dropped by the broker's default (1,000 queued QoS 1 messages per client): such drops would
  # count as lost messages of the set-up rather than of the broker's configuration.
  cat >"$conf" <<EOF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages $inflight
max_queued_messages 2000000
max_queued_bytes 0
log_dest stderr
log_type error
log_type warning
EOF
  "$MOSQUITTO" -c "$conf" >"$WORK/mosquitto-$MQ_PORT.log" 2>&1 &
  MQ_PID=$!
  PIDS+=("$MQ_PID")
  for _ in $(seq 1 50); do
    (echo >"/dev/tcp/127.0.0.1/$MQ_PORT") 2>/dev/null && return 0
    kill -0 "$MQ_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/mosquitto-$MQ_PORT.log" >&2
  die "Mosquitto did not start on port $MQ_PORT"
}

NR_PID=""
start_node_red() {
  local qos="$1" log="$WORK/node-red-$1.log"
  BENCH_BROKER_PORT="$MQ_PORT" "$REPO/bench/node-red/run.sh" "$MQ_PORT" "$qos" >"$log" 2>&1 &
  NR_PID=$!
  PIDS+=("$NR_PID")
  wait_for "$log" 'Node-RED ready' "$NR_PID" 180 || die "Node-RED did not get ready"
  grep -m 1 'Node-RED ready' "$log"
}

# the hub of each broker (embedded, external) once launched: pid, MQTT port, and its own Mosquitto (external)
declare -A HUB_PIDS=() HUB_MQTT_PORTS=() HUB_MQ_PIDS=() HUB_MQ_PORTS=()
HUB_HOME=""
# launch_hub embedded|external: the hub started with its routes at QoS 1 (external: on a Mosquitto of its own),
# not waited for
launch_hub() {
  local broker="$1" home="$WORK/hub-$1"
  rm -rf "$home"
  fresh_home "$home"
  set_route_qos 1 "$home"
  # the routing says at DEBUG when it has reloaded a route file: switch_route_qos waits for that
  {
    echo 'log4j2.logger.benchroutes.name = nl.lantaarn.routing.internal.RouteFiles'
    echo 'log4j2.logger.benchroutes.level = DEBUG'
  } >>"$home/etc/org.ops4j.pax.logging.cfg"
  if [[ "$broker" == external ]]; then
    # below the hub's receive maximum (1,000): with both at 1,000, Mosquitto 2.0.11 sent the holding-back hub more
    # than 1,000 unacknowledged messages, its client closed the connection and the resent messages came twice
    start_mosquitto 100
    HUB_MQ_PIDS[$broker]="$MQ_PID"
    HUB_MQ_PORTS[$broker]="$MQ_PORT"
    printf 'enabled = false\n' >"$home/etc/nl.lantaarn.mqtt.broker.cfg"
    printf 'broker = external\nhost = 127.0.0.1\nport = %s\nmqttVersion = 5\n' "$MQ_PORT" \
      >"$home/etc/nl.lantaarn.mqtt.client.cfg"
  fi
  LANTAARN_JAVA_OPTS="$SMOKE_JVM_OPTS ${LANTAARN_JAVA_OPTS:-}" launch_hub_in "$home" "$WORK/hub-$broker.out"
  HUB_PIDS[$broker]="$HUB_PID"
  HUB_MQTT_PORTS[$broker]="$HUB_MQTT_PORT"
}

# use_hub embedded|external: waits until the hub launched for that broker (launched now if not yet) is ready, and
# makes it (and its Mosquitto) the current one: HUB_HOME, HUB_PID, HUB_MQTT_PORT, MQ_PID, MQ_PORT
use_hub() {
  local broker="$1" out="$WORK/hub-$1.out"
  [[ -n "${HUB_PIDS[$broker]:-}" ]] || launch_hub "$broker"
  HUB_HOME="$WORK/hub-$broker"
  HUB_PID="${HUB_PIDS[$broker]}"
  HUB_MQTT_PORT="${HUB_MQTT_PORTS[$broker]}"
  if [[ "$broker" == external ]]; then
    MQ_PID="${HUB_MQ_PIDS[$broker]}"
    MQ_PORT="${HUB_MQ_PORTS[$broker]}"
  fi
  await_hub "$out" "$HUB_PID" 120
  # the adapters and routes subscribe right after the ready line; give them a moment (3 s after the hub's last line
  # of output, the ready line, unless a launched hub waited that long already)
  local since=$(($(date +%s) - $(stat -c %Y "$out")))
  if [[ "$since" -lt 3 ]]; then sleep $((3 - since)); fi
}

ROUTES_RELOADED='Route file bench-alerts.yaml reloaded'
# switch_route_qos QOS: the current hub's routes rewritten to publish at QOS; returns once the hub has reloaded them
switch_route_qos() {
  local log="$HUB_HOME/data/log/lantaarn.log" before
  before="$(grep -c "$ROUTES_RELOADED" "$log" || true)"
  set_route_qos "$1"
  for _ in $(seq 1 300); do
    [[ "$(grep -c "$ROUTES_RELOADED" "$log" || true)" -gt "$before" ]] && return 0
    kill -0 "$HUB_PID" 2>/dev/null || break
    sleep 0.1
  done
  die "the hub did not reload its routes with QoS $1 within 30 s (no '$ROUTES_RELOADED' in $log)"
}

# set_route_qos QOS [HOME]: the benchmark's routes with their outputs at QOS, in HOME (default: the current hub's)
set_route_qos() {
  sed -E "s/^( +qos:) [0-9]/\1 $1/" "$REPO/bench/compare/bench-alerts.yaml" >"${2:-$HUB_HOME}/routes/bench-alerts.yaml"
}

# --- the load -----------------------------------------------------------------------------------------------------

# load SETUP PHASE QOS RATE DURATION WARMUP DRAIN MODE PIDS [broker options...]
load() {
  local setup="$1" phase="$2" qos="$3" rate="$4" duration="$5" warmup="$6" drain="$7" mode="$8" pids="$9"
  shift 9
  echo
  echo "=== $setup, $phase: QoS $qos, rate $rate, $DEVICES devices, $CONNECTIONS connections, ${warmup} + ${duration} s"
  # shellcheck disable=SC2086 # a list of options
  "$JAVA" $SMOKE_JVM_OPTS -jar "$BENCH_JAR" load --label "$setup" --phase "$phase" --qos "$qos" --rate "$rate" \
    --duration "$duration" --warmup "$warmup" --drain "$drain" --devices "$DEVICES" --connections "$CONNECTIONS" \
    --mode "$mode" --pids "$pids" --result-file "${RESULTS_NOW:-$RESULTS}" ${INFLIGHT:+--inflight "$INFLIGHT"} "$@" \
    || true
}

sustained_rate() { # the best throughput of the set-up's QoS 1 runs so far, from the results
  "$JAVA" -jar "$BENCH_JAR" compare-table --results "$RESULTS" --sustained "$1"
}

# run_phases SETUP MODE PIDS broker options...: the phases of $PHASES in order. QoS changes restart what
# needs it (Node-RED reads its QoS at start; the hub's routes are rewritten and reloaded while it runs).
run_phases() {
  local setup="$1" mode="$2" pids="$3" qos_now=1 phase qos
  shift 3
  # Prime: every device sends once, so that the hub's things exist (creating a thing costs more than updating it;
  # a city's hub has its things) and every set-up is past its cold start. Not in the table.
  local prime_rate=$((DEVICES < 1000 ? DEVICES : 1000))
  RESULTS_NOW="$WORK/prime.jsonl" load "$setup" prime 1 "$prime_rate" $(((DEVICES + prime_rate - 1) / prime_rate)) 0 \
    120 "$mode" "$pids" "$@"
  for phase in $PHASES; do
    qos=1
    [[ "$phase" == qos0-* ]] && qos=0
    if [[ "$qos" != "$qos_now" ]]; then
      case "$setup" in
        node-red) stop_pid "$NR_PID"; start_node_red "$qos"; pids="$MQ_PID,$NR_PID" ;;
        lantaarn*) switch_route_qos "$qos" ;;
      esac
      qos_now="$qos"
    fi
    case "$phase" in
      qos1-max) load "$setup" qos1-max 1 max "$DURATION" "$WARMUP" "$DRAIN" "$mode" "$pids" "$@" ;;
      qos1-rate | qos0-rate)
        # the latency at --rate, or at 80 % of what the set-up sustained when that is less: a set-up run far beyond
        # its throughput only builds a backlog (its latency grows with the run), and the backlog spoils the next run
        local r
        r="$(latency_rate "$setup")"
        load "$setup" "qos$qos-$r" "$qos" "$r" "$DURATION" "$WARMUP" "$DRAIN" "$mode" "$pids" "$@"
        ;;
      burst)
        # the hub set-ups only: BURST_FACTOR x what this set-up sustained, then a recovery run at half of it
        [[ ",$BURST_ON," == *,"$setup",* && "$BURST" == 1 ]] || continue
        local sustained burst
        sustained="$(sustained_rate "$setup")"
        [[ "$sustained" -gt 0 ]] || sustained="$RATE"
        burst=$((sustained * BURST_FACTOR))
        # the backlog of a burst takes about BURST_FACTOR x BURST_SECONDS to work off at the sustained rate
        load "$setup" "burst-${BURST_FACTOR}x" 1 "$burst" "$BURST_SECONDS" 0 \
          "${BURST_DRAIN:-$((BURST_FACTOR * BURST_SECONDS * 2 + 60))}" "$mode" "$pids" "$@"
        load "$setup" recovery 1 $((sustained / 2 > 0 ? sustained / 2 : 1)) "$DURATION" 0 "$DRAIN" "$mode" "$pids" "$@"
        ;;
    esac
  done
}

latency_rate() {
  local sustained
  if [[ "$SMOKE" == 1 ]]; then echo "$RATE"; return; fi
  sustained="$(sustained_rate "$1")"
  if [[ "$sustained" -gt 0 && $((sustained * 8 / 10)) -lt "$RATE" ]]; then
    echo $((sustained * 8 / 10 > 0 ? sustained * 8 / 10 : 1))
  else
    echo "$RATE"
  fi
}

run_mosquitto() {
  start_mosquitto
  run_phases mosquitto passthrough "$MQ_PID" --host 127.0.0.1 --port "$MQ_PORT"
  stop_pid "$MQ_PID"
}

run_node_red() {
  start_mosquitto
  start_node_red 1
  run_phases node-red processed "$MQ_PID,$NR_PID" --host 127.0.0.1 --port "$MQ_PORT"
  stop_pid "$NR_PID"
  stop_pid "$MQ_PID"
}

# run_hub SETUP embedded|external
run_hub() {
  local setup="$1" broker="$2"
  use_hub "$broker"
  if [[ "$broker" == external ]]; then
    run_phases "$setup" processed "$HUB_PID,$MQ_PID" --host 127.0.0.1 --port "$MQ_PORT"
  else
    run_phases "$setup" processed "$HUB_PID" --host 127.0.0.1 --port "$HUB_MQTT_PORT" --username devices \
      --password-file "$HUB_HOME/data/secrets/mqtt-devices.password"
  fi
  hub_log_summary "$HUB_HOME"
  stop_pid "$HUB_PID"
  if [[ "$broker" == external ]]; then stop_pid "$MQ_PID"; fi
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA" -version 2>&1 | head -1)"
echo "load average before: $(load_average)"
if [[ "$SMOKE" == 1 ]]; then
  # the smoke run measures nothing: the hubs boot (most of a smoke run's time otherwise) while the set-ups before
  # them run
  for s in "${SETUP_LIST[@]}"; do
    case "$s" in
      lantaarn) launch_hub embedded ;;
      lantaarn-mosquitto) launch_hub external ;;
    esac
  done
fi
for s in "${SETUP_LIST[@]}"; do
  case "$s" in
    mosquitto) run_mosquitto ;;
    node-red) run_node_red ;;
    lantaarn) run_hub lantaarn embedded ;;
    lantaarn-mosquitto) run_hub lantaarn-mosquitto external ;;
  esac
done
echo "load average after: $(load_average)"
echo
"$JAVA" -jar "$BENCH_JAR" compare-table --results "$RESULTS"
