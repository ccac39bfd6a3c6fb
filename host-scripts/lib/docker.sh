# shellcheck shell=bash
#
# Owns Docker CE from Docker's apt repository, its daemon configuration (NVIDIA default runtime,
# seccomp profile) and keeping it off at boot. Needs lib/common.sh and HOST_SCRIPTS_DIR.

readonly DOCKER_KEYRING=/etc/apt/keyrings/docker.asc
readonly DOCKER_SOURCES=/etc/apt/sources.list.d/docker.list
readonly DOCKER_DAEMON_JSON=/etc/docker/daemon.json
readonly DOCKER_SECCOMP_PROFILE=/etc/docker/seccomp-filter.json

# Set by configure_docker_daemon when daemon.json or the seccomp profile changed.
DOCKER_CONFIG_CHANGED=0

remove_old_docker() {
  remove_packages docker docker-engine docker.io containerd runc
}

add_docker_apt_repo() {
  local tmp arch codename
  tmp=$(mktemp -d)
  if [[ ! -s "$ROOT$DOCKER_KEYRING" ]]; then
    download_url https://download.docker.com/linux/ubuntu/gpg "$tmp/docker.asc"
    verify_key_fingerprint "$tmp/docker.asc" "$DOCKER_APT_KEY_FINGERPRINT"
    install_file "$tmp/docker.asc" "$DOCKER_KEYRING" 644
  else
    verify_key_fingerprint "$ROOT$DOCKER_KEYRING" "$DOCKER_APT_KEY_FINGERPRINT"
  fi
  arch=$(dpkg --print-architecture)
  codename=$(ubuntu_codename)
  install_content "$DOCKER_SOURCES" 644 <<EOF
deb [arch=$arch signed-by=$DOCKER_KEYRING] https://download.docker.com/linux/ubuntu $codename stable
EOF
  if file_changed; then
    invalidate_apt_lists
  fi
  rm -rf "$tmp"
}

# install_docker: the pinned releases; apt checks them against the repository's signed index,
# whose key add_docker_apt_repo checked by its pinned fingerprint.
install_docker() {
  [[ -n "${DOCKER_CE_VERSION:-}" && -n "${CONTAINERD_IO_VERSION:-}" ]] ||
    die "DOCKER_CE_VERSION and CONTAINERD_IO_VERSION must be pinned for Ubuntu $(ubuntu_codename) (versions.env: DOCKER_CE_VERSION_<CODENAME>, CONTAINERD_IO_VERSION_<CODENAME>)"
  install_packages "docker-ce=$DOCKER_CE_VERSION" "docker-ce-cli=$DOCKER_CE_VERSION" \
    "containerd.io=$CONTAINERD_IO_VERSION"
}

# add_user_to_docker_group: TARGET_USER (default ubuntu) joins the docker group.
add_user_to_docker_group() {
  local user=${TARGET_USER:-ubuntu} groups
  id "$user" >/dev/null 2>&1 || die "TARGET_USER '$user' does not exist"
  groups=$(id -nG "$user")
  if [[ " $groups " == *" docker "* ]]; then
    log "$user is already in the docker group"
    return 0
  fi
  usermod -aG docker "$user"
  log "added $user to the docker group"
}

# docker_daemon_json_ok <file>: true when it has the NVIDIA default runtime and our profile.
docker_daemon_json_ok() {
  jq -e --arg p "$DOCKER_SECCOMP_PROFILE" '
    .["default-runtime"] == "nvidia"
    and (.runtimes.nvidia.path // "" | length > 0)
    and .["seccomp-profile"] == $p' "$1" >/dev/null 2>&1
}

# configure_docker_daemon: installs the seccomp profile and makes daemon.json name it and the
# NVIDIA runtime as default (nvidia-ctk writes the runtime, keeping other keys).
configure_docker_daemon() {
  local current=$ROOT$DOCKER_DAEMON_JSON tmp
  DOCKER_CONFIG_CHANGED=0
  install_file "$HOST_SCRIPTS_DIR/docker-daemon-config/seccomp-filter.json" "$DOCKER_SECCOMP_PROFILE" 644
  if file_changed; then
    DOCKER_CONFIG_CHANGED=1
  fi
  if [[ -f "$current" ]] && docker_daemon_json_ok "$current"; then
    log "up to date: $DOCKER_DAEMON_JSON"
    return 0
  fi
  tmp=$(mktemp -d)
  if [[ -s "$current" ]]; then
    jq -s '.[0] * .[1]' "$current" "$HOST_SCRIPTS_DIR/docker-daemon-config/daemon.json" >"$tmp/daemon.json"
  else
    cp "$HOST_SCRIPTS_DIR/docker-daemon-config/daemon.json" "$tmp/daemon.json"
  fi
  nvidia-ctk runtime configure --runtime=docker --set-as-default --config="$tmp/daemon.json"
  docker_daemon_json_ok "$tmp/daemon.json" ||
    die "daemon.json does not have the nvidia default runtime and $DOCKER_SECCOMP_PROFILE after nvidia-ctk"
  install_file "$tmp/daemon.json" "$DOCKER_DAEMON_JSON" 644
  rm -rf "$tmp"
  DOCKER_CONFIG_CHANGED=1
}

# apply_docker_config: restarts Docker once when its configuration changed, so a bad
# configuration fails here and not on a production host.
apply_docker_config() {
  if [[ "$DOCKER_CONFIG_CHANGED" == 1 ]]; then
    systemctl restart docker.service
    log "restarted docker.service to apply its configuration"
  else
    log "Docker configuration unchanged: no restart"
  fi
}

# disable_docker_at_boot: the host service starts Docker after its handshake with the web
# backend. Both units go: socket activation would otherwise start Docker on the first API call.
disable_docker_at_boot() {
  disable_unit_now docker.socket
  disable_unit_now docker.service
}
