#!/usr/bin/env bash
# Helpers to capture real HTCondor command transcripts through the condor-sshd login node
# (src/test/resources/htcondor/real/). Source after the stack env: needs HPCB_STATE, HPCB_CONDOR_*.
# shellcheck shell=bash
CAP_DIR=${CAP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/test/resources/htcondor/real}
CAP_WORK=$HPCB_CONDOR_WORK_ROOT/cap
ATTRS=ClusterId,ProcId,GlobalJobId,Owner,JobStatus,LastJobStatus,EnteredCurrentStatus,QDate,JobStartDate,JobCurrentStartDate,CompletionDate,NumJobStarts,NumHolds,HoldReasonCode,HoldReasonSubCode,HoldReason,LastHoldReasonCode,LastHoldReasonSubCode,LastHoldReason,ExitCode,ExitBySignal,ExitSignal,RemoveReason,VacateReasonCode,VacateReasonSubCode,VacateReason,HpcBridgeInstance,HpcBridgeAttempt,HpcBridgeName,ServerTime
QCON='HpcBridgeInstance =?= "hpcb-capture"'

csh() { ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$HPCB_CONDOR_KNOWN_HOSTS" \
  -o ConnectTimeout=5 -i "$HPCB_STATE/ssh/id_ed25519" -p "$HPCB_CONDOR_SSH_PORT" "$HPCB_CONDOR_SSH_USER@$HPCB_CONDOR_SSH_HOST" "$@"; }

# cap FILE CMDLINE : runs CMDLINE on the login node (one ssh command string, hpcuser's shell and
# shims) and writes the transcript FILE.txt: "$ cmd", "exit=N", stdout, stderr.
cap() {
  local f=$CAP_DIR/$1.txt cmd=$2 out err rc
  out=$(mktemp); err=$(mktemp)
  local t0; t0=$(date +%s%3N)
  csh "$cmd" >"$out" 2>"$err"; rc=$?
  { printf '$ %s\nexit=%s\n--- stdout ---\n' "$cmd" "$rc"; cat "$out"; printf -- '--- stderr ---\n'; cat "$err"; } > "$f"
  rm -f "$out" "$err"
  printf '%s: exit=%s (%s ms)\n' "$1" "$rc" "$(($(date +%s%3N) - t0))" >&2
  return 0
}

# mkcase CASE SCRIPT [EXTRA_SUBMIT_LINES] : uploads job.sh and submit.sub for one case
mkcase() {
  local c=$1 script=$2 extra=${3:-} d=$CAP_WORK/$1 uuid
  uuid=$(cat /proc/sys/kernel/random/uuid)
  csh "mkdir -p $d && cat > $d/job.sh && chmod 0755 $d/job.sh" <<<"$script"
  csh "cat > $d/submit.sub" <<SUB
universe = vanilla
executable = $d/job.sh
initialdir = $d
output = $d/stdout
error = $d/stderr
batch_name = hpcb.capture.$c
request_cpus = 1
request_memory = 100M
request_disk = 10240K
should_transfer_files = NO
max_retries = 0
MY.HpcBridgeInstance = "hpcb-capture"
MY.HpcBridgeAttempt = "$uuid"
MY.HpcBridgeName = "hpcb.capture.$c"
${extra}queue 1
SUB
}
# submit CASE : condor_submit -terse, prints the cluster id
submit() { csh "condor_submit -terse $CAP_WORK/$1/submit.sub" | awk -F. 'NR==1{print $1}'; }
# status ID : JobStatus in the queue (empty if gone)
jstatus() { csh "condor_q $1 -af JobStatus"; }
wait_status() { local i; for ((i = 0; i < ${3:-60}; i++)); do [ "$(jstatus "$1")" = "$2" ] && return 0; sleep 1; done; echo "timeout waiting for $1 status $2" >&2; return 1; }
# wait_started ID : the job has started at least once (NumJobStarts >= 1)
wait_started() { local i; for ((i = 0; i < ${2:-60}; i++)); do [ "$(csh "condor_q $1 -af 'NumJobStarts ?: 0'")" -ge 1 ] 2>/dev/null && return 0; sleep 1; done; echo "timeout waiting for $1 to start" >&2; return 1; }
wait_gone() { local i; for ((i = 0; i < ${2:-90}; i++)); do [ -z "$(jstatus "$1")" ] && return 0; sleep 1; done; echo "timeout waiting for $1 to leave the queue" >&2; return 1; }
qcmd() { echo "condor_q -constraint '$QCON' -json -attributes $ATTRS"; }
# hcmd FORMAT LIMIT ID... : condor_history over our clusters
hcmd() {
  local fmt=$1 lim=$2 ids="" id; shift 2
  for id in "$@"; do ids="${ids:+$ids || }ClusterId == $id"; done
  echo "condor_history -constraint '$QCON && ($ids)' -limit $lim -scanlimit 10000 $fmt -attributes $ATTRS"
}
