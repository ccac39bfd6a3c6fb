#!/usr/bin/env bash
#
# setup_ami_host.sh: part 2 of 2 of a streaming host image, run after part 1
# (setup_gpu_host.sh) and a reboot. Creates the ECS directories, makes the ECS task
# credentials NAT rules persistent, installs the ECS agent (off at boot), installs the boot
# bootstrap (/usr/share/fractal/userdata-bootstrap.sh) and, when given, the host service
# binary; removes cloud-init instance data, ECS data and any secret; and finally fails if any
# source tree, scripts folder or .git remains (except this script's own folder, which the
# caller deletes next and checks with verify_no_source_left.sh).
#
# Root rule: runs AS ROOT (EC2 Image Builder runs as root; by hand, use sudo) and refuses
# otherwise. Refuses an OS but the Ubuntu releases versions.env pins Docker for, on x86_64.
#
# Idempotent: a second run changes nothing. Variables (all optional):
#   HOST_SERVICE_BINARY   local file or s3:// URI of the host service binary; when empty the
#                         binary is not installed (logged)
#   HOST_SERVICE_BINARY_SHA256  the SHA-256 of that binary (required with it)
#   AWS_REGION            region of the ECS agent bucket (default: the instance's region)
#   ECS_INIT_DEB          a local amazon-ecs-init .deb (its .asc beside it) instead of the bucket's;
#                         verified the same way
#   ECS_PGP_KEY_FILE      the key that signs it (default: amazon-ecs-agent.asc in this folder); its
#                         fingerprint must still equal ECS_PGP_KEY_FINGERPRINT
#   WAIT_FOR_CLOUD_INIT   1 (default) or 0;  CLOUD_INIT_TIMEOUT, APT_LOCK_TIMEOUT
#   VERIFY_SCAN_DIRS, VERIFY_MARKER_NAMES  see verify_no_source_left.sh
#   every key of versions.env, e.g. ECS_INIT_VERSION
# Usage: sudo ./setup_ami_host.sh

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=setup_ami_host.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"
# shellcheck source=lib/ecs.sh
source "$HOST_SCRIPTS_DIR/lib/ecs.sh"
# shellcheck source=lib/image.sh
source "$HOST_SCRIPTS_DIR/lib/image.sh"

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  preflight "$HOST_SCRIPTS_DIR"
  check_ecs_init_pin
  check_host_service_binary_pin
  add_snap_paths

  prepare_apt

  stage "ECS directories"
  create_ecs_dirs

  stage "sysctl net.ipv4.conf.all.route_localnet=1"
  enable_route_localnet

  stage "stop Docker before touching iptables"
  stop_docker_now

  stage "NAT rules for the ECS task credentials endpoint"
  add_ecs_credentials_nat_rules

  stage "persist the iptables rules (iptables-persistent)"
  install_iptables_persistent
  save_iptables_rules
  require_saved_ecs_rules

  stage "ECS agent (installed, off at boot)"
  install_ecs_agent
  keep_ecs_agent_off_at_boot

  stage "boot bootstrap and host service"
  ensure_dir "$FRACTAL_SHARE_DIR"
  install_userdata_bootstrap
  install_host_service_binary

  stage "remove secrets, cloud-init instance data and ECS data"
  remove_secrets
  remove_instance_state

  stage "check: Docker and the ECS agent are off at boot"
  require_boot_services_off

  stage "check: no source tree, scripts folder or .git left (except $HOST_SCRIPTS_DIR)"
  check_no_source_left

  stage "done"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
