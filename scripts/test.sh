#!/usr/bin/env bash
# The test command (`npm test`): installs promtool/amtool when missing, type-checks, then runs
# every test file under test/ with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
npx tsc -p tsconfig.json
npx depcruise src --config .dependency-cruiser.cjs
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
