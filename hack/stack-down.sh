#!/usr/bin/env bash
# Stops what stack-up.sh started, by pid file only (TERM, wait, KILL). Leaves the cache.
# --purge also removes $HPCB_STATE (etcd data, database, keys, logs, the HTCondor chroot).
# The HTCondor chroot's bind mounts and /tmp are unmounted on every stack-down.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"
. "$HACK_DIR/components.sh"
need_root

purge=0
for a in "$@"; do
  case "$a" in
    --purge) purge=1 ;;
    *) die "usage: $0 [--purge]" ;;
  esac
done

# The operator (hack/operator.sh) goes first: it must not see its stack disappear under it.
stop_pid operator
for ((i = ${#ALL_COMPONENTS[@]} - 1; i >= 0; i--)); do
  case "${ALL_COMPONENTS[$i]}" in condor-*) continue ;; esac
  stop_pid "${ALL_COMPONENTS[$i]}"
done
stop_htcondor   # condor-sshd, condor-master (the schedd goes with it), leftovers, unmount

if [ "$purge" = 1 ]; then
  case "$HPCB_STATE" in
    /|/var|/var/tmp|/tmp|/home|"") die "refusing to purge HPCB_STATE=$HPCB_STATE" ;;
  esac
  [ -z "$(mounts_under "$HPCB_STATE")" ] || die "still mounted under $HPCB_STATE: $(mounts_under "$HPCB_STATE" | tr '\n' ' ')"
  log "removing $HPCB_STATE"
  rm -rf "$HPCB_STATE"
fi
log "stack down"
