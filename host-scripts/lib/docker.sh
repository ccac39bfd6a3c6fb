# shellcheck shell=bash
#
# Owns Docker CE from Docker's apt repository (checked and added by lib/apt_repos.sh), its daemon configuration (NVIDIA default runtime,
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

# docker_apt_sources <keyring>: Docker's sources entry for this host's Ubuntu release.
docker_apt_sources() {
  echo "deb [arch=$(dpkg --print-architecture) signed-by=$1] $DOCKER_APT_REPO_URL $(ubuntu_codename) stable"
}

# docker_pinned_packages: sets PINNED_PACKAGES to Docker's packages at this release's pins.
docker_pinned_packages() {
  [[ -n "${DOCKER_CE_VERSION:-}" && -n "${CONTAINERD_IO_VERSION:-}" ]] ||
    die "DOCKER_CE_VERSION and CONTAINERD_IO_VERSION must be pinned for Ubuntu $(ubuntu_codename) (versions.env: DOCKER_CE_VERSION_<CODENAME>, CONTAINERD_IO_VERSION_<CODENAME>)"
  PINNED_PACKAGES=("docker-ce=$DOCKER_CE_VERSION" "docker-ce-cli=$DOCKER_CE_VERSION" "containerd.io=$CONTAINERD_IO_VERSION")
}

# check_docker_apt_repo: before any change: Docker's key by its pinned fingerprint, its signed
# index, the pinned releases in it (lib/apt_repos.sh).
check_docker_apt_repo() {
  docker_pinned_packages
  check_apt_repo "Docker's apt repository $DOCKER_APT_REPO_URL" "$DOCKER_APT_KEY_URL" \
    "$DOCKER_APT_KEY_FINGERPRINT" "$DOCKER_KEYRING" docker_apt_sources "${PINNED_PACKAGES[@]}"
}

add_docker_apt_repo() {
  add_apt_repo "$DOCKER_KEYRING" "$DOCKER_SOURCES" docker_apt_sources
}

# install_docker: the pinned releases; apt checks them against the repository's signed index,
# whose key check_docker_apt_repo checked by its pinned fingerprint.
install_docker() {
  docker_pinned_packages
  install_packages "${PINNED_PACKAGES[@]}"
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
