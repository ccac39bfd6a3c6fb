#!/usr/bin/env bash
# Deploys the network stack of the build region and a dev-instance stack with the CDK CLI into moto, a
# local AWS API emulator started on a free loopback port, checks what was deployed (read through botocore
# in one process, scripts/lib/emulator_facts.py, then queried with jq), destroys the dev stack, and says
# what the emulator cannot show (docs/emulator.md).
# Run it alone with the project's Node and CDK CLI first on PATH:
#   PATH="$PWD/node_modules/.bin:$PATH" bash scripts/emulator-deploy-test.sh
# ASSEMBLY_DIR names an assembly already synthesized with this test's -c flags (below) instead of its own
# synth; EMULATOR_ENDPOINT a running server to use (scripts/lib/emulator.sh).
# shellcheck disable=SC2016 # the checks' jq filters name jq's own $variables
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
readonly ACCOUNT=$EMULATOR_ACCOUNT
readonly DEVELOPER=testdev
readonly SSH_CIDR=203.0.113.0/24 # TEST-NET-3: deployed so that the SSH rule exists and can be checked

emulator_test_begin node cdk aws mvn java jq
trap 'echo "emulator-deploy-test: line $LINENO failed" >&2' ERR

not_covered() {
  echo "NOT COVERED: $1 ($2)"
}

# --- Synthesize once, without credentials, and read the settings it resolved ------------------------------
cdk_flags=(--no-notices --no-color)
deploy_flags=(--require-approval never --progress events)
# moto's change sets create resources but never the stack outputs, so deploy without one: CreateStack.
deploy_flags+=(--method=direct)
assembly=${ASSEMBLY_DIR:-$work/cdk.out}
# cli_step WHAT COMMAND...: a CDK CLI step; after a failed one there is nothing to check.
cli_step() {
  echo "== $1"
  if "${@:2}"; then
    pass "$1"
  else
    fail "$1 (exit status $?)"
    finish
  fi
}
# shellcheck disable=SC2317 # run by cli_step
synth() {
  cdk synth "${cdk_flags[@]}" --quiet --output "$assembly" -c "developer=$DEVELOPER" -c "sshCidr=$SSH_CIDR" \
    -c "imageVariants=$VARIANTS" >/dev/null
}
touch "$work/aws-config"
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-config"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
# Two active variants: the dev instance's type (g4dn) is served by the current one only.
readonly VARIANTS=ubuntu24-r580,ubuntu20-r535
if [[ -n "${ASSEMBLY_DIR:-}" ]]; then
  echo "== the assembly in $ASSEMBLY_DIR (synthesized with -c developer=$DEVELOPER -c sshCidr=$SSH_CIDR" \
    "-c imageVariants=$VARIANTS)"
else
  cli_step "cdk synth -c developer=$DEVELOPER -c sshCidr=$SSH_CIDR -c imageVariants=$VARIANTS" synth
fi

# What this test deploys and expects, as synthesis resolved it (never the CDK app's context file).
setting() {
  ASSEMBLY_DIR="$assembly" bash scripts/ci/settings.sh "$1"
}
REGION=$(setting .devInstance.region)
DEV_VARIANT=$(setting .devInstance.variant)
BASE_IMAGE_PARAMETER=$(setting ".variants[\"$DEV_VARIANT\"].baseImageSsmParameter")
SSM_PREFIX=$(setting .ssmPrefix)
HOST_PORTS="$(setting .dynamicHostPorts.from)-$(setting .dynamicHostPorts.to)"
INSTANCE_TYPE=$(setting .devInstance.instanceType)
ROOT_GIB=$(setting .rootVolumeGiB)
SUBNET_INDEX=$(setting .devInstance.subnetIndex)
PROJECT_TAG=$(setting .projectTag)
DEV_NAME_TAG=$(setting .devInstance.nameTag)
NETWORK_STACK=$(setting ".stacks.network[\"$REGION\"]")
DEV_STACK=$(setting .stacks.devInstance)
readonly REGION DEV_VARIANT BASE_IMAGE_PARAMETER SSM_PREFIX HOST_PORTS INSTANCE_TYPE ROOT_GIB SUBNET_INDEX PROJECT_TAG \
  DEV_NAME_TAG NETWORK_STACK DEV_STACK
# Security groups by key (as in the SSM names) and their names in EC2.
declare -A group_names
for key in $(setting '.securityGroupNames | keys'); do
  group_names[$key]=$(setting ".securityGroupNames[\"$key\"]")
done
readonly TESTING_GROUP=${group_names["container-testing"]} PRODUCTION_GROUP=${group_names["production-hosts"]} \
  BUILDER_GROUP=${group_names["image-builder"]}

# --- The emulator, with dummy credentials and nothing of the caller's AWS configuration ----------------
emulator_start "$work" "$REGION" "$BASE_IMAGE_PARAMETER"
check "emulator account" "$ACCOUNT" "$(aws sts get-caller-identity --query Account --output text)"
seeded_ami=$(aws ssm get-parameter --name "$BASE_IMAGE_PARAMETER" --query Parameter.Value --output text)
check "seeded $BASE_IMAGE_PARAMETER names an AMI in the emulator" "$seeded_ami" \
  "$(aws ec2 describe-images --image-ids "$seeded_ami" --query 'Images[0].ImageId' --output text)"

# The active regions and their network stacks, as synthesis resolved them.
mapfile -t regions < <(jq -r '.activeRegions[]' "$assembly/gpu-host-settings.json")
mapfile -t network_stacks < <(jq -r '.activeRegions[] as $r | .stacks.network[$r]' "$assembly/gpu-host-settings.json")
environments=()
for region in "${regions[@]}"; do environments+=("aws://$ACCOUNT/$region"); done
cli_step "cdk bootstrap of ${#regions[@]} regions" cdk bootstrap "${cdk_flags[@]}" --app "$assembly" "${environments[@]}"

# Every region's network stack at once, as the README and the deploy workflow do; timed.
# deploy_networks CONCURRENCY: deploys them all and records the wall time in $deploy_seconds.
# shellcheck disable=SC2317 # run by cli_step
deploy_networks() {
  local start=$EPOCHREALTIME
  cdk deploy "${cdk_flags[@]}" "${deploy_flags[@]}" --app "$assembly" --concurrency "$1" "${network_stacks[@]}" \
    >"$work/deploy-$1.log" 2>&1 || {
    tail -n 30 "$work/deploy-$1.log"
    return 1
  }
  deploy_seconds=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
}
cli_step "cdk deploy --concurrency ${#regions[@]} of ${#regions[@]} network stacks" deploy_networks "${#regions[@]}"
parallel_seconds=$deploy_seconds
cli_step "cdk deploy $DEV_STACK" cdk deploy "${cdk_flags[@]}" "${deploy_flags[@]}" --app "$assembly" "$DEV_STACK"

# --- Checks -------------------------------------------------------------------------------------------
# Everything the checks read, read once per state (deployed, destroyed, redeployed) by one process through
# botocore (scripts/lib/emulator_facts.py); each check is a jq query over it, in the region the AWS CLI is
# set to ($AWS_REGION). One AWS CLI process per check cost about a second each.
echo "== checks"
facts=$work/facts.json
read_facts() { python3 scripts/lib/emulator_facts.py "$facts" "$@"; } # read_facts REGION...
fact() { jq -r --arg region "$AWS_REGION" "$@" <"$facts"; }           # fact [--arg N V]... FILTER [--args V...]
stack_status() {
  fact --arg s "$1" '.regions[$region].stacks[$s].status // "(no such stack)"'
}
resource_id() { # resource_id STACK TYPE: the physical IDs of the stack's resources of that type
  fact --arg s "$1" --arg t "$2" '.regions[$region].stacks[$s].resources[$t] // [] | join("\t")'
}
parameter() {
  fact --arg n "$1" '.regions[$region].parameters[$n] // "(missing)"'
}
output() {
  fact --arg s "$DEV_STACK" --arg k "$1" '.regions[$region].stacks[$s].outputs[$k] // ""'
}
# Filters: TAG_LIST reads {key: value} and prints "key=value" for each key in $ARGS (--args), in order;
# from_tag_list turns a list of {Key, Value} into {key: value}.
readonly TAG_LIST='. as $tags | [$ARGS.positional[] | "\(.)=\($tags[.] // "(none)")"] | join(" ")'
readonly from_tag_list='(. // []) | map({(.Key): .Value}) | add // {}'

# Security groups: every ingress rule as "protocol from-to source", sorted; exactly the intended ones.
# The helpers ask about $stack's VPC ($vpc_id) in the region the AWS CLI is set to.
group_id() {
  fact --arg vpc "$vpc_id" --arg g "$1" \
    '[.regions[$region].securityGroups[] | select(.VpcId == $vpc and .GroupName == $g) | .GroupId] | join("\t")'
}
deployed_rules() {
  fact --arg id "$1" '[.regions[$region].securityGroups[] | select(.GroupId == $id) | .IpPermissions[]? | . as $p
    | ([.IpRanges[]?.CidrIp] + [.Ipv6Ranges[]?.CidrIpv6] + [.UserIdGroupPairs[]?.GroupId] + [.PrefixListIds[]?.PrefixListId])[]
    | "\($p.IpProtocol) \($p.FromPort // "all")-\($p.ToPort // "all") \(.)"] | sort | join("; ")'
}
template_rules() { # the rules with their descriptions, as the deployed stack's template gives them
  fact --arg s "$stack" --arg g "$1" '[.regions[$region].stacks[$s].template.Resources[]
    | select(.Type == "AWS::EC2::SecurityGroup" and .Properties.GroupName == $g) | .Properties.SecurityGroupIngress[]?
    | "\(.IpProtocol) \(.FromPort)-\(.ToPort) \(.CidrIp) \"\(.Description)\""] | sort | join("; ")'
}
subnets() { # subnets FILTER: FILTER over the VPC's subnets
  fact --arg vpc "$vpc_id" "[.regions[\$region].subnets[] | select(.VpcId == \$vpc)] | $1"
}
sorted_rules() { printf '%s\n' "$@" | sort | paste -sd ';' - | sed 's/;/; /g'; }

host_tcp="tcp $HOST_PORTS 0.0.0.0/0"
host_udp="udp $HOST_PORTS 0.0.0.0/0"
host_tcp_text="ECS dynamic host ports $HOST_PORTS TCP (mapped streaming ports) from clients anywhere"
host_udp_text="ECS dynamic host ports $HOST_PORTS UDP (mapped streaming ports) from clients anywhere"
declare -A rules described
rules["$TESTING_GROUP"]=$(sorted_rules "tcp 32262-32262 0.0.0.0/0" "udp 32263-32263 0.0.0.0/0" \
  "tcp 32273-32273 0.0.0.0/0" "$host_tcp" "$host_udp" "tcp 22-22 $SSH_CIDR")
described["$TESTING_GROUP"]=$(sorted_rules \
  "tcp 32262-32262 0.0.0.0/0 \"Streaming protocol TCP 32262 from clients anywhere\"" \
  "udp 32263-32263 0.0.0.0/0 \"Streaming protocol UDP 32263 from clients anywhere\"" \
  "tcp 32273-32273 0.0.0.0/0 \"Streaming protocol TCP 32273 from clients anywhere\"" \
  "$host_tcp \"$host_tcp_text\"" "$host_udp \"$host_udp_text\"" \
  "tcp 22-22 $SSH_CIDR \"SSH from the configured sshCidr only\"")
rules["$PRODUCTION_GROUP"]=$(sorted_rules "$host_tcp" "$host_udp")
described["$PRODUCTION_GROUP"]=$(sorted_rules "$host_tcp \"$host_tcp_text\"" "$host_udp \"$host_udp_text\"")
rules["$BUILDER_GROUP"]=""
described["$BUILDER_GROUP"]=""
network="$SSM_PREFIX/network"
declare -A group_ids
# check_network REGION STACK: the stack's security groups and the SSM parameters it publishes in REGION.
# Leaves $vpc_id and group_ids set to that region's.
check_network() {
  local region=$1 group key name subnets_by_az
  stack=$2
  export AWS_REGION="$region" AWS_DEFAULT_REGION="$region"
  check "$region: $stack status" CREATE_COMPLETE "$(stack_status "$stack")"
  vpc_id=$(resource_id "$stack" AWS::EC2::VPC)
  for group in "${group_names[@]}"; do
    group_ids[$group]=$(group_id "$group")
    if [[ "${group_ids[$group]}" =~ ^sg-[0-9a-f]+$ ]]; then
      pass "$region: security group $group exists in the stack's VPC: ${group_ids[$group]}"
      check "$region: ingress of $group" "${rules[$group]}" "$(deployed_rules "${group_ids[$group]}")"
      check "$region: ingress of $group with descriptions, in the deployed template" "${described[$group]}" \
        "$(template_rules "$group")"
    else
      fail "$region: security group $group in VPC $vpc_id: found [${group_ids[$group]}]"
    fi
  done

  # SSM parameters: the IDs the dev stacks and the image pipeline read.
  check "$region: $network/vpc-id" "$vpc_id" "$(parameter "$network/vpc-id")"
  subnets_by_az=$(subnets 'sort_by(.AvailabilityZone) | map(.SubnetId) | join(",")')
  check "$region: $network/public-subnet-ids (the VPC's subnets, in AZ order)" "$subnets_by_az" \
    "$(parameter "$network/public-subnet-ids")"
  check "$region: the public subnets lie in two AZs" 2 "$(subnets 'map(.AvailabilityZone) | unique | length')"
  for key in "${!group_names[@]}"; do
    name=${group_names[$key]}
    check "$region: $network/security-groups/$key-id" "${group_ids[$name]:-}" \
      "$(parameter "$network/security-groups/$key-id")"
  done
  check "$region: tags of $network/vpc-id" "project=$PROJECT_TAG component=network" \
    "$(fact --arg n "$network/vpc-id" ".regions[\$region].parameterTags[\$n] // {} | $TAG_LIST" --args project component)"
}
read_facts "${regions[@]}"
# Every region's network, the build region's last: the dev instance's checks below use its IDs.
for i in "${!regions[@]}"; do
  [[ "${regions[$i]}" == "$REGION" ]] || check_network "${regions[$i]}" "${network_stacks[$i]}"
done
check_network "$REGION" "$NETWORK_STACK"
not_covered "descriptions of the ingress rules on the deployed groups" \
  "moto's CloudFormation drops the Description of inline ingress rules; checked in the template above"
check "$DEV_STACK status" CREATE_COMPLETE "$(stack_status "$DEV_STACK")"

# The dev instance.
instance_id=$(resource_id "$DEV_STACK" AWS::EC2::Instance)
instance() { # instance FILTER [--args ...]: FILTER over the dev instance
  fact --arg id "$instance_id" "(.regions[\$region].instances[] | select(.InstanceId == \$id)) | $1" "${@:2}"
}
check "dev instance state" running "$(instance .State.Name)"
check "dev instance type" "$INSTANCE_TYPE" "$(instance .InstanceType)"
check "dev instance image (Canonical's parameter, resolved at deploy time)" "$seeded_ami" "$(instance .ImageId)"
subnet_ids=$(parameter "$network/public-subnet-ids")
IFS=, read -r -a subnet_list <<<"$subnet_ids"
check "dev instance subnet (public subnet $SUBNET_INDEX)" "${subnet_list[$SUBNET_INDEX]:-}" "$(instance .SubnetId)"
check "dev instance security groups" "${group_ids["$TESTING_GROUP"]:-}" \
  "$(instance '[.NetworkInterfaces[].Groups[].GroupId] | join("\t")')"
public_ip=$(instance .PublicIpAddress)
if [[ "$public_ip" =~ ^[0-9.]+$ ]]; then pass "dev instance has a public IP: $public_ip"; else fail "dev instance public IP: [$public_ip]"; fi
root_volume=$(instance '.RootDeviceName as $d | [.BlockDeviceMappings[] | select(.DeviceName == $d) | .Ebs.VolumeId][0]')
volumes() { fact --arg v "$root_volume" "[.regions[\$region].volumes[] | select(.VolumeId == \$v)] | $1"; }
check "dev instance root volume (size GiB, encrypted, type)" "$ROOT_GIB true gp3" \
  "$(volumes '.[0] | "\(.Size) \(.Encrypted) \(.VolumeType)"')"
check "dev instance tags" "project=$PROJECT_TAG component=dev-instance owner=$DEVELOPER Name=$DEV_NAME_TAG" \
  "$(instance ".Tags | $from_tag_list | $TAG_LIST" --args project component owner Name)"

template_id=$(resource_id "$DEV_STACK" AWS::EC2::LaunchTemplate)
check "dev instance launched from the stack's launch template" "$template_id" \
  "$(instance '.Tags | '"$from_tag_list"' | .["aws:ec2launchtemplate:id"]')"
template_data() { # template_data FILTER: FILTER over the data of the launch template's latest version
  fact --arg id "$template_id" ".regions[\$region].launchTemplates[\$id] | $1"
}
check "launch template requires IMDSv2 (HttpTokens)" required "$(template_data .MetadataOptions.HttpTokens)"
not_covered "IMDSv2 on the running instance" "moto's RunInstances does not apply a launch template's MetadataOptions"
profile_name=$(resource_id "$DEV_STACK" AWS::IAM::InstanceProfile)
profile() { fact --arg p "$profile_name" ".iam.instanceProfiles[\$p] | $1"; }
profile_arn=$(profile .Arn)
check "launch template's instance profile is the stack's" "$profile_arn" "$(template_data .IamInstanceProfile.Arn)"
check "the instance profile holds the stack's role" "$(resource_id "$DEV_STACK" AWS::IAM::Role)" \
  "$(profile '[.Roles[].RoleName] | join("\t")')"
role_name=$(resource_id "$DEV_STACK" AWS::IAM::Role)
check "the role can be assumed by EC2" ec2.amazonaws.com \
  "$(fact --arg r "$role_name" '[.iam.roles[$r].role.AssumeRolePolicyDocument.Statement[].Principal.Service] | flatten | join("\t")')"
not_covered "Session Manager's managed policy on the role" \
  "moto's CloudFormation ignores the ManagedPolicyArns of an AWS::IAM::Role"
not_covered "instance profile on the running instance" \
  "moto's RunInstances does not apply a launch template's IamInstanceProfile"

# The host-scripts asset: published into the bootstrap bucket, where the instance's user data fetches it.
# shellcheck disable=SC2016 # ${AWS::AccountId} is the asset manifest's placeholder, replaced in Python
read -r asset_bucket asset_key asset_dir < <(python3 -c '
import json, sys
manifest = json.load(open(sys.argv[1]))
for asset in manifest["files"].values():
    if asset["source"].get("packaging") == "zip":
        dest = next(iter(asset["destinations"].values()))
        bucket = dest["bucketName"].replace("${AWS::AccountId}", sys.argv[2]).replace("${AWS::Region}", sys.argv[3])
        print(bucket, dest["objectKey"], asset["source"]["path"])' \
  "$assembly/$DEV_STACK.assets.json" "$ACCOUNT" "$REGION")
if aws s3 cp --only-show-errors "s3://$asset_bucket/$asset_key" "$work/host-scripts.zip"; then
  check "host-scripts asset in s3://$asset_bucket (files in the zip)" \
    "$(cd "$assembly/$asset_dir" && find . -type f | sed 's|^\./||' | sort | paste -sd ' ' -)" \
    "$(python3 -c 'import sys, zipfile; print(" ".join(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if not n.endswith("/"))))' "$work/host-scripts.zip")"
else
  fail "host-scripts asset s3://$asset_bucket/$asset_key was not published"
fi
if template_data .UserData | base64 -d | grep -qF "s3://$asset_bucket/$asset_key"; then
  pass "the instance's user data fetches s3://$asset_bucket/$asset_key"
else
  fail "the instance's user data does not fetch s3://$asset_bucket/$asset_key"
fi
check "the dev instance boots the variant that serves its type" ubuntu24-r580 "$DEV_VARIANT"
if template_data .UserData | base64 -d | grep -qxF "export IMAGE_VARIANT=$DEV_VARIANT"; then
  pass "the instance's user data gives the scripts IMAGE_VARIANT=$DEV_VARIANT"
else
  fail "the instance's user data does not export IMAGE_VARIANT=$DEV_VARIANT"
fi

# The role may read exactly the asset and its variant's pinned NVIDIA GRID driver in the mirror, nothing else.
pinned() { grep -E "^$2=" "host-scripts/$1" | cut -d= -f2-; } # pinned FILE KEY
role_grants() {
  fact --arg r "$role_name" '[.iam.roles[$r].policies[].Statement[] | . as $st
    | ([$st.Action] | flatten)[] as $action | ([$st.Resource] | flatten)[] as $resource
    | "\($st.Effect) \($action) \($resource)"] | sort | join("; ")'
}
# The driver comes from the project's mirror in the build region (as deployed, the account resolved), never
# from AWS's bucket: the user data names it to part 1, and the role may read only the pinned key there.
mirror_bucket="fractal-gpu-host-drivers-$ACCOUNT-$(setting .buildRegion)"
if template_data .UserData | base64 -d |
  grep -qxF "export NVIDIA_DRIVER_MIRROR_BUCKET=$mirror_bucket NVIDIA_DRIVER_MIRROR_REGION=$(setting .buildRegion)"; then
  pass "the instance's user data names the driver mirror $mirror_bucket to part 1"
else
  fail "the instance's user data does not export NVIDIA_DRIVER_MIRROR_BUCKET=$mirror_bucket with its region"
fi
check "the role's own policy" "$(sorted_rules "Allow s3:GetObject arn:aws:s3:::$asset_bucket/$asset_key" \
  "Allow s3:GetObject arn:aws:s3:::$mirror_bucket/$(pinned "variants/$DEV_VARIANT.env" NVIDIA_GRID_DRIVER_KEY)")" "$(role_grants)"

# The stack outputs, as an engineer reads them after cdk deploy.
check "output InstanceId" "$instance_id" "$(output InstanceId)"
check "output SessionCommand" "aws ssm start-session --target $instance_id --region $REGION" "$(output SessionCommand)"
check "output PublicDnsName" "$(instance .PublicDnsName)" "$(output PublicDnsName)"
check "output SetupLog" /var/log/fractal-dev-setup.log "$(output SetupLog)"

# What moto's CloudFormation cannot create: it records such a resource in the stack and creates nothing.
python3 - "$assembly" "$DEV_STACK" "${network_stacks[@]}" <<'EOF'
import json, sys
from moto.cloudformation.parsing import get_model_map

assembly, deployed = sys.argv[1], sys.argv[2:]
supported = get_model_map()
stacks = {name: a for name, a in json.load(open(f"{assembly}/manifest.json"))["artifacts"].items()
          if a["type"] == "aws:cloudformation:stack"}
for name, artifact in stacks.items():
    template = json.load(open(f"{assembly}/{artifact['properties']['templateFile']}"))
    unsupported = sorted({r["Type"] for r in template["Resources"].values() if r["Type"] not in supported})
    if name in deployed:
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] not in supported:
                print(f"NOT COVERED: {name} {logical_id} ({resource['Type']}: moto's CloudFormation has no "
                      "handler for this type, so nothing is created and nothing can be checked)")
    elif unsupported:
        print(f"NOT COVERED: stack {name} (not deployed here; moto's CloudFormation has no handler for "
              f"{', '.join(unsupported)})")
    else:
        print(f"NOT COVERED: stack {name} (not deployed here)")
EOF

# --- cdk destroy: the dev stack goes, the network stays ------------------------------------------------
cli_step "cdk destroy $DEV_STACK" cdk destroy "${cdk_flags[@]}" --app "$assembly" --force "$DEV_STACK"
read_facts "$REGION"
check "$DEV_STACK after destroy" "(no such stack)" "$(stack_status "$DEV_STACK")"
check "dev instance after destroy" terminated "$(instance .State.Name)"
check "dev root volume after destroy (deleted on termination)" 0 "$(volumes length)"
check "launch template after destroy" 0 "$(fact --arg id "$template_id" '[.regions[$region].launchTemplates[$id] // empty] | length')"
check "instance profile after destroy" 0 "$(fact --arg p "$profile_name" '[.iam.instanceProfiles[$p] // empty] | length')"
check "$NETWORK_STACK after destroying the dev stack" CREATE_COMPLETE "$(stack_status "$NETWORK_STACK")"
check "$network/vpc-id after destroying the dev stack" "$vpc_id" "$(parameter "$network/vpc-id")"
check "container-testing group after destroying the dev stack" "${group_ids["$TESTING_GROUP"]:-}" "$(group_id "$TESTING_GROUP")"

not_covered "the CloudWatch alarm's stop action and the first-boot setup" \
  "no instance really runs in the emulator: nothing boots, reports CPU or executes user data"

echo "TIME: cdk deploy --concurrency ${#regions[@]} of ${#regions[@]} network stacks: ${parallel_seconds} s" \
  "(one stack at a time against moto: bench/README.md, Deploys)"

finish
