#!/usr/bin/env bats
#
# lib/log.sh: retries and the ERR trap, sourced and called one at a time.

load test_helper

setup() {
  setup_sandbox
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
}

@test "retry retries with doubling delays, then gives up" {
  RETRY_BASE_DELAY=3
  run retry 3 false
  assert_failure
  assert_line --partial 'attempt 1 of 3 failed, retrying in 3s: false'
  assert_line --partial 'attempt 2 of 3 failed, retrying in 6s: false'
  assert_line --partial 'giving up after 3 attempts: false'
  run calls_matching '^sleep'
  assert_output "$(printf '%s\n' 'sleep 3' 'sleep 6')"
}

@test "retry stops at the first success" {
  echo 0 >"$SANDBOX/n"
  flaky() {
    local n
    n=$(($(cat "$SANDBOX/n") + 1))
    echo "$n" >"$SANDBOX/n"
    ((n >= 2))
  }
  run retry 5 flaky
  assert_success
  assert_equal "$(cat "$SANDBOX/n")" 2
}

@test "the ERR trap names the stage and the failing command" {
  run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; enable_strict_mode; stage 'demo stage'; false; echo not reached"
  assert_failure
  assert_output --partial "ERROR: stage 'demo stage' failed: command 'false' exited with status 1"
  refute_output --partial 'not reached'
}
