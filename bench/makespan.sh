#!/usr/bin/env bash
# Makespan benchmark (acceptance 10 of the gateway issue): N independent one-second jobs on the local Slurm,
#   (a) as a plain bash loop on the login node: sbatch N times, then squeue every 2 s until none is left;
#   (b) as an hpc-bridge Campaign of N tasks on an HpcCluster "bench-slurm" polling every 2 s;
# in the same run, on the same Slurm. Prints both makespans, their ratio and the scheduler commands per minute
# of each, counted on the login node by the counting shim ($HPCB_CMDLOG), not by the operator.
#
#   N=50 bench/makespan.sh        quick run (default N=200)
#   Exits 1 when the ratio is above MAX_RATIO (default 1.25, the issue's target) or a job did not succeed.
#
# Needs the local stack (hack/stack-up.sh) and a built operator (hack/build.sh or mvn package). If no operator is
# running, one is started with hack/operator.sh and stopped again at the end. Only one operator may run against the
# stack, so do not run this while an e2e test runs. Environment: N, BENCH_NS (default hpcb-bench), KEEP=1 keeps the
# bench namespace afterwards.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
N=${N:-200}
BENCH_NS=${BENCH_NS:-hpcb-bench}
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
now_ms() { lssh 'date +%s%3N'; }
# Scheduler commands in the shim log between two login-node timestamps (ms), optionally by verb.
cmds_between() { lssh "awk -v a=$1 -v b=$2 -v v='${3:-}' '\$1>=a && \$1<=b && (v==\"\" || \$2==v)' $HPCB_CMDLOG | wc -l"; }
per_min() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.1f", n * 60000 / ms }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

started_operator=0
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then "$K" delete namespace "$BENCH_NS" --wait=false >/dev/null 2>&1 || true; fi
  if [ "$started_operator" = 1 ]; then "$ROOT/hack/operator.sh" stop || true; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------- preparation
if pgrep -f 'quarkus-run.jar' >/dev/null; then
  log "using the operator already running (pid $(pgrep -f 'quarkus-run.jar' | tr '\n' ' '))"
else
  log "no operator running: starting one with hack/operator.sh"
  "$ROOT/hack/operator.sh" start
  started_operator=1
fi
other=$(lssh "/usr/bin/squeue --me -h | wc -l")
[ "$other" -eq 0 ] || log "WARNING: $other job(s) of $HPCB_SSH_USER already in the queue; they compete for the 8 slots"

"$K" apply -f "$ROOT/deploy/crds" >/dev/null
"$K" wait --for=condition=Established --timeout=60s -f "$ROOT/deploy/crds" >/dev/null
# A namespace left Terminating by an earlier run must be gone first, or everything applied to it is lost.
"$K" wait --for=delete "namespace/$BENCH_NS" --timeout=300s >/dev/null 2>&1 || true
"$K" create namespace "$BENCH_NS" --dry-run=client -o yaml | "$K" apply -f - >/dev/null
"$K" -n "$BENCH_NS" create secret generic hpc-login --from-file=ssh-privatekey="$HPCB_SSH_KEY" \
  --from-file=known_hosts="$HPCB_KNOWN_HOSTS" --dry-run=client -o yaml | "$K" apply -f - >/dev/null
"$K" -n "$BENCH_NS" apply -f - >/dev/null <<EOF
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
  pollInterval: 2s
EOF
# The connection is set up before the clock starts, as for the plain loop's login.
"$K" -n "$BENCH_NS" wait --for=condition=Ready --timeout=120s hpccluster/bench-slurm >/dev/null
clusters=$("$K" get hpcclusters -A --no-headers | wc -l)

# ---------------------------------------------------------------------------------------------- (a) plain loop
log "(a) plain loop: $N x sbatch --wrap='sleep 1', then squeue every 2 s until none is left"
plain="bench-plain-$RUN-"
a_start=$(now_ms)
lssh "bash -s" <<EOF
set -e
mkdir -p ~/bench-out
for i in \$(seq 1 $N); do
  sbatch --parsable --job-name=$plain\$i --cpus-per-task=1 --mem=50M --time=5 \
    --output=\$HOME/bench-out/%j.out --wrap='sleep 1' >/dev/null
done
while [ "\$(squeue --me -h -o '%j' | grep -c '^$plain' || true)" -gt 0 ]; do sleep 2; done
EOF
a_end=$(now_ms)
a_ms=$((a_end - a_start))
a_cmds=$(cmds_between "$a_start" "$a_end")
a_ok=$(lssh "sacct -X -n -P -S now-1hour -o JobName%100,State | grep -c '^$plain[0-9]*|COMPLETED' || true")
log "(a) makespan $(secs $a_ms) s, $a_ok/$N COMPLETED in sacct, $a_cmds scheduler commands"

# ---------------------------------------------------------------------------------------------- (b) hpc-bridge
camp="bench-$RUN"
manifest=$(mktemp)
{
  cat <<EOF
apiVersion: hpcbridge.io/v1alpha1
kind: Campaign
metadata:
  name: $camp
spec:
  clusterRef:
    name: bench-slurm
  defaults:
    resources:
      cpus: 1
      memory: 50Mi
      time: 5m
    retryStrategy:
      limit: 0
  tasks:
EOF
  for i in $(seq 1 "$N"); do
    printf '    - name: t%d\n      script: |\n        #!/bin/bash\n        sleep 1\n' "$i"
  done
} >"$manifest"
log "(b) hpc-bridge: Campaign $BENCH_NS/$camp of $N tasks on bench-slurm (pollInterval 2s)"
b_start=$(now_ms)
"$K" -n "$BENCH_NS" apply -f "$manifest" >/dev/null
"$K" -n "$BENCH_NS" wait --for=condition=Completed --timeout=1800s "campaign/$camp" >/dev/null
b_end=$(now_ms)
rm -f "$manifest"
b_ms=$((b_end - b_start))
b_cmds=$(cmds_between "$b_start" "$b_end")
phase=$("$K" -n "$BENCH_NS" get campaign "$camp" -o jsonpath='{.status.phase}')
b_ok=$("$K" -n "$BENCH_NS" get campaign "$camp" -o jsonpath='{.status.tasks.succeeded}')
# Where the time went: first and last sbatch of each run, from the shim log.
sb() { lssh "awk -v a=$1 -v b=$2 '\$1>=a && \$1<=b && \$2==\"sbatch\" && index(\$0, \"$3\")' $HPCB_CMDLOG | awk 'NR==1{f=\$1} {l=\$1} END{print l-f}'"; }
a_sub=$(sb "$a_start" "$a_end" "--job-name=$plain")
b_sub=$(sb "$b_start" "$b_end" "--job-name=hpcb.$BENCH_NS.$camp-")
b_first=$(lssh "awk -v a=$b_start -v b=$b_end '\$1>=a && \$1<=b && \$2==\"sbatch\"' $HPCB_CMDLOG | head -1 | cut -d' ' -f1")
log "(b) makespan $(secs $b_ms) s, campaign $phase with $b_ok/$N tasks Succeeded, $b_cmds scheduler commands"
"$K" -n "$BENCH_NS" delete campaign "$camp" --wait=false >/dev/null || true

# ---------------------------------------------------------------------------------------------- report
echo
echo "makespan benchmark: N=$N one-second jobs (sleep 1, 1 cpu, 50M), $(date -u +%FT%TZ), $(nproc) cores, $(uname -n)"
echo "plain loop:  makespan $(secs $a_ms) s, $a_ok/$N COMPLETED; sbatch span $(secs "$a_sub") s; scheduler commands $a_cmds = $(per_min "$a_cmds" "$a_ms")/min"
echo "hpc-bridge:  makespan $(secs $b_ms) s, $b_ok/$N Succeeded; first sbatch after $(secs $((b_first - b_start))) s, sbatch span $(secs "$b_sub") s; scheduler commands $b_cmds = $(per_min "$b_cmds" "$b_ms")/min"
echo "             (commands of all $clusters HpcCluster(s) on the stack are counted: each polls squeue once per its interval)"
echo "makespan ratio (hpc-bridge / plain loop): $(awk -v b="$b_ms" -v a="$a_ms" 'BEGIN { printf "%.2f", b / a }')"
echo "scheduler commands per minute: plain loop $(per_min "$a_cmds" "$a_ms"), hpc-bridge $(per_min "$b_cmds" "$b_ms")"
# The target of the gateway issue: fail the run (exit 1) when it is missed, or when any job did not end well.
MAX_RATIO=${MAX_RATIO:-1.25}
ratio=$(awk -v b="$b_ms" -v a="$a_ms" 'BEGIN { printf "%.2f", b / a }')
if [ "$a_ok" -ne "$N" ] || [ "${b_ok:-0}" -ne "$N" ]; then
  echo "FAIL: not every job succeeded (plain loop $a_ok/$N, hpc-bridge ${b_ok:-0}/$N)"; exit 1
fi
if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
  echo "FAIL: makespan ratio $ratio is above the target $MAX_RATIO"; exit 1
fi
echo "PASS: makespan ratio $ratio <= $MAX_RATIO"
