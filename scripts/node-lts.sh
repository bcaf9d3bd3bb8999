#!/usr/bin/env bash
# Runs a command on the Node.js LTS line the stack's images use (NODE_LTS_MAJOR, the `node:N-`
# tag in docker-compose.yml; a test keeps the two equal): `bash scripts/node-lts.sh npm test`.
# The binary comes from the npm registry's node-<os>-<arch> package, so it needs nothing but
# npm; it is kept under node_modules/.cache and fetched again when that folder is gone.
set -euo pipefail
NODE_LTS_MAJOR=26
cd "$(dirname "$0")/.."

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "node-lts: no node-<os> package for $(uname -s)" >&2; exit 1 ;; esac
case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "node-lts: no node package for $(uname -m)" >&2; exit 1 ;; esac
pkg="node-$os-$arch"
dir="node_modules/.cache/sloforge-node-lts"
bin="$PWD/$dir/node_modules/$pkg/bin"

if ! [[ -x "$bin/node" && "$("$bin/node" --version)" == "v$NODE_LTS_MAJOR."* ]]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$NODE_LTS_MAJOR" >&2
fi
echo "node-lts: running on Node.js $("$bin/node" --version) ($pkg)" >&2
PATH="$bin:$PATH" exec "$@"
