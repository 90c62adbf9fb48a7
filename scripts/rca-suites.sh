#!/usr/bin/env bash
# Writes the simulated case suites bench/rca-suite.json reads (into .cache/rca), skipping any already
# written; `--force` rewrites them. Then: npx rootgraph eval rca --suite bench/rca-suite.json
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
force=0
[[ "${1:-}" == "--force" ]] && force=1
gen30=(--system generated:30 --seeds 3,4 --targets-per-fault 3)
suite() {
  local name=$1
  shift
  local out=.cache/rca/$name
  if [[ $force == 0 && -f $out/truth.json ]]; then
    echo "$out: already written"
    return
  fi
  rm -rf "$out"
  echo "$out: writing"
  npx rootgraph sim export-suite --out "$out" "$@"
}
suite sim-ob
suite sim-gen30 "${gen30[@]}"
suite sim-ob-resource --signals resource
suite sim-gen30-resource "${gen30[@]}" --signals resource
suite sim-ob-otel --signals resource --client-spans
# Subtler faults (half strength) in four times the jitter, each with a harmless change on another service.
suite sim-ob-hard --severity 0.5 --noise 4 --distractors
