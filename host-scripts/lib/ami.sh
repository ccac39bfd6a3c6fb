# shellcheck shell=bash
#
# Part 2 (AMI): ECS directories, the task-credentials NAT rules made persistent, the ECS agent
# installed but off at boot, the boot bootstrap and host service installed, instance state
# and secrets removed. Needs lib/common.sh and HOST_SCRIPTS_DIR.

readonly ROUTE_LOCALNET_CONF=/etc/sysctl.d/90-fractal-route-localnet.conf
readonly IPTABLES_RULES_V4=/etc/iptables/rules.v4
readonly ECS_CREDENTIALS_IP=169.254.170.2
readonly ECS_AGENT_CREDENTIALS_PORT=51679
readonly ECS_DIRS=(/var/log/ecs /var/lib/ecs/data /var/lib/ecs/gpu /etc/ecs)
# The host service starts these after its handshake with the web backend; none may start at boot.
readonly UNITS_OFF_AT_BOOT=(docker.service docker.socket ecs.service)

create_ecs_dirs() {
  local dir
  for dir in "${ECS_DIRS[@]}"; do
    ensure_dir "$dir"
  done
}

# enable_route_localnet: lets the DNAT to 127.0.0.1 work (persisted and applied now).
enable_route_localnet() {
  install_content "$ROUTE_LOCALNET_CONF" 644 <<'EOF'
# Installed by host-scripts: containers reach the ECS agent's credentials endpoint through a
# DNAT to 127.0.0.1 (see /etc/iptables/rules.v4).
net.ipv4.conf.all.route_localnet = 1
EOF
  if [[ "$(sysctl -n net.ipv4.conf.all.route_localnet)" != 1 ]]; then
    sysctl -q -w net.ipv4.conf.all.route_localnet=1
    log "set net.ipv4.conf.all.route_localnet=1"
  fi
}

# ecs_nat_rules: one "<chain> <rule spec>" per line, as iptables-save prints them.
ecs_nat_rules() {
  printf '%s\n' \
    "PREROUTING -d $ECS_CREDENTIALS_IP/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 127.0.0.1:$ECS_AGENT_CREDENTIALS_PORT" \
    "OUTPUT -d $ECS_CREDENTIALS_IP/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports $ECS_AGENT_CREDENTIALS_PORT"
}

# add_ecs_credentials_nat_rules: containers reach the task IAM-role endpoint (169.254.170.2:80)
# at the ECS agent's port. Each rule is added only if `iptables -C` does not find it.
add_ecs_credentials_nat_rules() {
  local line chain spec
  while IFS= read -r line; do
    chain=${line%% *}
    read -r -a spec <<<"${line#* }"
    if iptables -w -t nat -C "$chain" "${spec[@]}" 2>/dev/null; then
      log "NAT rule present: $line"
    else
      iptables -w -t nat -A "$chain" "${spec[@]}"
      log "added NAT rule: $line"
    fi
  done < <(ecs_nat_rules)
}

# stop_docker_now: Docker must not run while the rules are saved, or its chains get persisted.
stop_docker_now() {
  disable_unit_now docker.socket
  disable_unit_now docker.service
}

install_iptables_persistent() {
  if is_pkg_installed iptables-persistent; then
    log "iptables-persistent is already installed"
    return 0
  fi
  debconf-set-selections <<'EOF'
iptables-persistent iptables-persistent/autosave_v4 boolean true
iptables-persistent iptables-persistent/autosave_v6 boolean true
EOF
  install_packages iptables-persistent
}

# save_iptables_rules: writes the current IPv4 rules to /etc/iptables/rules.v4 (restored at
# boot by netfilter-persistent), without counters or timestamps so an unchanged rule set
# leaves the file unchanged.
save_iptables_rules() {
  local rules
  rules=$(iptables-save)
  if grep -q 'DOCKER' <<<"$rules"; then
    die "the live iptables rules contain Docker's chains; reboot with Docker stopped (it is disabled at boot) and run this script again"
  fi
  sed -E -e '/^#/d' -e 's/^(:[^ ]+ [^ ]+) \[[0-9]+:[0-9]+\]$/\1 [0:0]/' <<<"$rules" |
    install_content "$IPTABLES_RULES_V4" 640
}

# require_saved_ecs_rules: each NAT rule is in rules.v4.
require_saved_ecs_rules() {
  local line
  while IFS= read -r line; do
    grep -qxF -- "-A $line" "$ROOT$IPTABLES_RULES_V4" || die "$IPTABLES_RULES_V4 lacks '-A $line'"
  done < <(ecs_nat_rules)
}

ecs_init_url() {
  local region=$1
  printf 'https://s3.%s.amazonaws.com/amazon-ecs-agent-%s/amazon-ecs-init-%s.amd64.deb\n' \
    "$region" "$region" "$ECS_INIT_VERSION"
}

# install_ecs_agent: amazon-ecs-init from the regional ECS agent bucket, or the local package
# ECS_INIT_DEB names. Its package installs ecs.service without enabling it;
# keep_ecs_agent_off_at_boot makes sure.
install_ecs_agent() {
  local region tmp
  if is_pkg_installed amazon-ecs-init; then
    log "amazon-ecs-init is already installed"
    return 0
  fi
  if [[ -n "${ECS_INIT_DEB:-}" ]]; then
    [[ -f "$ECS_INIT_DEB" ]] || die "ECS_INIT_DEB '$ECS_INIT_DEB' is not a file (expected a local amazon-ecs-init .deb)"
    apt_get install "$(realpath "$ECS_INIT_DEB")"
    log "installed amazon-ecs-init from $ECS_INIT_DEB (ECS_INIT_DEB)"
    return 0
  fi
  region=$(aws_region)
  tmp=$(mktemp -d)
  download_url "$(ecs_init_url "$region")" "$tmp/amazon-ecs-init.deb"
  apt_update
  retry 3 apt_get install "$tmp/amazon-ecs-init.deb"
  rm -rf "$tmp"
  log "installed amazon-ecs-init ($ECS_INIT_VERSION) from the $region ECS agent bucket"
}

# keep_ecs_agent_off_at_boot: the host service starts ecs.service after its handshake with the
# web backend; the unit stays installed but disabled (not masked, or it could not be started).
keep_ecs_agent_off_at_boot() {
  disable_unit_now ecs.service
}

# require_boot_services_off: Docker and the ECS agent must not start at boot.
require_boot_services_off() {
  local unit state
  for unit in "${UNITS_OFF_AT_BOOT[@]}"; do
    state=$(unit_enabled_state "$unit")
    if [[ "$state" == enabled || "$state" == enabled-runtime ]]; then
      die "$unit is enabled at boot; the host service must start it"
    fi
  done
  log "${UNITS_OFF_AT_BOOT[*]} are off at boot"
}

install_userdata_bootstrap() {
  install_file "$HOST_SCRIPTS_DIR/userdata-bootstrap.sh" "$FRACTAL_SHARE_DIR/userdata-bootstrap.sh" 755
  install_file "$HOST_SCRIPTS_DIR/lib/common.sh" "$FRACTAL_SHARE_DIR/lib/common.sh" 644
}

# install_host_service_binary: HOST_SERVICE_BINARY is a local file or an s3:// URI (optional).
install_host_service_binary() {
  local src=${HOST_SERVICE_BINARY:-} tmp
  if [[ -z "$src" ]]; then
    log "HOST_SERVICE_BINARY not set: skipping the host service binary (userdata-bootstrap.sh expects it at $HOST_SERVICE_BIN_PATH)"
    return 0
  fi
  tmp=$(mktemp -d)
  if [[ "$src" == s3://* ]]; then
    retry 5 aws s3 cp --no-progress "$src" "$tmp/ecs-host-service"
  else
    [[ -f "$src" ]] || die "HOST_SERVICE_BINARY '$src' is not a file"
    cp "$src" "$tmp/ecs-host-service"
  fi
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
