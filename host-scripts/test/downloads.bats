#!/usr/bin/env bats
#
# Every download the host scripts make has a pin in versions.env and a check (check_downloads.bash);
# the checker itself fails on a copy of the scripts with a pin or a check taken away, or a new
# unverified download added.

load test_helper

CHECKER="$BATS_TEST_DIRNAME/check_downloads.bash"

# a copy of the shipped scripts to break
setup() {
  COPY="$BATS_TEST_TMPDIR/host-scripts"
  mkdir -p "$COPY"
  cp -r "$HOST_SCRIPTS"/lib "$HOST_SCRIPTS"/*.sh "$HOST_SCRIPTS"/versions.env "$HOST_SCRIPTS"/variants "$COPY"/
}

@test "every download of the host scripts is pinned and checked" {
  run bash "$CHECKER"
  assert_success
  assert_line --partial 'install_go.sh:'
  assert_line --regexp '^download lib/ecs\.sh:[0-9]+ \(fetch_ecs_init, https\) pins: ECS_INIT_VERSION ECS_PGP_KEY_FINGERPRINT checks: verify_pgp_signature$'
  assert_line --regexp '^download lib/grid_driver\.sh:[0-9]+ \(install_grid_driver, s3\) pins: NVIDIA_GRID_DRIVER_SHA256 checks: .*verify_sha256'
  assert_line --regexp '^download lib/apt_repos\.sh:[0-9]+ \(check_apt_repo, https\) pins: DOCKER_APT_KEY_FINGERPRINT NVIDIA_APT_KEY_FINGERPRINT checks: verify_key_fingerprint$'
  assert_line --regexp '^download lib/docker\.sh:[0-9]+ \(docker_pinned_packages, apt\) pins: CONTAINERD_IO_VERSION DOCKER_APT_KEY_FINGERPRINT DOCKER_CE_VERSION checks: check_apt_repo$'
  assert_line --regexp '^download lib/nvidia\.sh:[0-9]+ \(nvidia_pinned_packages, apt\) pins: NVIDIA_APT_KEY_FINGERPRINT NVIDIA_CONTAINER_TOOLKIT_VERSION checks: check_apt_repo$'
  assert_line --regexp '^download lib/host\.sh:[0-9]+ \(install_aws_cli, snap\) pins: AWS_CLI_SNAP_CHANNEL'
  assert_line --regexp '^download lib/image\.sh:[0-9]+ \(install_host_service_binary, s3\) pins: HOST_SERVICE_BINARY_SHA256 checks: verify_sha256$'
  assert_line '9 downloads, 0 unverified'
}

@test "a pin removed from versions.env or a variant, or set back to latest, fails the check" {
  sed -i 's/^CONTAINERD_IO_VERSION_JAMMY=.*/CONTAINERD_IO_VERSION_JAMMY=/' "$COPY/versions.env"
  sed -i '/^NVIDIA_GRID_DRIVER_SHA256=/d' "$COPY/variants/ubuntu20-r535.env"
  run bash "$CHECKER" "$COPY"
  assert_failure
  assert_line --regexp "^UNVERIFIED lib/docker\.sh:[0-9]+ \(docker_pinned_packages, apt\): CONTAINERD_IO_VERSION is not pinned in versions.env:CONTAINERD_IO_VERSION_JAMMY \(value ''\)$"
  assert_line --regexp "^UNVERIFIED lib/grid_driver\.sh:[0-9]+ \(install_grid_driver, s3\): NVIDIA_GRID_DRIVER_SHA256 is not pinned in variants/ubuntu20-r535.env \(value ''\)$"
  sed -i 's/^ECS_INIT_VERSION=.*/ECS_INIT_VERSION=latest/' "$COPY/versions.env"
  run bash "$CHECKER" "$COPY"
  assert_failure
  assert_line --partial "(fetch_ecs_init, https): ECS_INIT_VERSION is not pinned in versions.env (value 'latest')"
}

@test "a check removed from the scripts fails the check" {
  # shellcheck disable=SC2016 # a sed address, matched literally
  sed -i '/^  verify_pgp_signature /,/amazon-ecs-init-\$ECS_INIT_VERSION.amd64.deb"$/d' "$COPY/lib/ecs.sh"
  run grep -c verify_pgp_signature "$COPY/lib/ecs.sh"
  assert_output 0
  run bash "$CHECKER" "$COPY"
  assert_failure
  assert_line --regexp '^UNVERIFIED lib/ecs\.sh:[0-9]+ \(fetch_ecs_init, https\): nothing checks what it downloads'
  assert_line '9 downloads, 2 unverified'
}

@test "a new download without a pin and a check fails, and so does a snap without its signature check" {
  cat >>"$COPY/lib/host.sh" <<'EOF'

install_extra_tool() {
  curl -fsSL -o /tmp/tool.tar.gz https://example.invalid/tool.tar.gz
}
EOF
  sed -i 's/snap install aws-cli --classic/snap install aws-cli --dangerous --classic/' "$COPY/lib/host.sh"
  run bash "$CHECKER" "$COPY"
  assert_failure
  assert_line --regexp '^UNVERIFIED lib/host\.sh:[0-9]+ \(install_extra_tool, https\): no pinned version, checksum or fingerprint from versions.env$'
  assert_line --regexp '^UNVERIFIED lib/host\.sh:[0-9]+ \(install_extra_tool, https\): nothing checks what it downloads'
  assert_line --regexp "^UNVERIFIED lib/host\.sh:[0-9]+ \(install_aws_cli, snap\): --dangerous turns off snapd's signature check$"
}
