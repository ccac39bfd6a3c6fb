#!/usr/bin/env bash
# The workload baseline's StackSet against moto, a local AWS API emulator on a free loopback port: an
# organization with two OUs and a member account in each (and a third member outside them; made by
# scripts/emulator-release-aws.py, as for the accounts release test), the app
# synthesized with those OUs as shareWithOrganizationalUnits, then the StackSet and its stack instances created
# through the AWS CLI from the synthesized StackSet's own properties (template body, targets, parameters,
# regions, permission model, auto-deployment, capabilities), as CloudFormation would create them. It checks,
# through each account's assumed-role credentials (every account read once, scripts/lib/emulator_facts.py),
# that both OU members got the baseline in every active
# region (the security groups with container-testing's exact rules, the network IDs in SSM, the release
# channel writer role with its trust) and that neither the build account nor the member outside the OUs did.
# Run it alone with the project's Node and CDK CLI first on PATH:
#   PATH="$PWD/node_modules/.bin:$PATH" bash scripts/emulator-stackset-test.sh
# EMULATOR_ENDPOINT names a running server to use (scripts/lib/emulator.sh), which it empties first.
# shellcheck disable=SC2016 # the checks' jq filters name jq's own $variables
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh

emulator_test_begin node cdk aws mvn java jq

readonly SSH_CIDR=203.0.113.0/24         # a documentation-only range, so that the optional SSH rule exists
readonly BUILD_ACCOUNT=$EMULATOR_ACCOUNT # moto's management account stands in for the delegated administrator
# Two active regions, the build region and another: moto creates each stack instance's resources in one
# process, and every region more adds its checks in both accounts.
readonly REGIONS=us-east-1,eu-west-1

emulator_start "$work" us-east-1 /aws/service/unused/base-ami-id

# --- The organization: two OUs with a member each, and a member left at the root --------------------------
echo "== organization"
{
  read -r prod_ou staging_ou
  read -r prod_account staging_account
  read -r outside_account
} < <(python3 scripts/emulator-release-aws.py - "$work/organization.json" organization)
echo "$prod_ou: $prod_account; $staging_ou: $staging_account; at the root: $outside_account"

# --- Synthesize with those OUs: the StackSet's properties come from the assembly, never from cdk.json ------
assembly=$work/cdk.out
echo "== cdk synth -c shareWithOrganizationalUnits=<the two OUs> -c sshCidr=$SSH_CIDR -c activeRegions=$REGIONS"
cdk synth --no-notices --no-color --quiet --output "$assembly" -c "shareWithOrganizationalUnits=$prod_ou,$staging_ou" \
  -c "sshCidr=$SSH_CIDR" -c "activeRegions=$REGIONS" -c "buildRegion=${REGIONS%%,*}" >"$work/synth.log" 2>&1 || {
  tail -n 30 "$work/synth.log"
  fail "cdk synth with the sharing settings"
  finish
}
setting() { ASSEMBLY_DIR=$assembly bash scripts/ci/settings.sh "$1"; }
mapfile -t regions < <(setting '.activeRegions')
SSM_PREFIX=$(setting .ssmPrefix)
HOST_PORTS="$(setting .dynamicHostPorts.from)-$(setting .dynamicHostPorts.to)"
readonly SSM_PREFIX HOST_PORTS
stack_set_stack=$(jq -r '.artifacts | to_entries[] | select(.value.type == "aws:cloudformation:stack")
  | select(.value.properties.templateFile == "FractalWorkloadBaseline.template.json") | .key' "$assembly/manifest.json")
check "the assembly holds the StackSet's stack" FractalWorkloadBaseline "$stack_set_stack"
# The StackSet resource's properties, with AWS::AccountId resolved as CloudFormation resolves it in the build account.
jq --arg account "$BUILD_ACCOUNT" '.Resources[] | select(.Type == "AWS::CloudFormation::StackSet") | .Properties
  | walk(if . == {"Ref": "AWS::AccountId"} then $account else . end)' \
  "$assembly/FractalWorkloadBaseline.template.json" >"$work/stack-set.json"
property() { jq -c "$@" "$work/stack-set.json"; } # property [-r] FILTER
jq -r .TemplateBody "$work/stack-set.json" >"$work/baseline.template.json"
name=$(property -r .StackSetName)

# --- Create the StackSet and its stack instances as CloudFormation would -----------------------------------
echo "== create-stack-set $name and its stack instances"
aws cloudformation create-stack-set --stack-set-name "$name" \
  --template-body "file://$work/baseline.template.json" \
  --permission-model "$(property -r .PermissionModel)" \
  --auto-deployment "$(property .AutoDeployment)" \
  --capabilities "$(property -r '.Capabilities[]')" \
  --parameters "$(property .Parameters)" \
  --description "$(property -r .Description)" >/dev/null
groups=$(property '.StackInstancesGroup | length')
check "instance groups in the synthesized StackSet" 1 "$groups"
for ((i = 0; i < groups; i++)); do
  mapfile -t group_regions < <(property -r ".StackInstancesGroup[$i].Regions[]")
  aws cloudformation create-stack-instances --stack-set-name "$name" \
    --deployment-targets "$(property ".StackInstancesGroup[$i].DeploymentTargets")" \
    --regions "${group_regions[@]}" >/dev/null
done
check "stack instances: both OU members in every active region" \
  "$(for a in "$prod_account" "$staging_account"; do for r in "${regions[@]}"; do echo "$a $r"; done; done | sort)" \
  "$(aws cloudformation list-stack-instances --stack-set-name "$name" \
    --query 'Summaries[].[Account, Region]' --output text | tr '\t' ' ' | sort)"

# --- Checks, in each account through its assumed-role credentials ------------------------------------------
# What every account holds in every active region, read once through botocore by one process, each account
# through the role assumed there (moto takes the account from the credentials), as
# scripts/lib/emulator_facts.py describes; each check is a jq query over it. One AWS CLI process per check cost
# about half a second each, for about eighty checks.
facts=$work/facts.json
python3 scripts/lib/emulator_facts.py "$facts" "${regions[@]}" --role OrganizationAccountAccessRole \
  --accounts "$prod_account,$staging_account,$outside_account,$BUILD_ACCOUNT"
# held ACCOUNT REGION FILTER [jq options...]: FILTER over what REGION of ACCOUNT holds (.parameters, .vpcs, ...)
held() { jq -r --arg a "$1" --arg r "$2" "${@:4}" ".accounts[\$a].regions[\$r] | $3" <"$facts"; }
# iam ACCOUNT FILTER [jq options...]: FILTER over the account's IAM (.roles[NAME].role, .roles[NAME].policies[NAME])
iam() { jq -r --arg a "$1" "${@:3}" ".accounts[\$a].iam | $2" <"$facts"; }
parameter() { held "$1" "$2" '.parameters[$n] // "(missing)"' --arg n "$3"; } # parameter ACCOUNT REGION NAME
group_named() { held "$1" "$2" '[.securityGroups[] | select(.GroupName == $g) | .GroupId] | join("\t")' --arg g "$3"; }
rules_of() { # rules_of ACCOUNT REGION GROUP_ID: every ingress rule as "protocol from-to source", sorted
  held "$1" "$2" '[.securityGroups[] | select(.GroupId == $id) | .IpPermissions[] | . as $p
    | .IpRanges[]?.CidrIp | "\($p.IpProtocol) \($p.FromPort)-\($p.ToPort) \(.)"] | sort | join("; ")' --arg id "$3"
}
sorted() { printf '%s\n' "$@" | sort | paste -sd ';' | sed 's/;/; /g'; }
testing_rules=$(sorted "tcp 32262-32262 0.0.0.0/0" "udp 32263-32263 0.0.0.0/0" "tcp 32273-32273 0.0.0.0/0" \
  "tcp $HOST_PORTS 0.0.0.0/0" "udp $HOST_PORTS 0.0.0.0/0" "tcp 22-22 $SSH_CIDR")
production_rules=$(sorted "tcp $HOST_PORTS 0.0.0.0/0" "udp $HOST_PORTS 0.0.0.0/0")
writer_role=$(jq -r '.Resources[] | select(.Type == "AWS::IAM::Role") | .Properties.RoleName // empty' \
  "$work/baseline.template.json")
network=$SSM_PREFIX/network

# check_baseline ACCOUNT REGION: the network and the writer role are there.
check_baseline() {
  local account=$1 region=$2 group id vpc_id
  vpc_id=$(parameter "$account" "$region" "$network/vpc-id")
  check "$account $region: $network/vpc-id names a VPC of the account" "$vpc_id" \
    "$(held "$account" "$region" '[.vpcs[] | select(.VpcId == $v) | .VpcId] | join("\t")' --arg v "$vpc_id")"
  check "$account $region: $network/public-subnet-ids (the VPC's two subnets)" \
    "$(held "$account" "$region" '[.subnets[] | select(.VpcId == $v) | .SubnetId] | sort | join(",")' --arg v "$vpc_id")" \
    "$(parameter "$account" "$region" "$network/public-subnet-ids" | tr ',' '\n' | sort | paste -sd,)"
  for group in container-testing fractal-production-hosts fractal-image-builder; do
    id=$(group_named "$account" "$region" "$group")
    check "$account $region: $network/security-groups/${group#fractal-}-id is the group $group" "$id" \
      "$(parameter "$account" "$region" "$network/security-groups/${group#fractal-}-id")"
  done
  check "$account $region: ingress of container-testing" "$testing_rules" \
    "$(rules_of "$account" "$region" "$(group_named "$account" "$region" container-testing)")"
  check "$account $region: ingress of fractal-production-hosts" "$production_rules" \
    "$(rules_of "$account" "$region" "$(group_named "$account" "$region" fractal-production-hosts)")"
  check "$account $region: no ingress on fractal-image-builder" "" \
    "$(rules_of "$account" "$region" "$(group_named "$account" "$region" fractal-image-builder)")"
}
check_writer_role() {
  local account=$1
  check "$account: $writer_role trusts the build account's root, narrowed to its release roles" \
    "arn:aws:iam::$BUILD_ACCOUNT:root arn:aws:iam::$BUILD_ACCOUNT:role/FractalCiDeployRole-* arn:aws:iam::$BUILD_ACCOUNT:role/fractal-*" \
    "$(iam "$account" '.roles[$w].role.AssumeRolePolicyDocument.Statement[0]
      | [.Principal.AWS] + .Condition.ArnLike["aws:PrincipalArn"] | join(" ")' --arg w "$writer_role")"
  check "$account: $writer_role writes only this account's channel parameters" \
    "ssm:GetParameter,ssm:GetParameters,ssm:GetParameterHistory,ssm:PutParameter,ssm:AddTagsToResource,ssm:DeleteParameter arn:aws:ssm:*:$account:parameter$SSM_PREFIX/image/*/channels/*" \
    "$(iam "$account" '.roles[$w].policies.ReleaseChannels.Statement[0]
      | "\(.Action | join(",")) \(.Resource)"' --arg w "$writer_role")"
}

for account in "$prod_account" "$staging_account"; do
  echo "== account $account"
  check_writer_role "$account"
  for region in "${regions[@]}"; do
    check_baseline "$account" "$region"
  done
done
echo "== accounts the StackSet must not reach"
for account in "$outside_account" "$BUILD_ACCOUNT"; do
  for region in "${regions[@]}"; do
    check "$account $region: no container-testing group" "" "$(group_named "$account" "$region" container-testing)"
  done
  check "$account: no $writer_role" "(none)" "$(iam "$account" '.roles[$w].role.RoleName // "(none)"' --arg w "$writer_role")"
done

echo "NOT COVERED: automatic deployment to an account that joins an OU later (moto does not implement AutoDeployment)"
echo "NOT COVERED: CallAs DELEGATED_ADMIN and the accounts filter (moto creates the StackSet as the management account and ignores AccountFilterType)"
finish
