#!/bin/sh
# Rewrites the expected outputs of the own kustomize cases with what `kubectl kustomize` (kustomize v5.5) prints.
# - testdata/<case>: input/overlay when present, else input; cases with expected-error.txt must make kubectl fail.
# - testdata/overrides/<case>: input/app built after replacing its kustomization with edited-kustomization.yaml
#   (the kustomization as Argo CD's `kustomize edit set/add ...` calls leave it).
# Tests never run this: they read the committed expected files.
set -eu
cd "$(dirname "$0")/testdata"
for case in */; do
  case=${case%/}
  [ "$case" = overrides ] && continue
  build="$case/input"
  [ -d "$build/overlay" ] && build="$build/overlay"
  if [ -f "$case/expected-error.txt" ]; then
    if kubectl kustomize "$build" >/dev/null 2>&1; then echo "$case: kubectl succeeded but an error is expected" >&2; exit 1; fi
  else
    kubectl kustomize "$build" > "$case/expected.yaml"
  fi
done
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
for case in overrides/*/; do
  case=${case%/}
  rm -rf "$copy/input"
  cp -r "$case/input" "$copy/input"
  cp "$case/edited-kustomization.yaml" "$copy/input/app/kustomization.yaml"
  kubectl kustomize "$copy/input/app" > "$case/expected.yaml"
done
