#!/usr/bin/env bash
# Debian's headless Chromium and its ChromeDriver for the console's browser tests (gateway module):
# installed with apt-get when absent, as stack.sh does for PostgreSQL. Idempotent.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/packages.sh"
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
log=$(mktemp)
require_packages "the console's browser tests" "$log" chromium chromium-driver
rm -f "$log"
printf '[browser] %s, %s\n' "$(/usr/bin/chromium --version 2>/dev/null)" "$(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
