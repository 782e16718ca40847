#!/usr/bin/env bash
# Start, stop or inspect one component of the running stack, by the same pid files as
# stack-up.sh / stack-down.sh. Meant for fault injection in tests, e.g.
#   hack/stack-ctl.sh stop sshd;  ...;  hack/stack-ctl.sh start sshd
#   hack/stack-ctl.sh stop slurmdbd; ...; hack/stack-ctl.sh start slurmdbd
#   hack/stack-ctl.sh stop condor-schedd; ...; hack/stack-ctl.sh start condor-schedd
#       (only the HTCondor schedd, via condor_off/condor_on; HPCB_CONDOR_OFF_FLAGS=-fast for a fast stop)
#   hack/stack-ctl.sh status            (all components)
# Components: etcd kube-apiserver kube-controller-manager munged mariadb slurmdbd slurmctld slurmd sshd
#             condor-master condor-schedd condor-sshd
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"
. "$HACK_DIR/components.sh"

usage() { echo "usage: $0 {start|stop|restart|status} [component]" >&2; echo "components: ${ALL_COMPONENTS[*]}" >&2; exit 2; }
[ $# -ge 1 ] || usage
action=$1; comp=${2:-}

valid() { local c; for c in "${ALL_COMPONENTS[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }
if [ -n "$comp" ]; then valid "$comp" || usage; fi

status_one() {
  if [ "$1" = condor-schedd ] && component_running "$1"; then echo "$1 running pid $(schedd_pid)"; return 0
  elif component_running "$1"; then echo "$1 running pid $(cat "$(pidfile "$1")")"; return 0
  else echo "$1 stopped"; return 1; fi
}

case "$action" in
  start)   [ -n "$comp" ] || usage; need_root; prepare_dirs; start_component "$comp" ;;
  stop)    [ -n "$comp" ] || usage; need_root; stop_component "$comp" ;;
  restart) [ -n "$comp" ] || usage; need_root; stop_component "$comp"; prepare_dirs; start_component "$comp" ;;
  status)
    if [ -n "$comp" ]; then status_one "$comp"
    else rc=0; for c in "${ALL_COMPONENTS[@]}"; do status_one "$c" || rc=3; done; exit $rc; fi ;;
  *) usage ;;
esac
