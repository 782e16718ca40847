#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: bring up the local stack of real parts, build and
# start the operator, run the hello campaign on real Slurm over real SSH, and show the result.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HACK_DIR/.."
NS=${HPCB_DEMO_NAMESPACE:-hpcb-demo}

hack/stack-up.sh
hack/build.sh
# shellcheck disable=SC1091
. /var/tmp/hpcb-stack/env
. "$HACK_DIR/lib.sh"
export KUBECONFIG
k() { "$KUBECTL" "$@" 2> >(grep -v '^Warning:' >&2); }

k apply -f deploy/crds/
k wait --for=condition=Established --timeout=60s -f deploy/crds/
k create namespace "$NS" --dry-run=client -o yaml | k apply -f -
# The cluster's Secret: the login node's private key and its host key (always verified).
k -n "$NS" create secret generic hpc-login \
  --from-file=ssh-privatekey="$HPCB_SSH_KEY" --from-file=known_hosts="$HPCB_KNOWN_HOSTS" \
  --dry-run=client -o yaml | k apply -f -
hack/operator.sh start
k -n "$NS" apply -f examples/01-hpccluster.yaml -f examples/02-campaign-hello.yaml

log "waiting for campaign/hello to succeed (real Slurm jobs; about a minute)"
if ! k -n "$NS" wait --for=condition=Succeeded --timeout=300s campaign/hello; then
  k -n "$NS" get campaigns,htask,hatt,pblock,hpcc -o wide || true
  k -n "$NS" describe campaign hello || true
  die "campaign/hello did not succeed; operator log: $HPCB_LOGS/operator.log"
fi
echo
k -n "$NS" get campaigns,htask,hatt,pblock,hpcc
echo
log "done. Work directories are under $HPCB_WORK_ROOT/$NS/hello on the login node."
log "stop everything with: hack/operator.sh stop && hack/stack-down.sh"
