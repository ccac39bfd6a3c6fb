#!/usr/bin/env bats
#
# The files the scripts install: seccomp profile and daemon.json. The udev rules are applied by systemd's
# own udevadm in the booted-host stage's Debian 13 root: scripts/booted-host/udev-rules.bats.

load test_helper

readonly CONFIG_DIR="$BATS_TEST_DIRNAME/../docker-daemon-config"

@test "seccomp-filter.json is exactly what the generator makes from Docker's default profile" {
  run bash "$CONFIG_DIR/generate-seccomp-filter.sh" --stdout
  assert_success
  assert_equal "$output" "$(cat "$CONFIG_DIR/seccomp-filter.json")"
  run bash "$CONFIG_DIR/generate-seccomp-filter.sh" --check
  assert_success
}

@test "the base profile is Docker 20.10.24's default, unmodified" {
  run sha256sum "$CONFIG_DIR/seccomp-default-docker-20.10.24.json"
  assert_output --partial e5e91f884647e7332b3f89280777752f563df4f1372a186f14ddb7bf2f55cf61
  run grep -c 'Apache License, Version 2.0' "$CONFIG_DIR/NOTICE"
  assert_output 1
}

@test "the profile keeps every rule of Docker's default and adds only the two allowances" {
  run jq -n --slurpfile base "$CONFIG_DIR/seccomp-default-docker-20.10.24.json" \
    --slurpfile ours "$CONFIG_DIR/seccomp-filter.json" '
      ($ours[0] | del(.syscalls)) == ($base[0] | del(.syscalls))
      and $ours[0].syscalls[:-2] == $base[0].syscalls
      and ($ours[0].syscalls | length) == ($base[0].syscalls | length) + 2'
  assert_output true
}

@test "the allowances: clone and unshare for Chromium, unshare, mount, umount, umount2 for FUSE, unconditional" {
  local filter="$CONFIG_DIR/seccomp-filter.json"
  run jq -c '.syscalls[-2:] | map({names, action, args, includes, excludes})' "$filter"
  assert_output '[{"names":["clone","unshare"],"action":"SCMP_ACT_ALLOW","args":[],"includes":{},"excludes":{}},{"names":["unshare","mount","umount","umount2"],"action":"SCMP_ACT_ALLOW","args":[],"includes":{},"excludes":{}}]'
  # Docker's default allows them only conditionally.
  run jq -r '[.syscalls[] | select((.names | index("mount")) and (.includes == {} and .excludes == {} and .args == []))] | length' \
    "$CONFIG_DIR/seccomp-default-docker-20.10.24.json"
  assert_output 0
  run jq -r '.defaultAction' "$filter"
  assert_output SCMP_ACT_ERRNO
}

@test "the shipped daemon.json passes the image's own check: nvidia default runtime, the profile where part 1 installs it" {
  # the check the validate phase runs (lib/docker.sh), against the path part 1 installs the profile to
  run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; source '$HOST_SCRIPTS/lib/docker.sh'
    docker_daemon_json_ok '$CONFIG_DIR/daemon.json' && echo \"\$DOCKER_SECCOMP_PROFILE\""
  assert_success
  assert_output "$(jq -r '."seccomp-profile"' "$CONFIG_DIR/daemon.json")"
  # the runtime is the binary the pinned NVIDIA Container Toolkit ships, which nvidia-ctk also names
  assert_equal "$(jq -r '.runtimes.nvidia.path' "$CONFIG_DIR/daemon.json")" nvidia-container-runtime
}
