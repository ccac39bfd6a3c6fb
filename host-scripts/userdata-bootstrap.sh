#!/usr/bin/env bash
#
# userdata-bootstrap.sh: runs at each production host's boot, from the user data the web
# backend gives the instance. Installed in the image by setup_ubuntu20_ami_host.sh as
# /usr/share/fractal/userdata-bootstrap.sh (with its lib/ and versions.env next to it).
# Writes the GPU description for the ECS agent (/var/lib/ecs/gpu/nvidia-gpu-info.json), the
# ECS agent configuration (/etc/ecs/ecs.config) for the given cluster, fetches the host
# service's environment file from SSM Parameter Store (SecureString) or Secrets Manager into
# /usr/share/fractal/app_env.env (mode 0600; never baked into the image), and writes, enables
# and starts the host service's systemd unit. It does not start Docker or the ECS agent: the
# host service does, after its handshake with the web backend.
#
# Root rule: runs AS ROOT (EC2 user data runs as root) and refuses otherwise. Refuses an OS but
# the Ubuntu releases versions.env (installed beside it) pins Docker for, on x86_64.
#
# Usage: userdata-bootstrap.sh --cluster NAME (--env-ssm-parameter NAME | --env-secret-id ID)
#                              [--region REGION]
#   --cluster NAME            ECS cluster to join (or ECS_CLUSTER)
#   --env-ssm-parameter NAME  SSM SecureString parameter holding the host service's
#                             environment file content (or HOST_SERVICE_ENV_SSM_PARAMETER)
#   --env-secret-id ID        Secrets Manager secret (name or ARN) holding it instead
#                             (or HOST_SERVICE_ENV_SECRET_ID); give exactly one of the two
#   --region REGION           region of the parameter or secret (or AWS_REGION; default:
#                             the instance's region)
# Example user data:
#   #!/bin/bash
#   /usr/share/fractal/userdata-bootstrap.sh --cluster my-cluster \
#     --env-ssm-parameter /fractal/host-service/env
# The instance profile needs ssm:GetParameter (and kms:Decrypt for the key) or
# secretsmanager:GetSecretValue on that one resource.

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=userdata-bootstrap.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"

readonly GPU_INFO_FILE=/var/lib/ecs/gpu/nvidia-gpu-info.json
readonly ECS_CONFIG_FILE=/etc/ecs/ecs.config
readonly HOST_SERVICE_UNIT_FILE="/etc/systemd/system/$HOST_SERVICE_UNIT"

ECS_CLUSTER="${ECS_CLUSTER:-}"
HOST_SERVICE_ENV_SSM_PARAMETER="${HOST_SERVICE_ENV_SSM_PARAMETER:-}"
HOST_SERVICE_ENV_SECRET_ID="${HOST_SERVICE_ENV_SECRET_ID:-}"

usage() {
  sed -n '/^# Usage:/,/^# secretsmanager/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

usage_error() {
  log "ERROR: $*"
  usage
  exit 2
}

parse_bootstrap_args() {
  while (($# > 0)); do
    case "$1" in
      --cluster | --env-ssm-parameter | --env-secret-id | --region)
        [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"
        case "$1" in
          --cluster) ECS_CLUSTER=$2 ;;
          --env-ssm-parameter) HOST_SERVICE_ENV_SSM_PARAMETER=$2 ;;
          --env-secret-id) HOST_SERVICE_ENV_SECRET_ID=$2 ;;
          --region) AWS_REGION=$2 ;;
        esac
        shift 2
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
  done
  [[ -n "$ECS_CLUSTER" ]] || usage_error "--cluster (or ECS_CLUSTER) is required"
  [[ "$ECS_CLUSTER" =~ ^[A-Za-z0-9_-]{1,255}$ ]] || usage_error "invalid ECS cluster name '$ECS_CLUSTER'"
  if [[ -n "$HOST_SERVICE_ENV_SSM_PARAMETER" && -n "$HOST_SERVICE_ENV_SECRET_ID" ]]; then
    usage_error "give --env-ssm-parameter or --env-secret-id, not both"
  fi
  if [[ -z "$HOST_SERVICE_ENV_SSM_PARAMETER" && -z "$HOST_SERVICE_ENV_SECRET_ID" ]]; then
    usage_error "--env-ssm-parameter or --env-secret-id is required"
  fi
}

# write_gpu_info: {"DriverVersion": <nvidia module version>, "GPUIDs": [<GPU UUIDs>]}.
write_gpu_info() {
  local version listing ids=()
  version=$(modinfo -F version nvidia) || die "cannot read the nvidia module version (modinfo)"
  [[ -n "$version" ]] || die "the nvidia module has no version"
  listing=$(nvidia-smi -L) || die "nvidia-smi -L failed: no usable GPU"
  mapfile -t ids < <(sed -n 's/.*(UUID: \(GPU-[^)]*\)).*/\1/p' <<<"$listing")
  ((${#ids[@]} > 0)) || die "nvidia-smi -L listed no GPU UUID"
  jq -n --arg version "$version" '{DriverVersion: $version, GPUIDs: $ARGS.positional}' \
    --args "${ids[@]}" | install_content "$GPU_INFO_FILE" 644
  log "GPU info: driver $version, ${#ids[@]} GPU(s)"
}

write_ecs_config() {
  install_content "$ECS_CONFIG_FILE" 644 <<EOF
ECS_CLUSTER=$ECS_CLUSTER
ECS_DATADIR=/var/lib/ecs/data
ECS_ENABLE_TASK_IAM_ROLE=true
ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true
ECS_LOGFILE=/var/log/ecs/ecs-agent.log
ECS_AVAILABLE_LOGGING_DRIVERS=["syslog","json-file","journald","awslogs"]
ECS_LOGLEVEL=info
ECS_ENABLE_GPU_SUPPORT=true
ECS_NVIDIA_RUNTIME=nvidia
ECS_SELINUX_CAPABLE=true
EOF
}

# fetch_host_service_env: the environment file content, from SSM or Secrets Manager, written
# with mode 0600 and never logged.
fetch_host_service_env() {
  local region value dest=$ROOT$HOST_SERVICE_ENV_FILE tmp
  region=$(aws_region)
  if [[ -n "$HOST_SERVICE_ENV_SSM_PARAMETER" ]]; then
    value=$(retry 5 aws --region "$region" ssm get-parameter --with-decryption \
      --name "$HOST_SERVICE_ENV_SSM_PARAMETER" --query Parameter.Value --output text)
  else
    value=$(retry 5 aws --region "$region" secretsmanager get-secret-value \
      --secret-id "$HOST_SERVICE_ENV_SECRET_ID" --query SecretString --output text)
  fi
  [[ -n "$value" && "$value" != None ]] || die "the host service environment is empty"
  (
    umask 077
    mkdir -p "${dest%/*}"
    tmp=$(mktemp "${dest%/*}/.app_env.XXXXXX")
    printf '%s\n' "$value" >"$tmp"
    chmod 600 "$tmp"
    mv -f "$tmp" "$dest"
  )
  log "wrote $HOST_SERVICE_ENV_FILE (mode 0600) from ${HOST_SERVICE_ENV_SSM_PARAMETER:-$HOST_SERVICE_ENV_SECRET_ID}"
}

install_host_service_unit() {
  [[ -x "$ROOT$HOST_SERVICE_BIN_PATH" ]] ||
    die "host service binary $HOST_SERVICE_BIN_PATH is missing (the image was built without HOST_SERVICE_BINARY)"
  install_content "$HOST_SERVICE_UNIT_FILE" 644 <<EOF
[Unit]
Description=Fractal ECS host service
Requires=docker.service
After=docker.service

[Service]
Type=simple
EnvironmentFile=$HOST_SERVICE_ENV_FILE
ExecStart=$HOST_SERVICE_BIN_PATH
# Restart=no on purpose: a restarted host service cannot know the state of the cloud-storage
# mounts it made, so the web backend declares the host dead (missed heartbeats) instead.
Restart=no

[Install]
WantedBy=multi-user.target
EOF
  if file_changed; then
    systemctl daemon-reload
  fi
}

# start_host_service: enabled for later boots and started now without waiting (this runs
# inside cloud-init; a blocking start could wait on cloud-init itself).
start_host_service() {
  if [[ "$(unit_enabled_state "$HOST_SERVICE_UNIT")" != enabled ]]; then
    systemctl enable "$HOST_SERVICE_UNIT"
  fi
  if ! unit_is_active "$HOST_SERVICE_UNIT"; then
    systemctl start --no-block "$HOST_SERVICE_UNIT"
    log "started $HOST_SERVICE_UNIT"
  fi
}

main() {
  enable_strict_mode
  parse_bootstrap_args "$@"
  add_snap_paths

  stage "preflight: root, OS, architecture"
  require_root
  load_versions "$HOST_SCRIPTS_DIR/versions.env"
  require_supported_os

  stage "GPU info for the ECS agent"
  ensure_dir /var/lib/ecs/gpu
  write_gpu_info

  stage "ECS agent configuration (cluster $ECS_CLUSTER)"
  ensure_dir /etc/ecs
  write_ecs_config

  stage "host service environment"
  fetch_host_service_env

  stage "host service unit"
  install_host_service_unit
  start_host_service

  stage "done"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
