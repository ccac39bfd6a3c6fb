#!/usr/bin/env bash
#
# setup_gpu_host.sh: part 1 of 2 of a streaming host, and all a dev instance needs.
# Turns a stock Ubuntu instance (focal, jammy or noble: the release comes from os-release) into a
# GPU container host for the image variant IMAGE_VARIANT: Docker CE (pinned per release) with the
# NVIDIA runtime as default and our seccomp profile, the variant's NVIDIA GRID driver (DKMS, built
# without loading it, so no GPU is needed), its boot settings (nvidia-gridd, the GSP firmware
# setting per instance family, persistence mode), nouveau kept out, the AWS CLI and tools, the
# udev rules for the virtual input devices. Docker is left disabled at boot (the host service
# starts it). Reboot afterwards.
#
# Root rule: runs AS ROOT (EC2 user data and EC2 Image Builder run as root; by hand, use sudo)
# and refuses otherwise. TARGET_USER (default: ubuntu) is the user added to the docker group.
# Refuses an OS but the Ubuntu releases versions.env pins Docker for, on x86_64.
#
# Checks first, changes after: the variant's driver pin, the fetched GRID runfile (when given), then
# Docker's and NVIDIA's apt repositories (signing keys by pinned fingerprint, signed indexes, every
# pinned version present) in a throw-away apt configuration; a check that fails stops the script
# before anything is written.
# Idempotent: a second run changes nothing. Variables (all optional):
#   IMAGE_VARIANT         (required) the image variant: a file name in variants/ without .env
#   NVIDIA_DRIVER_MIRROR_BUCKET, NVIDIA_DRIVER_MIRROR_REGION  (required) the project's driver mirror,
#                         the one place the GRID driver is downloaded from
#   NVIDIA_GRID_DRIVER_RUNFILE  the variant's GRID runfile, fetched by the caller from the mirror (the
#                         image build does): checked first, before any change, and installed without a
#                         download; unset, the driver stage downloads it (checked only then)
#   TARGET_USER           user added to the docker group (default: ubuntu)
#   WAIT_FOR_CLOUD_INIT   1 (default) or 0 (from cloud-init's own user data: no wait)
#   CLOUD_INIT_TIMEOUT, APT_LOCK_TIMEOUT  seconds to wait (defaults 1800, 900)
#   every key of versions.env and of the variant's file, e.g. NVIDIA_GRID_DRIVER_KEY
# A variant whose file says NVIDIA_GRID_DRIVER_SHA256=unqualified installs in record mode: the driver's
# SHA-256 is measured, logged with a WARNING and recorded for the version manifest.
# Usage: sudo IMAGE_VARIANT=ubuntu24-r580 NVIDIA_DRIVER_MIRROR_BUCKET=<bucket> \
#          NVIDIA_DRIVER_MIRROR_REGION=<region> ./setup_gpu_host.sh && sudo reboot

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=setup_gpu_host.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"
# shellcheck source=lib/apt_repos.sh
source "$HOST_SCRIPTS_DIR/lib/apt_repos.sh"
# shellcheck source=lib/docker.sh
source "$HOST_SCRIPTS_DIR/lib/docker.sh"
# shellcheck source=lib/nvidia.sh
source "$HOST_SCRIPTS_DIR/lib/nvidia.sh"
# shellcheck source=lib/grid_driver.sh
source "$HOST_SCRIPTS_DIR/lib/grid_driver.sh"
# shellcheck source=lib/grid_boot.sh
source "$HOST_SCRIPTS_DIR/lib/grid_boot.sh"
# shellcheck source=lib/host.sh
source "$HOST_SCRIPTS_DIR/lib/host.sh"

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  preflight "$HOST_SCRIPTS_DIR" --variant
  check_grid_driver_pin
  check_given_grid_driver

  stage "check Docker's and NVIDIA's apt repositories before any change: keys, signed indexes, pinned versions"
  check_docker_apt_repo
  check_nvidia_container_toolkit_repo

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

  stage "GRID boot settings: nvidia-gridd, GSP firmware per instance family, persistence mode"
  enable_gridd
  configure_gsp_firmware
  enable_persistence_mode

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
  forget_checked_apt_repos

  stage "done: reboot before setup_ami_host.sh or using the GPU"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
