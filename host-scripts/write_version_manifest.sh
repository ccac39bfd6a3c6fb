#!/usr/bin/env bash
#
# write_version_manifest.sh OUT_JSON: writes the image's version manifest to OUT_JSON, as JSON:
# the kernel, the NVIDIA driver, Docker CE and its CLI, containerd, the NVIDIA Container Toolkit,
# ECS init, the base AMI ID the build started from, every installed package with its version, and
# the GRID driver's key and SHA-256 and whether it was pinned or recorded (part 1's record mode).
# The validate phase runs it on the build instance and uploads the file beside the build logs
# (s3://<build-log bucket>/manifests/<image name>/<image version>.json); CI tags every AMI with the
# key versions from it.
#
# Changes nothing on the host but OUT_JSON. Fails (after writing the file) when a key version or the
# GRID driver's record is missing. Needs jq (part 1 installs it).
# Variables: BASE_AMI_ID  the base AMI's ID (default: the instance's ami-id from IMDSv2).
# Usage: ./write_version_manifest.sh /var/tmp/version-manifest.json

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=write_version_manifest.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"
# shellcheck source=lib/manifest.sh
source "$HOST_SCRIPTS_DIR/lib/manifest.sh"

main() {
  if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    print_script_help "${BASH_SOURCE[0]}"
    exit 0
  fi
  [[ $# -eq 1 && -n "$1" ]] || die "usage: $SCRIPT_NAME OUT_JSON (got ${#} arguments: $*)"
  [[ -d "$(dirname "$1")" ]] || die "OUT_JSON '$1': its directory does not exist"
  enable_strict_mode

  stage "version manifest"
  write_version_manifest "$1"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
