#!/usr/bin/env bash
# The test command. Test files come in three kinds, by name:
#   *.test.ts         unit tests: no external binaries, no long-running processes;
#   *.system.test.ts  real processes and real faults, no external binaries (the receiver under
#                     SIGKILL, a full tmpfs, a 556 MB event log, the CLI in other package types);
#   *.tool.test.ts    need promtool, amtool, Alertmanager, Prometheus, docker-compose or npm pack.
# `npm test` (no argument) installs the tools when missing and runs all three kinds;
# `npm run test:unit` (argument `unit`) runs the first kind only, for the edit-test loop.
# Both check formatting (Prettier), type-check and check import rules, beside the tests rather than before them: the tests
# spend much of their time waiting on child processes, so the checks cost no wall time there.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=${1:-all}
case "$scope" in
  all) bash scripts/ensure-tools.sh ;;
  unit) ;;
  *) echo "usage: scripts/test.sh [unit]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Unit test files share two processes (one per core), each importing half of them: started one
# process per file, Node and the sources load ~60 times, and loading costs more than the tests.
mapfile -t units < <(find test -name '*.test.ts' ! -name '*.tool.test.ts' ! -name '*.system.test.ts' | sort)
files=()
for shard in 0 1; do
  entry="$work/unit-$((shard + 1)).test.mts"
  for i in "${!units[@]}"; do
    (( i % 2 == shard )) && printf "import '%s/%s';\n" "$PWD" "${units[$i]}"
  done >"$entry"
  files+=("$entry")
done
if [[ $scope == all ]]; then
  # The longest files start first, so the run does not end with one of them alone.
  long=(test/stack/native-stack.tool.test.ts test/package/pack.tool.test.ts test/receiver/durability.system.test.ts
        test/promtool/generated-rules.tool.test.ts test/promtool/threshold-promtool.tool.test.ts)
  mapfile -t others < <(find test \( -name '*.system.test.ts' -o -name '*.tool.test.ts' \) | sort | grep -vxF -f <(printf '%s\n' "${long[@]}"))
  files=("${long[@]}" "${files[@]}" "${others[@]}")
fi

checks="$work/checks.log"
( npx prettier --check . && npx tsc -p tsconfig.json && npx depcruise src --config .dependency-cruiser.cjs ) >"$checks" 2>&1 &
checks_pid=$!

# Three at a time on two cores: the slowest files mostly wait (on Prometheus scrapes, lock
# timeouts, npm), and a third slot keeps both cores busy meanwhile. bench/README.md has the figures.
status=0
node --conditions=sloforge-source --import tsx --test --test-concurrency="${SLOFORGE_TEST_CONCURRENCY:-3}" "${files[@]}" || status=$?

checks_status=0
wait "$checks_pid" || checks_status=$?
cat "$checks"
if (( checks_status != 0 )); then
  echo "type check or import rules failed (exit $checks_status)" >&2
  (( status == 0 )) && status=$checks_status
fi
exit "$status"
