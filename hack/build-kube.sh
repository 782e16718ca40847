#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager 1.20 from Debian's source package,
# with vendored reflect2 replaced by 1.0.2 (v1.0.1 crashes under Go 1.19).
# Binaries are cached in $HPCB_CACHE/kube-1.20; nothing is rebuilt if they are there.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HACK_DIR/lib.sh"
need_root

BINS=(kube-apiserver kube-controller-manager)
have_all() { local b; for b in "${BINS[@]}"; do [ -x "$HPCB_KUBE_DIR/$b" ] || return 1; done; }
if have_all && [ "${1:-}" != "--force" ]; then
  log "kube binaries cached in $HPCB_KUBE_DIR"; exit 0
fi

BUILD_ROOT=$HPCB_CACHE/build
mkdir -p "$BUILD_ROOT" "$HPCB_KUBE_DIR"
BUILD_LOG=$BUILD_ROOT/build-kube.log
log "building kube 1.20 in $BUILD_ROOT (log: $BUILD_LOG)"

apt_install golang-go rsync jq make dpkg-dev golang-github-modern-go-reflect2-dev ca-certificates
ensure_deb_src

cd "$BUILD_ROOT"
SRC_DIR=$(find . -maxdepth 1 -type d -name 'kubernetes-1.20*' | sort | tail -1)
if [ -z "$SRC_DIR" ]; then
  for i in 1 2 3 4 5; do
    if apt-get source -q --download-only kubernetes >>"$BUILD_LOG" 2>&1; then break; fi
    [ $i -eq 5 ] && die "apt-get source kubernetes failed (see $BUILD_LOG)"
    sleep $((i * 3)); apt_update
  done
  DSC=$(ls -1 kubernetes_*.dsc | sort | tail -1)
  dpkg-source --no-check -x "$DSC" >>"$BUILD_LOG" 2>&1
  SRC_DIR=$(find . -maxdepth 1 -type d -name 'kubernetes-1.20*' | sort | tail -1)
  [ -n "$SRC_DIR" ] || die "unpacked kubernetes source not found in $BUILD_ROOT"
fi
cd "$SRC_DIR"
log "source tree: $PWD"

# reflect2 1.0.1 -> 1.0.2 (Debian package), without its go.mod
R2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$R2" ] || die "$R2 missing"
rsync -a --delete --exclude go.mod --exclude go.sum --exclude '.git*' "$R2/" vendor/github.com/modern-go/reflect2/
# keep vendor/modules.txt consistent with the replaced version
sed -i 's#^\(\# github.com/modern-go/reflect2\) v1\.0\.1$#\1 v1.0.2#' vendor/modules.txt || true
sed -i 's#\(github.com/modern-go/reflect2\) v1\.0\.1$#\1 v1.0.2#' go.mod || true

mkdir -p .go/src/k8s.io .gohome
[ -e .go/src/k8s.io/kubernetes ] || ln -s ../../.. .go/src/k8s.io/kubernetes

log "running make (about 10-15 minutes on 2 cores)"
if ! env GOPATH="$PWD/.go" HOME="$PWD/.gohome" GOFLAGS=-mod=vendor CGO_ENABLED=0 \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >>"$BUILD_LOG" 2>&1; then
  tail -40 "$BUILD_LOG" >&2
  die "kube build failed (see $BUILD_LOG)"
fi

for b in "${BINS[@]}"; do
  f=$(find _output -type f -name "$b" -perm -u+x | head -1)
  [ -n "$f" ] || die "built $b not found"
  install -m 0755 "$f" "$HPCB_KUBE_DIR/$b.tmp" && mv -f "$HPCB_KUBE_DIR/$b.tmp" "$HPCB_KUBE_DIR/$b"
done
"$HPCB_KUBE_DIR/kube-apiserver" --version
log "kube binaries installed in $HPCB_KUBE_DIR"
