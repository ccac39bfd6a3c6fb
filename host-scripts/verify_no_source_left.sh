#!/usr/bin/env bash
#
# verify_no_source_left.sh: fails if a source tree, a scripts folder or any .git remains on
# the host, so that no project code ends up in an image.
#
# Standalone on purpose (needs only bash and find): an image build copies it out of the
# host-scripts folder, deletes that folder, then runs the copy, e.g.
#   cp host-scripts/verify_no_source_left.sh /tmp/verify-clean.sh
#   rm -rf host-scripts
#   bash /tmp/verify-clean.sh && rm -f /tmp/verify-clean.sh
# setup_ami_host.sh also runs it at its end, excluding its own folder.
#
# Runs as any user; run it as root so it can read every home directory.
#
# Usage: verify_no_source_left.sh [--exclude DIR]... [DIR...]
#   DIR...          directories to search (default: VERIFY_SCAN_DIRS)
#   --exclude DIR   skip DIR and everything under it (repeatable)
# Variables:
#   VERIFY_SCAN_DIRS     space-separated directories to search
#                        (default: /home /root /opt /srv /tmp /var/tmp /usr/local/src)
#   VERIFY_MARKER_NAMES  space-separated file or directory names that reveal our code
#                        (default: .git host-scripts ecs-host-setup fractal
#                        setup_gpu_host.sh setup_ami_host.sh setup_ubuntu20_host.sh
#                        setup_ubuntu20_ami_host.sh install_go.sh
#                        userdata-bootstrap.sh versions.env)
#   ROOT                 prefix for every path (tests); empty on a host
# Exit status: 0 clean, 1 something found (each path printed), 2 usage error.
set -Eeuo pipefail

ROOT="${ROOT:-}"
DEFAULT_SCAN_DIRS="/home /root /opt /srv /tmp /var/tmp /usr/local/src"
DEFAULT_MARKER_NAMES=".git host-scripts ecs-host-setup fractal setup_gpu_host.sh setup_ami_host.sh setup_ubuntu20_host.sh setup_ubuntu20_ami_host.sh install_go.sh userdata-bootstrap.sh versions.env"

usage() {
  sed -n '/^# Usage:/,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

# find_leftovers <dir> <exclude...>: prints matching paths under ROOT<dir>, one per line.
find_leftovers() {
  local dir=$1 name
  shift
  local -a names prune=() match=()
  read -r -a names <<<"${VERIFY_MARKER_NAMES:-$DEFAULT_MARKER_NAMES}"
  local ex
  for ex in "$@"; do
    prune+=(-path "$ROOT${ex%/}" -o)
  done
  for name in "${names[@]}"; do
    match+=(-name "$name" -o)
  done
  unset 'match[${#match[@]}-1]'
  [[ -d "$ROOT$dir" ]] || return 0
  if ((${#prune[@]} > 0)); then
    unset 'prune[${#prune[@]}-1]'
    find "$ROOT$dir" -xdev \( "${prune[@]}" \) -prune -o \( "${match[@]}" \) -print -prune
  else
    find "$ROOT$dir" -xdev \( "${match[@]}" \) -print -prune
  fi
}

main() {
  local -a excludes=() dirs=() found=()
  local dir path
  while (($# > 0)); do
    case "$1" in
      --exclude)
        [[ $# -ge 2 ]] || {
          usage
          exit 2
        }
        excludes+=("$2")
        shift 2
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      -*)
        usage
        exit 2
        ;;
      *)
        dirs+=("$1")
        shift
        ;;
    esac
  done
  if ((${#dirs[@]} == 0)); then
    read -r -a dirs <<<"${VERIFY_SCAN_DIRS:-$DEFAULT_SCAN_DIRS}"
  fi
  LIST_FILE=$(mktemp)
  trap 'rm -f "$LIST_FILE"' EXIT
  for dir in "${dirs[@]}"; do
    find_leftovers "$dir" "${excludes[@]}" >"$LIST_FILE"
    while IFS= read -r path; do
      found+=("${path#"$ROOT"}")
    done <"$LIST_FILE"
  done
  if ((${#found[@]} > 0)); then
    echo "verify_no_source_left: project code or .git found (remove it before the image is taken):" >&2
    printf '  %s\n' "${found[@]}" >&2
    exit 1
  fi
  echo "verify_no_source_left: clean (searched: ${dirs[*]}${excludes[*]:+; excluded: ${excludes[*]}})" >&2
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
