# shellcheck shell=bash
#
# Owns the ECS side of part 2: the ECS directories, the task-credentials NAT rules made persistent,
# route_localnet, and the ECS agent installed (signature checked) but off at boot, with Docker.
# Needs lib/common.sh and HOST_SCRIPTS_DIR.

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

# ecs_pgp_key_file: Amazon ECS's public key shipped with the scripts (ECS_PGP_KEY_FILE overrides it).
ecs_pgp_key_file() {
  printf '%s\n' "${ECS_PGP_KEY_FILE:-$HOST_SCRIPTS_DIR/amazon-ecs-agent.asc}"
}

# fetch_ecs_init <dir>: the pinned amazon-ecs-init .deb and its .asc into <dir>, from the region's
# ECS agent bucket, or from ECS_INIT_DEB (a local .deb with its .asc beside it).
fetch_ecs_init() {
  local dir=$1 url
  if [[ -n "${ECS_INIT_DEB:-}" ]]; then
    [[ -f "$ECS_INIT_DEB" && -f "$ECS_INIT_DEB.asc" ]] ||
      die "ECS_INIT_DEB '$ECS_INIT_DEB' must be a .deb file with its signature '$ECS_INIT_DEB.asc' beside it"
    cp "$ECS_INIT_DEB" "$dir/amazon-ecs-init.deb"
    cp "$ECS_INIT_DEB.asc" "$dir/amazon-ecs-init.deb.asc"
    printf '%s\n' "$ECS_INIT_DEB"
    return 0
  fi
  url=$(ecs_init_url "$(aws_region)")
  download_url "$url" "$dir/amazon-ecs-init.deb"
  download_url "$url.asc" "$dir/amazon-ecs-init.deb.asc"
  printf '%s\n' "$url"
}

# check_ecs_init_pin: an exact release, checked before anything changes.
check_ecs_init_pin() {
  [[ "$ECS_INIT_VERSION" =~ ^[0-9]+(\.[0-9]+)+-[0-9]+$ ]] ||
    die "ECS_INIT_VERSION '$ECS_INIT_VERSION' is not an exact release such as 1.106.1-1"
}

# install_ecs_agent: the pinned amazon-ecs-init, installed only after its signature checks out against
# Amazon ECS's key (fingerprint pinned). Its package installs ecs.service without enabling it;
# keep_ecs_agent_off_at_boot makes sure.
install_ecs_agent() {
  local tmp source
  check_ecs_init_pin
  if is_pkg_installed "amazon-ecs-init=$ECS_INIT_VERSION"; then
    log "amazon-ecs-init $ECS_INIT_VERSION is already installed"
    return 0
  fi
  tmp=$(mktemp -d)
  source=$(fetch_ecs_init "$tmp")
  verify_pgp_signature "$(ecs_pgp_key_file)" "$ECS_PGP_KEY_FINGERPRINT" "$tmp/amazon-ecs-init.deb" \
    "$tmp/amazon-ecs-init.deb.asc" "amazon-ecs-init-$ECS_INIT_VERSION.amd64.deb"
  apt_update
  retry 3 apt_get install "$tmp/amazon-ecs-init.deb"
  rm -rf "$tmp"
  is_pkg_installed "amazon-ecs-init=$ECS_INIT_VERSION" ||
    die "installed $source but dpkg does not report amazon-ecs-init $ECS_INIT_VERSION"
  log "installed amazon-ecs-init $ECS_INIT_VERSION from $source"
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
