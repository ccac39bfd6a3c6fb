#!/usr/bin/env bats
#
# lib/apt.sh: waiting for cloud-init, apt's background jobs, installing packages.

load test_helper

setup() {
  setup_sandbox
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
}

@test "is_pkg_installed checks the status and, when given, the version" {
  echo 1.2-1 >"$STUB_STATE/pkgs/foo"
  is_pkg_installed foo
  is_pkg_installed foo=1.2-1
  run is_pkg_installed foo=1.3-1
  assert_failure
  run is_pkg_installed bar
  assert_failure
}

@test "install_packages installs only what is missing, after one apt-get update" {
  echo 1.0 >"$STUB_STATE/pkgs/jq"
  install_packages jq lsof rclone
  install_packages curl
  run calls_matching '^apt-get'
  assert_line --index 0 --partial ' update'
  assert_line --index 1 --regexp 'install --no-install-recommends lsof rclone$'
  assert_line --index 2 --regexp 'install --no-install-recommends curl$'
  assert_equal "${#lines[@]}" 3
}

@test "apt_get is non-interactive and waits for the dpkg lock" {
  apt_get install foo
  run calls_matching '^apt-get'
  assert_output --partial '-y -q -o DPkg::Lock::Timeout=10'
  assert_output --partial '--force-confold'
}

@test "wait_for_cloud_init waits until boot-finished appears, then returns" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  # cloud-init finishes during the third wait of 5 s
  CLOUD_INIT_TIMEOUT=60 STUB_CLOUD_INIT_SLEEPS=3 run wait_for_cloud_init
  assert_success
  assert_output --partial 'cloud-init has finished (waited 15s)'
  assert_equal "$(cat "$STUB_STATE/sleeps")" 3
}

@test "wait_for_cloud_init gives up at the timeout, and does not wait when told not to" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  CLOUD_INIT_TIMEOUT=10
  run wait_for_cloud_init
  assert_failure
  assert_output --partial 'cloud-init did not finish within 10s'
  assert_equal "$(cat "$STUB_STATE/sleeps")" 2
  WAIT_FOR_CLOUD_INIT=0
  run wait_for_cloud_init
  assert_success
  assert_output --partial 'not waiting for cloud-init (WAIT_FOR_CLOUD_INIT=0)'
  WAIT_FOR_CLOUD_INIT=auto
  run wait_for_cloud_init
  assert_failure
  assert_output --partial "WAIT_FOR_CLOUD_INIT 'auto' is not allowed: use 1 (wait) or 0 (from user data)"
}

@test "prepare_apt masks apt's background jobs once, then finishes an interrupted dpkg run" {
  prepare_apt 2>/dev/null
  local unit
  for unit in "${APT_BACKGROUND_UNITS[@]}"; do
    run unit_enabled_state "$unit"
    assert_output masked
  done
  refute [ -e "$STUB_STATE/units/apt-daily.timer.active" ]
  run calls_matching '^dpkg --configure -a$'
  assert_output 'dpkg --configure -a'
  reset_calls
  prepare_apt 2>/dev/null
  run calls_changing_the_host
  assert_output ''
}
