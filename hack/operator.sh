#!/usr/bin/env bash
# Runs the packaged operator against the local stack as a background process with a pid file,
# like the other stack components: hack/operator.sh {start|stop|status}. Log: $HPCB_LOGS/operator.log.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"
JAR="$HACK_DIR/../target/quarkus-app/quarkus-run.jar"

case "${1:-}" in
  start)
    [ -f "$JAR" ] || die "$JAR missing: run hack/build.sh first"
    [ -f "$HPCB_STATE/env" ] || die "$HPCB_STATE/env missing: run hack/stack-up.sh first"
    if is_running operator; then log "operator already running (pid $(cat "$(pidfile operator)"))"; exit 0; fi
    # shellcheck disable=SC1091
    . "$HPCB_STATE/env"
    export KUBECONFIG
    start_bg operator "$(command -v java)" -jar "$(readlink -f "$JAR")"
    wait_for "operator to start" 60 grep -q "Installed features" "$HPCB_LOGS/operator.log" || fail_start operator
    log "operator running (pid $(cat "$(pidfile operator)")), log $HPCB_LOGS/operator.log"
    ;;
  stop) stop_pid operator ;;
  status) if is_running operator; then echo "operator running"; else echo "operator stopped"; exit 1; fi ;;
  *) die "usage: $0 {start|stop|status}" ;;
esac
