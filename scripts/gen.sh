#!/usr/bin/env bash
# Generates packages/contracts/src/gen from proto/ (buf generate + the local ts-proto plugin, see
# buf.gen.yaml). Run through `npm run gen`, which puts Node 24 and node_modules/.bin on PATH.
# The output is committed; `npm run proto:check` fails when it differs from what proto/ generates.
# Generated code is neither formatted nor linted (it is in .prettierignore and eslint's ignores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
buf generate
echo "generated packages/contracts/src/gen from proto/"
