#!/usr/bin/env bash
# The release command (npm run release) across accounts against moto, a local AWS API emulator started on a
# free loopback port: an organization with two OUs (prod, staging) and a member account in each, and a third
# member that owns copies; the build account's AMIs shared with both OUs by launch permission in every active
# region and copied into the third; promote, status, a second promotion and a rollback, each checked in the
# build account and in all three members (read through the channel writer role, as moto picks the account
# from assumed-role credentials; the third one's channel holds its own copies); a write that fails in one member's
# region (every parameter already written, in every account, is put back); an AMI not shared with one OU in
# one region (refused, nothing changed); a member's channel changed by hand (status flags that account).
# Run it alone with the project's Node and CDK CLI first on PATH:
#   PATH="$PWD/node_modules/.bin:$PATH" bash scripts/emulator-accounts-release-test.sh
# ASSEMBLY_DIR names an assembly already synthesized instead of its own synth (its first variant is released);
# EMULATOR_ENDPOINT a running server to use (scripts/lib/emulator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh

emulator_test_begin node cdk aws mvn java jq

assembly=${ASSEMBLY_DIR:-$work/cdk.out}
if [[ -z "${ASSEMBLY_DIR:-}" ]]; then
  echo "== cdk synth (the release command reads $assembly/gpu-host-settings.json)"
  cdk synth --no-notices --no-color --quiet --output "$assembly" >/dev/null
fi
synthesized="$assembly/gpu-host-settings.json"
REGION=$(jq -r .buildRegion "$synthesized")
VARIANT=$(jq -r '.imageVariants[0]' "$synthesized")
CANDIDATE=$(jq -r --arg v "$VARIANT" '.release.variants[$v].channels.candidate.ssmName' "$synthesized")
ROLE=$(jq -r .sharing.channelWriterRole "$synthesized")
n=$(jq '.activeRegions | length' "$synthesized")
mapfile -t REGIONS < <(jq -r '.buildRegion as $b | [$b] + (.activeRegions - [$b]) | .[]' "$synthesized")
readonly REGION VARIANT CANDIDATE ROLE n REGIONS
# The SHA-256 that CI tags on each build's AMIs (candidate, the channel moved here, has no driver gate).
DRIVER_SHA256=$(printf 'stand-in GRID runfile' | sha256sum | cut -d' ' -f1)
export DRIVER_SHA256
check "synthesis names the channel writer role" fractal-release-channel-writer "$ROLE"
all() { # all a -> "a a a a a a a": the same label in every region
  local labels=() i
  for ((i = 0; i < n; i++)); do labels+=("$1"); done
  echo "${labels[*]}"
}

emulator_start "$work" "$REGION" /aws/service/unused/base-ami-id

# The organization exists only once the emulator runs, so its OU ARNs are set into the settings file the way
# synthesis writes them with -c shareWithOrganizationalUnits=<both ARNs> (the sharing object of
# gpu-host-settings.json; ReleaseAccountsTest checks that synthesis writes it so).
{
  read -r -a OUS
  read -r PROD STAGING
  read -r COPIES
} < <(python3 scripts/emulator-release-aws.py "$synthesized" "$work/state.json" organization)
readonly OUS PROD STAGING COPIES
shared="$work/shared"
mkdir -p "$shared"
jq --arg prod "${OUS[0]}" --arg staging "${OUS[1]}" --arg copies "$COPIES" \
  '.sharing += {organizationalUnits: [$prod, $staging], copyToAccounts: [$copies]}' \
  "$synthesized" >"$shared/gpu-host-settings.json"
echo "== organization: $PROD in ${OUS[0]}, $STAGING in ${OUS[1]}, $COPIES owns copies"
check "two member accounts" 2 "$(wc -w <<<"$PROD $STAGING")"

release_helper_start "$shared/gpu-host-settings.json" "$work/state.json"
# release ARGS...: the command as `npm run release` runs it (scripts/release.sh; npm itself is tested by the
# release test), its output printed, its exit status in $code and its stdout+stderr in $output.
release() {
  set +e
  output=$(bash scripts/release.sh "$@" --variant "$VARIANT" --assembly "$shared" 2>&1)
  code=$?
  set -e
  echo "\$ release $* (exit $code)"
  local line
  while IFS= read -r line; do echo "  | $line"; done <<<"$output"
}
channels() { # channels WHAT BUILD PROD STAGING COPIES: the candidate channel in every account
  check "$1: the build account's candidate" "$2" "$(aws_helper channel "$CANDIDATE")"
  check "$1: $PROD's candidate" "$3" "$(aws_helper channel "$CANDIDATE" "$PROD")"
  check "$1: $STAGING's candidate" "$4" "$(aws_helper channel "$CANDIDATE" "$STAGING")"
  check "$1: $COPIES's candidate (its own copies)" "$5" "$(aws_helper channel "$CANDIDATE" "$COPIES")"
}

echo "== build a, shared with both OUs and copied; promote it to candidate in every account and region"
aws_helper build a
release promote --to candidate
check "promote across accounts: exit" 0 "$code"
contains "the plan names the three members" "$output" "in $n regions of the build account and 3 workload accounts, all or none:"
channels "after the first promotion" "$(all a)" "$(all a)" "$(all a)" "$(all a)"
check "the held-by tags stay on the build account's AMIs" a "$(aws_helper held fractal:held-by:candidate)"

release status
check "status: exit" 0 "$code"
contains "status shows the build account" "$output" "build account $EMULATOR_ACCOUNT:"
contains "status shows what $PROD sees" "$output" "account $PROD (launches the build account's AMIs):"
contains "status: $STAGING agrees" "$output" "account $STAGING agrees with the build account on each channel"
contains "status shows what $COPIES sees" "$output" "account $COPIES (owns copies of the AMIs):"
contains "status: $COPIES agrees" "$output" "account $COPIES agrees with the build account on each channel"

echo "== build b; promote, then roll back, in every account"
aws_helper build b
release promote --to candidate
check "second promotion: exit" 0 "$code"
channels "after the second promotion" "$(all b)" "$(all b)" "$(all b)" "$(all b)"
release rollback candidate
check "rollback across accounts: exit" 0 "$code"
channels "after the rollback" "$(all a)" "$(all a)" "$(all a)" "$(all a)"

echo "== build c; $STAGING's candidate in ${REGIONS[3]} is at SSM's 100 versions with its oldest labelled"
aws_helper build c
aws_helper fill-history "$CANDIDATE" "${REGIONS[3]}" "$STAGING"
release promote --to candidate
check "promotion whose write fails in $STAGING ${REGIONS[3]}: exit" 1 "$code"
contains "it names the account and the region" "$output" "failed in $STAGING ${REGIONS[3]} ("
contains "AWS's reason is given" "$output" "ParameterMaxVersionLimitExceeded"
contains "the build account's regions were put back" "$output" "put back ${REGIONS[0]}, ${REGIONS[1]},"
contains "the other member's regions were put back" "$output" "$PROD ${REGIONS[6]}, $STAGING ${REGIONS[0]}"
channels "after the failed write (every written parameter put back)" "$(all a)" "$(all a)" "$(all a)" "$(all a)"
check "c's held-by tags came off again (a and b stay: the last promotions)" "a b" \
  "$(aws_helper held fractal:held-by:candidate)"

echo "== build d, not shared with the staging OU in ${REGIONS[5]}"
aws_helper build d
aws_helper unshare d "${REGIONS[5]}" "${OUS[1]}"
release promote --to candidate
check "promotion of an AMI one account cannot launch: exit" 1 "$code"
contains "it names the account, the region and the missing launch permission" "$output" \
  "$STAGING ${REGIONS[5]}: $(aws_helper ami d "${REGIONS[5]}") is not shared with the account"
channels "after the refused promotion (nothing changed)" "$(all a)" "$(all a)" "$(all a)" "$(all a)"

echo "== $PROD's candidate in ${REGIONS[1]} changed by hand"
aws_helper put "$CANDIDATE" "${REGIONS[1]}" "$PROD" b
release status
check "status: exit" 0 "$code"
contains "status flags the account that differs" "$output" \
  "! account $PROD differs from the build account on candidate: the marked regions hold another build"
finish
