#!/usr/bin/env bash
# Writes the five Nezha-shaped simulator suites RCA changes are decided on beside the fit halves (BENCHMARKS.md,
# sessions 25 and 29): CPU hogs, network delays, code errors and wrong returns on seeds no committed suite uses.
# Usage: bash scripts/rca-nezha-shaped-suites.sh [OUT] (default .cache/rca-nezha); then, per suite:
#   npx rootgraph eval rca --cases OUT/<suite> --truth OUT/<suite>/truth.json --method fused
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-.cache/rca-nezha}
faults=cpu-hog,network-delay,error-return,wrong-return
suite() {
  local name=$1
  shift
  if [[ -f $out/$name/truth.json ]]; then
    echo "$out/$name: already written"
    return
  fi
  rm -rf "${out:?}/$name"
  echo "$out/$name: writing"
  npx rootgraph sim export-suite --out "$out/$name" --noise 2 --client-spans "$@" > /dev/null
}
quiet=(--signals resource --severity 0.7)
suite ob --faults $faults "${quiet[@]}" --seeds 21,22,23 --targets-per-fault 5
suite gen --faults $faults --system generated:40 "${quiet[@]}" --seeds 24,25 --targets-per-fault 4
suite obfull --faults $faults --seeds 31,32,33 --targets-per-fault 5
suite gen45 --faults $faults --system generated:45 --seeds 34,35,36 --targets-per-fault 5
suite pl --faults packet-loss,network-delay,wrong-return "${quiet[@]}" --seeds 41,42,43,44 --targets-per-fault 5
