#!/usr/bin/env bash
# Set-up (b) of the compare benchmark: Node-RED running flow.json against a broker on 127.0.0.1 (or
# BENCH_BROKER_HOST). Usage: bench/node-red/run.sh BROKER_PORT [QOS]   (QOS 0, 1 or 2; default 1)
# Installs the locked Node-RED when needed, then replaces itself with Node-RED (the caller's pid is Node-RED's).
# Prints one line starting with "Node-RED ready" once the flow's subscriptions are in place; stop it with SIGTERM.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MIN_NODE_MAJOR=18  # Node-RED 4.1 needs Node.js 18.5 or later

fail() {
  echo "node-red: $*" >&2
  exit 1
}

if [[ $# -lt 1 || $# -gt 2 ]]; then
  fail "usage: $0 BROKER_PORT [QOS]"
fi
port="$1"
qos="${2:-1}"
[[ "$port" =~ ^[0-9]{1,5}$ ]] && ((port >= 1 && port <= 65535)) || fail "BROKER_PORT must be a TCP port (1-65535), was '$port'"
[[ "$qos" =~ ^[012]$ ]] || fail "QOS must be 0, 1 or 2, was '$qos'"

command -v node >/dev/null || fail "no 'node' on the PATH: install Node.js $MIN_NODE_MAJOR.5 or later (with npm)"
command -v npm >/dev/null || fail "no 'npm' on the PATH: install npm (it comes with Node.js)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= MIN_NODE_MAJOR)) || fail "Node.js $(node --version) is too old: install Node.js $MIN_NODE_MAJOR.5 or later"

# npm writes node_modules/.package-lock.json on every install: older than the lock file means the lock changed since
if [[ ! -f "$HERE/node_modules/.package-lock.json" || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  echo "node-red: installing the locked Node-RED (npm ci) ..." >&2
  (cd "$HERE" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >&2) \
    || fail "npm ci failed in $HERE (see above): check the network or npm's registry setting, then run again"
fi

user_dir="$(mktemp -d "${TMPDIR:-/tmp}/lantaarn-node-red.XXXXXX")"
# a copy: Node-RED may rewrite its flow file, the committed one stays as it is
cp "$HERE/flow.json" "$user_dir/flow.json"

export BENCH_BROKER_PORT="$port" BENCH_QOS="$qos" BENCH_NODE_RED_USER_DIR="$user_dir"
export BENCH_BROKER_HOST="${BENCH_BROKER_HOST:-127.0.0.1}"
export NODE_RED_DISABLE_TELEMETRY=1
exec node "$HERE/node_modules/node-red/red.js" --settings "$HERE/settings.js" --userDir "$user_dir" "$user_dir/flow.json"
