#!/usr/bin/env bash
#
# remove_host_scripts.sh: the last step of every image component that fetched this folder.
# Deletes the folder it is in (and the folder around it when that is left empty), then runs a
# copy of verify_no_source_left.sh, taken before the deletion, with no exception: it fails if
# any source tree, scripts folder or .git is left. So a component leaves nothing of ours behind,
# and the image is taken without it.
#
# Root rule: runs AS ROOT and refuses otherwise. Refuses to delete a folder of a git checkout.
# Variables: VERIFY_SCAN_DIRS, VERIFY_MARKER_NAMES (see verify_no_source_left.sh).
# Usage: sudo ./remove_host_scripts.sh

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=remove_host_scripts.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"

main() {
  local check status=0
  begin_entry_script "${BASH_SOURCE[0]}" "$@"
  require_root
  if git -C "$HOST_SCRIPTS_DIR" rev-parse --git-dir >/dev/null 2>&1; then
    die "$HOST_SCRIPTS_DIR is in a git checkout: refusing to delete it"
  fi

  stage "remove $HOST_SCRIPTS_DIR"
  check=$(mktemp)
  cp "$HOST_SCRIPTS_DIR/verify_no_source_left.sh" "$check"
  cd /
  rm -rf "$HOST_SCRIPTS_DIR"
  rmdir "${HOST_SCRIPTS_DIR%/*}" 2>/dev/null || true

  stage "check: no source tree, scripts folder or .git left"
  ROOT="$ROOT" bash "$check" || status=$?
  rm -f "$check"
  return "$status"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
