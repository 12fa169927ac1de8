#!/usr/bin/env bash
# The operations checks, run by .ci/run and by scripts/test/opscheck.int.test.ts:
#   compose     docker-compose.yml through compose-go (the loader of `docker compose`, with the
#               compose-spec schema) and the platform's rules (tools/opscheck/cmd/compose)
#   dockerfile  infra/docker/service.Dockerfile through BuildKit's parser and lint rules, and the image
#               rules (tools/opscheck/cmd/dockerfile)
# The tools are Go programs of the module tools/opscheck, fetched from the Go module proxy (checked
# against go.sum) and built once into ~/.cache/lto/opscheck/<hash of the module's files>, like the
# FerretDB build of the local runtime: later runs build nothing. (BuildKit needs Go 1.26.8: an older go
# fetches that toolchain from the proxy by itself, GOTOOLCHAIN=auto.)
#   bash scripts/opscheck.sh [-root DIR]                     every check, on this repository (or DIR)
#   bash scripts/opscheck.sh [-root DIR] CHECK [FLAGS...]    one check (compose or dockerfile) with its flags
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$repo/tools/opscheck"
root="$repo"
if [ "${1:-}" = "-root" ]; then
  root="$(cd "$2" && pwd)"
  shift 2
fi
checks=(compose dockerfile)
flags=()
if [ $# -gt 0 ]; then
  checks=("$1")
  flags=("${@:2}")
fi

command -v go >/dev/null || { echo "opscheck: Go is required (https://go.dev/dl/ or apt-get install golang)" >&2; exit 1; }
hash="$(cd "$module" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 | sort -z |
  xargs -0 sha256sum | sha256sum | cut -c1-16)"
bin="${LTO_CACHE:-$HOME/.cache/lto}/opscheck/$hash"
for check in "${checks[@]}"; do
  if [ ! -x "$bin/$check" ]; then
    [ -d "$module/cmd/$check" ] || { echo "opscheck: no check named $check (tools/opscheck/cmd/)" >&2; exit 1; }
    echo "[opscheck] building the checks into $bin (first run: downloads compose-go and BuildKit)" >&2
    mkdir -p "$bin.tmp-$$"
    (cd "$module" && go build -trimpath -o "$bin.tmp-$$/" ./cmd/...)
    rm -rf "$bin" && mv "$bin.tmp-$$" "$bin"
    break
  fi
done
status=0
for check in "${checks[@]}"; do
  "$bin/$check" -root "$root" "${flags[@]}" || status=1
done
exit "$status"
