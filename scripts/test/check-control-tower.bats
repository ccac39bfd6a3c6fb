#!/usr/bin/env bats
# scripts/check-control-tower.sh with the real cfn-guard and Control Tower rules (from npm ci) over a fixture
# template that fails one control (CT.CLOUDWATCH.PR.3). Each test copies it into an assembly of its own, with the
# accepted-risk marks on its resources and the risks the assembly declares (as the app's AcceptedRisk writes them).

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  GATE="$BATS_TEST_DIRNAME/../check-control-tower.sh"
  FIXTURE="$BATS_TEST_DIRNAME/fixtures/assembly/FixtureStack.template.json"
  ASSEMBLY="$BATS_TEST_TMPDIR/assembly"
  RESULTS="$BATS_TEST_TMPDIR/results.json"
  mkdir -p "$ASSEMBLY"
  cp "$FIXTURE" "$ASSEMBLY/"
  declare_risks '{"risk": "PLAIN_LOGS", "controls": ["CT.CLOUDWATCH.PR.3"], "reason": "fixture: accepted on purpose"}'
}

# declare_risks ENTRY_JSON...: the accepted risks the assembly declares, with their controls and reasons.
declare_risks() {
  jq -n '{exceptions: $ARGS.positional | map(fromjson)}' --args "$@" >"$ASSEMBLY/control-tower-exceptions.json"
}

# mark RESOURCE RISKS_JSON: the resource's Metadata.AcceptedRisks in the fixture stack's template.
mark() {
  jq --arg resource "$1" --argjson risks "$2" '.Resources[$resource].Metadata.AcceptedRisks = $risks' \
    "$FIXTURE" >"$ASSEMBLY/FixtureStack.template.json"
}

@test "a failure on a resource marked with an accepted risk for that control passes, with the risk's reason" {
  mark PlainLogGroup '{"PLAIN_LOGS": ["CT.CLOUDWATCH.PR.3"]}'
  run bash "$GATE" --results "$RESULTS" "$ASSEMBLY"
  assert_success
  assert_output --partial "1 failures, 1 of them accepted risks, 0 stale accepted risks"
  run jq -c '.failures' "$RESULTS"
  assert_output '[{"control":"CT.CLOUDWATCH.PR.3","stack":"FixtureStack","resource":"PlainLogGroup","excepted":true,"risk":"PLAIN_LOGS","reason":"fixture: accepted on purpose"}]'
  run jq -r '.titles["CT.CLOUDWATCH.PR.3"], (.passed | length > 0)' "$RESULTS"
  assert_output $'Require an Amazon CloudWatch log group to be encrypted at rest with an AWS KMS key\ntrue'
}

@test "the mark follows the resource: renamed, it is still excepted; with no mark, the failure fails the gate" {
  jq '.Resources |= with_entries(.key = "RenamedLogGroup")
    | .Resources.RenamedLogGroup.Metadata.AcceptedRisks = {"PLAIN_LOGS": ["CT.CLOUDWATCH.PR.3"]}' "$FIXTURE" \
    >"$ASSEMBLY/FixtureStack.template.json"
  run bash "$GATE" "$ASSEMBLY"
  assert_success
  cp "$FIXTURE" "$ASSEMBLY/"
  run bash "$GATE" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "NOT ACCEPTED  CT.CLOUDWATCH.PR.3 FixtureStack PlainLogGroup"
}

@test "an accepted risk for another control does not cover this failure, and is stale" {
  declare_risks '{"risk": "OPEN_BUCKET", "controls": ["CT.S3.PR.10"], "reason": "fixture"}'
  mark PlainLogGroup '{"OPEN_BUCKET": ["CT.S3.PR.10"]}'
  run bash "$GATE" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "NOT ACCEPTED  CT.CLOUDWATCH.PR.3 FixtureStack PlainLogGroup"
  assert_output --partial "STALE         OPEN_BUCKET CT.S3.PR.10 FixtureStack PlainLogGroup: marked as an accepted risk but no longer fails"
}

@test "a mark naming a risk the assembly does not declare fails the gate, naming the risk" {
  mark PlainLogGroup '{"NO_SUCH_RISK": ["CT.CLOUDWATCH.PR.3"]}'
  run bash "$GATE" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "UNKNOWN       NO_SUCH_RISK: a template names this accepted risk, but the assembly does not declare it"
}

@test "a missing cfn-guard binary stops the gate with what is missing" {
  CFN_GUARD="$BATS_TEST_TMPDIR/no-such-cfn-guard" run bash "$GATE" "$ASSEMBLY"
  assert_failure 2
  assert_output "check-control-tower: the cfn-guard binary is missing or not executable at $BATS_TEST_TMPDIR/no-such-cfn-guard: run 'npm ci' (it comes with @cdklabs/cdk-validator-cfnguard)"
}

@test "missing rules stop the gate with what is missing" {
  CT_RULES_DIR="$BATS_TEST_TMPDIR" run bash "$GATE" "$ASSEMBLY"
  assert_failure 2
  assert_output --partial "no Control Tower rules (*/ct-*.guard) under $BATS_TEST_TMPDIR"
}

@test "a declared risk without a reason is rejected before anything runs; without declarations, a mark is unknown" {
  declare_risks '{"risk": "PLAIN_LOGS", "controls": ["CT.CLOUDWATCH.PR.3"]}'
  run bash "$GATE" "$ASSEMBLY"
  assert_failure 2
  assert_output "check-control-tower: $ASSEMBLY/control-tower-exceptions.json: an entry lacks risk, controls (CT.<SERVICE>.PR.<n>) or reason"
  rm "$ASSEMBLY/control-tower-exceptions.json"
  mark PlainLogGroup '{"PLAIN_LOGS": ["CT.CLOUDWATCH.PR.3"]}'
  run bash "$GATE" "$ASSEMBLY"
  assert_failure 1
  assert_output --partial "UNKNOWN       PLAIN_LOGS: a template names this accepted risk, but the assembly does not declare it"
}

@test "bad arguments name the argument" {
  run bash "$GATE" "$BATS_TEST_TMPDIR/no-assembly"
  assert_failure 2
  assert_output "check-control-tower: no cloud assembly directory at $BATS_TEST_TMPDIR/no-assembly"
  run bash "$GATE" --exceptions x
  assert_failure 2
  assert_output --partial "unknown option '--exceptions'"
}
