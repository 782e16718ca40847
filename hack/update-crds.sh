#!/usr/bin/env bash
# Regenerates deploy/crds from the Java model (src/main/java/io/hpcbridge/api/v1alpha1):
# fabric8's crd-generator writes target/crds during process-classes, then CrdExporter puts the
# printer columns in annotation order and writes deploy/crds/<plural>.hpcbridge.io.yaml.
# CrdsAreCurrentTest fails the build when the committed files differ from what this produces.
# The Helm chart ships copies in deploy/helm/hpc-bridge/crds; ChartCrdsInSyncTest fails when they differ.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Offline first (the usual case here); fall back to online when something is missing from ~/.m2.
mvn_() { mvn -B -q -o "$@" || { echo "offline maven failed; retrying online" >&2; mvn -B -q "$@"; }; }

mvn_ process-classes
CP_FILE=target/crd-exporter.classpath
mvn_ dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
java -cp "target/classes:$(cat "$CP_FILE")" io.hpcbridge.crd.CrdExporter target/crds deploy/crds

# The chart's copies: exactly the files of deploy/crds, byte for byte (stale ones removed).
CHART_CRDS=deploy/helm/hpc-bridge/crds
mkdir -p "$CHART_CRDS"
find "$CHART_CRDS" -maxdepth 1 -name '*.yaml' -delete
cp deploy/crds/*.yaml "$CHART_CRDS"/
