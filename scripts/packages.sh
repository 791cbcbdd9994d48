# Sourced by the project's scripts: Debian packages they need, installed with apt-get when run as root; a user who
# is not root gets the one command that installs them instead.
#   require_packages <what needs them> <log file> <package>...
require_packages() {
  local what=$1 log=$2
  shift 2
  if [ "$(id -u)" != 0 ]; then
    printf 'ERROR: %s needs the Debian package(s) %s; install them once with:\n  sudo apt-get install -y %s\n' \
      "$what" "$*" "$*" >&2
    exit 1
  fi
  printf '[packages] installing %s (apt-get) for %s\n' "$*" "$what" >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } >"$log" 2>&1 \
    || { tail -20 "$log" >&2; printf 'ERROR: could not install %s; see %s\n' "$*" "$log" >&2; exit 1; }
}
