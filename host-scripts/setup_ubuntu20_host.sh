#!/usr/bin/env bash
#
# setup_ubuntu20_host.sh: part 1 of 2 of a streaming host, and all a dev instance needs.
# Turns a stock Ubuntu 20.04 g3 instance into a GPU container host: Docker CE with the NVIDIA
# runtime as default and our seccomp profile, the NVIDIA GRID driver (DKMS), nouveau kept out,
# the AWS CLI and tools, the udev rules for the virtual input devices. Docker is left disabled
# at boot (the host service starts it). Reboot afterwards.
#
# Root rule: runs AS ROOT (EC2 user data and EC2 Image Builder run as root; by hand, use sudo)
# and refuses otherwise. TARGET_USER (default: ubuntu) is the user added to the docker group.
# Refuses any OS but Ubuntu 20.04 on x86_64 (ALLOW_UNSUPPORTED_OS=1 also allows Ubuntu 22.04).
#
# Idempotent: a second run changes nothing. Variables (all optional):
#   TARGET_USER           user added to the docker group (default: ubuntu)
#   ALLOW_UNSUPPORTED_OS  1 to allow Ubuntu 22.04
#   WAIT_FOR_CLOUD_INIT   auto (default; skipped when run by cloud-init itself), 1 or 0
#   CLOUD_INIT_TIMEOUT, APT_LOCK_TIMEOUT  seconds to wait (defaults 1800, 900)
#   every key of versions.env (pinned versions), e.g. NVIDIA_GRID_DRIVER_KEY
#   NVIDIA_DRIVER_QUALIFICATION_RUN  1 to install a GRID driver whose SHA-256 is not pinned yet
#                         (versions.env says "unqualified") and print the SHA-256 to pin
# Usage: sudo ./setup_ubuntu20_host.sh && sudo reboot

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=setup_ubuntu20_host.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"
# shellcheck source=lib/docker.sh
source "$HOST_SCRIPTS_DIR/lib/docker.sh"
# shellcheck source=lib/nvidia.sh
source "$HOST_SCRIPTS_DIR/lib/nvidia.sh"
# shellcheck source=lib/host.sh
source "$HOST_SCRIPTS_DIR/lib/host.sh"

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  preflight "$HOST_SCRIPTS_DIR"
  check_grid_driver_pin

  prepare_apt

  stage "base packages"
  install_base_packages

  stage "remove old Docker packages"
  remove_old_docker

  stage "Docker CE from Docker's apt repository"
  add_docker_apt_repo
  install_docker
  add_user_to_docker_group

  stage "AWS CLI"
  install_aws_cli
  add_snap_paths

  stage "NVIDIA driver prerequisites"
  install_driver_build_deps

  stage "keep nouveau away (modprobe blacklist, GRUB)"
  blacklist_nouveau
  configure_grub_nouveau
  unload_nouveau

  stage "NVIDIA GRID driver $(grid_driver_version)"
  install_grid_driver

  stage "NVIDIA Container Toolkit"
  add_nvidia_container_toolkit_repo
  install_nvidia_container_toolkit

  stage "Docker daemon configuration (nvidia default runtime, seccomp profile)"
  configure_docker_daemon
  apply_docker_config

  stage "Docker off at boot (docker.service and docker.socket)"
  disable_docker_at_boot

  stage "tools: rclone, openssl, lsof, jq"
  install_tools

  stage "udev rules for the virtual input devices"
  install_udev_rules

  stage "apt autoremove"
  autoremove_packages

  stage "done: reboot before setup_ubuntu20_ami_host.sh or using the GPU"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
