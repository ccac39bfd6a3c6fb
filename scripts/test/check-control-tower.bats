#!/usr/bin/env bats
# scripts/check-control-tower.sh with the real cfn-guard and Control Tower rules (from npm ci) over a fixture
# template that fails one control (CT.CLOUDWATCH.PR.3), against exceptions files written by each test.

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  GATE="$BATS_TEST_DIRNAME/../check-control-tower.sh"
  ASSEMBLY="$BATS_TEST_DIRNAME/fixtures/assembly"
  EXCEPTIONS="$BATS_TEST_TMPDIR/exceptions.json"
  RESULTS="$BATS_TEST_TMPDIR/results.json"
}

# exceptions ENTRY_JSON...: an exceptions file holding these entries.
exceptions() {
  jq -n '{exceptions: $ARGS.positional | map(fromjson)}' --args "$@" >"$EXCEPTIONS"
}

log_group_listed='{"control": "CT.CLOUDWATCH.PR.3", "stacks": ["Fixture*"], "resources": ["PlainLogGroup"],
  "reason": "fixture: listed on purpose"}'

@test "a listed failure passes the gate and is recorded as excepted, with its reason" {
  exceptions "$log_group_listed"
  run bash "$GATE" --exceptions "$EXCEPTIONS" --results "$RESULTS" "$ASSEMBLY"
  assert_success
  assert_output --partial "1 failures, 1 of them listed as exceptions, 0 stale exceptions"
  run jq -c '.failures' "$RESULTS"
  assert_output '[{"control":"CT.CLOUDWATCH.PR.3","stack":"FixtureStack","resource":"PlainLogGroup","excepted":true,"reason":"fixture: listed on purpose"}]'
  run jq -r '.titles["CT.CLOUDWATCH.PR.3"], (.passed | length > 0)' "$RESULTS"
  assert_output $'Require an Amazon CloudWatch log group to be encrypted at rest with an AWS KMS key\ntrue'
}

@test "an unlisted failure fails the gate, naming control, stack and resource" {
  exceptions
  run bash "$GATE" --exceptions "$EXCEPTIONS" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "NOT LISTED  CT.CLOUDWATCH.PR.3 FixtureStack PlainLogGroup"
}

@test "a listed failure for another resource does not cover this one" {
  exceptions '{"control": "CT.CLOUDWATCH.PR.3", "stacks": ["FixtureStack"], "resources": ["OtherLogGroup"],
    "reason": "fixture"}'
  run bash "$GATE" --exceptions "$EXCEPTIONS" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "NOT LISTED  CT.CLOUDWATCH.PR.3 FixtureStack PlainLogGroup"
  assert_output --partial "STALE       CT.CLOUDWATCH.PR.3 FixtureStack OtherLogGroup"
}

@test "a listed exception that no longer fails is stale and fails the gate; one for a stack not checked is not" {
  exceptions "$log_group_listed" \
    '{"control": "CT.S3.PR.10", "stacks": ["FixtureStack"], "resources": ["Bucket*"], "reason": "fixture"}' \
    '{"control": "CT.S3.PR.10", "stacks": ["NotInThisAssembly-*"], "resources": ["Bucket*"], "reason": "fixture"}'
  run bash "$GATE" --exceptions "$EXCEPTIONS" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "1 stale exceptions"
  assert_output --partial "STALE       CT.S3.PR.10 FixtureStack Bucket*: listed as an exception but no longer fails"
  refute_output --partial "NotInThisAssembly"
}

@test "a missing cfn-guard binary stops the gate with what is missing" {
  exceptions "$log_group_listed"
  CFN_GUARD="$BATS_TEST_TMPDIR/no-such-cfn-guard" run bash "$GATE" --exceptions "$EXCEPTIONS" "$ASSEMBLY"
  assert_failure 2
  assert_output "check-control-tower: the cfn-guard binary is missing or not executable at $BATS_TEST_TMPDIR/no-such-cfn-guard: run 'npm ci' (it comes with @cdklabs/cdk-validator-cfnguard)"
}

@test "missing rules stop the gate with what is missing" {
  exceptions "$log_group_listed"
  CT_RULES_DIR="$BATS_TEST_TMPDIR" run bash "$GATE" --exceptions "$EXCEPTIONS" "$ASSEMBLY"
  assert_failure 2
  assert_output --partial "no Control Tower rules (*/ct-*.guard) under $BATS_TEST_TMPDIR"
}

@test "an exception without a reason is rejected before anything runs" {
  exceptions '{"control": "CT.CLOUDWATCH.PR.3", "stacks": ["FixtureStack"], "resources": ["PlainLogGroup"]}'
  run bash "$GATE" --exceptions "$EXCEPTIONS" "$ASSEMBLY"
  assert_failure 2
  assert_output --partial "each entry of .exceptions needs control (CT.<SERVICE>.PR.<n>), stacks and resources"
}

@test "bad arguments name the argument" {
  exceptions "$log_group_listed"
  run bash "$GATE" --exceptions "$EXCEPTIONS" "$BATS_TEST_TMPDIR/no-assembly"
  assert_failure 2
  assert_output "check-control-tower: no cloud assembly directory at $BATS_TEST_TMPDIR/no-assembly"
  run bash "$GATE" --exemptions x
  assert_failure 2
  assert_output --partial "unknown option '--exemptions'"
}
