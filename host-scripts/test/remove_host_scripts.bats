#!/usr/bin/env bats
#
# remove_host_scripts.sh, run from a copy where an image component unpacks the scripts.

load test_helper

setup() {
  setup_sandbox
  assert_sandboxed
  SCRIPTS=$(unpack_scripts_on_host)
}

@test "deletes its folder and the empty folder around it, then finds nothing left" {
  run bash "$SCRIPTS/remove_host_scripts.sh"
  assert_success
  [ ! -e "$SCRIPTS" ]
  [ ! -e "$ROOT/var/tmp/host-setup" ]
  assert_output --partial 'verify_no_source_left: clean'
  refute_output --partial 'excluded'
  run find "$TMPDIR" -type f
  assert_output ''
}

@test "fails when other source is left, after deleting its folder all the same" {
  mkdir -p "$ROOT/root/checkout/.git"
  run bash "$SCRIPTS/remove_host_scripts.sh"
  assert_failure
  assert_output --partial '/root/checkout/.git'
  [ ! -e "$SCRIPTS" ]
}

@test "refuses to delete a folder of a git checkout" {
  local checkout="$SANDBOX/checkout"
  git init -q "$checkout"
  cp -r "$SCRIPTS" "$checkout/host-scripts"
  run bash "$checkout/host-scripts/remove_host_scripts.sh"
  assert_failure
  assert_output --partial "is in a git checkout: refusing to delete it"
  [ -f "$checkout/host-scripts/remove_host_scripts.sh" ]
}
