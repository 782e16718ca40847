#!/usr/bin/env bash
# Brings up the local hpc-bridge stack of real parts and waits until each is healthy:
# etcd + kube-apiserver + kube-controller-manager (1.20), munge + MariaDB + slurmdbd +
# slurmctld + slurmd (Slurm 22.05 with accounting), and an sshd login node on 127.0.0.1:2222;
# a one-node HTCondor pool (Debian 13 minicondor in a chroot under $HPCB_STATE/htcondor/root,
# collector 127.0.0.1:9619) with its own sshd login node inside the chroot on 127.0.0.1:2223
# (see hack/htcondor.sh; the chroot's rootfs is cached as a tarball in $HPCB_CACHE).
# Idempotent: components whose pid file points at a live process are left alone.
# Writes $HPCB_STATE/env (source it).
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"
. "$HACK_DIR/components.sh"
need_root
T0=$SECONDS

install_packages
"$HACK_DIR/build-kube.sh"
prepare_dirs

# --- Kubernetes
start_etcd
start_kube-apiserver
start_kube-controller-manager

# --- Slurm with accounting
start_munged
start_mariadb
configure_slurm
start_slurmdbd
register_slurm_accounting
start_slurmctld
start_slurmd

# --- login node
start_sshd

# --- HTCondor pool + its login node (condor-master, condor-schedd, condor-sshd)
start_htcondor

write_env
log "stack up in $((SECONDS - T0))s; source $HPCB_STATE/env"
