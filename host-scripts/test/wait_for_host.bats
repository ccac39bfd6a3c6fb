#!/usr/bin/env bats
#
# wait_for_host.sh in the sandbox: cloud-init, apt's background jobs, an interrupted dpkg run.

load test_helper

setup() {
  setup_sandbox
}

@test "masks apt's background jobs, then finishes interrupted dpkg runs" {
  run_script wait_for_host.sh
  assert_success
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service \
    unattended-upgrades.service; do
    assert_equal "$(systemctl is-enabled "$unit")" masked
  done
  assert_output --partial 'cloud-init has finished'
  run calls_matching '^(systemctl mask|dpkg --configure)'
  assert_line --index 0 --partial 'systemctl mask apt-daily.timer'
  assert_line --index $((${#lines[@]} - 1)) 'dpkg --configure -a'
}

@test "a second run changes nothing" {
  run_script wait_for_host.sh
  assert_success
  reset_calls
  run_script wait_for_host.sh
  assert_success
  run calls_changing_the_host
  assert_output ''
}

@test "gives up with a message when cloud-init does not finish" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  CLOUD_INIT_TIMEOUT=5 run_script wait_for_host.sh
  assert_failure
  assert_output --partial 'cloud-init did not finish within 5s'
  run calls_matching '^systemctl mask'
  assert_output ''
}

@test "refuses arguments and non-root" {
  run_script wait_for_host.sh --now
  assert_failure
  assert_output --partial 'unexpected arguments: --now'
  STUB_UID=1000 run_script wait_for_host.sh
  assert_failure
  assert_output --partial 'must run as root'
}
