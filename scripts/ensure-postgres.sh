#!/usr/bin/env bash
# The embedded store runs FerretDB on Debian's PostgreSQL server: install the package when its server
# binaries are missing (LTO_PG_BIN may point at another build instead). Used by .ci/run; a developer
# machine needs it once.
set -euo pipefail
if [ -n "${LTO_PG_BIN:-}" ] && [ -x "$LTO_PG_BIN/postgres" ]; then exit 0; fi
if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "PostgreSQL is missing: run apt-get install -y postgresql as root" >&2; exit 1; }
  sudo="sudo"
fi
echo "[postgres] installing Debian's postgresql package"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# The package starts a system cluster on 5432; the runtime runs its own, so leave that one stopped.
$sudo service postgresql stop >/dev/null 2>&1 || true
ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1
