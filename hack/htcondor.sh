#!/usr/bin/env bash
# A real HTCondor pool (Debian 13 minicondor) in a chroot, with its own sshd login node.
# Sourced by components.sh (after lib.sh). Components:
#   condor-master  condor_master -f, as root in the chroot (collector, negotiator, schedd, startd)
#   condor-schedd  only the schedd, switched with condor_off/condor_on -daemon schedd (fault injection)
#   condor-sshd    an sshd inside the chroot on 127.0.0.1:$HPCB_CONDOR_SSH_PORT (key-only, hpcuser)
# The rootfs is built once (debootstrap + apt) and cached as a tarball in $HPCB_CACHE; the
# unpacked copy lives in $HPCB_STATE/htcondor/root (state: purged by stack-down.sh --purge).
# shellcheck shell=bash

HPCB_CONDOR_PORT=${HPCB_CONDOR_PORT:-9619}
HPCB_CONDOR_SSH_PORT=${HPCB_CONDOR_SSH_PORT:-2223}
HPCB_CONDOR_SSH_USER=hpcuser
HPCB_CONDOR_NUM_CPUS=${HPCB_CONDOR_NUM_CPUS:-8}
HPCB_CONDOR_MEMORY_MB=${HPCB_CONDOR_MEMORY_MB:-8192}
CONDOR_TARBALL=$HPCB_CACHE/htcondor-trixie-rootfs.tar.gz
CONDOR_DIR=$HPCB_STATE/htcondor
CONDOR_ROOT=$CONDOR_DIR/root
CONDOR_HOME=/home/$HPCB_CONDOR_SSH_USER            # as seen inside the chroot
HPCB_CONDOR_WORK_ROOT=$CONDOR_HOME/hpcb-work        # as seen on the login node
CONDOR_CMDLOG_IN=$CONDOR_HOME/.hpcb-cmdlog          # as seen inside the chroot
HPCB_CONDOR_CMDLOG=$CONDOR_ROOT$CONDOR_CMDLOG_IN    # host path
HPCB_CONDOR_KNOWN_HOSTS=$HPCB_STATE/ssh/htcondor_known_hosts
CONDOR_SHIM_CMDS=(condor_submit condor_q condor_history condor_rm condor_hold condor_release condor_version)

# ---------------------------------------------------------------- rootfs
# debian_mirror : the Debian archive URI of the machine's apt sources (the stanza/line whose suite
# is exactly the release codename), so no mirror host is hard-coded. $HPCB_DEBIAN_MIRROR overrides.
debian_mirror() {
  if [ -n "${HPCB_DEBIAN_MIRROR:-}" ]; then echo "$HPCB_DEBIAN_MIRROR"; return 0; fi
  local cn f uri=""
  cn=$(. /etc/os-release; echo "${VERSION_CODENAME:-bookworm}")
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] && [ -z "$uri" ] || continue
    uri=$(awk -v cn="$cn" '
      function flush() { if (isdeb && hascn && !disabled && u != "" && !found) { print u; found = 1 } isdeb = 0; hascn = 0; disabled = 0; u = "" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^Types:/ && /(^|[ \t])deb([ \t]|$)/ { isdeb = 1 }
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (j = 2; j <= NF; j++) if ($j == cn) hascn = 1 }
      /^Enabled:[ \t]*no/ { disabled = 1 }
      END { flush() }' "$f")
  done
  if [ -z "$uri" ]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -e "$f" ] && [ -z "$uri" ] || continue
      uri=$(awk -v cn="$cn" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                               if ($(i + 1) == cn) { print $i; exit } }' "$f")
    done
  fi
  [ -n "$uri" ] || die "could not derive a Debian mirror from the apt sources (set HPCB_DEBIAN_MIRROR)"
  echo "${uri%/}"
}

# mounts_under DIR : mount points at or below DIR, deepest first
mounts_under() {
  local d; d=$(readlink -f "$1" 2>/dev/null || echo "$1")
  awk -v d="$d" '{ m = $2; gsub(/\\040/, " ", m); if (m == d || index(m, d "/") == 1) print m }' /proc/mounts | sort -r
}

# umount_under DIR : unmounts everything below DIR (lazily if busy)
umount_under() {
  local m
  while read -r m; do
    [ -n "$m" ] || continue
    umount "$m" 2>/dev/null || { log "umount $m busy, detaching lazily"; umount -l "$m" || true; }
  done < <(mounts_under "$1")
}

# build_condor_rootfs : debootstrap trixie + minicondor + openssh-server -> $CONDOR_TARBALL (once)
build_condor_rootfs() {
  [ -s "$CONDOR_TARBALL" ] && return 0
  apt_install debootstrap
  local mirror b=$HPCB_CACHE/build/htcondor-rootfs i t0=$SECONDS ok=0
  mirror=$(debian_mirror)
  log "building the HTCondor rootfs (debootstrap trixie from $mirror), about 2 minutes"
  mkdir -p "$HPCB_CACHE/build"
  umount_under "$b"; rm -rf "$b"
  for i in 1 2 3; do
    if debootstrap --variant=minbase trixie "$b" "$mirror" >"$HPCB_CACHE/build/htcondor-debootstrap.log" 2>&1; then ok=1; break; fi
    log "debootstrap failed (try $i; $HPCB_CACHE/build/htcondor-debootstrap.log), retrying"
    tail -5 "$HPCB_CACHE/build/htcondor-debootstrap.log" >&2 || true
    umount_under "$b"; rm -rf "$b"; sleep $((i * 5))
  done
  [ "$ok" = 1 ] || die "debootstrap trixie failed"
  printf '#!/bin/sh\nexit 101\n' > "$b/usr/sbin/policy-rc.d"; chmod 0755 "$b/usr/sbin/policy-rc.d"
  mount -t proc proc "$b/proc"
  ok=0
  for i in 1 2 3 4; do
    if chroot "$b" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -qq && apt-get install -y -q --no-install-recommends minicondor openssh-server' \
        >"$HPCB_CACHE/build/htcondor-apt.log" 2>&1; then ok=1; break; fi
    log "apt-get in the chroot failed (try $i), retrying"; tail -5 "$HPCB_CACHE/build/htcondor-apt.log" >&2 || true
    sleep $((i * 5))
  done
  umount_under "$b"
  [ "$ok" = 1 ] || die "installing minicondor in the chroot failed ($HPCB_CACHE/build/htcondor-apt.log)"
  chroot "$b" apt-get clean
  rm -f "$b/usr/sbin/policy-rc.d" "$b"/etc/ssh/ssh_host_*
  rm -rf "$b"/var/lib/apt/lists/* "$b"/tmp/* "$b"/var/log/condor/*
  tar --numeric-owner -C "$b" -czf "$CONDOR_TARBALL.tmp" . || die "packing $CONDOR_TARBALL failed"
  mv -f "$CONDOR_TARBALL.tmp" "$CONDOR_TARBALL"
  [ -z "$(mounts_under "$b")" ] && rm -rf "$b"
  log "HTCondor rootfs cached: $CONDOR_TARBALL ($(du -h "$CONDOR_TARBALL" | cut -f1), $((SECONDS - t0))s)"
}

# unpack_condor_rootfs : $CONDOR_ROOT from the tarball, only if not unpacked yet
unpack_condor_rootfs() {
  [ -e "$CONDOR_ROOT/.hpcb-unpacked" ] && return 0
  build_condor_rootfs
  [ -z "$(mounts_under "$CONDOR_ROOT")" ] || die "$CONDOR_ROOT has mounts but no unpack marker; run hack/stack-down.sh"
  log "unpacking $CONDOR_TARBALL into $CONDOR_ROOT"
  rm -rf "$CONDOR_ROOT"; mkdir -p "$CONDOR_ROOT"
  tar --numeric-owner -C "$CONDOR_ROOT" -xzf "$CONDOR_TARBALL" || die "unpacking the HTCondor rootfs failed"
  chmod 0755 "$CONDOR_DIR" "$CONDOR_ROOT"
  touch "$CONDOR_ROOT/.hpcb-unpacked"
}

is_mounted() { awk -v m="$(readlink -f "$1")" '$2 == m { f = 1 } END { exit !f }' /proc/mounts; }

# mount_condor_root : /proc /sys /dev /dev/pts (bind) and a tmpfs /tmp; each only if not mounted
mount_condor_root() {
  local r=$CONDOR_ROOT d
  for d in proc sys dev; do
    mkdir -p "$r/$d"
    # rslave: unmounting our copies must never propagate back to the host's /dev, /sys, /proc
    is_mounted "$r/$d" || mount --rbind --make-rslave "/$d" "$r/$d"
    mount --make-rslave "$r/$d" 2>/dev/null || true
  done
  # /dev/pts comes with the recursive bind of /dev
  mkdir -p "$r/tmp"
  is_mounted "$r/tmp" || mount -t tmpfs -o mode=1777,size=512m hpcb-condor-tmp "$r/tmp"
}

umount_condor_root() {
  [ -d "$CONDOR_ROOT" ] || return 0
  local d
  for d in proc sys dev; do is_mounted "$CONDOR_ROOT/$d" && mount --make-rslave "$CONDOR_ROOT/$d"; done
  umount_under "$CONDOR_ROOT"
}

in_root() { chroot "$CONDOR_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
condor_uid() { awk -F: -v u="$HPCB_CONDOR_SSH_USER" '$1 == u {print $3 ":" $4}' "$CONDOR_ROOT/etc/passwd"; }
# as_condor_user CMD... : runs CMD as hpcuser inside the chroot (no shim, real commands)
as_condor_user() {
  chroot --userspec="$(condor_uid)" "$CONDOR_ROOT" /usr/bin/env -i PATH=/usr/bin:/bin \
    HOME="$CONDOR_HOME" USER="$HPCB_CONDOR_SSH_USER" LOGNAME="$HPCB_CONDOR_SSH_USER" LANG=C.UTF-8 \
    sh -c 'cd "$HOME" && exec "$@"' sh "$@"
}

configure_condor() {
  local tmp; tmp=$(mktemp)
  cat > "$tmp" <<CONF
# Written by hpc-bridge hack/htcondor.sh: one-node pool in a chroot, loopback only, quick cycles.
CONDOR_HOST = 127.0.0.1
NETWORK_INTERFACE = 127.0.0.1
BIND_ALL_INTERFACES = False
ENABLE_IPV6 = False
USE_SHARED_PORT = True
SHARED_PORT_PORT = $HPCB_CONDOR_PORT
COLLECTOR_HOST = 127.0.0.1:$HPCB_CONDOR_PORT
# a chroot cannot make the per-job mount and pid namespaces
MOUNT_UNDER_SCRATCH =
USE_PID_NAMESPACES = False
# quick scheduling for tests
SCHEDD_INTERVAL = 5
NEGOTIATOR_INTERVAL = 2
NEGOTIATOR_MIN_INTERVAL = 1
NEGOTIATOR_CYCLE_DELAY = 1
PERIODIC_EXPR_INTERVAL = 5
STARTER_UPDATE_INTERVAL = 5
SHADOW_QUEUE_UPDATE_INTERVAL = 5
UPDATE_INTERVAL = 5
# several 1-CPU / 100 MB jobs at a time on a 2-core machine
NUM_CPUS = $HPCB_CONDOR_NUM_CPUS
MEMORY = $HPCB_CONDOR_MEMORY_MB
# test pool policy: a running job with MY.HpcbTestPolicyHold = true is held (code 26)
SYSTEM_PERIODIC_HOLD = (JobStatus == 2) && (HpcbTestPolicyHold =?= true)
SYSTEM_PERIODIC_HOLD_REASON = "held by pool policy (HpcbTestPolicyHold)"
# and one with MY.HpcbTestPolicyRemove = true is removed by the pool
SYSTEM_PERIODIC_REMOVE = (JobStatus == 2) && (HpcbTestPolicyRemove =?= true)
CONF
  install -d -m 0755 "$CONDOR_ROOT/etc/condor/config.d"
  if ! cmp -s "$tmp" "$CONDOR_ROOT/etc/condor/config.d/99-hpcb.conf"; then
    install -m 0644 "$tmp" "$CONDOR_ROOT/etc/condor/config.d/99-hpcb.conf"
    if is_running condor-master; then log "HTCondor config changed: condor_reconfig"; in_root condor_reconfig >/dev/null || true; fi
  fi
  rm -f "$tmp"
  in_root install -d -o condor -g condor -m 0755 /var/lib/condor /var/log/condor /run/condor /var/lock/condor
}

# ensure_condor_user : hpcuser in the chroot, work root, counting shims, PATH line in ~/.bashrc
ensure_condor_user() {
  local u=$HPCB_CONDOR_SSH_USER h=$CONDOR_ROOT$CONDOR_HOME
  in_root id "$u" >/dev/null 2>&1 || in_root useradd -m -d "$CONDOR_HOME" -s /bin/bash "$u"
  [ "$(awk -F: -v u="$u" '$1 == u {print $2}' "$CONDOR_ROOT/etc/shadow")" = '*' ] || in_root usermod -p '*' "$u"
  local ug; ug=$(condor_uid)
  [ -d "$h" ] || install -d -o "${ug%:*}" -g "${ug#*:}" -m 0755 "$h"
  chmod go-w "$h"
  install -d -o "${ug%:*}" -g "${ug#*:}" -m 0700 "$h/.ssh"
  install -d -o "${ug%:*}" -g "${ug#*:}" -m 0755 "$h/bin" "$CONDOR_ROOT$HPCB_CONDOR_WORK_ROOT"
  [ -e "$HPCB_CONDOR_CMDLOG" ] || install -o "${ug%:*}" -g "${ug#*:}" -m 0644 /dev/null "$HPCB_CONDOR_CMDLOG"
  local c tmp
  for c in "${CONDOR_SHIM_CMDS[@]}"; do
    tmp=$(mktemp)
    cat > "$tmp" <<SHIM
#!/bin/bash
# hpc-bridge counting shim: log one line per call, then run the real command.
printf '%s %s%s\n' "\$(date +%s%3N)" "$c" "\$(printf ' %s' "\$@")" >> $CONDOR_CMDLOG_IN 2>/dev/null || true
exec /usr/bin/$c "\$@"
SHIM
    cmp -s "$tmp" "$h/bin/$c" || install -o "${ug%:*}" -g "${ug#*:}" -m 0755 "$tmp" "$h/bin/$c"
    rm -f "$tmp"
  done
  local rc=$h/.bashrc marker='# hpcb-shim-path' line
  line="export PATH=\"$CONDOR_HOME/bin:\$PATH\" $marker"
  [ -e "$rc" ] || install -o "${ug%:*}" -g "${ug#*:}" -m 0644 "$CONDOR_ROOT/etc/skel/.bashrc" "$rc"
  if [ "$(head -1 "$rc")" != "$line" ]; then
    tmp=$(mktemp)
    { echo "$line"; grep -vF "$marker" "$rc" || true; } > "$tmp"
    install -o "${ug%:*}" -g "${ug#*:}" -m 0644 "$tmp" "$rc"; rm -f "$tmp"
  fi
}

configure_condor_ssh() {
  local r=$CONDOR_ROOT sd=$HPCB_STATE/ssh u=$HPCB_CONDOR_SSH_USER ug
  ug=$(condor_uid)
  install -d -m 0700 "$sd"
  [ -s "$sd/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C hpcb-client -f "$sd/id_ed25519"
  [ -s "$r/etc/ssh/hpcb_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C hpcb-condor-host -f "$r/etc/ssh/hpcb_host_ed25519_key"
  install -d -m 0755 "$r/run/sshd"
  local ak=$r$CONDOR_HOME/.ssh/authorized_keys
  grep -qxF "$(cat "$sd/id_ed25519.pub")" "$ak" 2>/dev/null || cp "$sd/id_ed25519.pub" "$ak"
  chown "$ug" "$ak"; chmod 0600 "$ak"
  echo "[127.0.0.1]:$HPCB_CONDOR_SSH_PORT $(cut -d' ' -f1,2 "$r/etc/ssh/hpcb_host_ed25519_key.pub")" > "$HPCB_CONDOR_KNOWN_HOSTS"
  chmod 0644 "$HPCB_CONDOR_KNOWN_HOSTS"
  cat > "$r/etc/ssh/hpcb_sshd_config" <<CONF
# hpc-bridge HTCondor login node (sshd inside the chroot)
Port $HPCB_CONDOR_SSH_PORT
ListenAddress 127.0.0.1
HostKey /etc/ssh/hpcb_host_ed25519_key
PidFile /run/hpcb-sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $u
UsePAM no
StrictModes yes
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
MaxStartups 100:30:200
MaxSessions 50
LoginGraceTime 30
ClientAliveInterval 30
LogLevel INFO
Subsystem sftp internal-sftp
CONF
  in_root /usr/sbin/sshd -t -f /etc/ssh/hpcb_sshd_config
}

# prepare_condor_root : everything the chrooted daemons need; idempotent and cheap when done
prepare_condor_root() {
  mkdir -p "$CONDOR_DIR"
  unpack_condor_rootfs
  mount_condor_root
  configure_condor
  ensure_condor_user
}

# start_bg_in_root NAME EXE ARGS... : start_bg of "chroot ROOT EXE ARGS", then records the
# executable as the kernel shows it from the host (ROOT/EXE), which is what is_running compares.
start_bg_in_root() {
  local name=$1 exe=$2; shift 2
  start_bg "$name" /usr/sbin/chroot "$CONDOR_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 "$exe" "$@"
  # chroot execs env, env execs EXE: wait for the final executable, not an intermediate one
  local pf pid i e="" want
  want=$CONDOR_ROOT$(in_root readlink -f "$exe")
  pf=$(pidfile "$name"); pid=$(cat "$pf")
  for ((i = 0; i < 200; i++)); do
    e=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    [ "${e% (deleted)}" = "$want" ] && break
    proc_alive "$pid" || break
    sleep 0.05
  done
  [ "${e% (deleted)}" = "$want" ] || fail_start "$name"
  echo "$want" > "$pf.exe"
}

ready_condor_pool() {
  as_condor_user condor_status -af Name 2>/dev/null | grep -q '@' && as_condor_user condor_q -totals >/dev/null 2>&1
}

start_condor-master() {
  if is_running condor-master; then log "condor-master already running"; return 0; fi
  prepare_condor_root
  # leftovers of an unclean stop would hold the ports (the login node's sshd and sessions stay)
  kill_condor_leftovers --keep-sshd
  start_bg_in_root condor-master /usr/sbin/condor_master -f
  wait_for "HTCondor slot and schedd" 90 ready_condor_pool || fail_start condor-master
  log "condor-master ready (collector 127.0.0.1:$HPCB_CONDOR_PORT, $(as_condor_user condor_status -af Name | wc -l) slots)"
}

# pids of processes whose root directory is the chroot (all our daemons, jobs and ssh sessions)
condor_root_pids() {
  local p r root
  root=$(readlink -f "$CONDOR_ROOT" 2>/dev/null) || return 0
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$r" = "$root" ] && echo "${p#/proc/}"
  done
  return 0
}

# descends_from PID ANCESTOR : PID is ANCESTOR or one of its descendants
descends_from() {
  local p=$1 n
  for ((n = 0; n < 64; n++)); do
    [ "$p" = "$2" ] && return 0
    { [ -n "$p" ] && [ "$p" -gt 1 ]; } || return 1
    p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null) || return 1
  done
  return 1
}

# kill_condor_leftovers [--keep-sshd] : KILL processes still running in the chroot (only ever ours);
# --keep-sshd spares the condor-sshd listener and the ssh sessions below it.
kill_condor_leftovers() {
  local pids="" p i keep=""
  if [ "${1:-}" = --keep-sshd ] && is_running condor-sshd; then keep=$(cat "$(pidfile condor-sshd)"); fi
  for p in $(condor_root_pids); do
    if [ -n "$keep" ] && descends_from "$p" "$keep"; then continue; fi
    pids="$pids $p"
  done
  [ -n "${pids// /}" ] || return 0
  log "killing leftover processes in the HTCondor chroot: $pids"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  local alive
  for ((i = 0; i < 50; i++)); do
    alive=0
    for p in $pids; do proc_alive "$p" && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  return 0
}

stop_condor-master() {
  local pf pid i
  pf=$(pidfile condor-master)
  if is_running condor-master; then
    pid=$(cat "$pf")
    log "stopping condor-master (pid $pid, fast shutdown)"
    kill -QUIT "$pid" 2>/dev/null || true   # SIGQUIT = fast shutdown of all daemons
    for ((i = 0; i < 300; i++)); do proc_alive "$pid" || break; sleep 0.1; done
    proc_alive "$pid" && { log "condor_master did not stop, sending KILL"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$pf" "$pf.exe"
  # daemons or jobs that outlived the master go; the login node's sshd and its sessions stay
  kill_condor_leftovers --keep-sshd
  return 0
}

# condor-schedd: the schedd child of the master, switched on/off through the master
schedd_pid() {
  is_running condor-master || return 1
  local m p; m=$(cat "$(pidfile condor-master)")
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = condor_schedd ] || continue
    [ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$m" ] && { echo "${p#/proc/}"; return 0; }
  done
  return 1
}
running_condor-schedd() { schedd_pid >/dev/null; }
ready_condor_schedd() { running_condor-schedd && as_condor_user condor_q -totals >/dev/null 2>&1; }

start_condor-schedd() {
  is_running condor-master || { start_condor-master; return $?; }
  if ready_condor_schedd; then log "condor-schedd already running"; return 0; fi
  in_root condor_on -daemon schedd >/dev/null || true
  wait_for condor-schedd 60 ready_condor_schedd || { log "condor-schedd did not come back"; tail -20 "$CONDOR_ROOT/var/log/condor/SchedLog" >&2; exit 1; }
  log "condor-schedd running (pid $(schedd_pid))"
}

# stop_condor-schedd : condor_off -daemon schedd (graceful); HPCB_CONDOR_OFF_FLAGS=-fast for a fast one.
# The master keeps running and does not restart the schedd until condor_on.
stop_condor-schedd() {
  is_running condor-master || return 0
  running_condor-schedd || { log "condor-schedd already stopped"; return 0; }
  log "stopping condor-schedd (condor_off ${HPCB_CONDOR_OFF_FLAGS:-} -daemon schedd)"
  # shellcheck disable=SC2086
  in_root condor_off ${HPCB_CONDOR_OFF_FLAGS:-} -daemon schedd >/dev/null || true
  local i
  for ((i = 0; i < 600; i++)); do running_condor-schedd || break; sleep 0.1; done
  running_condor-schedd && { log "condor-schedd still running after 60s"; return 1; }
  return 0
}

# shellcheck disable=SC2046
condor_ssh_args() {
  echo -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$HPCB_CONDOR_KNOWN_HOSTS" \
    -o ConnectTimeout=5 -i "$HPCB_STATE/ssh/id_ed25519" -p "$HPCB_CONDOR_SSH_PORT" "$HPCB_CONDOR_SSH_USER@127.0.0.1"
}
# shellcheck disable=SC2046
ready_condor_sshd() { ssh $(condor_ssh_args) true; }

start_condor-sshd() {
  if is_running condor-sshd; then log "condor-sshd already running"; return 0; fi
  prepare_condor_root
  configure_condor_ssh
  start_bg_in_root condor-sshd /usr/sbin/sshd -D -e -f /etc/ssh/hpcb_sshd_config
  wait_for condor-sshd 30 ready_condor_sshd || fail_start condor-sshd
  log "condor-sshd ready on 127.0.0.1:$HPCB_CONDOR_SSH_PORT"
}

stop_condor-sshd() {
  stop_pid condor-sshd
  if ! is_running condor-master; then kill_condor_leftovers; fi
  return 0
}

# remove_condor_test_leftovers : removes queued jobs that earlier test runs left on the pool (identity names
# hpcb.e2e-* and hpcb.hpcb-demo-test-*), so that a new run does not wait behind them. Anything else is left alone.
remove_condor_test_leftovers() {
  local ids
  ids=$(as_condor_user condor_q -af:j HpcBridgeName 2>/dev/null \
    | awk 'index($2, "hpcb.e2e-") == 1 || index($2, "hpcb.hpcb-demo-test-") == 1 {print $1}' || true)
  [ -n "$ids" ] || return 0
  log "removing $(echo "$ids" | wc -w) job(s) that earlier test runs left on the HTCondor pool"
  # shellcheck disable=SC2086
  as_condor_user condor_rm $ids >/dev/null 2>&1 || true
}

start_htcondor() {
  start_condor-master
  start_condor-schedd
  start_condor-sshd
}

# stop_htcondor : stops all three and unmounts the chroot's mounts
stop_htcondor() {
  stop_condor-sshd
  stop_condor-master
  kill_condor_leftovers
  umount_condor_root
}
