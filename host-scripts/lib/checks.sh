# shellcheck shell=bash
#
# Owns run_checks and the checks of the image's files, units and rules (the validate phase, on the
# build instance, no GPU needed); lib/checks_gpu.sh owns those that need a GPU. A check_<what>
# prints nothing and returns 0 when the host is right, or prints why not and returns 1. What they
# check (units, NAT rules, folders, files) is the setup's own variables and files, so a check cannot
# drift from the setup. Needs the lib/ files the setup scripts load, and HOST_SCRIPTS_DIR.

# run_checks <check>...: runs every check, even after one failed, and prints one line for each:
# "PASS <check>" or "FAIL <check>: <reason>". Returns 1 when any failed.
run_checks() {
  local check reason failed=0
  for check in "$@"; do
    if reason=$("$check" 2>&1); then
      printf 'PASS %s\n' "$check"
    else
      printf 'FAIL %s: %s\n' "$check" "$(one_line "${reason:-failed, no reason given}")"
      failed=1
    fi
  done
  return "$failed"
}

# one_line <text>: its lines, trimmed, joined with "; ".
one_line() {
  awk 'NF { sub(/^[ \t]+/, ""); printf "%s%s", sep, $0; sep = "; " }' <<<"$1"
}

# unit_running <unit>: active, or on its way there.
unit_running() {
  local state
  state=$(systemctl is-active "$1" 2>/dev/null) || true
  [[ "$state" == active || "$state" == activating || "$state" == reloading ]]
}

check_docker_daemon_config() {
  docker_daemon_json_ok "$ROOT$DOCKER_DAEMON_JSON" || {
    echo "$DOCKER_DAEMON_JSON lacks the nvidia default runtime or the seccomp profile $DOCKER_SECCOMP_PROFILE"
    return 1
  }
}

# check_seccomp_profile: the installed profile is the shipped one (whose allowances its tests prove).
check_seccomp_profile() {
  cmp -s "$HOST_SCRIPTS_DIR/docker-daemon-config/seccomp-filter.json" "$ROOT$DOCKER_SECCOMP_PROFILE" || {
    echo "$DOCKER_SECCOMP_PROFILE is missing or differs from docker-daemon-config/seccomp-filter.json"
    return 1
  }
}

check_units_off_at_boot() {
  local unit state bad=()
  for unit in "${UNITS_OFF_AT_BOOT[@]}"; do
    state=$(unit_enabled_state "$unit")
    case "$state" in
      disabled | masked) ;;
      *) bad+=("$unit is $state") ;;
    esac
  done
  ((${#bad[@]} == 0)) || {
    echo "must be disabled at boot: ${bad[*]}"
    return 1
  }
}

check_units_not_running() {
  local unit bad=()
  for unit in "${UNITS_OFF_AT_BOOT[@]}"; do
    if unit_running "$unit"; then
      bad+=("$unit")
    fi
  done
  ((${#bad[@]} == 0)) || {
    echo "running, but only the host service may start them: ${bad[*]}"
    return 1
  }
}

check_route_localnet() {
  local live
  live=$(sysctl -n net.ipv4.conf.all.route_localnet 2>/dev/null) || true
  [[ "$live" == 1 ]] || {
    echo "net.ipv4.conf.all.route_localnet is '${live:-unknown}', not 1"
    return 1
  }
  grep -qsxE 'net\.ipv4\.conf\.all\.route_localnet *= *1' "$ROOT$ROUTE_LOCALNET_CONF" || {
    echo "$ROUTE_LOCALNET_CONF does not set net.ipv4.conf.all.route_localnet = 1 for the next boots"
    return 1
  }
}

# check_ecs_nat_rules_saved: every rule of ecs_nat_rules in the nat table of rules.v4, and no
# Docker chain saved with them.
check_ecs_nat_rules_saved() {
  local file="$ROOT$IPTABLES_RULES_V4" nat line
  [[ -r "$file" ]] || {
    echo "$IPTABLES_RULES_V4 is missing"
    return 1
  }
  nat=$(awk '/^\*/ { table = $0 } table == "*nat"' "$file")
  while IFS= read -r line; do
    grep -qxF -- "-A $line" <<<"$nat" || {
      echo "the nat table of $IPTABLES_RULES_V4 lacks '-A $line'"
      return 1
    }
  done < <(ecs_nat_rules)
  if grep -q DOCKER "$file"; then
    echo "$IPTABLES_RULES_V4 holds Docker's chains"
    return 1
  fi
}

check_saved_rules_restored_at_boot() {
  local state
  state=$(unit_enabled_state netfilter-persistent.service)
  [[ "$state" == enabled ]] || {
    echo "netfilter-persistent.service is $state, so $IPTABLES_RULES_V4 is not restored at boot"
    return 1
  }
}

check_udev_rules() {
  cmp -s "$HOST_SCRIPTS_DIR/udev/${UDEV_RULES##*/}" "$ROOT$UDEV_RULES" || {
    echo "$UDEV_RULES is missing or differs from udev/${UDEV_RULES##*/}"
    return 1
  }
}

check_ecs_dirs() {
  local dir missing=()
  for dir in "${ECS_DIRS[@]}"; do
    [[ -d "$ROOT$dir" ]] || missing+=("$dir")
  done
  ((${#missing[@]} == 0)) || {
    echo "missing: ${missing[*]}"
    return 1
  }
}

check_boot_bootstrap_installed() {
  local file
  for file in userdata-bootstrap.sh versions.env lib/common.sh "${COMMON_LIBS[@]/#/lib/}"; do
    file=$FRACTAL_SHARE_DIR/$file
    [[ -f "$ROOT$file" ]] || {
      echo "$file is missing"
      return 1
    }
  done
  [[ -x "$ROOT$FRACTAL_SHARE_DIR/userdata-bootstrap.sh" ]] || {
    echo "$FRACTAL_SHARE_DIR/userdata-bootstrap.sh is not executable"
    return 1
  }
}

check_no_secret_in_image() {
  [[ ! -e "$ROOT$HOST_SERVICE_ENV_FILE" ]] || {
    echo "$HOST_SERVICE_ENV_FILE is in the image; it is fetched at boot"
    return 1
  }
}

# check_no_source_left: the folder these scripts run from is the only one allowed; the step after
# the checks deletes it and runs the same check without the exception.
check_no_source_left() {
  local found
  found=$(bash "$HOST_SCRIPTS_DIR/verify_no_source_left.sh" --exclude "${HOST_SCRIPTS_DIR#"$ROOT"}" 2>&1) || {
    echo "$found"
    return 1
  }
}

# check_nvidia_driver_installed: the pinned GRID driver's module is built for the running kernel
# (the build instance has no GPU: the module loads on the test instance).
check_nvidia_driver_installed() {
  local want have
  want=$(grid_driver_version)
  have=$(modinfo -F version nvidia 2>/dev/null) || true
  [[ "$have" == "$want" ]] || {
    echo "the nvidia module built for this kernel is version '${have:-none}', the pinned GRID driver is $want"
    return 1
  }
}

# check_grid_boot_settings: nvidia-gridd and nvidia-persistenced start at boot, and the nvidia
# module gets the GSP setting of the instance's family (the files part 1 writes, unchanged).
check_grid_boot_settings() {
  local unit state bad=()
  for unit in nvidia-gridd.service nvidia-persistenced.service; do
    state=$(unit_enabled_state "$unit")
    [[ "$state" == enabled ]] || bad+=("$unit is $state, not enabled")
  done
  [[ -f "$ROOT$GRIDD_CONF" ]] || bad+=("$GRIDD_CONF is missing")
  cmp -s "$ROOT$NVIDIA_MODPROBE_CONF" <(nvidia_modprobe_conf) || bad+=("$NVIDIA_MODPROBE_CONF is missing or changed")
  cmp -s "$ROOT$NVIDIA_MODULE_OPTIONS_BIN" <(nvidia_module_options_script) && [[ -x "$ROOT$NVIDIA_MODULE_OPTIONS_BIN" ]] ||
    bad+=("$NVIDIA_MODULE_OPTIONS_BIN is missing, changed or not executable")
  ((${#bad[@]} == 0)) || {
    printf '%s\n' "${bad[@]}"
    return 1
  }
}
