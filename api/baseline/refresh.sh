#!/usr/bin/env bash
# Makes the API as built now the baseline that later builds are compared with. Run after a reviewed API change
# whose package versions are right (the build told you so), then commit api/baseline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
./mvnw -q -pl api/hub-api package -DskipTests -Dbnd.baseline.skip=true
cp api/hub-api/target/nl.lantaarn.api-*.jar api/baseline/nl/lantaarn/nl.lantaarn.api/baseline/nl.lantaarn.api-baseline.jar
echo "baseline refreshed from api/hub-api/target"
