#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: bring up the local stack of real parts, build and
# start the operator, run the hello campaign on real Slurm and, with only its clusterRef changed,
# on a real HTCondor pool, each over real SSH, and show the results.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HACK_DIR/.."
NS=${HPCB_DEMO_NAMESPACE:-hpcb-demo}
NS_CONDOR=$NS-htcondor

hack/stack-up.sh
hack/build.sh
# shellcheck disable=SC1091
. /var/tmp/hpcb-stack/env
. "$HACK_DIR/lib.sh"
export KUBECONFIG
k() { "$KUBECTL" "$@" 2> >(grep -v '^Warning:' >&2); }

k apply -f deploy/crds/
k wait --for=condition=Established --timeout=60s -f deploy/crds/
for ns in "$NS" "$NS_CONDOR"; do
  k create namespace "$ns" --dry-run=client -o yaml | k apply -f -
done
# Each cluster's Secret: the login node's private key and its host key (always verified).
k -n "$NS" create secret generic hpc-login \
  --from-file=ssh-privatekey="$HPCB_SSH_KEY" --from-file=known_hosts="$HPCB_KNOWN_HOSTS" \
  --dry-run=client -o yaml | k apply -f -
k -n "$NS_CONDOR" create secret generic htcondor-login \
  --from-file=ssh-privatekey="$HPCB_SSH_KEY" --from-file=known_hosts="$HPCB_CONDOR_KNOWN_HOSTS" \
  --dry-run=client -o yaml | k apply -f -
hack/operator.sh start
# The same hello campaign on both schedulers: examples/htcondor/02-campaign-hello.yaml differs only in clusterRef.
k -n "$NS" apply -f examples/01-hpccluster.yaml -f examples/02-campaign-hello.yaml
k -n "$NS_CONDOR" apply -f examples/htcondor/01-hpccluster.yaml -f examples/htcondor/02-campaign-hello.yaml

for ns in "$NS" "$NS_CONDOR"; do
  log "waiting for campaign/hello in $ns to succeed (real jobs; about a minute)"
  if ! k -n "$ns" wait --for=condition=Succeeded --timeout=300s campaign/hello; then
    k -n "$ns" get campaigns,htask,hatt,pblock,hpcc -o wide || true
    k -n "$ns" describe campaign hello || true
    die "campaign/hello in $ns did not succeed; operator log: $HPCB_LOGS/operator.log"
  fi
done
for ns in "$NS" "$NS_CONDOR"; do
  echo
  log "namespace $ns:"
  k -n "$ns" get campaigns,htask,hatt,pblock,hpcc
done
echo
log "done. Work directories are under $HPCB_WORK_ROOT/$NS/hello on the Slurm login node and under"
log "$HPCB_CONDOR_WORK_ROOT/$NS_CONDOR/hello on the HTCondor login node (inside $HPCB_CONDOR_ROOT)."
log "stop everything with: hack/operator.sh stop && hack/stack-down.sh"
