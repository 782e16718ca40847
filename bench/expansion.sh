#!/usr/bin/env bash
# Expansion benchmark (acceptance 7 of issue 4): a Campaign whose one task has a 100 x 100 matrix (10,000 Tasks),
# applied with suspend: true so nothing runs, timed from `kubectl apply` until all 10,000 Task objects exist (listed
# through the API) and the Campaign reports status.tasks.total=10000. Prints that time, the size of the Campaign object
# (the issue requires < 64 KiB), and a baseline measured in the same run on the same API server: the time to create
# 10,000 plain ConfigMaps with one `kubectl apply -f` of one file. Also checks on the login node (counting shim) that
# not one sbatch was issued for the suspended sweep.
#
#   bench/expansion.sh               N=100 (an N x N matrix, 10,000 Tasks)
#   N=30 bench/expansion.sh          quick run (900 Tasks)
#   Exits 1 when the ratio (sweep / baseline) is above MAX_RATIO (default 2.0), when the Campaign object is 64 KiB or
#   more, or when anything was submitted.
#
# Needs the local stack (hack/stack-up.sh) and a built operator (hack/build.sh or mvn package). Only one operator may
# run against the stack: the script takes the e2e lock ($HPCB_LOCK, default /tmp/hpcb-e2e.lock) for its whole run, so it
# waits for a running e2e test and no e2e test starts meanwhile. If no operator is running it starts one with
# hack/operator.sh and stops it again at the end. Environment: N, BENCH_NS (default hpcb-bench-exp), MAX_RATIO,
# KEEP=1 keeps the bench namespace afterwards.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
HPCB_LOCK=${HPCB_LOCK:-/tmp/hpcb-e2e.lock}
if [ "${_HPCB_BENCH_LOCKED:-0}" != 1 ]; then
  echo "[$(date +%H:%M:%S)] waiting for the lock $HPCB_LOCK (one operator at a time)" >&2
  _HPCB_BENCH_LOCKED=1 exec flock "$HPCB_LOCK" "$0" "$@"
fi
N=${N:-100}
TASKS=$((N * N))
BENCH_NS=${BENCH_NS:-hpcb-bench-exp}
MAX_RATIO=${MAX_RATIO:-2.0}
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
now_ms() { date +%s%3N; }
count() { "$K" -n "$BENCH_NS" get "$1" -l "$2" -o name --chunk-size=2000 2>/dev/null | wc -l; }
tmp=$bench_tmp

# ---------------------------------------------------------------------------------------------- preparation
bench_operator
bench_namespace 5s

# ---------------------------------------------------------------------------------------------- (a) baseline
log "(a) baseline: $TASKS plain ConfigMaps with one kubectl apply -f"
{
  for i in $(seq 0 $((TASKS - 1))); do
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  labels:\n    bench: expansion\ndata:\n  i: "%d"\n' "$i" "$i"
  done
} >"$tmp/configmaps.yaml"
a_start=$(now_ms)
"$K" -n "$BENCH_NS" apply -f "$tmp/configmaps.yaml" >/dev/null
a_end=$(now_ms)
a_ms=$((a_end - a_start))
a_count=$(count configmaps bench=expansion)
log "(a) $a_count ConfigMaps in $(secs $a_ms) s"
"$K" -n "$BENCH_NS" delete configmaps -l bench=expansion --wait=false >/dev/null

# ---------------------------------------------------------------------------------------------- (b) the sweep
camp="sweep-$RUN"
values=$(seq 0 $((N - 1)) | awk '{ printf "%s\"%d\"", (NR > 1 ? ", " : ""), $1 }')
cat >"$tmp/campaign.yaml" <<EOF
apiVersion: hpcbridge.io/v1alpha1
kind: Campaign
metadata:
  name: $camp
spec:
  clusterRef:
    name: bench-slurm
  suspend: true
  defaults:
    resources:
      cpus: 1
      memory: 50Mi
      time: 5m
  tasks:
    - name: point
      matrix:
        row: [$values]
        col: [$values]
      script: |
        #!/bin/bash
        echo "row=\$row col=\$col"
EOF
log "(b) hpc-bridge: Campaign $BENCH_NS/$camp, a $N x $N matrix ($TASKS Tasks), suspend: true"
sbatch_before=$(lssh "grep -c -- ' --job-name=hpcb.$BENCH_NS.$camp-' $HPCB_CMDLOG || true")
b_start=$(now_ms)
"$K" -n "$BENCH_NS" apply -f "$tmp/campaign.yaml" >/dev/null
total=0
tasks=0
deadline=$((b_start + 1800 * 1000))
while :; do
  total=$("$K" -n "$BENCH_NS" get campaign "$camp" -o jsonpath='{.status.tasks.total}' 2>/dev/null || true)
  if [ "${total:-0}" = "$TASKS" ]; then
    tasks=$(count htask "hpcbridge.io/campaign=$camp")
    [ "$tasks" -eq "$TASKS" ] && break
  fi
  if [ "$(now_ms)" -gt "$deadline" ]; then
    echo "FAIL: after 1800 s status.tasks.total=${total:-none}, Task objects $(count htask "hpcbridge.io/campaign=$camp")"
    "$K" -n "$BENCH_NS" get campaign "$camp" -o jsonpath='{.status.conditions}'; echo
    exit 1
  fi
  sleep 1
done
b_end=$(now_ms)
b_ms=$((b_end - b_start))
size=$("$K" -n "$BENCH_NS" get campaign "$camp" -o json | wc -c)
accepted=$("$K" -n "$BENCH_NS" get campaign "$camp" -o jsonpath='{.status.conditions[?(@.type=="Accepted")].status}')
phase=$("$K" -n "$BENCH_NS" get campaign "$camp" -o jsonpath='{.status.phase}')
attempts=$(count hatt "hpcbridge.io/campaign=$camp")
sbatch_after=$(lssh "grep -c -- ' --job-name=hpcb.$BENCH_NS.$camp-' $HPCB_CMDLOG || true")
sbatches=$((sbatch_after - sbatch_before))
log "(b) $tasks Tasks and status.tasks.total=$total after $(secs $b_ms) s; Campaign $phase, Accepted=$accepted, $size bytes"
"$K" -n "$BENCH_NS" delete campaign "$camp" --wait=false >/dev/null || true

# ---------------------------------------------------------------------------------------------- report
ratio=$(awk -v b="$b_ms" -v a="$a_ms" 'BEGIN { printf "%.2f", b / a }')
echo
echo "expansion benchmark: $N x $N matrix = $TASKS Tasks, suspend: true, $(date -u +%FT%TZ), $(nproc) cores, $(uname -n), operator at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "baseline:    $a_count ConfigMaps with one kubectl apply -f: $(secs $a_ms) s"
echo "hpc-bridge:  apply -> $tasks Task objects and status.tasks.total=$total: $(secs $b_ms) s ($(awk -v n="$TASKS" -v ms="$b_ms" 'BEGIN { printf "%.0f", n * 1000 / ms }') Tasks/s)"
echo "             Campaign object $size bytes as JSON (limit 65536); phase $phase, Accepted=$accepted; TaskAttempts $attempts; sbatch calls $sbatches"
echo "expansion ratio (hpc-bridge / baseline): $ratio"
fail=0
if [ "$size" -ge 65536 ]; then echo "FAIL: the Campaign object is $size bytes, not below 64 KiB"; fail=1; fi
if [ "$sbatches" -ne 0 ] || [ "$attempts" -ne 0 ]; then echo "FAIL: the suspended sweep submitted ($sbatches sbatch, $attempts attempts)"; fail=1; fi
if [ "$accepted" != True ]; then echo "FAIL: the Campaign is not Accepted"; fail=1; fi
if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
  echo "FAIL: expansion ratio $ratio is above the target $MAX_RATIO"; fail=1
fi
[ "$fail" = 0 ] && echo "PASS: expansion ratio $ratio <= $MAX_RATIO, Campaign $size bytes < 65536, nothing submitted"
exit "$fail"
