#!/usr/bin/env bash
# Shared helpers for the hpc-bridge local stack scripts. Source it; do not run it.
# shellcheck shell=bash

HPCB_CACHE=${HPCB_CACHE:-/var/cache/hpc-bridge}
HPCB_STATE=${HPCB_STATE:-/var/tmp/hpcb-stack}
HPCB_KUBE_DIR=${HPCB_KUBE_DIR:-$HPCB_CACHE/kube-1.20}
HPCB_SSH_PORT=${HPCB_SSH_PORT:-2222}
HPCB_SSH_USER=${HPCB_SSH_USER:-hpcuser}
HPCB_SLURM_CLUSTER=${HPCB_SLURM_CLUSTER:-hpcb}
HPCB_SLURM_CPUS=${HPCB_SLURM_CPUS:-8}
HPCB_SLURM_MEM_MB=${HPCB_SLURM_MEM_MB:-8192}
export HPCB_CACHE HPCB_STATE DEBIAN_FRONTEND=noninteractive

HPCB_PIDS=$HPCB_STATE/pids
HPCB_LOGS=$HPCB_STATE/logs

log()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root"; }

# ---------------------------------------------------------------- apt
export _HPCB_APT_UPDATED=${_HPCB_APT_UPDATED:-0}

apt_update() {
  local i
  for i in 1 2 3 4 5; do
    if apt-get update -qq; then export _HPCB_APT_UPDATED=1; return 0; fi
    log "apt-get update failed (try $i), retrying"; sleep $((i * 3))
  done
  die "apt-get update failed"
}

pkg_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

# apt_install PKG... : installs only the packages that are missing, with retries.
apt_install() {
  local missing=() p i
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  [ "$_HPCB_APT_UPDATED" = 1 ] || apt_update
  # Packages must not start their services (we run our own daemons): deny via policy-rc.d.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 0755 /usr/sbin/policy-rc.d; own_policy=1
  fi
  local ok=0
  for i in 1 2 3 4 5; do
    if apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"; then
      ok=1; break
    fi
    log "apt-get install failed (try $i), retrying"; sleep $((i * 3))
    apt_update
  done
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$ok" = 1 ] || die "apt-get install ${missing[*]} failed"
}

# Adds deb-src entries derived from the machine's existing apt sources (no host is hard-coded).
ensure_deb_src() {
  local codename out_sources=/etc/apt/sources.list.d/hpcb-deb-src.sources out_list=/etc/apt/sources.list.d/hpcb-deb-src.list
  codename=$(. /etc/os-release; echo "${VERSION_CODENAME:-bookworm}")
  local tmp_s tmp_l
  tmp_s=$(mktemp); tmp_l=$(mktemp)
  # deb822 files: copy each enabled stanza that has Types: deb and the release suite, as deb-src.
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    [ "$f" = "$out_sources" ] && continue
    awk -v cn="$codename" '
      function flush() {
        if (n > 0 && isdeb && hascn && !disabled) {
          for (i = 1; i <= n; i++) {
            if (lines[i] ~ /^Types:/) print "Types: deb-src"; else print lines[i]
          }
          print ""
        }
        n = 0; isdeb = 0; hascn = 0; disabled = 0
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        lines[++n] = $0
        if ($0 ~ /^Types:/ && $0 ~ /(^|[ \t])deb([ \t]|$)/) isdeb = 1
        if ($0 ~ /^Suites:/) { m = split($0, s, /[ \t]+/); for (j = 2; j <= m; j++) if (s[j] == cn) hascn = 1 }
        if ($0 ~ /^Enabled:[ \t]*no/) disabled = 1
      }
      END { flush() }' "$f" >> "$tmp_s"
  done
  # classic one-line sources
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    [ "$f" = "$out_list" ] && continue
    awk -v cn="$codename" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i == cn) { $1 = "deb-src"; print; break } }' "$f" >> "$tmp_l"
  done
  local changed=0
  if [ -s "$tmp_s" ]; then
    cmp -s "$tmp_s" "$out_sources" 2>/dev/null || { install -m 0644 "$tmp_s" "$out_sources"; changed=1; }
  fi
  if [ -s "$tmp_l" ]; then
    cmp -s "$tmp_l" "$out_list" 2>/dev/null || { install -m 0644 "$tmp_l" "$out_list"; changed=1; }
  fi
  rm -f "$tmp_s" "$tmp_l"
  [ -s "$out_sources" ] || [ -s "$out_list" ] || die "could not derive a deb-src entry from the apt sources"
  if [ "$changed" = 1 ] || [ "$_HPCB_APT_UPDATED" != 1 ]; then apt_update; fi
}

# ---------------------------------------------------------------- processes
pidfile() { echo "$HPCB_PIDS/$1.pid"; }

# proc_alive PID : the process exists and is not a zombie waiting to be reaped
proc_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo X)
  [ "$st" != Z ] && [ "$st" != X ]
}

# is_running NAME : true if the pid file points at a live process that still runs the
# executable recorded at start (guards against pid reuse after a reboot).
is_running() {
  local pf pid exe
  pf=$(pidfile "$1")
  [ -s "$pf" ] || return 1
  pid=$(cat "$pf")
  { [ -n "$pid" ] && proc_alive "$pid"; } || return 1
  if [ -s "$pf.exe" ] && [ -e "/proc/$pid/exe" ]; then
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    exe=${exe% (deleted)}
    [ "$exe" = "$(cat "$pf.exe")" ] || return 1
  fi
  return 0
}

# start_bg NAME [--as USER] EXE ARGS... : starts a daemon that stays in the foreground,
# detached in its own session, output appended to $HPCB_LOGS/NAME.log, pid in the pid file.
start_bg() {
  local name=$1; shift
  local as=""
  if [ "${1:-}" = "--as" ]; then as=$2; shift 2; fi
  local exe=$1; shift
  mkdir -p "$HPCB_PIDS" "$HPCB_LOGS"
  local pf; pf=$(pidfile "$name")
  readlink -f "$exe" > "$pf.exe"
  echo "=== $(date -Is) start $name" >>"$HPCB_LOGS/$name.log"
  if [ -n "$as" ]; then
    setsid setpriv --reuid "$as" --regid "$as" --init-groups "$exe" "$@" </dev/null >>"$HPCB_LOGS/$name.log" 2>&1 &
  else
    setsid "$exe" "$@" </dev/null >>"$HPCB_LOGS/$name.log" 2>&1 &
  fi
  echo $! > "$pf"
}

# fail_start NAME : prints the log tail and dies
fail_start() {
  log "$1 did not become ready; last log lines of $HPCB_LOGS/$1.log:"
  tail -25 "$HPCB_LOGS/$1.log" >&2 || true
  exit 1
}

# stop_pid NAME : TERM, wait up to 20 s, then KILL; only the pid in our pid file.
stop_pid() {
  local name=$1 pf pid i
  pf=$(pidfile "$name")
  if ! is_running "$name"; then rm -f "$pf" "$pf.exe"; return 0; fi
  pid=$(cat "$pf")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do proc_alive "$pid" || break; sleep 0.1; done
  if proc_alive "$pid"; then
    log "$name did not stop, sending KILL"; kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do proc_alive "$pid" || break; sleep 0.1; done
  fi
  rm -f "$pf" "$pf.exe"
}

# wait_for DESC SECS CMD... : polls CMD until it succeeds (bounded)
wait_for() {
  local desc=$1 secs=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $end ]; then log "timeout after ${secs}s waiting for $desc"; return 1; fi
    sleep 0.3
  done
}
