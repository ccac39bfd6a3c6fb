# shellcheck shell=bash
#
# Owns how an entry script starts and reports: its --help, strict mode, the ERR trap naming the
# stage that failed, log lines and die. Defines functions and variables only.

SCRIPT_NAME="${SCRIPT_NAME:-host-scripts}"
CURRENT_STAGE="${CURRENT_STAGE:-start}"

# print_script_help <file>: the comment block at the top of a script, without the "# ".
print_script_help() {
  sed -n '3,/^[^#]/{/^#/p}' "$1" | sed 's/^# \{0,1\}//'
}

log() {
  TZ=UTC printf '%(%Y-%m-%dT%H:%M:%SZ)T %s: %s\n' -1 "$SCRIPT_NAME" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# stage <description>: one log line per stage; the ERR trap names the stage that failed.
stage() {
  CURRENT_STAGE="$1"
  log "==> $1"
}

on_error() {
  local rc=$1 cmd=$2 line=$3
  log "ERROR: stage '$CURRENT_STAGE' failed: command '$cmd' exited with status $rc (line $line)"
}

# enable_strict_mode: called first by every entry script's main.
enable_strict_mode() {
  set -Eeuo pipefail
  trap 'on_error "$?" "$BASH_COMMAND" "$LINENO"' ERR
  export DEBIAN_FRONTEND=noninteractive
  umask 022
}

# begin_entry_script SCRIPT [ARGS...]: how an entry script that takes no arguments starts: --help prints
# SCRIPT's header and exits, any other argument is refused, then strict mode.
begin_entry_script() {
  local script=$1
  shift
  if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    print_script_help "$script"
    exit 0
  fi
  [[ $# -eq 0 ]] || die "unexpected arguments: $* (see --help)"
  enable_strict_mode
}

RETRY_BASE_DELAY="${RETRY_BASE_DELAY:-5}"

# retry <attempts> <command...>: runs an external command until it succeeds, doubling the
# delay between attempts (RETRY_BASE_DELAY seconds first). Only for simple commands: a shell
# function called here runs without errexit.
retry() {
  local attempts=$1 n=1 delay=$RETRY_BASE_DELAY
  shift
  until "$@"; do
    if ((n >= attempts)); then
      log "giving up after $n attempts: $*"
      return 1
    fi
    log "attempt $n of $attempts failed, retrying in ${delay}s: $*"
    sleep "$delay"
    n=$((n + 1))
    delay=$((delay * 2))
  done
}
