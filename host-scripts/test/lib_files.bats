#!/usr/bin/env bats
#
# lib/files.sh and lib/aws.sh, sourced and called one at a time.

load test_helper

setup() {
  setup_sandbox
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
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
