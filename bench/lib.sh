# Shared by the benchmarks under bench/: the stack's environment, logging, ssh to the login node, the operator (started
# here only if none runs, and stopped again at exit) and a bench namespace with its Secret and HpcCluster.
# Source it after setting BENCH_NS; it sets K (kubectl), ROOT and RUN.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HPCB_STATE=${HPCB_STATE:-/var/tmp/hpcb-stack}
[ -f "$HPCB_STATE/env" ] || { echo "$HPCB_STATE/env missing: run hack/stack-up.sh first" >&2; exit 1; }
# shellcheck disable=SC1091
. "$HPCB_STATE/env"
export KUBECONFIG
K=${KUBECTL:-kubectl}
RUN=$(date +%s)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
lssh() {
  ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$HPCB_KNOWN_HOSTS" -i "$HPCB_SSH_KEY" \
    -p "$HPCB_SSH_PORT" "$HPCB_SSH_USER@$HPCB_SSH_HOST" "$@"
}
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

bench_started_operator=0
bench_tmp=$(mktemp -d)
bench_cleanup() {
  rm -rf "$bench_tmp"
  if [ "${KEEP:-0}" != 1 ]; then "$K" delete namespace "$BENCH_NS" --wait=false >/dev/null 2>&1 || true; fi
  if [ "$bench_started_operator" = 1 ]; then "$ROOT/hack/operator.sh" stop || true; fi
}
trap bench_cleanup EXIT

# Uses the running operator, or starts one (only one may run against the stack).
bench_operator() {
  if pgrep -f 'quarkus-run.jar' >/dev/null; then
    log "using the operator already running (pid $(pgrep -f 'quarkus-run.jar' | tr '\n' ' '))"
  else
    log "no operator running: starting one with hack/operator.sh"
    "$ROOT/hack/operator.sh" start
    bench_started_operator=1
  fi
}

# bench_namespace POLL_INTERVAL: CRDs, a fresh $BENCH_NS, its login Secret and a Ready HpcCluster "bench-slurm".
bench_namespace() {
  "$K" apply -f "$ROOT/deploy/crds" >/dev/null
  "$K" wait --for=condition=Established --timeout=60s -f "$ROOT/deploy/crds" >/dev/null
  # A namespace left Terminating by an earlier run must be gone first, or everything applied to it is lost.
  "$K" wait --for=delete "namespace/$BENCH_NS" --timeout=600s >/dev/null 2>&1 || true
  "$K" create namespace "$BENCH_NS" --dry-run=client -o yaml | "$K" apply -f - >/dev/null
  "$K" -n "$BENCH_NS" create secret generic hpc-login --from-file=ssh-privatekey="$HPCB_SSH_KEY" \
    --from-file=known_hosts="$HPCB_KNOWN_HOSTS" --dry-run=client -o yaml | "$K" apply -f - >/dev/null
  "$K" -n "$BENCH_NS" apply -f - >/dev/null <<YAML
apiVersion: hpcbridge.io/v1alpha1
kind: HpcCluster
metadata:
  name: bench-slurm
spec:
  scheduler: slurm
  loginNodes:
    - host: $HPCB_SSH_HOST
      port: $HPCB_SSH_PORT
  user: $HPCB_SSH_USER
  credentialsSecretRef:
    name: hpc-login
  workRoot: $HPCB_WORK_ROOT
  pollInterval: $1
YAML
  # The connection is set up before any clock starts.
  "$K" -n "$BENCH_NS" wait --for=condition=Ready --timeout=120s hpccluster/bench-slurm >/dev/null
}
