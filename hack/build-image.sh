#!/usr/bin/env bash
# Builds the operator's container image as a tar file, with no container engine and no registry:
#   1. a base image: Debian 12 minbase + OpenJDK 17 JRE (headless) + ca-certificates + user 185, made
#      with debootstrap and apt from this machine's own apt sources, packed as a docker-archive tar and
#      cached in $HPCB_CACHE/image-base/<key>/base.tar (key: this recipe), so a second run skips it;
#   2. `mvn -Pimage package jib:buildTar` with that tar as Jib's base image (tar://): the result is
#      target/jib-image.tar, image hpc-bridge:<project version>, the chart's default image;
#   3. hack/check-image.py on the result (unpacks it, runs the entrypoint as uid 185, checks the config).
# Needs root (debootstrap, chroot, mounts). Not part of hack/test.sh or CI: see docs/operations.md, "Image".
#
# Usage: hack/build-image.sh [--rebuild-base] [--skip-check] [-- MAVEN_ARGS...]
#   --rebuild-base  build the base again even if cached (e.g. to take Debian security updates)
#   --skip-check    do not run hack/check-image.py
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"
# shellcheck disable=SC1091
. "$HACK_DIR/build.sh"   # ensure_build_tools, mvn_retry (sourcing runs nothing)

REBUILD_BASE=0
CHECK=1
MVN_EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --rebuild-base) REBUILD_BASE=1 ;;
    --skip-check) CHECK=0 ;;
    --) shift; MVN_EXTRA=("$@"); break ;;
    *) die "unknown argument: $1 (usage: $0 [--rebuild-base] [--skip-check] [-- MAVEN_ARGS...])" ;;
  esac
  shift
done

need_root

# ------------------------------------------------------------------------------------------ recipe
# Everything the base depends on is here: changing any of it changes the cache key.
BASE_SUITE=$(. /etc/os-release; echo "${VERSION_CODENAME:-bookworm}")
BASE_ARCH=$(dpkg --print-architecture)
BASE_PACKAGES=(openjdk-17-jre-headless ca-certificates)
# The chart runs the pod as uid/gid 185 (values.yaml podSecurityContext); hack/check-image.py checks both agree.
BASE_UID=185
BASE_USER=hpcbridge
IMAGE_BASE_DIR=$HPCB_CACHE/image-base

# debian_mirror : the first enabled "deb" source of the release suite in this machine's apt sources.
debian_mirror() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    uri=$(awk -v cn="$BASE_SUITE" '
      function flush() { if (isdeb && hascn && !disabled && u != "" && out == "") out = u; isdeb = 0; hascn = 0; disabled = 0; u = "" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^Types:/ { if ($0 ~ /(^|[ \t])deb([ \t]|$)/) isdeb = 1 }
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (j = 2; j <= NF; j++) if ($j == cn) hascn = 1 }
      /^Enabled:[ \t]*no/ { disabled = 1 }
      END { flush(); print out }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    uri=$(awk -v cn="$BASE_SUITE" '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } if ($(i + 1) == cn) { print $i; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  return 1
}

# apt_in_root ROOT ARGS... : apt-get inside the chroot, configured with this machine's apt sources and
# settings (copied to ROOT/tmp/host-apt), so nothing of this machine's apt setup stays in the image.
apt_in_root() {
  local root=$1; shift
  chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C \
    apt-get -q -o Dir::Etc::SourceList=/tmp/host-apt/sources.list -o Dir::Etc::SourceParts=/tmp/host-apt/sources.list.d \
    -o Dir::Etc::Parts=/tmp/host-apt/apt.conf.d -o Dir::Etc::netrc=/tmp/host-apt/auth.conf \
    -o Dir::Etc::netrcparts=/tmp/host-apt/auth.conf.d "$@"
}

# unmount_under DIR : unmounts everything mounted at or below DIR (deepest first).
unmount_under() {
  local m
  for m in $(awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

# build_base ROOT : the root file system of the base image, in ROOT.
build_base() {
  local root=$1 mirror
  mirror=$(debian_mirror) || die "no enabled 'deb' source for $BASE_SUITE in the apt sources"
  log "debootstrap --variant=minbase $BASE_SUITE (mirror taken from this machine's apt sources)"
  debootstrap --variant=minbase --arch="$BASE_ARCH" "$BASE_SUITE" "$root" "$mirror" >"$IMAGE_BASE_DIR/debootstrap.log" 2>&1 \
    || { tail -20 "$IMAGE_BASE_DIR/debootstrap.log" >&2; die "debootstrap failed (log: $IMAGE_BASE_DIR/debootstrap.log)"; }

  # This machine's apt sources (binary ones; our own deb-src additions left out) and apt settings.
  mkdir -p "$root/tmp/host-apt/sources.list.d" "$root/tmp/host-apt/apt.conf.d" "$root/tmp/host-apt/auth.conf.d"
  local f
  [ -e /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/tmp/host-apt/"
  touch "$root/tmp/host-apt/sources.list"
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    case $(basename "$f") in hpcb-deb-src.*) continue ;; esac
    cp "$f" "$root/tmp/host-apt/sources.list.d/"
  done
  cp -r /etc/apt/apt.conf.d/. "$root/tmp/host-apt/apt.conf.d/" 2>/dev/null || true
  [ -e /etc/apt/auth.conf ] && cp /etc/apt/auth.conf "$root/tmp/host-apt/"
  cp -r /etc/apt/auth.conf.d/. "$root/tmp/host-apt/auth.conf.d/" 2>/dev/null || true
  # Packages must not start services.
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 0755 "$root/usr/sbin/policy-rc.d"

  mount -t proc proc "$root/proc"
  log "apt-get install ${BASE_PACKAGES[*]} (with the security updates of the machine's sources)"
  local ok=1
  {
    apt_in_root "$root" update &&
    apt_in_root "$root" -y -o Dpkg::Options::=--force-confold dist-upgrade &&
    apt_in_root "$root" install -y --no-install-recommends "${BASE_PACKAGES[@]}"
  } >"$IMAGE_BASE_DIR/apt.log" 2>&1 || ok=0
  [ "$ok" = 1 ] && { chroot "$root" java -version >>"$IMAGE_BASE_DIR/apt.log" 2>&1 || ok=2; }
  unmount_under "$root"
  [ "$ok" = 1 ] || { tail -20 "$IMAGE_BASE_DIR/apt.log" >&2; die "apt-get in the base root failed, or java does not run there (log: $IMAGE_BASE_DIR/apt.log)"; }

  chroot "$root" groupadd --system --gid "$BASE_UID" "$BASE_USER"
  chroot "$root" useradd --system --uid "$BASE_UID" --gid "$BASE_UID" --home-dir /deployments --no-create-home \
    --shell /usr/sbin/nologin "$BASE_USER"

  # What the image must not carry: caches, logs, this machine's apt sources, name and resolver,
  # and documentation (copyright files stay).
  rm -rf "$root/tmp/host-apt" "$root/usr/sbin/policy-rc.d" "$root/etc/apt/sources.list" \
    "$root"/etc/apt/sources.list.d/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* \
    "$root"/var/cache/debconf/*-old "$root"/var/cache/ldconfig/aux-cache "$root"/var/log/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/etc/ssh/ssh_host_* "$root"/root/.bash_history
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  : > "$root/etc/resolv.conf"
  rm -f "$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
  [ -e "$root/etc/machine-id" ] && : > "$root/etc/machine-id"
  rm -rf "${root:?}"/tmp/* "${root:?}"/var/tmp/*
}

# pack_base ROOT OUT_TAR KEY : ROOT as a one-layer docker-archive (what `docker save` writes), which Jib
# reads as a tar:// base image.
pack_base() {
  local root=$1 out=$2 key=$3 stage java_home
  stage=$(dirname "$out")/stage
  mkdir -p "$stage"
  java_home=$(dirname "$(dirname "$(chroot "$root" readlink -f /usr/bin/java)")")
  # Device nodes, /proc and /sys contents belong to the runtime, not to a layer.
  tar -C "$root" --numeric-owner --sort=name --anchored \
    --exclude='dev/*' --exclude='proc/*' --exclude='sys/*' --exclude='run/*' --exclude='tmp/*' \
    -cf "$stage/layer.tar" $(cd "$root" && ls -A)
  python3 - "$stage" "$key" "$BASE_ARCH" "$java_home" "$BASE_SUITE" "${BASE_PACKAGES[*]}" <<'PY'
import gzip, hashlib, json, os, shutil, sys
stage, key, arch, java_home, suite, packages = sys.argv[1:]
layer = os.path.join(stage, "layer.tar")
h = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
diff_id = "sha256:" + h.hexdigest()
with open(layer, "rb") as src, open(layer + ".gz", "wb") as raw:
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0, filename="") as gz:
        shutil.copyfileobj(src, gz, 1 << 20)
os.remove(layer)
config = {
    "architecture": arch,
    "os": "linux",
    "created": "1970-01-01T00:00:00Z",
    "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=" + java_home, "LANG=C.UTF-8"],
        "WorkingDir": "/",
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created": "1970-01-01T00:00:00Z",
                 "created_by": "hack/build-image.sh: debootstrap --variant=minbase %s; apt-get install %s; user 185" % (suite, packages)}],
}
with open(os.path.join(stage, "config.json"), "w") as f:
    json.dump(config, f, indent=1)
with open(os.path.join(stage, "manifest.json"), "w") as f:
    json.dump([{"Config": "config.json", "RepoTags": ["hpc-bridge-base:" + key[:12]], "Layers": ["layer.tar.gz"]}], f)
PY
  tar -C "$stage" -cf "$out" manifest.json config.json layer.tar.gz
  rm -rf "$stage"
}

# base_key : hash of the recipe (the functions and settings above).
base_key() {
  { declare -f debian_mirror apt_in_root build_base pack_base
    echo "$BASE_SUITE $BASE_ARCH ${BASE_PACKAGES[*]} $BASE_UID $BASE_USER"; } | sha256sum | cut -c1-16
}

ensure_base() {
  local key dir tmp
  key=$(base_key)
  dir=$IMAGE_BASE_DIR/$key
  if [ "$REBUILD_BASE" = 0 ] && [ -s "$dir/base.tar" ]; then
    log "base image cached: $dir/base.tar"
    BASE_TAR=$dir/base.tar
    return 0
  fi
  command -v debootstrap >/dev/null || apt_install debootstrap
  mkdir -p "$IMAGE_BASE_DIR"
  tmp=$(mktemp -d "$IMAGE_BASE_DIR/.build-XXXXXX")
  # Never delete a tree with something still mounted in it.
  trap 'unmount_under "'"$tmp"'"; rm -rf --one-file-system "'"$tmp"'"' EXIT
  local t0=$SECONDS
  build_base "$tmp/root"
  pack_base "$tmp/root" "$tmp/out/base.tar" "$key"
  chroot "$tmp/root" dpkg-query -W -f='${Package} ${Version}\n' > "$tmp/out/packages.txt"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  unmount_under "$tmp"; rm -rf --one-file-system "$tmp"; trap - EXIT
  log "base image built in $((SECONDS - t0))s: $dir/base.tar ($(du -h "$dir/base.tar" | cut -f1))"
  BASE_TAR=$dir/base.tar
}

cd "$HACK_DIR/.."
T0=$SECONDS
ensure_build_tools
ensure_base
T1=$SECONDS
log "mvn -Pimage package jib:buildTar (tests skipped), base tar://$BASE_TAR"
mvn_retry -q -Pimage package -DskipTests jib:buildTar "-Djib.from.image=tar://$BASE_TAR" \
  -Djib.disableUpdateChecks=true "${MVN_EXTRA[@]}"
[ -s target/jib-image.tar ] || die "target/jib-image.tar was not written"
log "image built in $((SECONDS - T1))s (base $((T1 - T0))s): target/jib-image.tar ($(du -h target/jib-image.tar | cut -f1))"
if [ "$CHECK" = 1 ]; then
  python3 "$HACK_DIR/check-image.py" target/jib-image.tar
fi
