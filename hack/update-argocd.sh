#!/usr/bin/env bash
# Regenerates deploy/argocd/argocd-cm-patch.yaml from the Argo CD health checks in deploy/argocd/health/:
# one argocd-cm key resource.customizations.health.hpcbridge.io_<Kind> per kind, whose value is _common.lua,
# an empty line, then <kind>.lua (Argo CD runs each value on its own: there is no shared module).
# ArgoHealthChecksTest fails the build when the committed patch differs from the .lua files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

HEALTH=deploy/argocd/health
OUT=deploy/argocd/argocd-cm-patch.yaml
# <file name>:<Kind>, in the order of the output.
KINDS=(hpccluster:HpcCluster campaign:Campaign task:Task taskattempt:TaskAttempt processingblock:ProcessingBlock)

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  echo "# Generated from deploy/argocd/health/*.lua by hack/update-argocd.sh; do not edit."
  echo "# Argo CD health checks for the hpcbridge.io kinds: merge into the argocd-cm ConfigMap of your Argo CD"
  echo "# (docs/operations.md, \"Argo CD health checks\")."
  echo "apiVersion: v1"
  echo "kind: ConfigMap"
  echo "metadata:"
  echo "  name: argocd-cm"
  echo "data:"
  for entry in "${KINDS[@]}"; do
    file=$HEALTH/${entry%%:*}.lua
    kind=${entry#*:}
    for f in "$HEALTH/_common.lua" "$file"; do
      [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
      # A YAML literal block ("|") keeps exactly one final newline and no carriage returns: refuse anything
      # else, so the value in argocd-cm is byte for byte the files.
      if grep -q $'\r' "$f" || [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ] \
          || [ -z "$(tail -n 1 "$f")" ]; then
        echo "$f must end with exactly one newline and have no carriage returns" >&2
        exit 1
      fi
    done
    echo "  resource.customizations.health.hpcbridge.io_$kind: |"
    { cat "$HEALTH/_common.lua"; echo; cat "$file"; } | sed 's/^\(.\)/    \1/'
  done
  # Not a value: "$(cat FILE)" drops a file's final newlines, which would take the last check's own.
  echo "# end of the generated patch"
} > "$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$OUT"
trap - EXIT
echo "wrote $OUT" >&2
