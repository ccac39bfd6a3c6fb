#!/usr/bin/env bats
#
# verify_no_source_left.sh: the clean check an image build runs after deleting the scripts.

load test_helper

setup() {
  setup_sandbox
  mkdir -p "$ROOT/home/ubuntu" "$ROOT/root" "$ROOT/opt" "$ROOT/tmp" "$ROOT/srv"
}

verify() {
  run bash "$HOST_SCRIPTS/verify_no_source_left.sh" "$@"
}

@test "clean host: passes and says what it searched" {
  touch "$ROOT/home/ubuntu/.bashrc" "$ROOT/tmp/something.log"
  verify
  assert_success
  assert_output --partial 'verify_no_source_left: clean (searched: /home /root /opt /srv /tmp /var/tmp /usr/local/src)'
}

@test "finds a .git, a source tree and a scripts folder, and lists each" {
  mkdir -p "$ROOT/home/ubuntu/fractal/protocol" "$ROOT/opt/vendor/.git" "$ROOT/tmp/toe-1234/host-scripts/lib" \
    "$ROOT/root/ecs-host-setup" "$ROOT/srv/copy"
  touch "$ROOT/srv/copy/setup_ami_host.sh"
  verify
  assert_failure 1
  assert_line '  /home/ubuntu/fractal'
  assert_line '  /opt/vendor/.git'
  assert_line '  /tmp/toe-1234/host-scripts'
  assert_line '  /root/ecs-host-setup'
  assert_line '  /srv/copy/setup_ami_host.sh'
}

@test "finds a .git file (worktree or submodule) too" {
  mkdir -p "$ROOT/home/dev/checkout"
  echo 'gitdir: /elsewhere' >"$ROOT/home/dev/checkout/.git"
  verify
  assert_failure 1
  assert_line '  /home/dev/checkout/.git'
}

@test "--exclude skips one folder and everything under it, nothing else" {
  mkdir -p "$ROOT/tmp/build/host-scripts/.git" "$ROOT/tmp/other/.git"
  verify --exclude /tmp/build/host-scripts
  assert_failure 1
  refute_line --partial '/tmp/build/host-scripts'
  assert_line '  /tmp/other/.git'
  rm -rf "$ROOT/tmp/other"
  verify --exclude /tmp/build/host-scripts/
  assert_success
}

@test "the directories and markers are configurable" {
  mkdir -p "$ROOT/data/project/.git" "$ROOT/home/ubuntu/fractal"
  VERIFY_SCAN_DIRS='/data' run bash "$HOST_SCRIPTS/verify_no_source_left.sh"
  assert_failure 1
  assert_line '  /data/project/.git'
  refute_line --partial '/home/ubuntu/fractal'
  VERIFY_MARKER_NAMES='.git' run bash "$HOST_SCRIPTS/verify_no_source_left.sh" /home
  assert_success
}

@test "works as a lone copy outside the scripts folder" {
  cp "$HOST_SCRIPTS/verify_no_source_left.sh" "$SANDBOX/verify-clean.sh"
  mkdir -p "$ROOT/home/ubuntu/fractal"
  run bash "$SANDBOX/verify-clean.sh"
  assert_failure 1
  assert_line '  /home/ubuntu/fractal'
}

@test "bad arguments are a usage error" {
  verify --exclude
  assert_failure 2
  verify --nope
  assert_failure 2
  assert_output --partial 'Usage: verify_no_source_left.sh'
}
