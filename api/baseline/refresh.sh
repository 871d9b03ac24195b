#!/usr/bin/env bash
# Makes the API as built now the baseline that later builds are compared with. Run after a reviewed API change
# whose package versions are right (the build told you so), then commit api/baseline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
./mvnw -q -pl api/hub-api package -DskipTests -Dbnd.baseline.skip=true
cp api/hub-api/target/nl.lantaarn.api-*.jar api/baseline/nl/lantaarn/nl.lantaarn.api/baseline/nl.lantaarn.api-baseline.jar
# Maven keeps the baseline it resolved once in the local repository: drop that copy so the next build compares with
# the refreshed one
LOCAL_REPO="$(./mvnw -q help:evaluate -Dexpression=settings.localRepository -DforceStdout)"
rm -rf "$LOCAL_REPO/nl/lantaarn/nl.lantaarn.api/baseline"
# and resolve it again now (from api/baseline, not the network), so that offline builds keep working
./mvnw -q -pl api/hub-api verify -DskipTests
echo "baseline refreshed from api/hub-api/target"
