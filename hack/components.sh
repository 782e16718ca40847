#!/usr/bin/env bash
# Configuration, start and readiness of each stack component. Sourced by stack-up.sh and
# stack-ctl.sh (after lib.sh). Every start_* is idempotent: a live pid file means "skip".
# shellcheck shell=bash

KUBE_DIR=$HPCB_STATE/kube
SSH_DIR=$HPCB_STATE/ssh
RUN_DIR=$HPCB_STATE/run
SLURM_STATE=$HPCB_STATE/slurm
MYSQL_DIR=$HPCB_STATE/mysql
MYSQL_SOCK=$RUN_DIR/mysql/mysqld.sock
HPCB_MYSQL_PORT=${HPCB_MYSQL_PORT:-3306}
HPCB_APISERVER_PORT=${HPCB_APISERVER_PORT:-6443}
HPCB_ETCD_PORT=${HPCB_ETCD_PORT:-2379}
HPCB_ETCD_PEER_PORT=${HPCB_ETCD_PEER_PORT:-2380}
HPCB_HOME=/home/$HPCB_SSH_USER
HPCB_WORK_ROOT=${HPCB_WORK_ROOT:-$HPCB_HOME/hpcb-work}
HPCB_CMDLOG=${HPCB_CMDLOG:-$HPCB_HOME/.hpcb-cmdlog}
SLURM_CONF_DIR=/etc/slurm

# All components in start order; stop order is the reverse.
ALL_COMPONENTS=(etcd kube-apiserver kube-controller-manager munged mariadb slurmdbd slurmctld slurmd sshd
  condor-master condor-schedd condor-sshd)

# HTCondor pool in a Debian 13 chroot with its own sshd login node (start_/stop_/running_condor-*)
. "$(dirname "${BASH_SOURCE[0]}")/htcondor.sh"

install_packages() {
  apt_install etcd-server slurm-wlm slurm-client slurmdbd munge mariadb-server mariadb-client \
    openssh-server openssh-client openssl curl util-linux procps ca-certificates lua5.1
}

prepare_dirs() {
  mkdir -p "$HPCB_STATE" "$HPCB_PIDS" "$HPCB_LOGS" "$RUN_DIR" "$KUBE_DIR"
  chmod 0755 "$HPCB_STATE" "$RUN_DIR"
  chmod 0700 "$KUBE_DIR"
}

# ================================================================ etcd
start_etcd() {
  if is_running etcd; then log "etcd already running"; return 0; fi
  mkdir -p "$HPCB_STATE/etcd"; chmod 0700 "$HPCB_STATE/etcd"
  start_bg etcd /usr/bin/etcd --name hpcb --data-dir "$HPCB_STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$HPCB_ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$HPCB_ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$HPCB_ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$HPCB_ETCD_PEER_PORT" \
    --initial-cluster "hpcb=http://127.0.0.1:$HPCB_ETCD_PEER_PORT" \
    --listen-metrics-urls "" --quota-backend-bytes 2147483648
  wait_for etcd 30 ready_etcd || fail_start etcd
  log "etcd ready on 127.0.0.1:$HPCB_ETCD_PORT"
}
ready_etcd() { curl -fsS "http://127.0.0.1:$HPCB_ETCD_PORT/health" | grep -q '"health":"true"'; }

# ================================================================ kubernetes
gen_kube_pki() {
  local d=$KUBE_DIR
  if [ ! -s "$d/ca.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$d/ca.key" -out "$d/ca.crt" \
      -subj "/CN=hpcb-local-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    rm -f "$d/apiserver.crt"
  fi
  if [ ! -s "$d/apiserver.crt" ]; then
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$d/apiserver.key" -out "$d/apiserver.csr" \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" \
      "basicConstraints=CA:FALSE" > "$d/apiserver.ext"
    openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$d/apiserver.ext" -out "$d/apiserver.crt" 2>/dev/null
    rm -f "$d/apiserver.csr" "$d/apiserver.ext"
  fi
  if [ ! -s "$d/sa.key" ]; then
    openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
    openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  fi
  if [ ! -s "$d/tokens.csv" ]; then
    local admin kcm
    admin=$(openssl rand -hex 24); kcm=$(openssl rand -hex 24)
    printf '%s,admin,admin,system:masters\n%s,system:kube-controller-manager,kcm,system:masters\n' \
      "$admin" "$kcm" > "$d/tokens.csv"
  fi
  chmod 0600 "$d"/*.key "$d/tokens.csv"
}

admin_token() { awk -F, '$2 == "admin" {print $1}' "$KUBE_DIR/tokens.csv"; }
kcm_token() { awk -F, '$2 == "system:kube-controller-manager" {print $1}' "$KUBE_DIR/tokens.csv"; }

# write_kubeconfig FILE USER TOKEN
write_kubeconfig() {
  local tmp; tmp=$(mktemp "$1.XXXX")
  cat > "$tmp" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: hpcb
  cluster:
    server: https://127.0.0.1:$HPCB_APISERVER_PORT
    certificate-authority-data: $(base64 -w0 "$KUBE_DIR/ca.crt")
users:
- name: $2
  user:
    token: $3
contexts:
- name: hpcb
  context:
    cluster: hpcb
    user: $2
    namespace: default
current-context: hpcb
KCFG
  chmod 0600 "$tmp"; mv -f "$tmp" "$1"
}

write_kubeconfigs() {
  write_kubeconfig "$HPCB_STATE/kubeconfig" admin "$(admin_token)"
  write_kubeconfig "$KUBE_DIR/kcm.kubeconfig" kcm "$(kcm_token)"
}

ready_apiserver() {
  curl -fsS --cacert "$KUBE_DIR/ca.crt" -H "Authorization: Bearer $(admin_token)" \
    "https://127.0.0.1:$HPCB_APISERVER_PORT/readyz" | grep -qx ok
}

start_kube-apiserver() {
  if is_running kube-apiserver; then log "kube-apiserver already running"; return 0; fi
  gen_kube_pki
  write_kubeconfigs
  start_bg kube-apiserver "$HPCB_KUBE_DIR/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$HPCB_ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$HPCB_APISERVER_PORT" --insecure-port=0 \
    --cert-dir="$KUBE_DIR/certs" \
    --tls-cert-file="$KUBE_DIR/apiserver.crt" --tls-private-key-file="$KUBE_DIR/apiserver.key" \
    --client-ca-file="$KUBE_DIR/ca.crt" \
    --token-auth-file="$KUBE_DIR/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-key-file="$KUBE_DIR/sa.pub" \
    --service-account-signing-key-file="$KUBE_DIR/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-cluster-ip-range=10.96.0.0/16 \
    --endpoint-reconciler-type=none \
    --allow-privileged=true \
    --profiling=false
  wait_for kube-apiserver 90 ready_apiserver || fail_start kube-apiserver
  log "kube-apiserver ready on https://127.0.0.1:$HPCB_APISERVER_PORT"
}

start_kube-controller-manager() {
  if is_running kube-controller-manager; then log "kube-controller-manager already running"; return 0; fi
  gen_kube_pki
  [ -s "$KUBE_DIR/kcm.kubeconfig" ] || write_kubeconfigs
  mkdir -p "$KUBE_DIR/kcm-certs"
  start_bg kube-controller-manager "$HPCB_KUBE_DIR/kube-controller-manager" \
    --kubeconfig="$KUBE_DIR/kcm.kubeconfig" \
    --authentication-kubeconfig="$KUBE_DIR/kcm.kubeconfig" \
    --authorization-kubeconfig="$KUBE_DIR/kcm.kubeconfig" \
    --bind-address=127.0.0.1 --port=0 --secure-port=10257 --cert-dir="$KUBE_DIR/kcm-certs" \
    --leader-elect=false \
    --controllers='*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service,-route,-attachdetach,-persistentvolume-binder,-persistentvolume-expander,-pvc-protection,-pv-protection,-ttl,-bootstrapsigner,-tokencleaner,-csrsigning,-csrapproving,-csrcleaner' \
    --service-account-private-key-file="$KUBE_DIR/sa.key" \
    --root-ca-file="$KUBE_DIR/ca.crt" \
    --use-service-account-credentials=false \
    --profiling=false
  wait_for kube-controller-manager 60 ready_kcm || fail_start kube-controller-manager
  log "kube-controller-manager ready"
}
ready_kcm() { is_running kube-controller-manager && curl -ksf https://127.0.0.1:10257/healthz | grep -qx ok; }

# ================================================================ munge
configure_munge() {
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating munge key"
    install -d -o munge -g munge -m 0700 /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
  chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  chown munge:munge /etc/munge; chmod 0700 /etc/munge
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
}

ready_munge() { munge -n </dev/null | unmunge >/dev/null; }

start_munged() {
  if is_running munged; then log "munged already running"; return 0; fi
  configure_munge
  start_bg munged --as munge /usr/sbin/munged --foreground --force
  wait_for munged 20 ready_munge || fail_start munged
  log "munged ready"
}

# ================================================================ mariadb
init_mariadb() {
  if [ ! -d "$MYSQL_DIR/mysql" ]; then
    log "initialising MariaDB datadir $MYSQL_DIR"
    rm -rf "$MYSQL_DIR"; install -d -o mysql -g mysql -m 0750 "$MYSQL_DIR"
    mariadb-install-db --no-defaults --user=mysql --datadir="$MYSQL_DIR" \
      --auth-root-authentication-method=socket --skip-test-db >"$HPCB_LOGS/mariadb-install.log" 2>&1 \
      || { tail -20 "$HPCB_LOGS/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
}

mysql_root() { mariadb --no-defaults -S "$MYSQL_SOCK" -u root "$@"; }
ready_mariadb() { mysql_root -e 'SELECT 1' >/dev/null; }

slurmdb_pass() {
  local f=$HPCB_STATE/slurmdb.pass
  [ -s "$f" ] || { openssl rand -hex 16 > "$f"; chmod 0600 "$f"; }
  cat "$f"
}

start_mariadb() {
  if is_running mariadb; then log "mariadb already running"; return 0; fi
  install -d -o mysql -g mysql -m 0755 "$RUN_DIR/mysql"
  init_mariadb
  start_bg mariadb /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$MYSQL_DIR" \
    --socket="$MYSQL_SOCK" --pid-file="$RUN_DIR/mysql/mariadb.pid" \
    --bind-address=127.0.0.1 --port="$HPCB_MYSQL_PORT" --skip-name-resolve \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --innodb-lock-wait-timeout=900 \
    --max-allowed-packet=16M
  wait_for mariadb 60 ready_mariadb || fail_start mariadb
  local pw; pw=$(slurmdb_pass)
  mysql_root <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
SQL
  log "mariadb ready on 127.0.0.1:$HPCB_MYSQL_PORT"
}

# ================================================================ slurm
configure_slurm() {
  local host; host=$(hostname -s)
  install -d -o slurm -g slurm -m 0755 "$SLURM_STATE" "$SLURM_STATE/ctld" "$SLURM_STATE/d"
  install -d -o slurm -g slurm -m 0755 /var/log/slurm
  install -d -m 0755 "$SLURM_CONF_DIR"
  local tmp; tmp=$(mktemp)
  cat > "$tmp" <<CONF
# Written by hpc-bridge hack/stack-up.sh: single-node Slurm on loopback.
ClusterName=$HPCB_SLURM_CLUSTER
SlurmctldHost=$host(127.0.0.1)
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$SLURM_STATE/ctld
SlurmdSpoolDir=$SLURM_STATE/d
SlurmctldPidFile=$RUN_DIR/slurm/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurm/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=6819
AccountingStoreFlags=job_comment
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2,bf_interval=5
MinJobAge=5
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
SlurmdParameters=config_overrides
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
Waittime=0
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$HPCB_SLURM_CPUS RealMemory=$HPCB_SLURM_MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
  install -m 0644 "$tmp" "$SLURM_CONF_DIR/slurm.conf"
  cat > "$tmp" <<CONF
# Written by hpc-bridge hack/stack-up.sh
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
SlurmUser=slurm
PidFile=$RUN_DIR/slurm/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$HPCB_MYSQL_PORT
StorageUser=slurm
StoragePass=$(slurmdb_pass)
StorageLoc=slurm_acct_db
DebugLevel=info
CONF
  install -m 0600 -o slurm -g slurm "$tmp" "$SLURM_CONF_DIR/slurmdbd.conf"
  rm -f "$tmp"
  # the pid files are written by the daemons after dropping to SlurmUser
  install -d -o slurm -g slurm -m 0755 "$RUN_DIR/slurm"
}

ready_slurmdbd() { sacctmgr -n -P show cluster format=cluster >/dev/null; }

start_slurmdbd() {
  if is_running slurmdbd; then log "slurmdbd already running"; return 0; fi
  [ -s "$SLURM_CONF_DIR/slurmdbd.conf" ] || configure_slurm
  start_bg slurmdbd /usr/sbin/slurmdbd -D
  wait_for slurmdbd 60 ready_slurmdbd || fail_start slurmdbd
  log "slurmdbd ready"
}

register_slurm_accounting() {
  local u=$HPCB_SSH_USER
  sacctmgr -n -P show cluster format=cluster | grep -qx "$HPCB_SLURM_CLUSTER" \
    || sacctmgr -i add cluster "$HPCB_SLURM_CLUSTER" >/dev/null
  sacctmgr -n -P show account format=account | grep -qx hpcb \
    || sacctmgr -i add account hpcb Cluster="$HPCB_SLURM_CLUSTER" Description=hpc-bridge Organization=hpcb >/dev/null
  local usr
  for usr in "$u" root; do
    sacctmgr -n -P show assoc where user="$usr" account=hpcb format=user | grep -qx "$usr" \
      || sacctmgr -i add user "$usr" Account=hpcb DefaultAccount=hpcb Cluster="$HPCB_SLURM_CLUSTER" >/dev/null
  done
}

start_slurmctld() {
  if is_running slurmctld; then log "slurmctld already running"; return 0; fi
  [ -s "$SLURM_CONF_DIR/slurm.conf" ] || configure_slurm
  start_bg slurmctld /usr/sbin/slurmctld -D
  wait_for slurmctld 60 scontrol ping || fail_start slurmctld
  wait_for "slurmctld answering" 30 sinfo -h || fail_start slurmctld
  log "slurmctld ready"
}

node_usable() { sinfo -h -N -o '%t' | grep -Eq '^(idle|mix|alloc|comp)'; }

start_slurmd() {
  if is_running slurmd; then log "slurmd already running"; return 0; fi
  [ -s "$SLURM_CONF_DIR/slurm.conf" ] || configure_slurm
  start_bg slurmd /usr/sbin/slurmd -D
  if ! wait_for "slurm node idle" 60 node_usable; then
    # a node left DOWN/DRAIN by an earlier unclean stop: bring it back once
    scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true
    wait_for "slurm node idle" 30 node_usable || fail_start slurmd
  fi
  log "slurmd ready (node $(sinfo -h -N -o '%N %t %c CPUs'))"
}

# ================================================================ login user, shim, sshd
SHIM_CMDS=(sbatch squeue sacct scancel scontrol)

ensure_login_user() {
  local u=$HPCB_SSH_USER
  if ! id "$u" >/dev/null 2>&1; then
    log "creating user $u"
    useradd -m -d "$HPCB_HOME" -s /bin/bash "$u"
  fi
  # not locked ('!'), no usable password: key-only logins with UsePAM no
  [ "$(getent shadow "$u" | cut -d: -f2)" = '*' ] || usermod -p '*' "$u"
  [ -d "$HPCB_HOME" ] || install -d -o "$u" -g "$u" -m 0755 "$HPCB_HOME"
  chmod go-w "$HPCB_HOME"
  install -d -o "$u" -g "$u" -m 0700 "$HPCB_HOME/.ssh"
  install -d -o "$u" -g "$u" -m 0755 "$HPCB_HOME/bin" "$HPCB_WORK_ROOT"
  [ -e "$HPCB_CMDLOG" ] || install -o "$u" -g "$u" -m 0644 /dev/null "$HPCB_CMDLOG"

  # counting shims
  local c tmp
  for c in "${SHIM_CMDS[@]}"; do
    tmp=$(mktemp)
    cat > "$tmp" <<SHIM
#!/bin/bash
# hpc-bridge counting shim: log one line per call, then run the real command.
printf '%s %s%s\n' "\$(date +%s%3N)" "$c" "\$(printf ' %s' "\$@")" >> $HPCB_CMDLOG 2>/dev/null || true
exec /usr/bin/$c "\$@"
SHIM
    if ! cmp -s "$tmp" "$HPCB_HOME/bin/$c"; then install -o "$u" -g "$u" -m 0755 "$tmp" "$HPCB_HOME/bin/$c"; fi
    rm -f "$tmp"
  done

  # PATH line at the very top of ~/.bashrc (bash sources it for ssh commands, before the
  # stock "not interactive: return" guard).
  local rc=$HPCB_HOME/.bashrc marker='# hpcb-shim-path'
  [ -e "$rc" ] || install -o "$u" -g "$u" -m 0644 /etc/skel/.bashrc "$rc"
  if [ "$(head -1 "$rc")" != "export PATH=\"$HPCB_HOME/bin:\$PATH\" $marker" ]; then
    tmp=$(mktemp)
    { echo "export PATH=\"$HPCB_HOME/bin:\$PATH\" $marker"; grep -vF "$marker" "$rc" || true; } > "$tmp"
    install -o "$u" -g "$u" -m 0644 "$tmp" "$rc"; rm -f "$tmp"
  fi
}

configure_ssh() {
  install -d -m 0700 "$SSH_DIR"
  install -d -m 0755 /run/sshd
  [ -s "$SSH_DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C hpcb-login-host -f "$SSH_DIR/ssh_host_ed25519_key"
  [ -s "$SSH_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C hpcb-client -f "$SSH_DIR/id_ed25519"
  local ak=$HPCB_HOME/.ssh/authorized_keys pub
  pub=$(cat "$SSH_DIR/id_ed25519.pub")
  if ! grep -qxF "$pub" "$ak" 2>/dev/null; then
    # replace an older stack client key (state purged), keep anything else
    { grep -v ' hpcb-client$' "$ak" 2>/dev/null || true; echo "$pub"; } > "$ak.new"
    mv -f "$ak.new" "$ak"
  fi
  chown "$HPCB_SSH_USER:$HPCB_SSH_USER" "$ak"; chmod 0600 "$ak"
  echo "[127.0.0.1]:$HPCB_SSH_PORT $(cut -d' ' -f1,2 "$SSH_DIR/ssh_host_ed25519_key.pub")" > "$SSH_DIR/known_hosts"
  chmod 0644 "$SSH_DIR/known_hosts"
  cat > "$SSH_DIR/sshd_config" <<CONF
# hpc-bridge login node (own sshd, not the system one)
Port $HPCB_SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile $RUN_DIR/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $HPCB_SSH_USER
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
  /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config"
}

ssh_args() {
  echo -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$SSH_DIR/known_hosts" \
    -o ConnectTimeout=5 -i "$SSH_DIR/id_ed25519" -p "$HPCB_SSH_PORT" "$HPCB_SSH_USER@127.0.0.1"
}
# shellcheck disable=SC2046
ready_sshd() { ssh $(ssh_args) true; }

start_sshd() {
  if is_running sshd; then log "sshd already running"; return 0; fi
  ensure_login_user
  configure_ssh
  start_bg sshd /usr/sbin/sshd -D -e -f "$SSH_DIR/sshd_config"
  wait_for sshd 30 ready_sshd || fail_start sshd
  log "sshd ready on 127.0.0.1:$HPCB_SSH_PORT"
}

# ================================================================ kubectl + env file
# kubectl: $HPCB_KUBECTL if set; else the machine's kubectl (the image ships a 1.32 one, which
# was verified against this 1.20 server: version, apply, server-side apply, wait --for=condition,
# patch --subresource=status); else Debian's kubernetes-client (1.20, matches the server).
choose_kubectl() {
  if [ -n "${HPCB_KUBECTL:-}" ]; then echo "$HPCB_KUBECTL"; return; fi
  local k; k=$(command -v kubectl || true)
  if [ -z "$k" ]; then
    apt_install kubernetes-client >&2
    k=$(command -v kubectl || true)
  fi
  [ -n "$k" ] || die "no kubectl found"
  echo "$k"
}

write_env() {
  local kubectl; kubectl=$(choose_kubectl)
  local tmp; tmp=$(mktemp "$HPCB_STATE/env.XXXX")
  cat > "$tmp" <<ENV
# hpc-bridge local stack: source this file. Written by hack/stack-up.sh.
export HPCB_STATE=$HPCB_STATE
export HPCB_CACHE=$HPCB_CACHE
export KUBECONFIG=$HPCB_STATE/kubeconfig
export KUBECTL=$kubectl
export HPCB_KUBE_CA=$KUBE_DIR/ca.crt
export HPCB_KUBE_SERVER=https://127.0.0.1:$HPCB_APISERVER_PORT
export HPCB_SSH_HOST=127.0.0.1
export HPCB_SSH_PORT=$HPCB_SSH_PORT
export HPCB_SSH_USER=$HPCB_SSH_USER
export HPCB_SSH_KEY=$SSH_DIR/id_ed25519
export HPCB_KNOWN_HOSTS=$SSH_DIR/known_hosts
export HPCB_WORK_ROOT=$HPCB_WORK_ROOT
export HPCB_CMDLOG=$HPCB_CMDLOG
export HPCB_SLURM_CLUSTER=$HPCB_SLURM_CLUSTER
export HPCB_CONDOR_SSH_HOST=127.0.0.1
export HPCB_CONDOR_SSH_PORT=$HPCB_CONDOR_SSH_PORT
export HPCB_CONDOR_SSH_USER=$HPCB_CONDOR_SSH_USER
export HPCB_CONDOR_KNOWN_HOSTS=$HPCB_CONDOR_KNOWN_HOSTS
export HPCB_CONDOR_WORK_ROOT=$HPCB_CONDOR_WORK_ROOT
export HPCB_CONDOR_ROOT=$CONDOR_ROOT
export HPCB_CONDOR_CMDLOG=$HPCB_CONDOR_CMDLOG
ENV
  chmod 0644 "$tmp"; mv -f "$tmp" "$HPCB_STATE/env"
}

# ================================================================ dispatch helpers
start_component() {
  case "$1" in
    etcd|kube-apiserver|kube-controller-manager|munged|mariadb|slurmdbd|slurmctld|slurmd|sshd) "start_$1" ;;
    condor-master|condor-schedd|condor-sshd) "start_$1" ;;
    *) die "unknown component: $1 (one of: ${ALL_COMPONENTS[*]})" ;;
  esac
}

# stop_component / component_running: a component's own stop_/running_ function if it has one
# (condor-*), else its pid file.
stop_component() { if declare -F "stop_$1" >/dev/null; then "stop_$1"; else stop_pid "$1"; fi; }
component_running() { if declare -F "running_$1" >/dev/null; then "running_$1"; else is_running "$1"; fi; }
