#!/usr/bin/env bash
# The test command. `npm test` (no argument): installs promtool/amtool when missing,
# type-checks, checks import rules, then runs every test file under test/. `npm run test:unit`
# (argument `unit`): the same without the tests that need external binaries (files named
# *.tool.test.ts: promtool, amtool, Alertmanager, Prometheus, docker-compose, namespaces), in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=${1:-all}
case "$scope" in
  all) bash scripts/ensure-tools.sh ;;
  unit) ;;
  *) echo "usage: scripts/test.sh [unit]" >&2; exit 2 ;;
esac
npx tsc -p tsconfig.json
npx depcruise src --config .dependency-cruiser.cjs
if [[ $scope == unit ]]; then
  mapfile -t files < <(find test -name '*.test.ts' ! -name '*.tool.test.ts' | sort)
else
  mapfile -t files < <(find test -name '*.test.ts' | sort)
fi
exec node --conditions=sloforge-source --import tsx --test --test-concurrency=2 "${files[@]}"
