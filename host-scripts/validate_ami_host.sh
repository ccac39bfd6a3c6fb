#!/usr/bin/env bash
#
# validate_ami_host.sh: the image's validate phase, on the build instance after part 2 (which
# needs no GPU): the variant's NVIDIA driver is built for the kernel, nvidia-gridd and
# nvidia-persistenced start at boot, the GSP setting per family is in place, Docker's default runtime is
# nvidia with our seccomp profile, Docker and the ECS agent are off at boot, route_localnet and
# the ECS credentials NAT rules persist, the udev rules, ECS folders and boot bootstrap are in
# place, no secret and no source is left (but this script's own folder, which the next step
# deletes). The checks are the check_* functions of lib/checks.sh.
#
# Prints one line per check, "PASS <check>" or "FAIL <check>: <reason>"; runs every check and
# exits 1 when any failed, 0 otherwise. Changes nothing.
#
# Root rule: runs AS ROOT and refuses otherwise. Refuses an OS but the Ubuntu releases versions.env
# pins Docker for, on x86_64. IMAGE_VARIANT (required) names the image variant (variants/).
# Variables: VERIFY_SCAN_DIRS, VERIFY_MARKER_NAMES (see verify_no_source_left.sh).
# Usage: sudo ./validate_ami_host.sh

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=validate_ami_host.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"
# shellcheck source=lib/docker.sh
source "$HOST_SCRIPTS_DIR/lib/docker.sh"
# shellcheck source=lib/nvidia.sh
source "$HOST_SCRIPTS_DIR/lib/nvidia.sh"
# shellcheck source=lib/grid_boot.sh
source "$HOST_SCRIPTS_DIR/lib/grid_boot.sh"
# shellcheck source=lib/host.sh
source "$HOST_SCRIPTS_DIR/lib/host.sh"
# shellcheck source=lib/ecs.sh
source "$HOST_SCRIPTS_DIR/lib/ecs.sh"
# shellcheck source=lib/image.sh
source "$HOST_SCRIPTS_DIR/lib/image.sh"
# shellcheck source=lib/checks.sh
source "$HOST_SCRIPTS_DIR/lib/checks.sh"

readonly VALIDATE_CHECKS=(check_nvidia_driver_installed check_grid_boot_settings
  check_docker_daemon_config check_seccomp_profile check_units_off_at_boot check_route_localnet
  check_ecs_nat_rules_saved check_saved_rules_restored_at_boot check_udev_rules check_ecs_dirs
  check_boot_bootstrap_installed check_no_secret_in_image check_no_source_left)

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  preflight "$HOST_SCRIPTS_DIR" --variant

  stage "validate the image: ${#VALIDATE_CHECKS[@]} checks"
  if ! run_checks "${VALIDATE_CHECKS[@]}"; then
    die "the image failed validation (FAIL lines above)"
  fi
  stage "done: every check passed"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
