#!/usr/bin/env bash
# Builds one image variant's GPU host image with its deployed Image Builder pipeline: starts the pipeline, waits for the
# image to become AVAILABLE, writes a region -> AMI ID table, read from SSM, to the job summary, and tags
# every AMI of the build with the key versions from the image's version manifest.
# A failed build fails this script with Image Builder's own reason.
#
# Usage: scripts/ci/build-image.sh          start a build, wait for it, report
#        scripts/ci/build-image.sh --names  print the regions and SSM names it uses and exit (no AWS call)
#
# Environment:
#   BUILD_TIMEOUT_MINUTES  how long to wait for the image before giving up (default 180)
#   POLL_SECONDS           how often to ask Image Builder (default 60)
#   GITHUB_STEP_SUMMARY    the job summary file (default: standard output)
#   ASSEMBLY_DIR           the synthesized cloud assembly whose settings to use (default: cdk.out)
#   IMAGE_VARIANT          the image variant to build; may be left out when one variant is active
# Needs the AWS CLI with credentials of the CI deploy role, and jq. Regions, the stack name and the SSM
# names come from the settings synthesis resolved (scripts/ci/settings.sh), so run `npm run synth`
# first, with the same -c settings as the deploy.
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly TIMEOUT_MINUTES="${BUILD_TIMEOUT_MINUTES:-180}"
readonly POLL_SECONDS="${POLL_SECONDS:-60}"
readonly SUMMARY="${GITHUB_STEP_SUMMARY:-/dev/stdout}"

setting() {
  bash scripts/ci/settings.sh "$1"
}
BUILD_REGION=$(setting .buildRegion)
mapfile -t ACTIVE_REGIONS < <(setting .activeRegions)
((${#ACTIVE_REGIONS[@]} > 0)) || exit 1 # settings.sh said why
mapfile -t ACTIVE_VARIANTS < <(setting .imageVariants)
VARIANT="${IMAGE_VARIANT:-}"
if [[ -z "$VARIANT" ]]; then
  ((${#ACTIVE_VARIANTS[@]} == 1)) || {
    echo "build-image: IMAGE_VARIANT is needed: ${#ACTIVE_VARIANTS[@]} variants are active (${ACTIVE_VARIANTS[*]})" >&2
    exit 2
  }
  VARIANT=${ACTIVE_VARIANTS[0]}
elif [[ " ${ACTIVE_VARIANTS[*]} " != *" $VARIANT "* ]]; then
  echo "build-image: IMAGE_VARIANT=$VARIANT is not an active variant; allowed: ${ACTIVE_VARIANTS[*]}" >&2
  exit 2
fi
PIPELINE_ARN_PARAMETER=$(setting ".variants[\"$VARIANT\"].imagePipelineArn")
# The variant's own AMI ID parameters, under the path Image Builder may write to.
AMI_ID_PATH="$(setting .ssmNames.amiIdPath)/$VARIANT"
PIPELINE_STACK=$(setting .stacks.imagePipeline)
readonly BUILD_REGION ACTIVE_REGIONS VARIANT PIPELINE_ARN_PARAMETER AMI_ID_PATH PIPELINE_STACK

fail() {
  local message=$1
  echo "::error title=Image build failed::$message" >&2
  printf '### Image build failed\n\n%s\n' "$message" >>"$SUMMARY"
  exit 1
}

start_build() {
  local pipeline_arn
  pipeline_arn=$(aws ssm get-parameter --region "$BUILD_REGION" --name "$PIPELINE_ARN_PARAMETER" \
    --query Parameter.Value --output text) ||
    fail "Cannot read the pipeline ARN from SSM parameter $PIPELINE_ARN_PARAMETER in $BUILD_REGION: is $PIPELINE_STACK deployed?"
  echo "Starting $pipeline_arn" >&2
  aws imagebuilder start-image-pipeline-execution --region "$BUILD_REGION" \
    --image-pipeline-arn "$pipeline_arn" --query imageBuildVersionArn --output text
}

now() {
  date +%s
}

# Polls until the image is AVAILABLE; fails on a terminal state or when the time limit has passed.
wait_for_image() {
  local image_arn=$1 deadline status reason
  deadline=$(($(now) + TIMEOUT_MINUTES * 60))
  while true; do
    status=$(aws imagebuilder get-image --region "$BUILD_REGION" --image-build-version-arn "$image_arn" \
      --query image.state.status --output text)
    echo "$(date -u +%H:%M:%S) $image_arn: $status" >&2
    case "$status" in
      AVAILABLE)
        return 0
        ;;
      FAILED | CANCELLED | DELETED | DEPRECATED | DISABLED)
        reason=$(aws imagebuilder get-image --region "$BUILD_REGION" --image-build-version-arn "$image_arn" \
          --query image.state.reason --output text)
        fail "$image_arn ended $status: $reason"
        ;;
    esac
    if (($(now) + POLL_SECONDS > deadline)); then
      fail "$image_arn is still $status after $TIMEOUT_MINUTES minutes (BUILD_TIMEOUT_MINUTES); the build goes on in Image Builder"
    fi
    sleep "$POLL_SECONDS"
  done
}

# Markdown code: the text in backticks.
code() {
  printf '\x60%s\x60' "$1"
}

# One row per region and AMI ID parameter, marking the AMIs this build distributed.
write_summary() {
  local image_arn=$1 built region name value found
  built=$(aws imagebuilder get-image --region "$BUILD_REGION" --image-build-version-arn "$image_arn" \
    --query 'image.outputResources.amis[].image' --output text | tr -s '\t\n' '  ')
  {
    printf '### GPU host image %s\n\n%s is AVAILABLE.\n\n' "$VARIANT" "$(code "$image_arn")"
    printf '| Region | SSM parameter | AMI ID | From this build |\n| --- | --- | --- | --- |\n'
  } >>"$SUMMARY"
  for region in "${ACTIVE_REGIONS[@]}"; do
    found=false
    while IFS=$'\t' read -r name value; do
      [[ -n "$name" && "$name" != None ]] || continue
      found=true
      printf '| %s | %s | %s | %s |\n' "$region" "$(code "$name")" "$(code "$value")" \
        "$([[ " $built " == *" $value "* ]] && echo yes || echo no)" >>"$SUMMARY"
    done < <(aws ssm get-parameters-by-path --region "$region" --path "$AMI_ID_PATH" --recursive \
      --query 'Parameters[].[Name,Value]' --output text)
    if [[ "$found" == false ]]; then
      printf '| %s | none under %s | | |\n' "$region" "$(code "$AMI_ID_PATH")" >>"$SUMMARY"
      echo "::warning title=No AMI ID in $region::no parameter under $AMI_ID_PATH in $region" >&2
    fi
  done
}

# The version manifest: the validate phase writes it (host-scripts/write_version_manifest.sh) and uploads
# it beside the build logs, at manifests/<image name>/<image version>.json of the build-log bucket: the
# recipe's name and version, as in the image's ARN (image/<name>/<version>/<build number>).
readonly MANIFEST_PREFIX=manifests
# Each key version of the manifest becomes the AMI tag "version:<key>" (version:dockerCe, ...).
readonly VERSION_TAG_PREFIX=version:
# The installed GRID runfile's SHA-256 becomes the tag the release gate compares with the variant's pin
# (its key from the settings), and whether the build verified a pin or measured in record mode
# becomes nvidia-grid-driver-pinned.
readonly DRIVER_PINNED_TAG=nvidia-grid-driver-pinned

manifest_uri() {
  local image_arn=$1 bucket name version_build
  bucket=$(aws imagebuilder get-image --region "$BUILD_REGION" --image-build-version-arn "$image_arn" \
    --query image.infrastructureConfiguration.logging.s3Logs.s3BucketName --output text)
  name=${image_arn#*:image/}
  version_build=${name#*/}
  printf 's3://%s/%s/%s/%s.json\n' "$bucket" "$MANIFEST_PREFIX" "${name%%/*}" "${version_build%/*}"
}

# Tags every AMI of the build, in its region, with the manifest's key versions and base AMI; lists them
# in the job summary.
tag_amis_with_versions() {
  local image_arn=$1 uri manifest tags region ami sha_tag
  sha_tag=$(setting .release.driverSha256TagKey)
  uri=$(manifest_uri "$image_arn")
  manifest=$(mktemp)
  aws s3 cp --region "$BUILD_REGION" --no-progress "$uri" "$manifest" >/dev/null ||
    fail "Cannot read the version manifest $uri: did the validate phase upload it?"
  jq -e '(.versions | type == "object" and length > 0) and (.baseAmiId | type == "string" and startswith("ami-"))
    and (.nvidia_grid_driver_sha256 | type == "string" and test("^[0-9a-f]{64}$"))' \
    "$manifest" >/dev/null 2>&1 ||
    fail "$uri is not a version manifest (a versions object, a baseAmiId and a nvidia_grid_driver_sha256 are expected)"
  tags=$(jq -c --arg prefix "$VERSION_TAG_PREFIX" --arg shaTag "$sha_tag" --arg pinnedTag "$DRIVER_PINNED_TAG" \
    '. as $m | [(.versions | to_entries[]), {key: "baseAmiId", value: .baseAmiId}] | map({Key: ($prefix + .key), Value: .value})
    + [{Key: $shaTag, Value: $m.nvidia_grid_driver_sha256}, {Key: $pinnedTag, Value: ($m.nvidia_grid_driver_pinned | tostring)}]' \
    "$manifest")
  while read -r region ami; do
    [[ -n "$ami" ]] || continue
    aws ec2 create-tags --region "$region" --resources "$ami" --tags "$tags"
    echo "Tagged $ami in $region with the image's versions" >&2
  done < <(aws imagebuilder get-image --region "$BUILD_REGION" --image-build-version-arn "$image_arn" \
    --query 'image.outputResources.amis[].[region,image]' --output text)
  {
    printf '\nVersion manifest: %s. Tags on every AMI of this build:\n\n| Tag | Value |\n| --- | --- |\n' "$(code "$uri")"
    jq -r '.[] | "| `\(.Key)` | `\(.Value)` |"' <<<"$tags"
  } >>"$SUMMARY"
  rm -f "$manifest"
}

main() {
  if [[ "${1:-}" == --names ]]; then
    printf 'buildRegion=%s\nactiveRegions=%s\nvariant=%s\npipelineArnParameter=%s\namiIdPath=%s\n' "$BUILD_REGION" \
      "${ACTIVE_REGIONS[*]}" "$VARIANT" "$PIPELINE_ARN_PARAMETER" "$AMI_ID_PATH"
    return 0
  fi
  [[ "$TIMEOUT_MINUTES" =~ ^[1-9][0-9]*$ ]] || fail "BUILD_TIMEOUT_MINUTES=$TIMEOUT_MINUTES is not a whole number of minutes"
  [[ "$POLL_SECONDS" =~ ^[1-9][0-9]*$ ]] || fail "POLL_SECONDS=$POLL_SECONDS is not a whole number of seconds"
  local image_arn
  image_arn=$(start_build)
  echo "Image build $image_arn started; waiting up to $TIMEOUT_MINUTES minutes" >&2
  wait_for_image "$image_arn"
  write_summary "$image_arn"
  tag_amis_with_versions "$image_arn"
}

main "$@"
