#!/usr/bin/env bash
#
# wait_for_host.sh: makes a freshly booted host ready for the setup: waits for cloud-init to
# finish (unless run by cloud-init itself), stops and masks apt's background jobs, waits for the
# dpkg/apt locks and finishes an interrupted dpkg run. The first step of every image component
# that uses apt or needs the boot finished; the setup scripts do the same at their start.
#
# Root rule: runs AS ROOT and refuses otherwise. Refuses an OS but the Ubuntu releases versions.env
# pins Docker for, on x86_64.
#
# Idempotent. Variables (all optional):
#   WAIT_FOR_CLOUD_INIT   1 (default) or 0 (from cloud-init's own user data: no wait)
#   CLOUD_INIT_TIMEOUT, APT_LOCK_TIMEOUT  seconds to wait (defaults 1800, 900)
# Usage: sudo ./wait_for_host.sh

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=wait_for_host.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  preflight "$HOST_SCRIPTS_DIR"
  prepare_apt

  stage "done: the host is ready for the setup"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
