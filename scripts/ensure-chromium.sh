#!/usr/bin/env bash
# The portal's browser tests drive Debian's Chromium through playwright-core (no browser download at
# npm install): install the package when /usr/bin/chromium is missing (LTO_CHROMIUM may point at another
# build instead). Used by .ci/run; a developer machine needs it once.
set -euo pipefail
if [ -n "${LTO_CHROMIUM:-}" ] && [ -x "$LTO_CHROMIUM" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version 2>/dev/null || true
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Chromium is missing: run apt-get install -y chromium as root" >&2; exit 1; }
  sudo="sudo"
fi
echo "[chromium] installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version 2>/dev/null || true
