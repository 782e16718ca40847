#!/usr/bin/env bash
# Regenerates docs/api-reference.md from the committed CRDs in deploy/crds (run hack/update-crds.sh first when the
# Java model changed). ApiReferenceIsCurrentTest fails the build when the committed file differs from what this
# produces.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Offline first (the usual case here); fall back to online when something is missing from ~/.m2.
mvn_() { mvn -B -q -o "$@" || { echo "offline maven failed; retrying online" >&2; mvn -B -q "$@"; }; }

mvn_ compile
CP_FILE=target/api-reference.classpath
mvn_ dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
java -cp "target/classes:$(cat "$CP_FILE")" io.hpcbridge.crd.ApiReferenceGenerator deploy/crds docs/api-reference.md
