# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR/lib source-path=SCRIPTDIR/../lib
#
# Owns loading the helpers every entry script shares, one file per concern (COMMON_LIBS, in the
# order they need each other). Sourcing it only defines variables and functions: it changes
# nothing on the host. The image's boot bootstrap loads it too (lib/image.sh installs the list).

# Sourced once: a second source (a script and its test both loading it) changes nothing.
if [[ -n "${HOST_SCRIPTS_COMMON_LOADED:-}" ]]; then
  return 0
fi
HOST_SCRIPTS_COMMON_LOADED=1

HOST_SCRIPTS_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034 # read by lib/image.sh and lib/checks.sh
readonly COMMON_LIBS=(log.sh files.sh systemd.sh preflight.sh apt.sh verify.sh aws.sh)

# shellcheck source=log.sh
source "$HOST_SCRIPTS_LIB_DIR/log.sh"
# shellcheck source=files.sh
source "$HOST_SCRIPTS_LIB_DIR/files.sh"
# shellcheck source=systemd.sh
source "$HOST_SCRIPTS_LIB_DIR/systemd.sh"
# shellcheck source=preflight.sh
source "$HOST_SCRIPTS_LIB_DIR/preflight.sh"
# shellcheck source=apt.sh
source "$HOST_SCRIPTS_LIB_DIR/apt.sh"
# shellcheck source=verify.sh
source "$HOST_SCRIPTS_LIB_DIR/verify.sh"
# shellcheck source=aws.sh
source "$HOST_SCRIPTS_LIB_DIR/aws.sh"
