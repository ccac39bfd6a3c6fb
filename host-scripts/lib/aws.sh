# shellcheck shell=bash
#
# Owns what the scripts ask of AWS outside the AWS CLI's own calls: instance metadata (IMDSv2), the
# region, and the PATH of the AWS CLI snap. Needs lib/log.sh.

# imds_get <path>: reads instance metadata with IMDSv2.
imds_get() {
  local token
  token=$(curl -fsS -X PUT --connect-timeout 5 --retry 3 \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)
  curl -fsS --connect-timeout 5 --retry 3 -H "X-aws-ec2-metadata-token: $token" \
    "http://169.254.169.254/latest/$1"
}

# aws_region: AWS_REGION, AWS_DEFAULT_REGION, or the instance's region from IMDS.
aws_region() {
  local region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
  if [[ -z "$region" ]]; then
    region=$(imds_get meta-data/placement/region)
  fi
  [[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "cannot determine the AWS region (got '$region'); set AWS_REGION"
  printf '%s\n' "$region"
}

# add_snap_paths: the AWS CLI is a snap; user data and AWSTOE do not always have /snap/bin.
add_snap_paths() {
  case ":$PATH:" in
    *:/snap/bin:*) ;;
    *) PATH="$PATH:/snap/bin" ;;
  esac
}
