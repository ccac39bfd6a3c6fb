#!/usr/bin/env bash
#
# test_ami_host.sh: the image's test phase, on a fresh GPU instance (one of the variant's
# families) launched from the image: the variant's NVIDIA driver is loaded and sees the GPU,
# nouveau is not, nvidia-gridd runs and holds a license, the GSP firmware setting is the family's,
# persistence mode is on, Docker and the ECS agent are not running after
# boot, Docker starts on demand with the nvidia default runtime, a container of GPU_TEST_IMAGE
# sees the GPU, and Docker is stopped again so the instance is left as the image ships. The
# checks are the check_* functions of lib/checks.sh.
#
# Prints one line per check, "PASS <check>" or "FAIL <check>: <reason>"; runs every check and
# exits 1 when any failed, 0 otherwise.
#
# Root rule: runs AS ROOT and refuses otherwise. Refuses an OS but the Ubuntu releases versions.env
# pins Docker for, on x86_64. IMAGE_VARIANT (required) names the image variant (variants/).
# Variables:
#   GPU_TEST_IMAGE        (required) the container image that runs nvidia-smi; its CUDA must not
#                         be newer than the pinned GRID driver supports
#   DOCKER_START_TIMEOUT  seconds Docker may take to answer after its start (default 120)
# Usage: sudo GPU_TEST_IMAGE=IMAGE ./test_ami_host.sh

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=test_ami_host.sh
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
# shellcheck source=lib/checks_gpu.sh
source "$HOST_SCRIPTS_DIR/lib/checks_gpu.sh"

readonly TEST_CHECKS=(check_nvidia_driver_loaded check_gpu_listed check_nouveau_not_loaded
  check_gridd_licensed check_gsp_firmware check_persistence_mode check_units_not_running
  check_docker_starts_on_demand check_gpu_container check_docker_stops_again)
# A registry image reference: [host[:port]/]path[:tag][@sha256:digest].
readonly IMAGE_REFERENCE='^[a-z0-9]+([._:-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$'

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  GPU_TEST_IMAGE="${GPU_TEST_IMAGE:-}"
  if [[ ! "$GPU_TEST_IMAGE" =~ $IMAGE_REFERENCE ]]; then
    die "GPU_TEST_IMAGE='$GPU_TEST_IMAGE' is not a container image reference (e.g. repository/name:tag)"
  fi
  preflight "$HOST_SCRIPTS_DIR" --variant

  stage "test the image: ${#TEST_CHECKS[@]} checks"
  if ! run_checks "${TEST_CHECKS[@]}"; then
    die "the image failed its tests (FAIL lines above)"
  fi
  stage "done: every check passed"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
