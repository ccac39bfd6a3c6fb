#!/usr/bin/env bats
#
# validate_ami_host.sh and the checks of lib/checks.sh it runs, on a sandbox host that part 1, a
# reboot and part 2 set up, run from where an image component unpacks the scripts. Each test
# breaks one thing on its own copy of that host.

load test_helper

setup_file() {
  setup_image_host "$BATS_FILE_TMPDIR/image-host"
  unpack_scripts_on_host >/dev/null
}

setup() {
  fresh_host
}

# fresh_host: the test's own copy of the host, with the scripts unpacked.
fresh_host() {
  use_copy_of "$BATS_FILE_TMPDIR/image-host"
}

scripts() {
  echo "$ROOT/var/tmp/host-setup/host-scripts"
}

validate() {
  run bash "$(scripts)/validate_ami_host.sh"
}

# the_checks: the checks validate_ami_host.sh runs, in order.
the_checks() {
  # shellcheck disable=SC1090,SC1091,SC2034 # the script defines VALIDATE_CHECKS and runs nothing when sourced
  (source "$(scripts)/validate_ami_host.sh" && printf '%s\n' "${VALIDATE_CHECKS[@]}")
}

# assert_only_failure <check> <reason text>: that check failed with the reason, every other passed.
assert_only_failure() {
  local check line
  assert_failure
  line=$(grep -F "FAIL $1: " <<<"$output") || {
    echo "no FAIL line for $1 in: $output" >&2
    return 1
  }
  [[ "$line" == *"$2"* ]] || {
    echo "the FAIL line of $1 lacks '$2': $line" >&2
    return 1
  }
  while IFS= read -r check; do
    [[ "$check" == "$1" ]] || assert_line "PASS $check"
  done < <(the_checks)
}

@test "a host set up by part 1 and part 2 passes every check, one PASS line each, in order" {
  validate
  assert_success
  run grep -E '^(PASS|FAIL) ' <<<"$output"
  assert_equal "$output" "$(the_checks | sed 's/^/PASS /')"
  [ "$(the_checks | wc -l)" -ge 13 ]
}

@test "validating changes nothing on the host" {
  local before
  before=$(host_snapshot)
  validate
  assert_success
  assert_equal "$(host_snapshot)" "$before"
  run calls_changing_the_host
  assert_output ''
}

@test "Docker or the ECS agent enabled at boot fails check_units_off_at_boot, naming the unit" {
  systemctl enable docker.socket
  validate
  assert_only_failure check_units_off_at_boot 'must be disabled at boot: docker.socket is enabled'
}

@test "a missing ECS agent unit fails check_units_off_at_boot too" {
  rm "$STUB_STATE/units/ecs.service.enabled"
  validate
  assert_only_failure check_units_off_at_boot 'ecs.service is not-found'
}

@test "a NAT rule missing from rules.v4, or Docker's chains in it, fails check_ecs_nat_rules_saved" {
  sed -i '/-j DNAT/d' "$ROOT/etc/iptables/rules.v4"
  validate
  assert_only_failure check_ecs_nat_rules_saved "lacks '-A PREROUTING -d 169.254.170.2/32"
  fresh_host
  sed -i 's/^:OUTPUT .*/&\n:DOCKER - [0:0]/' "$ROOT/etc/iptables/rules.v4"
  validate
  assert_only_failure check_ecs_nat_rules_saved "holds Docker's chains"
}

@test "rules not restored at boot fail check_saved_rules_restored_at_boot" {
  systemctl disable netfilter-persistent.service
  validate
  assert_only_failure check_saved_rules_restored_at_boot 'netfilter-persistent.service is disabled'
}

@test "route_localnet off now or not persisted fails check_route_localnet" {
  sysctl -q -w net.ipv4.conf.all.route_localnet=0
  validate
  assert_only_failure check_route_localnet "route_localnet is '0', not 1"
  sysctl -q -w net.ipv4.conf.all.route_localnet=1
  rm "$ROOT/etc/sysctl.d/90-fractal-route-localnet.conf"
  validate
  assert_only_failure check_route_localnet 'does not set net.ipv4.conf.all.route_localnet = 1'
}

@test "no GPU is needed: the driver built for the kernel passes; none, or another version, fails" {
  rm -rf "$ROOT/sys/module/nvidia"
  validate
  assert_success
  echo 470.1 >"$STUB_STATE/driver_version"
  validate
  assert_only_failure check_nvidia_driver_installed "version '470.1', the pinned GRID driver is $STUB_DRIVER_VERSION"
  rm "$STUB_STATE/driver_version"
  validate
  assert_only_failure check_nvidia_driver_installed "version 'none'"
}

@test "a GRID boot setting missing fails check_grid_boot_settings, naming it" {
  systemctl disable nvidia-gridd.service
  validate
  assert_only_failure check_grid_boot_settings 'nvidia-gridd.service is disabled, not enabled'
  fresh_host
  systemctl disable nvidia-persistenced.service
  validate
  assert_only_failure check_grid_boot_settings 'nvidia-persistenced.service is disabled, not enabled'
  fresh_host
  sed -i 's/g4dn g5/g4dn/' "$ROOT/usr/share/fractal/bin/nvidia-module-options"
  validate
  assert_only_failure check_grid_boot_settings '/usr/share/fractal/bin/nvidia-module-options is missing, changed or not executable'
  fresh_host
  rm "$ROOT/etc/modprobe.d/fractal-nvidia.conf"
  validate
  assert_only_failure check_grid_boot_settings '/etc/modprobe.d/fractal-nvidia.conf is missing or changed'
}

@test "Docker's configuration: another default runtime or an edited seccomp profile fails" {
  jq '.["default-runtime"] = "runc"' "$ROOT/etc/docker/daemon.json" >"$SANDBOX/daemon.json"
  mv "$SANDBOX/daemon.json" "$ROOT/etc/docker/daemon.json"
  validate
  assert_only_failure check_docker_daemon_config 'lacks the nvidia default runtime'
  fresh_host
  echo '{}' >"$ROOT/etc/docker/seccomp-filter.json"
  validate
  assert_only_failure check_seccomp_profile 'differs from docker-daemon-config/seccomp-filter.json'
}

@test "edited udev rules, a missing ECS folder or a bootstrap that cannot run fail their checks" {
  echo '# edited' >>"$ROOT/etc/udev/rules.d/90-fractal-input.rules"
  validate
  assert_only_failure check_udev_rules 'differs from udev/90-fractal-input.rules'
  fresh_host
  rmdir "$ROOT/var/lib/ecs/gpu"
  validate
  assert_only_failure check_ecs_dirs 'missing: /var/lib/ecs/gpu'
  fresh_host
  chmod -x "$ROOT/usr/share/fractal/userdata-bootstrap.sh"
  validate
  assert_only_failure check_boot_bootstrap_installed 'userdata-bootstrap.sh is not executable'
}

@test "a secret or any source besides the running scripts fails, listing what was found" {
  echo 'TOKEN=x' >"$ROOT/usr/share/fractal/app_env.env"
  validate
  assert_only_failure check_no_secret_in_image '/usr/share/fractal/app_env.env is in the image'
  rm "$ROOT/usr/share/fractal/app_env.env"
  mkdir -p "$ROOT/home/ubuntu/project/.git"
  validate
  assert_only_failure check_no_source_left '/home/ubuntu/project/.git'
}

@test "every check runs after one failed: two failures, two FAIL lines, the rest PASS" {
  systemctl enable ecs.service
  rm "$ROOT/etc/nvidia/gridd.conf"
  validate
  assert_failure
  assert_line 'FAIL check_units_off_at_boot: must be disabled at boot: ecs.service is enabled'
  assert_line 'FAIL check_grid_boot_settings: /etc/nvidia/gridd.conf is missing'
  run grep -c '^PASS ' <<<"$output"
  assert_output "$(($(the_checks | wc -l) - 2))"
}

@test "refuses arguments and non-root, checking nothing" {
  run bash "$(scripts)/validate_ami_host.sh" --all
  assert_failure
  assert_output --partial 'unexpected arguments: --all'
  STUB_UID=1000 validate
  assert_failure
  assert_output --partial 'must run as root'
  refute_output --partial 'PASS '
}
