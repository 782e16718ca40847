#!/usr/bin/env bash
# Regenerates deploy/argocd/argocd-cm-patch.yaml from the Argo CD health checks in deploy/argocd/health/*.lua:
# one argocd-cm key resource.customizations.health.hpcbridge.io_<Kind> per kind, whose value is exactly the
# file's content. ArgoHealthChecksTest fails the build when the committed patch differs from the .lua files.
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
    [ -f "$file" ] || { echo "missing $file" >&2; exit 1; }
    # A YAML literal block ("|") keeps exactly one final newline and no carriage returns: refuse anything else,
    # so the value in argocd-cm is byte for byte the file.
    if grep -q $'\r' "$file" || [ "$(tail -c 1 "$file" | od -An -c | tr -d ' ')" != '\n' ] \
        || [ -z "$(tail -n 1 "$file")" ]; then
      echo "$file must end with exactly one newline and have no carriage returns" >&2
      exit 1
    fi
    echo "  resource.customizations.health.hpcbridge.io_$kind: |"
    sed 's/^\(.\)/    \1/' "$file"
  done
  # Not a value: "$(cat FILE)" drops a file's final newlines, which would take the last check's own.
  echo "# end of the generated patch"
} > "$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$OUT"
trap - EXIT
echo "wrote $OUT" >&2
