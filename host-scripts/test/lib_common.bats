#!/usr/bin/env bats
#
# lib/common.sh functions, sourced and called one at a time.

load test_helper

setup() {
  setup_sandbox
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
}

@test "sourcing an entry script or a lib defines functions and runs nothing" {
  local script
  for script in setup_ubuntu20_host.sh setup_ubuntu20_ami_host.sh userdata-bootstrap.sh install_go.sh \
    verify_no_source_left.sh lib/common.sh lib/docker.sh lib/nvidia.sh lib/host.sh lib/ami.sh; do
    run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; HOST_SCRIPTS_DIR='$HOST_SCRIPTS'; source '$HOST_SCRIPTS/$script'; declare -F main install_file >/dev/null || true"
    assert_success
    assert_output ''
  done
  run cat "$STUB_LOG"
  assert_output ''
}

@test "load_versions reads KEY=value lines and lets the environment win" {
  printf '%s\n' '# comment' '' 'ALPHA=1' 'BETA=two words' 'GAMMA=' >"$SANDBOX/v.env"
  unset ALPHA BETA GAMMA
  BETA=from-env
  load_versions "$SANDBOX/v.env"
  assert_equal "$ALPHA" 1
  assert_equal "$BETA" from-env
  assert_equal "${GAMMA-unset}" ''
}

@test "load_versions rejects a malformed line" {
  printf '%s\n' 'export ALPHA=1' >"$SANDBOX/v.env"
  run load_versions "$SANDBOX/v.env"
  assert_failure
  assert_output --partial "bad line in $SANDBOX/v.env: 'export ALPHA=1'"
}

@test "versions.env is plain KEY=value lines a Java line parser can read, with the required pins" {
  local line
  while IFS= read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    [[ "$line" =~ ^[A-Z][A-Z0-9_]*=[^\"\'\$\`\\\ ]*$ ]] || {
      echo "not a plain KEY=value line: $line" >&2
      return 1
    }
  done <"$HOST_SCRIPTS/versions.env"
  assert_equal "$(versions_value NVIDIA_DRIVER_BUCKET)" ec2-linux-nvidia-drivers
  assert_equal "$(versions_value NVIDIA_GRID_DRIVER_KEY)" grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run
  [[ "$(versions_value GO_VERSION)" =~ ^1\.2[0-9]+\.[0-9]+$ ]]
  [[ "$(versions_value GO_SHA256_LINUX_AMD64)" =~ ^[0-9a-f]{64}$ ]]
  run grep -c '^[A-Z_]*=' "$HOST_SCRIPTS/versions.env"
  assert_equal "$output" "$(grep '^[A-Z_]*=' "$HOST_SCRIPTS/versions.env" | cut -d= -f1 | sort -u | wc -l)"
}

@test "the GRID driver pin stays on the 16.x branch (G3's Tesla M60: GRID 17 and later unsupported)" {
  [[ "$(versions_value NVIDIA_GRID_DRIVER_KEY)" == grid-16.* ]]
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

@test "install_file writes only when content or mode differ, and says so" {
  echo one >"$SANDBOX/src"
  install_file "$SANDBOX/src" /etc/x/file.conf 644
  assert_equal "$CHANGED" 1
  assert_equal "$(cat "$ROOT/etc/x/file.conf")" one
  install_file "$SANDBOX/src" /etc/x/file.conf 644
  assert_equal "$CHANGED" 0
  install_file "$SANDBOX/src" /etc/x/file.conf 600
  assert_equal "$CHANGED" 1
  assert_equal "$(stat -c %a "$ROOT/etc/x/file.conf")" 600
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

@test "wait_for_apt_locks waits while a lock is held and gives up at the timeout" {
  echo 1 >"$STUB_STATE/fuser_busy"
  run wait_for_apt_locks
  assert_success
  assert_output --partial 'waiting for /var/lib/dpkg/lock-frontend'
  echo 100 >"$STUB_STATE/fuser_busy"
  APT_LOCK_TIMEOUT=15
  run wait_for_apt_locks
  assert_failure
  assert_output --partial '/var/lib/dpkg/lock-frontend is still held after 15s'
}

@test "wait_for_cloud_init: waits for boot-finished, or skips when told to" {
  run wait_for_cloud_init
  assert_success
  assert_output --partial 'cloud-init has finished'
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  WAIT_FOR_CLOUD_INIT=0
  run wait_for_cloud_init
  assert_success
  assert_output --partial 'not waiting for cloud-init (WAIT_FOR_CLOUD_INIT=0)'
}

@test "wait_for_cloud_init in auto mode skips only when run by cloud-init" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  WAIT_FOR_CLOUD_INIT=auto CLOUD_INIT_TIMEOUT=5
  run wait_for_cloud_init
  assert_failure
  assert_output --partial 'cloud-init did not finish within 5s'
  is_under_cloud_init() { return 0; }
  run wait_for_cloud_init
  assert_success
  assert_output --partial 'running from cloud-init (user data): not waiting'
}

@test "is_under_cloud_init finds cloud-init among the ancestors, and only there" {
  printf 'source %q\nis_under_cloud_init\n' "$HOST_SCRIPTS/lib/common.sh" >"$SANDBOX/probe.sh"
  # The probe runs as the child of a process started under the name $1 ("exit" keeps that
  # process from exec-ing the probe).
  # shellcheck disable=SC2016 # expanded by the inner shells
  local parent='exec -a "$1" bash -c "bash \"\$0\"; exit \$?" "$2"'
  run bash -c "$parent" _ cloud-init "$SANDBOX/probe.sh"
  assert_success
  run bash -c "$parent" _ /usr/bin/cloud-init-helper "$SANDBOX/probe.sh"
  assert_failure
  run bash "$SANDBOX/probe.sh"
  assert_failure
}

@test "stop_apt_background_jobs masks the timers once" {
  stop_apt_background_jobs
  assert_equal "$(cat "$STUB_STATE/units/apt-daily.timer.enabled")" masked
  reset_calls
  stop_apt_background_jobs
  run calls_changing_the_host
  assert_output ''
}

@test "aws_region: AWS_REGION first, then IMDSv2, and a bad value fails" {
  AWS_REGION=eu-west-1
  assert_equal "$(aws_region)" eu-west-1
  unset AWS_REGION
  assert_equal "$(aws_region)" us-west-2
  run calls_matching '^curl'
  assert_line --index 0 --partial '-X PUT'
  assert_line --index 1 --partial 'X-aws-ec2-metadata-token: stub-token'
  STUB_IMDS_REGION='<html>' run aws_region
  assert_failure
  assert_output --partial 'cannot determine the AWS region'
}

@test "the ERR trap names the stage and the failing command" {
  run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; enable_strict_mode; stage 'demo stage'; false; echo not reached"
  assert_failure
  assert_output --partial "ERROR: stage 'demo stage' failed: command 'false' exited with status 1"
  refute_output --partial 'not reached'
}
