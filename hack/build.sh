#!/usr/bin/env bash
# Installs the build tools if missing (JDK 17, Maven) and packages the operator (tests skipped).
# Maven downloads are retried: a flaky registry must not fail a fresh machine's first build.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"

ensure_build_tools() {
  command -v javac >/dev/null && command -v mvn >/dev/null || apt_install openjdk-17-jdk-headless maven
}

# mvn_retry ARGS... : runs Maven up to three times; only dependency resolution is expected to flake.
mvn_retry() {
  local i
  for i in 1 2 3; do
    if mvn -B -Dmaven.wagon.http.retryHandler.count=5 "$@"; then return 0; fi
    log "maven failed (try $i of 3)"
    sleep $((i * 10))
  done
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_build_tools
  cd "$HACK_DIR/.."
  mvn_retry -q package -DskipTests
  log "built target/quarkus-app/quarkus-run.jar"
fi
