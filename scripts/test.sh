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
# The Go tools the tests start (promtool, amtool, Prometheus, Alertmanager, vmalert) run several at
# once on few cores: each Go runtime would size its garbage collector to every core, and they
# would contend for them (bench/README.md: 15 to 25% of promtool's CPU). One core each, unless set.
export GOMAXPROCS=${GOMAXPROCS:-1}
scope=${1:-all}
# The whole suite runs on the Node.js LTS the package targets and the stack's images run
# (scripts/node-lts.sh fetches it from the npm registry once): 30% less CPU than this machine's
# Node.js 20, which is below package.json's `engines`; `npm run test:unit` runs on the Node.js
# on PATH, and CI runs it there too. SLOFORGE_TEST_NODE=path keeps the whole suite on PATH's Node.js.
if [[ $scope == all && -z ${SLOFORGE_TEST_NODE:-} ]]; then
  lts=$(sed -n 's/^NODE_LTS_MAJOR=//p' scripts/node-lts.sh)
  if [[ $(node -p 'process.versions.node.split(".")[0]') != "$lts" ]]; then
    SLOFORGE_TEST_NODE=lts exec bash scripts/node-lts.sh bash scripts/test.sh "$@"
  fi
fi
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
# Two entry files "$work/<name>-1.test.mts" and "-2", each importing every other file given; prints their paths.
two_shards() {
  local name=$1 shard i
  shift
  local list=("$@")
  for shard in 0 1; do
    for i in "${!list[@]}"; do
      (( i % 2 == shard )) && printf "import '%s/%s';\n" "$PWD" "${list[$i]}"
    done >"$work/$name-$((shard + 1)).test.mts"
    echo "$work/$name-$((shard + 1)).test.mts"
  done
}
# One entry file "$work/<name>.test.mts" running every file given in a suite of its own, whose
# tests run one after another as in a process of their own, with <at once> files at a time; prints its path.
concurrent_pool() {
  local name=$1 at_once=$2 f
  shift 2
  {
    echo "import { describe } from 'node:test';"
    echo "describe('$name', { concurrency: $at_once }, () => {"
    for f in "$@"; do
      printf "  describe('%s', { concurrency: 1 }, () => import('%s/%s'));\n" "$f" "$PWD" "$f"
    done
    echo "});"
  } >"$work/$name.test.mts"
  echo "$work/$name.test.mts"
}
mapfile -t files < <(two_shards unit "${units[@]}")
if [[ $scope == all ]]; then
  # Files that keep a core busy from start to end (promtool, amtool, the CLI in child processes),
  # with no timer to wait on, share two processes as the unit tests do: each process of its own
  # would load Node, tsx and the sources again (2 to 3 CPU s on Node 20), and running them one
  # after another in a process loses no wall time when they have the cores to themselves anyway.
  # The largest four are pooled apart (below), so that they can start first.
  largest=(test/promtool/generated-rules.tool.test.ts test/golden/trees.tool.test.ts test/promtool/objective-sweep.tool.test.ts
         test/promtool/threshold-promtool.tool.test.ts)
  mapfile -t pooled < <(find test/promtool test/import test/kubernetes test/config test/grafana test/alertmanager \
    \( -name '*.system.test.ts' -o -name '*.tool.test.ts' \) ! -name 'live.tool.test.ts' ! -name 'one-notification.tool.test.ts' \
    | sort | grep -vxF -f <(printf '%s\n' "${largest[@]}"))
  mapfile -t shards < <(two_shards tools "${pooled[@]}")
  # The rest mostly wait on their child processes and timers (receivers, Prometheus, Alertmanager,
  # PostgreSQL): one process runs them, four files at a time, each file's tests one after another.
  # 21 processes of their own loaded Node, tsx and the sources 21 times (about 2.8 CPU s each for
  # the receiver's tests), for tests that spend a few CPU seconds each. Four keep a process of
  # their own, as their receivers or clients run inside the test process and need its event loop:
  # the durability test replays a 556 MB log there, which would hold up the others' timers; in the
  # shared process the connections test's eviction check failed (256 keep-alive clients, none
  # evicted), the fuzz test's properties, each stopped after 60 s, ran too few requests, and the
  # in-process receivers of engine-postgres failed twice in CI while another file held the event
  # loop (a PostgreSQL connect past its 5 s timeout, a kept-alive connection closed under a poll).
  own=(test/receiver/durability.system.test.ts test/receiver/connections.system.test.ts test/receiver/fuzz.system.test.ts
       test/receiver/engine-postgres.system.test.ts)
  big=(test/package/pack.tool.test.ts "${own[@]}" "${largest[@]}")
  mapfile -t waiting < <(find test \( -name '*.system.test.ts' -o -name '*.tool.test.ts' \) | sort |
    grep -vxF -f <(printf '%s\n' "${big[@]}" "${pooled[@]}"))
  waits=$(concurrent_pool waits 4 "${waiting[@]}")
  # The four largest run promtool (two at a time each) nearly all the time they take: one process
  # for the four, each in its own suite, all four at once, rather than four loads of the sources.
  heavy=$(concurrent_pool promtool 4 "${largest[@]}")
  # node --test starts its files in the sorted order of their paths, whatever the order here: the
  # entries in "$work" (promtool, tools-*, unit-*, waits) before test/package and the own files.
  # Both cores are busy from the first second to the last either way (bench/README.md, seventh
  # session), so the order does not change the wall time.
  files=("$waits" test/package/pack.tool.test.ts "$heavy" "${shards[@]}" "${own[@]}" "${files[@]}")
fi

checks="$work/checks.log"
# Prettier and tsc keep what they found between runs (node_modules/.cache): a second run checks
# only what changed since (by content for Prettier, by tsc's own file versions), 20 s less CPU.
# A cold Prettier (CI's) parses with oxc (.prettierrc.json): 10 to 11 CPU s against 15 to 16.
# The three run from node_modules/.bin, where `npm ci` put them: npx would look them up first,
# 0.6 to 0.9 CPU s each.
cache=node_modules/.cache/sloforge
mkdir -p "$cache"
bin=node_modules/.bin
( "$bin/prettier" --check --cache --cache-strategy content . &&
  "$bin/tsc" -p tsconfig.json --incremental --tsBuildInfoFile "$cache/tsconfig.tsbuildinfo" &&
  "$bin/depcruise" src --config .dependency-cruiser.cjs ) >"$checks" 2>&1 &
checks_pid=$!

# Three at a time on two cores: the slowest files mostly wait (on Prometheus scrapes, lock
# timeouts, npm), and a third slot keeps both cores busy meanwhile. bench/README.md has the figures.
# --test-force-exit: a failed test that leaves a server open must not keep its process (and the
# 21 files pooled in it) from ending; the failure is reported either way.
status=0
node --conditions=sloforge-source --import tsx --test --test-force-exit --test-concurrency="${SLOFORGE_TEST_CONCURRENCY:-3}" "${files[@]}" || status=$?

checks_status=0
wait "$checks_pid" || checks_status=$?
cat "$checks"
if (( checks_status != 0 )); then
  echo "type check or import rules failed (exit $checks_status)" >&2
  (( status == 0 )) && status=$checks_status
fi
exit "$status"
