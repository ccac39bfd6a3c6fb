#!/usr/bin/env bats
#
# wait_for_host.sh in the sandbox: cloud-init, apt's background jobs, the dpkg locks.

load test_helper

setup() {
  setup_sandbox
}

@test "masks apt's background jobs, waits for the dpkg lock, then finishes interrupted dpkg runs" {
  echo 2 >"$STUB_STATE/fuser_busy"
  run_script wait_for_host.sh
  assert_success
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service \
    unattended-upgrades.service; do
    assert_equal "$(systemctl is-enabled "$unit")" masked
  done
  assert_output --partial 'cloud-init has finished'
  assert_output --partial 'waiting for /var/lib/dpkg/lock-frontend'
  run calls_matching '^(systemctl mask|fuser|dpkg --configure)'
  assert_line --index 0 --partial 'systemctl mask apt-daily.timer'
  assert_line --partial 'fuser '
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

@test "gives up with a message when cloud-init does not finish or a lock stays held" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  CLOUD_INIT_TIMEOUT=5 run_script wait_for_host.sh
  assert_failure
  assert_output --partial 'cloud-init did not finish within 5s'
  run calls_matching '^systemctl mask'
  assert_output ''
  touch "$ROOT/var/lib/cloud/instance/boot-finished"
  echo 99 >"$STUB_STATE/fuser_busy"
  APT_LOCK_TIMEOUT=5 run_script wait_for_host.sh
  assert_failure
  assert_output --partial '/var/lib/dpkg/lock-frontend is still held after 5s'
}

@test "refuses arguments and non-root" {
  run_script wait_for_host.sh --now
  assert_failure
  assert_output --partial 'unexpected arguments: --now'
  STUB_UID=1000 run_script wait_for_host.sh
  assert_failure
  assert_output --partial 'must run as root'
}
