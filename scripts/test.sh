#!/usr/bin/env bash
# The one test command (README, CI): start the services the integration suites need, typecheck, lint,
# run every vitest suite against the real servers, and close with a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up || exit 1
npx tsc -p tsconfig.json || exit 1
npm run -s lint || exit 1
mkdir -p var
npx vitest run --reporter=default --reporter=json --outputFile.json=var/test-results.json "$@"
status=$?
if [[ -f var/test-results.json ]]; then node scripts/test-summary.js var/test-results.json || status=1; fi
exit $status
