#!/usr/bin/env bash
# Captures real transcripts from the local HTCondor pool (condor-sshd login node) into
# src/test/resources/htcondor/real/. Needs the stack up (source $HPCB_STATE/env first, or
# HPCB_STATE set). Takes about 5 minutes. Phases can be run one by one: htcondor-capture.sh PHASE...
# The schedd-outage transcripts (4x-*, 12-*) are taken by "outage" (stops and restarts the schedd).
set -uo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HPCB_STATE=${HPCB_STATE:-/var/tmp/hpcb-stack}
# shellcheck disable=SC1091
. "$HPCB_STATE/env"
. "$HACK_DIR/htcondor-capture-lib.sh"
mkdir -p "$CAP_DIR"

sleeper='#!/bin/bash
echo started $(date +%s)
sleep 600'

phase_basic() {
  cap 01-condor_version "condor_version"
  cap 20-q-no-match "$(qcmd)"
  cap 39-h-no-match "$(hcmd -json 1 999999)"
  cap 39-h-no-match-jsonl "$(hcmd -jsonl 1 999999)"

  mkcase exit0 '#!/bin/bash
echo "exit 0 case"; exit 0'
  cap 10-submit-terse "condor_submit -terse $CAP_WORK/exit0/submit.sub"
  mkcase exit3 '#!/bin/bash
echo "exit 3 case" >&2; exit 3'
  mkcase kill9 '#!/bin/bash
echo "about to kill -9 myself"; kill -9 $$'
  mkcase killterm '#!/bin/bash
echo "about to kill -TERM myself"; kill -TERM $$'
  E3=$(submit exit3); K9=$(submit kill9); KT=$(submit killterm)
  E0=$(sed -n 4p "$CAP_DIR/10-submit-terse.txt" | cut -d. -f1)

  # two queue statements, different attempt ids
  local d=$CAP_WORK/twoqueue
  csh "mkdir -p $d && printf '#!/bin/bash\necho proc \$1\n' > $d/job.sh && chmod 0755 $d/job.sh && cat > $d/submit.sub" <<SUB
universe = vanilla
executable = $d/job.sh
arguments = \$(Process)
initialdir = $d
output = $d/stdout.\$(Process)
error = $d/stderr.\$(Process)
batch_name = hpcb.capture.twoqueue
request_cpus = 1
request_memory = 100M
request_disk = 10240K
should_transfer_files = NO
max_retries = 0
MY.HpcBridgeInstance = "hpcb-capture"
MY.HpcBridgeName = "hpcb.capture.twoqueue"
MY.HpcBridgeAttempt = "$(cat /proc/sys/kernel/random/uuid)"
queue 1
MY.HpcBridgeAttempt = "$(cat /proc/sys/kernel/random/uuid)"
queue 1
SUB
  cap 11-submit-two-queue "condor_submit -terse $d/submit.sub"
  TQ=$(sed -n 4p "$CAP_DIR/11-submit-two-queue.txt" | cut -d. -f1)

  # submit failures
  mkcase badsyntax 'exit 0' 'request_memory = 100M +
this line is not a submit command
'
  cap 13-submit-syntax-error "condor_submit -terse $CAP_WORK/badsyntax/submit.sub"
  mkcase badreq 'exit 0' 'requirements = (TARGET.Memory >= 100 &&& (
'
  cap 14-submit-bad-requirements "condor_submit -terse $CAP_WORK/badreq/submit.sub"

  for id in $E0 $E3 $K9 $KT $TQ; do wait_gone "$id" 60; done
  cap 30-h-exit0 "$(hcmd -json 1 "$E0")"
  cap 30-h-exit0-jsonl "$(hcmd -jsonl 1 "$E0")"
  cap 31-h-exit3 "$(hcmd -json 1 "$E3")"
  cap 32-h-kill9 "$(hcmd -json 1 "$K9")"
  cap 33-h-killterm "$(hcmd -json 1 "$KT")"
  cap 3a-h-several "$(hcmd -json 6 "$E0" "$E3" "$K9" "$KT" "$TQ")"
  cap 3a-h-several-jsonl "$(hcmd -jsonl 6 "$E0" "$E3" "$K9" "$KT" "$TQ")"
  cap 60-h-long-completed "condor_history -l $E0"
  cap 61-h-json-full-completed "condor_history -json -limit 1 $E0"
  echo "basic: exit0=$E0 exit3=$E3 kill9=$K9 killterm=$KT twoqueue=$TQ" >&2
}

phase_states() {
  mkcase idle "$sleeper" 'requirements = (TARGET.HpcbNeverMatches =?= true)
'
  mkcase running "$sleeper"
  mkcase held "$sleeper"
  mkcase heldreason "$sleeper"
  mkcase policy "$sleeper" 'MY.HpcbTestPolicyHold = true
'
  mkcase suspended "$sleeper"
  mkcase duration "$sleeper" 'allowed_job_duration = 5
'
  mkcase removing '#!/bin/bash
trap "echo got TERM, lingering; sleep 20; exit 1" TERM
echo started $(date +%s)
sleep 600 & wait; sleep 600 & wait'
  mkcase heldreleased '#!/bin/bash
echo started $(date +%s)
sleep 20'
  mkcase heldremoved "$sleeper"
  mkcase rmreason "$sleeper"
  mkcase rmplain "$sleeper"
  mkcase rmseveral1 "$sleeper"; mkcase rmseveral2 "$sleeper"
  local c
  declare -gA ID
  for c in idle policy duration running held heldreason suspended removing heldreleased heldremoved rmreason rmplain rmseveral1 rmseveral2; do
    ID[$c]=$(submit "$c")
  done
  cap 21-q-idle-immediately-after-submit "condor_q ${ID[rmseveral2]} -json -attributes $ATTRS"
  # 8 slots: the idle one, rmseveral1/2 need not run; the others must have started
  for c in running held heldreason policy suspended duration removing heldreleased heldremoved rmreason rmplain; do
    wait_started "${ID[$c]}" 60
  done
  cap 21-q-idle "condor_q ${ID[idle]} -json -attributes $ATTRS"
  cap 22-q-running "condor_q ${ID[running]} -json -attributes $ATTRS"
  cap 50-hold-one "condor_hold ${ID[held]}"
  cap 51-hold-reason "condor_hold -reason \"hpc-bridge: test hold\" ${ID[heldreason]}"
  cap 52-hold-several "condor_hold ${ID[heldremoved]} ${ID[heldreleased]}"
  cap 53-hold-already-held "condor_hold ${ID[held]}"
  cap 54-hold-not-found "condor_hold 999999.0"
  cap 55-hold-totals "condor_hold -totals ${ID[held]} 999999.0"
  cap 23-q-held "condor_q ${ID[held]} -json -attributes $ATTRS"
  cap 24-q-held-reason "condor_q ${ID[heldreason]} -json -attributes $ATTRS"
  cap 56-suspend "condor_suspend ${ID[suspended]}"
  wait_status "${ID[policy]}" 5 60
  cap 25-q-held-policy "condor_q ${ID[policy]} -json -attributes $ATTRS"
  wait_status "${ID[suspended]}" 7 30
  cap 26-q-suspended "condor_q ${ID[suspended]} -json -attributes $ATTRS"
  wait_status "${ID[duration]}" 5 60
  cap 28-q-duration-exceeded "condor_q ${ID[duration]} -json -attributes $ATTRS"
  cap 57-release-one "condor_release ${ID[heldreleased]}"
  cap 58-release-not-held "condor_release ${ID[running]}"
  cap 59-release-totals "condor_release -totals ${ID[held]} ${ID[running]} 999999.0"
  cap 70-rm-one "condor_rm ${ID[removing]}"
  cap 27-q-removing "condor_q ${ID[removing]} -json -attributes $ATTRS"
  cap 71-rm-already-removing "condor_rm ${ID[removing]}"
  cap 29-q-several "$(qcmd)"
  cap 72-rm-reason "condor_rm -reason \"hpc-bridge: stop\" ${ID[rmreason]}"
  cap 73-rm-several "condor_rm ${ID[rmseveral1]} ${ID[rmseveral2]}"
  cap 74-rm-not-found "condor_rm 999999.0"
  cap 75-rm-totals "condor_rm -totals ${ID[rmplain]} 999999.0"
  cap 76-rm-held "condor_rm ${ID[heldremoved]} ${ID[duration]} ${ID[held]} ${ID[heldreason]} ${ID[policy]}"
  wait_gone "${ID[heldreleased]}" 90
  for c in removing rmreason rmseveral1 rmseveral2 rmplain heldremoved duration held heldreason policy; do wait_gone "${ID[$c]}" 60; done
  cap 77-rm-already-gone "condor_rm ${ID[rmplain]}"
  cap 78-release-already-gone "condor_release ${ID[held]}"
  cap 34-h-rm "$(hcmd -json 1 "${ID[rmplain]}")"
  cap 35-h-rm-reason "$(hcmd -json 1 "${ID[rmreason]}")"
  cap 36-h-held-removed "$(hcmd -json 1 "${ID[heldremoved]}")"
  cap 37-h-held-released-completed "$(hcmd -json 1 "${ID[heldreleased]}")"
  cap 38-h-duration-removed "$(hcmd -json 1 "${ID[duration]}")"
  cap 3b-h-policy-held-removed "$(hcmd -json 1 "${ID[policy]}")"
  cap 3c-h-removing-trap "$(hcmd -json 1 "${ID[removing]}")"
  cap 3d-h-held-removed-several "$(hcmd -json 3 "${ID[held]}" "${ID[heldreason]}" "${ID[rmseveral1]}")"
  # leave the remaining ones (idle, running, suspended) for cleanup
  cap 79-rm-constraint "condor_rm -constraint '$QCON'"
  echo "states: $(for c in "${!ID[@]}"; do printf '%s=%s ' "$c" "${ID[$c]}"; done)" >&2
}

# the same operations with cluster.proc ids (phase "states" passes bare cluster ids: *-cluster.txt)
phase_ops() {
  local c
  declare -gA J
  mkcase relcomplete '#!/bin/bash
echo started $(date +%s)
sleep 30'
  mkcase opremoving '#!/bin/bash
trap "echo got TERM, lingering; sleep 20; exit 1" TERM
echo started $(date +%s)
sleep 600 & wait; sleep 600 & wait'
  for c in ophold1 ophold2 ophold3 ophold4 oprm1 oprmreason oprmseveral1 oprmseveral2 oprmtotals opholdsub; do mkcase "$c" "$sleeper"; done
  for c in relcomplete opremoving ophold1 ophold2 ophold3 ophold4 oprm1 oprmreason oprmseveral1 oprmseveral2 oprmtotals opholdsub; do
    J[$c]=$(submit "$c").0
  done
  for c in relcomplete opremoving ophold1 ophold2 ophold3 ophold4 oprm1 oprmreason; do wait_started "${J[$c]}" 60; done
  cap 50-hold-one "condor_hold ${J[relcomplete]}"
  cap 51-hold-reason "condor_hold -reason \"hpc-bridge: test hold\" ${J[ophold2]}"
  cap 51-hold-reason-subcode "condor_hold -reason \"hpc-bridge: test hold with subcode\" -subcode 42 ${J[opholdsub]}"
  cap 52-hold-several "condor_hold ${J[ophold3]} ${J[ophold4]} ${J[ophold1]}"
  cap 53-hold-already-held "condor_hold ${J[ophold1]}"
  cap 55-hold-totals "condor_hold -totals ${J[ophold1]} 999999.0 ${J[oprm1]}"
  cap 24-q-held-reason-subcode "condor_q ${J[opholdsub]} -json -attributes $ATTRS"
  cap 57-release-one "condor_release ${J[relcomplete]}"
  cap 57-release-several "condor_release ${J[ophold3]} ${J[ophold4]}"
  cap 58-release-not-held "condor_release ${J[ophold3]}"
  cap 59-release-totals "condor_release -totals ${J[ophold1]} ${J[ophold3]} 999999.0"
  cap 70-rm-one "condor_rm ${J[oprm1]}"
  cap 70-rm-one-lingering "condor_rm ${J[opremoving]}"
  cap 71-rm-already-removing "condor_rm ${J[opremoving]}"
  cap 72-rm-reason "condor_rm -reason \"hpc-bridge: stop\" ${J[oprmreason]}"
  cap 73-rm-several "condor_rm ${J[oprmseveral1]} ${J[oprmseveral2]}"
  cap 75-rm-totals "condor_rm -totals ${J[oprmtotals]} 999999.0 ${J[opremoving]}"
  cap 76-rm-held "condor_rm ${J[ophold1]} ${J[ophold2]} ${J[opholdsub]}"
  for c in oprm1 opremoving oprmreason ophold1; do wait_gone "${J[$c]}" 60; done
  cap 77-rm-already-gone "condor_rm ${J[oprm1]}"
  cap 78-release-already-gone "condor_release ${J[ophold1]}"
  cap 78-hold-already-gone "condor_hold ${J[ophold1]}"
  wait_gone "${J[relcomplete]}" 120
  cap 37-h-held-released-completed "$(hcmd -json 1 "${J[relcomplete]%.0}")"
  cap 35-h-rm-reason-proc "$(hcmd -json 1 "${J[oprmreason]%.0}")"
  cap 36-h-held-subcode-removed "$(hcmd -json 1 "${J[opholdsub]%.0}")"
  cap 79-rm-constraint-ops "condor_rm -totals -constraint '$QCON'"
  echo "ops: $(for c in "${!J[@]}"; do printf '%s=%s ' "$c" "${J[$c]}"; done)" >&2
}

# extra forms: submit from stdin, -af with undefined attributes, a cmdline MY. attribute
phase_extra() {
  mkcase stdin '#!/bin/bash
exit 0'
  cap 15-submit-stdin "condor_submit -terse - < $CAP_WORK/stdin/submit.sub"
  mkcase cmdlineattr '#!/bin/bash
exit 0'
  cap 16-submit-cmdline-attr "condor_submit -terse 'MY.HpcBridgeExtra=\"from-cmdline\"' $CAP_WORK/cmdlineattr/submit.sub"
  local s1 s2; s1=$(sed -n 4p "$CAP_DIR/15-submit-stdin.txt" | cut -d. -f1); s2=$(sed -n 4p "$CAP_DIR/16-submit-cmdline-attr.txt" | cut -d. -f1)
  cap 2c-q-af-undefined "condor_q $s1 $s2 -af:j JobStatus HpcBridgeExtra HoldReasonCode HpcBridgeAttempt"
  wait_gone "$s1" 60; wait_gone "$s2" 60
  cap 3i-h-af-cmdline-attr "condor_history $s2 -af:j JobStatus ExitCode HpcBridgeExtra CompletionDate RemoveReason"
}

phase_outage() {
  mkcase submit-schedd-down 'echo hi'
  "$HACK_DIR/stack-ctl.sh" stop condor-schedd
  cap 12-submit-schedd-down "condor_submit -terse $CAP_WORK/submit-schedd-down/submit.sub"
  cap 40-schedd-down-condor_q "$(qcmd)"
  cap 41-schedd-down-condor_history "$(hcmd -json 2 4 5)"
  cap 42-schedd-down-condor_rm "condor_rm 2.0"
  cap 43-schedd-down-condor_hold "condor_hold 2.0"
  cap 44-schedd-down-condor_release "condor_release 2.0"
  cap 45-schedd-down-condor_q-plain "condor_q"
  cap 46-schedd-down-condor_history-jsonl "$(hcmd -jsonl 2 4 5)"
  "$HACK_DIR/stack-ctl.sh" start condor-schedd
  # a hung schedd (SIGSTOP, our own process): the clients time out instead of failing fast
  local sp; sp=$( . "$HACK_DIR/lib.sh"; . "$HACK_DIR/components.sh"; schedd_pid)
  kill -STOP "$sp"
  cap 47-schedd-hung-condor_q "$(qcmd)"
  cap 49-schedd-hung-condor_rm "condor_rm 999999.0"
  # condor_submit has no timeout against a hung schedd: resume it after 60 s (the stored transcript: after 190 s)
  ( sleep 60; kill -CONT "$sp" ) &
  cap 48-schedd-hung-condor_submit "condor_submit -terse $CAP_WORK/submit-schedd-down/submit.sub"
  wait
  kill -CONT "$sp" 2>/dev/null || true
  csh "condor_rm -constraint 'HpcBridgeName =?= \"hpcb.capture.submit-schedd-down\"'" >/dev/null 2>&1 || true
}

phase_policy() {
  local c
  declare -gA P
  mkcase sysremove "$sleeper" 'MY.HpcbTestPolicyRemove = true
'
  mkcase periodicremove "$sleeper" 'periodic_remove = (JobStatus == 2) && (time() - JobCurrentStartDate > 3)
'
  mkcase periodichold "$sleeper" 'periodic_hold = (JobStatus == 2)
periodic_hold_reason = "hpcb periodic hold"
periodic_hold_subcode = 7
'
  mkcase onexithold '#!/bin/bash
exit 3' 'on_exit_hold = (ExitCode =!= 0)
'
  for c in sysremove periodicremove periodichold onexithold; do P[$c]=$(submit "$c"); done
  wait_status "${P[periodichold]}" 5 60
  wait_status "${P[onexithold]}" 5 60
  cap 2a-q-held-periodic-hold "condor_q ${P[periodichold]}.0 -json -attributes $ATTRS"
  cap 2b-q-held-on-exit-hold "condor_q ${P[onexithold]}.0 -json -attributes $ATTRS"
  wait_gone "${P[sysremove]}" 60; wait_gone "${P[periodicremove]}" 60
  csh "condor_rm ${P[periodichold]}.0 ${P[onexithold]}.0" >/dev/null
  wait_gone "${P[periodichold]}" 60; wait_gone "${P[onexithold]}" 60
  cap 3e-h-system-periodic-remove "$(hcmd -json 1 "${P[sysremove]}")"
  cap 3f-h-periodic-remove "$(hcmd -json 1 "${P[periodicremove]}")"
  cap 3g-h-periodic-hold-removed "$(hcmd -json 1 "${P[periodichold]}")"
  cap 3h-h-on-exit-hold-removed "$(hcmd -json 1 "${P[onexithold]}")"
  echo "policy: $(for c in "${!P[@]}"; do printf '%s=%s ' "$c" "${P[$c]}"; done)" >&2
}

[ $# -gt 0 ] || set -- basic states ops policy extra outage
for p in "$@"; do "phase_$p"; done
