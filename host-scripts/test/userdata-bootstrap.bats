#!/usr/bin/env bats
#
# userdata-bootstrap.sh, run in the sandbox as the image runs it at boot.

load test_helper

setup() {
  setup_sandbox
  mkdir -p "$ROOT/usr/share/fractal/bin"
  printf '#!/bin/sh\n' >"$ROOT/usr/share/fractal/bin/ecs-host-service"
  chmod 755 "$ROOT/usr/share/fractal/bin/ecs-host-service"
  echo 535.183.01 >"$STUB_STATE/driver_version"
}

bootstrap() {
  run_script userdata-bootstrap.sh "$@"
}

@test "bootstrap writes the GPU info JSON from modinfo and nvidia-smi -L" {
  STUB_NVIDIA_SMI_L="$(printf '%s\n' 'GPU 0: Tesla M60 (UUID: GPU-aaaa-1111)' 'GPU 1: Tesla M60 (UUID: GPU-bbbb-2222)')" \
    bootstrap --cluster hosts --env-ssm-parameter /fractal/host-service/env
  assert_success
  local info="$ROOT/var/lib/ecs/gpu/nvidia-gpu-info.json"
  assert_equal "$(jq -c . "$info")" '{"DriverVersion":"535.183.01","GPUIDs":["GPU-aaaa-1111","GPU-bbbb-2222"]}'
  assert_equal "$(jq -r 'keys | join(",")' "$info")" 'DriverVersion,GPUIDs'
}

@test "bootstrap fails when no GPU is listed or the driver is missing" {
  STUB_NVIDIA_SMI_L='No devices were found' bootstrap --cluster hosts --env-ssm-parameter /p
  assert_failure
  assert_output --partial 'nvidia-smi -L listed no GPU UUID'
  rm "$STUB_STATE/driver_version"
  bootstrap --cluster hosts --env-ssm-parameter /p
  assert_failure
  assert_output --partial 'cannot read the nvidia module version'
}

@test "bootstrap writes ecs.config with the cluster and every key the agent needs" {
  bootstrap --cluster fractal-hosts-us-east-1 --env-ssm-parameter /fractal/host-service/env
  assert_success
  run cat "$ROOT/etc/ecs/ecs.config"
  assert_line 'ECS_CLUSTER=fractal-hosts-us-east-1'
  assert_line 'ECS_DATADIR=/var/lib/ecs/data'
  assert_line 'ECS_ENABLE_TASK_IAM_ROLE=true'
  assert_line 'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true'
  assert_line 'ECS_LOGFILE=/var/log/ecs/ecs-agent.log'
  assert_line 'ECS_AVAILABLE_LOGGING_DRIVERS=["syslog","json-file","journald","awslogs"]'
  assert_line 'ECS_LOGLEVEL=info'
  assert_line 'ECS_ENABLE_GPU_SUPPORT=true'
  assert_line 'ECS_NVIDIA_RUNTIME=nvidia'
  assert_line 'ECS_SELINUX_CAPABLE=true'
  assert_equal "${#lines[@]}" 10
  assert_equal "$(sed -n 's/^ECS_AVAILABLE_LOGGING_DRIVERS=//p' "$ROOT/etc/ecs/ecs.config" | jq -c .)" \
    '["syslog","json-file","journald","awslogs"]'
}

@test "bootstrap fetches the host service environment from SSM into a 0600 file, without logging it" {
  STUB_SSM_VALUE="$(printf '%s\n' 'WEBSERVER_URL=https://example.invalid' 'HOST_TOKEN=s3cr3t')" \
    bootstrap --cluster hosts --env-ssm-parameter /fractal/host-service/env --region us-east-2
  assert_success
  refute_output --partial 's3cr3t'
  local env="$ROOT/usr/share/fractal/app_env.env"
  assert_equal "$(stat -c %a "$env")" 600
  assert_equal "$(cat "$env")" "$(printf '%s\n' 'WEBSERVER_URL=https://example.invalid' 'HOST_TOKEN=s3cr3t')"
  run calls_matching '^aws '
  assert_output 'aws --region us-east-2 ssm get-parameter --with-decryption --name /fractal/host-service/env --query Parameter.Value --output text'
}

@test "bootstrap fetches the environment from Secrets Manager, region from the instance metadata" {
  STUB_SECRET_VALUE='A=1' bootstrap --cluster hosts --env-secret-id fractal/host-service/env
  assert_success
  assert_equal "$(cat "$ROOT/usr/share/fractal/app_env.env")" 'A=1'
  run calls_matching '^aws '
  assert_output 'aws --region us-west-2 secretsmanager get-secret-value --secret-id fractal/host-service/env --query SecretString --output text'
}

@test "bootstrap takes its settings from the environment too" {
  ECS_CLUSTER=from-env HOST_SERVICE_ENV_SSM_PARAMETER=/p AWS_REGION=ca-central-1 bootstrap
  assert_success
  run grep '^ECS_CLUSTER=' "$ROOT/etc/ecs/ecs.config"
  assert_output 'ECS_CLUSTER=from-env'
}

@test "bootstrap retries the parameter fetch, then stops with the stage" {
  STUB_FAIL='aws:get-parameter' bootstrap --cluster hosts --env-ssm-parameter /p
  assert_failure
  assert_output --partial "stage 'host service environment' failed"
  run calls_matching '^aws '
  assert_equal "${#lines[@]}" 5
  [ ! -e "$ROOT/usr/share/fractal/app_env.env" ]
  [ ! -e "$ROOT/etc/systemd/system/fractal-ecs-host-service.service" ]
}

@test "bootstrap writes, enables and starts the host service unit without blocking" {
  bootstrap --cluster hosts --env-ssm-parameter /p
  assert_success
  local unit="$ROOT/etc/systemd/system/fractal-ecs-host-service.service"
  run cat "$unit"
  assert_line 'Requires=docker.service'
  assert_line 'After=docker.service'
  assert_line 'Restart=no'
  assert_line 'EnvironmentFile=/usr/share/fractal/app_env.env'
  assert_line 'ExecStart=/usr/share/fractal/bin/ecs-host-service'
  assert_line 'WantedBy=multi-user.target'
  # The comment right above Restart=no says why.
  run grep -B 2 '^Restart=no$' "$unit"
  assert_output --partial 'cloud-storage'
  run calls_matching '^systemctl( -[-a-z]+)* (daemon-reload|enable|start)'
  assert_line 'systemctl daemon-reload'
  assert_line 'systemctl enable fractal-ecs-host-service.service'
  assert_line 'systemctl start --no-block fractal-ecs-host-service.service'
}

@test "bootstrap starts neither Docker nor the ECS agent itself" {
  bootstrap --cluster hosts --env-ssm-parameter /p
  assert_success
  run calls_matching '^systemctl( -[-a-z]+)* (enable|start|restart) .*(docker|ecs\.service)'
  assert_output ''
}

@test "bootstrap fails when the image has no host service binary" {
  rm "$ROOT/usr/share/fractal/bin/ecs-host-service"
  bootstrap --cluster hosts --env-ssm-parameter /p
  assert_failure
  assert_output --partial 'host service binary /usr/share/fractal/bin/ecs-host-service is missing'
}

@test "bootstrap rejects missing, conflicting and unknown arguments with its usage" {
  bootstrap --env-ssm-parameter /p
  assert_failure 2
  assert_output --partial '--cluster (or ECS_CLUSTER) is required'
  assert_output --partial 'Usage: userdata-bootstrap.sh --cluster NAME'
  bootstrap --cluster hosts
  assert_failure 2
  assert_output --partial '--env-ssm-parameter or --env-secret-id is required'
  bootstrap --cluster hosts --env-ssm-parameter /p --env-secret-id s
  assert_failure 2
  assert_output --partial 'not both'
  bootstrap --cluster 'bad name' --env-ssm-parameter /p
  assert_failure 2
  assert_output --partial "invalid ECS cluster name 'bad name'"
  bootstrap --cluster hosts --env-ssm-parameter /p --bogus
  assert_failure 2
  assert_output --partial "unknown argument '--bogus'"
  run calls_matching '^(aws|systemctl|nvidia-smi)'
  assert_output ''
}

@test "bootstrap refuses to run as non-root" {
  STUB_UID=1000 bootstrap --cluster hosts --env-ssm-parameter /p
  assert_failure
  assert_output --partial 'must run as root'
}

@test "bootstrap at the next boot rewrites nothing and only starts the service" {
  bootstrap --cluster hosts --env-ssm-parameter /p
  assert_success
  local before
  before=$(host_snapshot)
  rm -f "$STUB_STATE/units/fractal-ecs-host-service.service.active" # the reboot
  reset_calls
  bootstrap --cluster hosts --env-ssm-parameter /p
  assert_success
  run calls_changing_the_host
  assert_output 'systemctl start --no-block fractal-ecs-host-service.service'
  assert_equal "$(host_snapshot)" "$before"
}

@test "the bootstrap runs from where part 2 installs it" {
  run_script setup_ami_host.sh
  assert_success
  run bash "$ROOT/usr/share/fractal/userdata-bootstrap.sh" --cluster hosts --env-ssm-parameter /p
  assert_success
  [ -f "$ROOT/etc/ecs/ecs.config" ]
}
