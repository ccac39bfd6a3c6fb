#!/usr/bin/env bash
# The release command (npm run release) against moto, a local AWS API emulator started on a free loopback
# port, with two image variants active: builds seeded as AMIs (with snapshots) in every active region, then
# promote to candidate and to stable, status, rollback twice, a promotion after the rollbacks (what the next
# rollback reaches stays held), a region whose AMI is missing (refused, nothing changed), a write that fails
# halfway (the written regions are put back), the held-by tags after each step, the other variant's channels
# apart, the driver gate (a build whose variant has no driver pin goes to candidate, is refused by stable,
# and is accepted once the variant is pinned), bad input; and the time of each verb. Run it alone with the project's Node and CDK CLI first on PATH:
#   PATH="$PWD/node_modules/.bin:$PATH" bash scripts/emulator-release-test.sh
# ASSEMBLY_DIR names an assembly already synthesized with -c imageVariants=ubuntu24-r580,ubuntu20-r535
# instead of its own synth;
# EMULATOR_ENDPOINT a running server to use (scripts/lib/emulator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh

emulator_test_begin node cdk aws mvn java jq

# --- Synthesize once: the release command reads the resolved settings, never cdk.json -----------------
readonly VARIANT=ubuntu24-r580 OTHER=ubuntu20-r535
assembly=${ASSEMBLY_DIR:-$work/cdk.out}
if [[ -z "${ASSEMBLY_DIR:-}" ]]; then
  echo "== cdk synth with two variants (the release command reads $assembly/gpu-host-settings.json)"
  cdk synth --no-notices --no-color --quiet --output "$assembly" -c imageVariants="$VARIANT,$OTHER" >/dev/null
fi
settings="$assembly/gpu-host-settings.json"
REGION=$(jq -r .buildRegion "$settings")
mapfile -t REGIONS < <(jq -r '.buildRegion as $b | [$b] + (.activeRegions - [$b]) | .[]' "$settings")
channel_setting() { # channel_setting VARIANT CHANNEL FIELD
  jq -r --arg v "$1" --arg c "$2" --arg f "$3" '.release.variants[$v].channels[$c][$f]' "$settings"
}
CANDIDATE_KEY=$(channel_setting "$VARIANT" candidate heldByTagKey)
STABLE_KEY=$(channel_setting "$VARIANT" stable heldByTagKey)
CANDIDATE=$(channel_setting "$VARIANT" candidate ssmName)
STABLE=$(channel_setting "$VARIANT" stable ssmName)
OTHER_CANDIDATE=$(channel_setting "$OTHER" candidate ssmName)
OTHER_STABLE=$(channel_setting "$OTHER" stable ssmName)
readonly REGION REGIONS CANDIDATE_KEY STABLE_KEY CANDIDATE STABLE OTHER_CANDIDATE OTHER_STABLE
# Every build here installs the same stand-in runfile, whose SHA-256 CI tags on its AMIs.
DRIVER_SHA256=$(printf 'stand-in GRID runfile' | sha256sum | cut -d' ' -f1)
export DRIVER_SHA256
# The release gate compares that tag with the variant's pin in the settings. The repository's variants have no
# pin yet (record mode), so the main flow runs with the settings as synthesis writes them once
# `npm run drivers -- qualify` has pinned the variants: the same file, with the pins set.
record_mode=$assembly
pinned="$work/pinned"
mkdir -p "$pinned"
jq --arg sha "$DRIVER_SHA256" '.release.variants[].gridDriverSha256 = $sha' \
  "$record_mode/gpu-host-settings.json" >"$pinned/gpu-host-settings.json"
check "the repository's variants have no driver pin: their builds are record-mode builds" "unqualified unqualified" \
  "$(jq -r '[.release.variants[].gridDriverSha256] | join(" ")' "$record_mode/gpu-host-settings.json")"
check "stable is a production channel" stable "$(jq -r '.release.productionChannels[]' "$settings")"
assembly=$pinned
n=${#REGIONS[@]}
all() { # all a -> "a a a a a a a": the same label in every region
  local labels=() i
  for ((i = 0; i < n; i++)); do labels+=("$1"); done
  echo "${labels[*]}"
}

# --- The emulator, with dummy credentials and nothing of the caller's AWS configuration ----------------
# The server also seeds a base-image parameter for the deploy test; this test does not read it.
emulator_start "$work" "$REGION" /aws/service/unused/base-ami-id

release_helper_start "$settings" "$work/state.json"
declare -A verb_ms
# release ARGS...: runs the command as `npm run release` runs it (scripts/release.sh; npm's own start, once
# per run, is left out: the first run below goes through npm), prints its output, keeps its exit status in
# $code and its stdout+stderr in $output, and records the slowest run of each verb.
release() {
  local start elapsed
  start=$(date +%s%N)
  set +e
  output=$(bash scripts/release.sh "$@" --assembly "$assembly" 2>&1)
  code=$?
  set -e
  elapsed=$((($(date +%s%N) - start) / 1000000))
  local verb="$1"
  [[ " $* " == *" --dry-run "* ]] && verb="$verb --dry-run"
  if ((elapsed > ${verb_ms[$verb]:-0})); then verb_ms[$verb]=$elapsed; fi
  echo "\$ release $* (exit $code, ${elapsed} ms)"
  local line
  while IFS= read -r line; do echo "  | $line"; done <<<"$output"
}
state() { # state WHAT CANDIDATE STABLE CANDIDATE_TAGGED STABLE_TAGGED: both channels and both tags
  local found=()
  mapfile -t found < <(aws_helper state "$CANDIDATE" "$STABLE" "$CANDIDATE_KEY" "$STABLE_KEY")
  check "$1: candidate in every region" "$2" "${found[0]:-}"
  check "$1: stable in every region" "$3" "${found[1]:-}"
  check "$1: AMIs and snapshots tagged $CANDIDATE_KEY" "$4" "${found[2]:-}"
  check "$1: AMIs and snapshots tagged $STABLE_KEY" "$5" "${found[3]:-}"
}

echo "== compile once, so that the timings below are the command's own; npm runs it as a user does"
usage=$(npm run -s release -- --help)
check "npm run release -- --help: its usage" "usage: npm run release -- <verb> [options]" "${usage%%$'\n'*}"
aws_helper topic
echo "== build a: AMIs with snapshots in ${n} regions, the latest parameters"
aws_helper build a
release status
check "status before any release: exit" 0 "$code"
contains "status lists every channel, none promoted yet" "$output" "region"
release promote --to candidate --variant "$VARIANT" --dry-run
check "dry run: exit" 0 "$code"
contains "dry run shows the plan" "$output" "plan: promote ubuntu24-r580 candidate <- latest"
state "after the dry run (nothing)" "$(all -)" "$(all -)" - -

release promote --to candidate --variant "$VARIANT"
check "promote --to candidate: exit" 0 "$code"
state "after promote --to candidate" "$(all a)" "$(all -)" a -
check "the promotion was announced on the topic" "GPU host image: promote ubuntu24-r580 candidate <- latest" "$(aws_helper announced)"
release promote --to stable --from candidate --variant "$VARIANT"
check "promote --to stable --from candidate: exit" 0 "$code"
state "after promote --to stable" "$(all a)" "$(all a)" a a

for label in b c d; do
  echo "== build $label, then candidate and stable"
  aws_helper build "$label"
  release promote --to candidate --variant "$VARIANT"
  release promote --to stable --from candidate --variant "$VARIANT"
  check "promote build $label to both channels: exit" 0 "$code"
done
state "after four releases (a fell out of the last 3 promotions)" "$(all d)" "$(all d)" "b c d" "b c d"
aws_helper announced >/dev/null

release status
check "status: exit" 0 "$code"
contains "status: every region agrees" "$output" "every region agrees on each channel"
contains "status: stable's AMI, name and date in the build region" "$output" "fractal-gpu-host-ubuntu24-r580-2026-12-04T06-00-00Z-d"

release rollback stable --variant "$VARIANT"
check "rollback stable: exit" 0 "$code"
state "after one rollback" "$(all d)" "$(all c)" "b c d" "b c d"
release rollback stable --variant "$VARIANT"
check "rollback stable again: exit" 0 "$code"
# b's release came before c's, so the next rollback would reach a: a is held again.
state "after a second rollback (further back, not forth)" "$(all d)" "$(all b)" "b c d" "a b c d"
check "rollbacks were announced" "GPU host image: rollback ubuntu24-r580 stable
GPU host image: rollback ubuntu24-r580 stable" "$(aws_helper announced)"

echo "== build e, missing in ${REGIONS[2]}"
aws_helper build e
aws_helper deregister e "${REGIONS[2]}"
release promote --to candidate --variant "$VARIANT"
check "promotion with a missing AMI: exit" 1 "$code"
contains "it names the region and the AMI" "$output" "refused, nothing changed: ${REGIONS[2]}: ami-"
state "after the refused promotion (nothing changed)" "$(all d)" "$(all b)" "b c d" "a b c d"

echo "== build f; ${REGIONS[3]}'s candidate parameter is at SSM's 100 versions with its oldest labelled"
aws_helper build f
aws_helper fill-history "$CANDIDATE" "${REGIONS[3]}"
release promote --to candidate --variant "$VARIANT"
check "promotion whose write fails in ${REGIONS[3]}: exit" 1 "$code"
contains "it says which regions were put back" "$output" "put back ${REGIONS[0]}, ${REGIONS[1]}, ${REGIONS[2]}: the channel is unchanged"
contains "AWS's reason is given" "$output" "ParameterMaxVersionLimitExceeded"
state "after the failed write (regions put back, tags removed)" "$(all d)" "$(all b)" "b c d" "a b c d"

echo "== build g after the rollbacks, straight to stable: the AMI the next rollback reaches keeps its held-by tag"
aws_helper build g
release promote --to stable --variant "$VARIANT"
check "promote build g after the rollbacks: exit" 0 "$code"
state "after promoting g (stable's next rollback goes to b, which stays held)" "$(all d)" "$(all g)" "b c d" "b c d g"
release rollback stable --variant "$VARIANT"
check "rollback after that promotion: exit" 0 "$code"
state "the rollback reached b, whose AMIs still exist (a, the next one back, is held again)" "$(all d)" "$(all b)" \
  "b c d" "a b c d g"

echo "== the other variant: its own builds and channels, apart from $VARIANT's"
aws_helper build r1 "$OTHER"
release promote --to candidate --variant "$OTHER"
check "promote $OTHER: exit" 0 "$code"
check "$OTHER's candidate holds its build" "$(all r1)" "$(aws_helper channel "$OTHER_CANDIDATE")"
check "$VARIANT's candidate is untouched" "$(all d)" "$(aws_helper channel "$CANDIDATE")"
aws_helper build r2 "$OTHER"
aws_helper build h "$VARIANT"
release promote --to stable --variant "$VARIANT"
check "each variant promotes only its own latest build" "$(all h)" "$(aws_helper channel "$STABLE")"
release status
check "status with two variants: exit" 0 "$code"
contains "status shows $VARIANT" "$output" "variant $VARIANT:"
contains "status shows $OTHER" "$output" "variant $OTHER:"
aws_helper announced >/dev/null

# The other variant, whose channels the steps above left clean (the candidate history of $VARIANT is full).
echo "== the driver gate: build i of $OTHER in record mode (no pin): candidate takes it, stable refuses it"
aws_helper build i "$OTHER"
assembly=$record_mode
release promote --to candidate --variant "$OTHER"
check "record-mode build to candidate: exit" 0 "$code"
check "candidate holds the record-mode build" "$(all i)" "$(aws_helper channel "$OTHER_CANDIDATE")"
release promote --to stable --from candidate --variant "$OTHER"
check "record-mode build to stable: exit" 1 "$code"
check "the refusal is one line naming the one command that qualifies the driver" \
  "release: promote $OTHER stable <- candidate refused, nothing changed: variant $OTHER has no pinned GRID driver, so its images were built in record mode; stable is a production channel: qualify the driver with \`npm run drivers -- qualify --variant $OTHER\`" \
  "$output"
check "stable is untouched" "$(all -)" "$(aws_helper channel "$OTHER_STABLE")"
echo "== once the variant is pinned to what the build measured, stable takes it"
assembly=$pinned
release promote --to stable --from candidate --variant "$OTHER"
check "pinned build to stable: exit" 0 "$code"
check "stable holds i" "$(all i)" "$(aws_helper channel "$OTHER_STABLE")"
aws_helper announced >/dev/null

echo "== bad input and unreachable AWS: one line, no stack trace"
bad() { # bad WHAT EXIT EXPECTED_LINE ARGS...
  release "${@:4}"
  check "$1: exit" "$2" "$code"
  check "$1: one line" "$3" "$output"
}
bad "no --variant with two active" 2 "release: --variant is needed: 2 variants are active ($VARIANT, $OTHER)" \
  promote --to candidate
bad "an unknown variant" 2 "release: --variant: \"ubuntu22-r570\" is not an active variant; allowed: $VARIANT, $OTHER" \
  rollback stable --variant ubuntu22-r570
bad "unknown channel" 2 'release: unknown channel "beta"; channels: candidate, stable' promote --to beta \
  --variant "$VARIANT"
bad "promote to itself" 2 'release: cannot promote "stable" to itself; --from takes latest or another channel' \
  promote --to stable --from stable --variant "$VARIANT"
release_without() { # a run with a changed environment
  local saved_endpoint=$AWS_ENDPOINT_URL
  # shellcheck disable=SC2030,SC2031 # each change is undone below
  if [[ "$1" == endpoint ]]; then export AWS_ENDPOINT_URL="http://127.0.0.1:9"; else
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
  fi
  release status
  export AWS_ENDPOINT_URL=$saved_endpoint AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
}
release_without endpoint
check "endpoint down: exit" 1 "$code"
check "endpoint down: one line naming it" 1 "$(grep -c 'cannot reach AWS at http://127.0.0.1:9' <<<"$output")"
check "endpoint down: no stack trace" 0 "$(grep -c -E '^\s+at |Exception' <<<"$output" || true)"
release_without credentials
check "no credentials: exit" 1 "$code"
check "no credentials: one line" 1 "$(grep -c 'no AWS credentials' <<<"$output")"
check "no credentials: output is that one line" 1 "$(wc -l <<<"$output")"

echo "== time of each verb against the emulator (slowest run, including the JVM start)"
for verb in "status" "promote --dry-run" "promote" "rollback"; do
  echo "TIME: $verb ${verb_ms[$verb]:-?} ms"
done
finish
