#!/usr/bin/env bats
# scripts/ci/build-image.sh against a stub AWS CLI: what it starts, how it waits, what it reports.
# Backticks in single quotes are Markdown, and each test's exports are meant to stay in that test:
# shellcheck disable=SC2016,SC2030,SC2031

# write_settings REGION...: a resolved settings file with these active regions, the first one building,
# and VARIANTS (default: ubuntu24-r580) active.
write_settings() {
  mkdir -p "$ASSEMBLY_DIR"
  jq -n --arg variants "${VARIANTS:-ubuntu24-r580}" --args '($variants | split(" ")) as $v |
    {schemaVersion: 2, activeRegions: $ARGS.positional, buildRegion: $ARGS.positional[0],
    ssmNames: {amiIdPath: "/imagebuilder/fractal"}, imageVariants: $v,
    variants: ($v | map({key: ., value: {imagePipelineArn: ("/fractal/image/" + . + "/pipeline-arn")}}) | from_entries),
    stacks: {imagePipeline: "FractalHostImagePipeline"},
    release: {driverSha256TagKey: "nvidia-grid-driver-sha256"}}' "$@" >"$ASSEMBLY_DIR/gpu-host-settings.json"
}

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  SCRIPT="$BATS_TEST_DIRNAME/../build-image.sh"
  STUBS="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$STUBS"
  export STUB_LOG="$BATS_TEST_TMPDIR/aws.log"
  export STUB_STATUSES="$BATS_TEST_TMPDIR/statuses"
  export STUB_CLOCK="$BATS_TEST_TMPDIR/clock"
  export GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/summary.md"
  export POLL_SECONDS=60 BUILD_TIMEOUT_MINUTES=180
  export STUB_MANIFEST="$BATS_TEST_TMPDIR/manifest.json"
  cat >"$STUB_MANIFEST" <<'JSON'
{"schemaVersion": 1, "recordedAt": "2026-12-01T12:00:00Z", "os": "Ubuntu 20.04.6 LTS",
 "baseAmiId": "ami-0abcdef1234567890",
 "nvidia_grid_driver_key": "grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run",
 "nvidia_grid_driver_sha256": "4a0cc0aa2fa8ad1a9fa9a1a1c1d6c2d1f7f2e9c0b8a7d6e5f4a3b2c1d0e9f8a7",
 "nvidia_grid_driver_pinned": false,
 "versions": {"kernel": "5.15.0-1051-aws", "nvidiaDriver": "535.183.01",
   "dockerCe": "5:27.5.1-1~ubuntu.20.04~focal", "ecsInit": "1.106.1-1"},
 "packages": {"jq": "1.6-1ubuntu0.20.04.1"}}
JSON
  echo 1000000 >"$STUB_CLOCK"
  # The settings synthesis resolves, as scripts/check-synth-cli.sh proves the real file carries them.
  export ASSEMBLY_DIR="$BATS_TEST_TMPDIR/assembly"
  write_settings us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 eu-west-1 eu-central-1
  printf 'BUILDING\nTESTING\nDISTRIBUTING\nAVAILABLE\n' >"$STUB_STATUSES"

  # aws: logs its arguments; answers from canned values. Each status query takes the next status.
  cat >"$STUBS/aws" <<'STUB'
#!/usr/bin/env bash
echo "$*" >>"$STUB_LOG"
region=$(sed -n 's/.*--region \([^ ]*\).*/\1/p' <<<"$*")
case "$1 $2 $*" in
  "ssm get-parameter "*)
    [[ -z "${STUB_NO_PIPELINE:-}" ]] || { echo "ParameterNotFound" >&2; exit 254; }
    echo "arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/fractal-gpu-host" ;;
  "imagebuilder start-image-pipeline-execution"*)
    echo "arn:aws:imagebuilder:us-east-1:123456789012:image/fractal-gpu-host/1.0.0/7" ;;
  *"--query image.state.status"*)
    head -n1 "$STUB_STATUSES"
    if (($(wc -l <"$STUB_STATUSES") > 1)); then sed -i 1d "$STUB_STATUSES"; fi ;;
  *"--query image.state.reason"*)
    echo "Step ValidateGpu failed: nvidia-smi found no GPU" ;;
  *"--query image.outputResources.amis[].image"*)
    printf 'ami-0000000000000e001\tami-0000000000000e002\n' ;;
  *"--query image.outputResources.amis[].[region,image]"*)
    printf 'us-east-1\tami-0000000000000e001\nus-east-2\tami-0000000000000e002\n' ;;
  *"--query image.infrastructureConfiguration.logging.s3Logs.s3BucketName"*)
    echo "fractalhostimagepipeline-buildlogsbucket0a1b2c3d-1q2w3e4r5t6y" ;;
  "s3 cp"*)
    [[ -z "${STUB_NO_MANIFEST:-}" ]] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation" >&2; exit 1; }
    cp "$STUB_MANIFEST" "${*: -1}" ;;
  "ec2 create-tags"*) ;;
  "ssm get-parameters-by-path"*)
    case "$region" in
      us-east-1) printf '/imagebuilder/fractal/ubuntu24-r580/ami-id\tami-0000000000000e001\n' ;;
      us-east-2) printf '/imagebuilder/fractal/ubuntu24-r580/ami-id\tami-0000000000000e002\n' ;;
      eu-west-1) ;;
      *) printf '/imagebuilder/fractal/ubuntu24-r580/ami-id\tami-00000000000000old\n' ;;
    esac ;;
  *) echo "unexpected aws call: $*" >&2; exit 99 ;;
esac
STUB
  # date +%s: a clock that moves ten minutes on each reading; sleep: returns at once.
  cat >"$STUBS/date" <<'STUB'
#!/usr/bin/env bash
if [[ "$1" == +%s ]]; then
  now=$(($(cat "$STUB_CLOCK") + 600)); echo "$now" >"$STUB_CLOCK"; echo "$now"
else
  echo 12:00:00
fi
STUB
  printf '#!/usr/bin/env bash\necho "sleep $*" >>"$STUB_LOG"\n' >"$STUBS/sleep"
  chmod +x "$STUBS"/*
  export PATH="$STUBS:$PATH"
}

@test "--names prints the regions and SSM names it uses, without calling AWS" {
  run bash "$SCRIPT" --names
  assert_success
  assert_output $'buildRegion=us-east-1\nactiveRegions=us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 eu-west-1 eu-central-1\nvariant=ubuntu24-r580\npipelineArnParameter=/fractal/image/ubuntu24-r580/pipeline-arn\namiIdPath=/imagebuilder/fractal/ubuntu24-r580'
  [[ ! -e "$STUB_LOG" ]]
}

@test "with two active variants IMAGE_VARIANT chooses the pipeline, and is needed" {
  VARIANTS="ubuntu24-r580 ubuntu20-r535" write_settings us-east-1 eu-west-1
  run bash "$SCRIPT" --names
  assert_failure 2
  assert_output "build-image: IMAGE_VARIANT is needed: 2 variants are active (ubuntu24-r580 ubuntu20-r535)"
  IMAGE_VARIANT=ubuntu22-r570 run bash "$SCRIPT" --names
  assert_failure 2
  assert_output "build-image: IMAGE_VARIANT=ubuntu22-r570 is not an active variant; allowed: ubuntu24-r580 ubuntu20-r535"
  IMAGE_VARIANT=ubuntu20-r535 run bash "$SCRIPT" --names
  assert_success
  assert_line "pipelineArnParameter=/fractal/image/ubuntu20-r535/pipeline-arn"
  assert_line "amiIdPath=/imagebuilder/fractal/ubuntu20-r535"
  [[ ! -e "$STUB_LOG" ]]
}

@test "without a synthesized settings file it says to synthesize first, and calls nothing" {
  rm "$ASSEMBLY_DIR/gpu-host-settings.json"
  run bash "$SCRIPT"
  assert_failure
  assert_output "settings: $ASSEMBLY_DIR/gpu-host-settings.json does not exist: run 'npm run synth' first (add the same -c settings as for the deploy)"
  [[ ! -e "$STUB_LOG" ]]
}

@test "a settings file of another schema version is refused" {
  jq '.schemaVersion = 3' "$ASSEMBLY_DIR/gpu-host-settings.json" >"$BATS_TEST_TMPDIR/v2.json"
  mv "$BATS_TEST_TMPDIR/v2.json" "$ASSEMBLY_DIR/gpu-host-settings.json"
  run bash "$SCRIPT" --names
  assert_failure
  assert_output --partial "has schemaVersion 3; this script reads version 2"
}

@test "the report covers exactly the regions of the settings file" {
  write_settings eu-west-1 us-east-2
  run bash "$SCRIPT"
  assert_success
  run grep -c 'get-parameters-by-path' "$STUB_LOG"
  assert_output 2
  run cat "$STUB_LOG"
  assert_line --index 0 --partial "ssm get-parameter --region eu-west-1 "
  run cat "$GITHUB_STEP_SUMMARY"
  assert_line '| eu-west-1 | none under `/imagebuilder/fractal/ubuntu24-r580` | | |'
  assert_line '| us-east-2 | `/imagebuilder/fractal/ubuntu24-r580/ami-id` | `ami-0000000000000e002` | yes |'
  refute_line --partial '| us-east-1 |'
}

@test "a build starts the pipeline from SSM, waits for AVAILABLE and tables every region's AMI ID" {
  run bash "$SCRIPT"
  assert_success
  run cat "$STUB_LOG"
  assert_line --index 0 "ssm get-parameter --region us-east-1 --name /fractal/image/ubuntu24-r580/pipeline-arn --query Parameter.Value --output text"
  assert_line --index 1 --partial "imagebuilder start-image-pipeline-execution --region us-east-1 --image-pipeline-arn arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/fractal-gpu-host"
  assert_equal "$(grep -c 'state.status' "$STUB_LOG")" 4
  assert_equal "$(grep -c '^sleep 60$' "$STUB_LOG")" 3
  for region in $(jq -r '.activeRegions[]' "$ASSEMBLY_DIR/gpu-host-settings.json"); do
    assert_line "ssm get-parameters-by-path --region $region --path /imagebuilder/fractal/ubuntu24-r580 --recursive --query Parameters[].[Name,Value] --output text"
  done
  run cat "$GITHUB_STEP_SUMMARY"
  assert_line --partial 'image/fractal-gpu-host/1.0.0/7` is AVAILABLE.'
  assert_line '| us-east-1 | `/imagebuilder/fractal/ubuntu24-r580/ami-id` | `ami-0000000000000e001` | yes |'
  assert_line '| us-east-2 | `/imagebuilder/fractal/ubuntu24-r580/ami-id` | `ami-0000000000000e002` | yes |'
  assert_line '| us-west-2 | `/imagebuilder/fractal/ubuntu24-r580/ami-id` | `ami-00000000000000old` | no |'
  assert_line '| eu-west-1 | none under `/imagebuilder/fractal/ubuntu24-r580` | | |'
}

@test "a failed build fails with Image Builder's reason, in the log and the summary" {
  printf 'BUILDING\nFAILED\n' >"$STUB_STATUSES"
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "::error title=Image build failed::arn:aws:imagebuilder:us-east-1:123456789012:image/fractal-gpu-host/1.0.0/7 ended FAILED: Step ValidateGpu failed: nvidia-smi found no GPU"
  run cat "$GITHUB_STEP_SUMMARY"
  assert_line --partial "ended FAILED: Step ValidateGpu failed: nvidia-smi found no GPU"
  refute_line --partial "| us-east-1 |"
}

@test "a cancelled build fails too" {
  printf 'CANCELLED\n' >"$STUB_STATUSES"
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "ended CANCELLED"
}

@test "the time limit ends the wait with a failure" {
  printf 'BUILDING\n' >"$STUB_STATUSES"
  export BUILD_TIMEOUT_MINUTES=30
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "is still BUILDING after 30 minutes (BUILD_TIMEOUT_MINUTES)"
  # polls at 0, 10 and 20 minutes; the next would be past the limit
  assert_equal "$(grep -c 'state.status' "$STUB_LOG")" 3
}

@test "a missing pipeline parameter says the pipeline stack may not be deployed" {
  export STUB_NO_PIPELINE=1
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "is FractalHostImagePipeline deployed?"
  refute_output --partial "start-image-pipeline-execution"
  run grep -c start-image-pipeline-execution "$STUB_LOG"
  assert_output 0
}

@test "a time limit that is not a whole number is refused before anything starts" {
  export BUILD_TIMEOUT_MINUTES=soon
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "BUILD_TIMEOUT_MINUTES=soon is not a whole number of minutes"
  [[ ! -e "$STUB_LOG" ]]
}

@test "after a build, every AMI of it is tagged in its region with the manifest's key versions" {
  run bash "$SCRIPT"
  assert_success
  run cat "$STUB_LOG"
  assert_line --regexp '^s3 cp --region us-east-1 --no-progress s3://fractalhostimagepipeline-buildlogsbucket0a1b2c3d-1q2w3e4r5t6y/manifests/fractal-gpu-host/1\.0\.0\.json /[^ ]+$'
  local tags='[{"Key":"version:kernel","Value":"5.15.0-1051-aws"},{"Key":"version:nvidiaDriver","Value":"535.183.01"},{"Key":"version:dockerCe","Value":"5:27.5.1-1~ubuntu.20.04~focal"},{"Key":"version:ecsInit","Value":"1.106.1-1"},{"Key":"version:baseAmiId","Value":"ami-0abcdef1234567890"},{"Key":"nvidia-grid-driver-sha256","Value":"4a0cc0aa2fa8ad1a9fa9a1a1c1d6c2d1f7f2e9c0b8a7d6e5f4a3b2c1d0e9f8a7"},{"Key":"nvidia-grid-driver-pinned","Value":"false"}]'
  assert_line "ec2 create-tags --region us-east-1 --resources ami-0000000000000e001 --tags $tags"
  assert_line "ec2 create-tags --region us-east-2 --resources ami-0000000000000e002 --tags $tags"
  assert_equal "$(grep -c '^ec2 create-tags' "$STUB_LOG")" 2
  run cat "$GITHUB_STEP_SUMMARY"
  assert_line --partial 'Version manifest: `s3://fractalhostimagepipeline-buildlogsbucket0a1b2c3d-1q2w3e4r5t6y/manifests/fractal-gpu-host/1.0.0.json`'
  assert_line '| `version:dockerCe` | `5:27.5.1-1~ubuntu.20.04~focal` |'
  assert_line '| `version:baseAmiId` | `ami-0abcdef1234567890` |'
}

@test "a missing version manifest fails the job after the AMI table, and tags nothing" {
  export STUB_NO_MANIFEST=1
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "::error title=Image build failed::Cannot read the version manifest s3://fractalhostimagepipeline-buildlogsbucket0a1b2c3d-1q2w3e4r5t6y/manifests/fractal-gpu-host/1.0.0.json: did the validate phase upload it?"
  run grep -c '^ec2 create-tags' "$STUB_LOG"
  assert_output 0
  run cat "$GITHUB_STEP_SUMMARY"
  assert_line '| us-east-1 | `/imagebuilder/fractal/ubuntu24-r580/ami-id` | `ami-0000000000000e001` | yes |'
}

@test "a file that is not a version manifest fails the job and tags nothing" {
  echo '{"kernel": "5.15"}' >"$STUB_MANIFEST"
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "manifests/fractal-gpu-host/1.0.0.json is not a version manifest (a versions object, a baseAmiId and a nvidia_grid_driver_sha256 are expected)"
  run grep -c '^ec2 create-tags' "$STUB_LOG"
  assert_output 0
}

@test "a manifest without the GRID driver's SHA-256 fails the job and tags nothing: the release gate could not read it" {
  jq 'del(.nvidia_grid_driver_sha256)' "$STUB_MANIFEST" >"$BATS_TEST_TMPDIR/no-sha.json"
  mv "$BATS_TEST_TMPDIR/no-sha.json" "$STUB_MANIFEST"
  run bash "$SCRIPT"
  assert_failure
  assert_output --partial "is not a version manifest (a versions object, a baseAmiId and a nvidia_grid_driver_sha256 are expected)"
  run grep -c '^ec2 create-tags' "$STUB_LOG"
  assert_output 0
}
