#!/bin/sh
# Rewrites testdata/<case>/expected.yaml with what `kubectl kustomize` (kustomize v5.5) prints for the case's input
# (input/overlay when present, else input). Cases with expected-error.txt must make kubectl fail.
# Tests never run this: they read the committed expected files.
set -eu
cd "$(dirname "$0")/testdata"
for case in */; do
  case=${case%/}
  build="$case/input"
  [ -d "$build/overlay" ] && build="$build/overlay"
  if [ -f "$case/expected-error.txt" ]; then
    if kubectl kustomize "$build" >/dev/null 2>&1; then echo "$case: kubectl succeeded but an error is expected" >&2; exit 1; fi
  else
    kubectl kustomize "$build" > "$case/expected.yaml"
  fi
done
