# shellcheck shell=bash
#
# Owns what part 2 makes of the image besides ECS: the boot bootstrap and its helpers, the host
# service binary (checked against its SHA-256), and the removal of secrets and of the build
# instance's state. Needs lib/common.sh and HOST_SCRIPTS_DIR.

# install_userdata_bootstrap: the boot bootstrap and the helpers it loads (lib/common.sh and the
# files it lists) and versions.env (its OS check), beside it in FRACTAL_SHARE_DIR.
install_userdata_bootstrap() {
  local lib
  install_file "$HOST_SCRIPTS_DIR/userdata-bootstrap.sh" "$FRACTAL_SHARE_DIR/userdata-bootstrap.sh" 755
  install_file "$HOST_SCRIPTS_DIR/versions.env" "$FRACTAL_SHARE_DIR/versions.env" 644
  for lib in common.sh "${COMMON_LIBS[@]}"; do
    install_file "$HOST_SCRIPTS_DIR/lib/$lib" "$FRACTAL_SHARE_DIR/lib/$lib" 644
  done
}

# check_host_service_binary_pin: a host service binary comes with the SHA-256 of the build that
# made it (HOST_SERVICE_BINARY_SHA256), checked before anything changes.
check_host_service_binary_pin() {
  if [[ -n "${HOST_SERVICE_BINARY:-}" && ! "${HOST_SERVICE_BINARY_SHA256:-}" =~ ^[0-9a-f]{64}$ ]]; then
    die "HOST_SERVICE_BINARY_SHA256 '${HOST_SERVICE_BINARY_SHA256:-}' is not a SHA-256 (64 lowercase hex digits): give the SHA-256 of the build HOST_SERVICE_BINARY names"
  fi
}

# install_host_service_binary: HOST_SERVICE_BINARY is a local file or an s3:// URI (optional),
# installed only when it has HOST_SERVICE_BINARY_SHA256.
install_host_service_binary() {
  local src=${HOST_SERVICE_BINARY:-} tmp
  if [[ -z "$src" ]]; then
    log "HOST_SERVICE_BINARY not set: skipping the host service binary (userdata-bootstrap.sh expects it at $HOST_SERVICE_BIN_PATH)"
    return 0
  fi
  check_host_service_binary_pin
  tmp=$(mktemp -d)
  if [[ "$src" == s3://* ]]; then
    retry 5 aws s3 cp --no-progress "$src" "$tmp/ecs-host-service"
  else
    [[ -f "$src" ]] || die "HOST_SERVICE_BINARY '$src' is not a file"
    cp "$src" "$tmp/ecs-host-service"
  fi
  verify_sha256 "$tmp/ecs-host-service" "$HOST_SERVICE_BINARY_SHA256" "host service binary $src"
  install_file "$tmp/ecs-host-service" "$HOST_SERVICE_BIN_PATH" 755
  rm -rf "$tmp"
}

# remove_secrets: the host service's environment is fetched at boot, never kept in the image.
remove_secrets() {
  if [[ -e "$ROOT$HOST_SERVICE_ENV_FILE" ]]; then
    rm -f "$ROOT$HOST_SERVICE_ENV_FILE"
    log "removed $HOST_SERVICE_ENV_FILE (it is fetched at boot)"
  fi
}

# remove_instance_state: the image boots as a new instance and a new ECS container instance.
remove_instance_state() {
  local entry
  if [[ -e "$ROOT/var/lib/cloud/instances" ]]; then
    rm -rf "$ROOT/var/lib/cloud/instances"
    log "removed /var/lib/cloud/instances/"
  fi
  for entry in "$ROOT"/var/lib/ecs/data/* "$ROOT"/var/lib/ecs/data/.[!.]*; do
    if [[ -e "$entry" ]]; then
      rm -rf "$entry"
      log "removed ${entry#"$ROOT"}"
    fi
  done
}

# check_no_source_left: nothing of ours may remain but the folder this script runs from
# (which the caller deletes next).
check_no_source_left() {
  ROOT="$ROOT" bash "$HOST_SCRIPTS_DIR/verify_no_source_left.sh" --exclude "$HOST_SCRIPTS_DIR"
}
