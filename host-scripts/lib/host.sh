# shellcheck shell=bash
#
# Owns part 1's odds and ends: the AWS CLI, the tools the host service uses, the udev rules.
# Needs lib/common.sh and HOST_SCRIPTS_DIR.

readonly UDEV_RULES=/etc/udev/rules.d/90-fractal-input.rules

# install_base_packages: what the other stages need to fetch and check things.
install_base_packages() {
  install_packages ca-certificates curl gnupg jq
}

# install_tools: rclone and openssl (cloud storage), lsof, jq.
install_tools() {
  install_packages rclone openssl lsof jq
}

# install_aws_cli: AWS CLI v2 as the snap AWS publishes, from the pinned track; snapd checks the
# Snap Store's signature (never --dangerous).
install_aws_cli() {
  if snap list aws-cli >/dev/null 2>&1; then
    log "AWS CLI (snap aws-cli) is already installed"
    return 0
  fi
  snap wait system seed.loaded
  retry 3 snap install aws-cli --classic "--channel=$AWS_CLI_SNAP_CHANNEL"
  log "installed the AWS CLI ($AWS_CLI_SNAP_CHANNEL)"
}

install_udev_rules() {
  install_file "$HOST_SCRIPTS_DIR/udev/90-fractal-input.rules" "$UDEV_RULES" 644
  if file_changed; then
    udevadm control --reload-rules
  fi
}
