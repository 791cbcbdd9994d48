#!/usr/bin/env bash
# Debian's headless Chromium and its ChromeDriver for the console's browser tests (gateway module):
# installed with apt-get when absent, as stack.sh does for PostgreSQL. Idempotent.
set -euo pipefail
say() { printf '[browser] %s\n' "$*"; }
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
say "installing chromium and chromium-driver (apt-get)"
log=$(mktemp)
{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; } >"$log" 2>&1 \
  || { tail -20 "$log" >&2; say "ERROR: could not install chromium + chromium-driver; see $log" >&2; exit 1; }
rm -f "$log"
say "$(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
