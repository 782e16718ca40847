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
N=${N:-200}
BENCH_NS=${BENCH_NS:-hpcb-bench}
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
now_ms() { lssh 'date +%s%3N'; }
# Scheduler commands in the shim log between two login-node timestamps (ms), optionally by verb.
cmds_between() { lssh "awk -v a=$1 -v b=$2 -v v='${3:-}' '\$1>=a && \$1<=b && (v==\"\" || \$2==v)' $HPCB_CMDLOG | wc -l"; }
per_min() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.1f", n * 60000 / ms }'; }

# ---------------------------------------------------------------------------------------------- preparation
bench_operator
other=$(lssh "/usr/bin/squeue --me -h | wc -l")
[ "$other" -eq 0 ] || log "WARNING: $other job(s) of $HPCB_SSH_USER already in the queue; they compete for the 8 slots"
bench_namespace 2s
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
