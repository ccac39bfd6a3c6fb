#!/usr/bin/env bats
#
# setup_ami_host.sh (part 2), run in the sandbox against stubbed system commands, on
# a host as part 1 and a reboot leave it.

load test_helper

readonly DNAT_RULE='-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 127.0.0.1:51679'
readonly REDIRECT_RULE='-A OUTPUT -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 51679'

# Most tests read one shared run of part 2; the others run it themselves.
setup_file() {
  shared_sandbox
  host_after_part1
  mkdir -p "$ROOT/var/lib/ecs/data" "$ROOT/usr/share/fractal"
  echo '{"stale": true}' >"$ROOT/var/lib/ecs/data/ecs_agent_data.json"
  echo 'SECRET=leaked' >"$ROOT/usr/share/fractal/app_env.env"
  run_in_shared setup_ami_host.sh
}

setup() {
  setup_sandbox
  host_after_part1
}

@test "part 2 creates the ECS directories" {
  use_shared_run
  assert_success
  local dir
  for dir in /var/log/ecs /var/lib/ecs/data /var/lib/ecs/gpu /etc/ecs; do
    [ -d "$ROOT$dir" ]
  done
}

@test "part 2 sets route_localnet now and for every boot" {
  use_shared_run
  assert_success
  run grep -x 'net.ipv4.conf.all.route_localnet = 1' "$ROOT/etc/sysctl.d/90-fractal-route-localnet.conf"
  assert_success
  assert_equal "$(sysctl -n net.ipv4.conf.all.route_localnet)" 1
}

@test "part 2 adds both NAT rules, checking each with iptables -C first" {
  use_shared_run
  assert_success
  run calls_matching '^iptables '
  assert_line --index 0 "iptables -w -t nat -C ${DNAT_RULE#-A }"
  assert_line --index 1 "iptables -w -t nat -A ${DNAT_RULE#-A }"
  assert_line --index 2 "iptables -w -t nat -C ${REDIRECT_RULE#-A }"
  assert_line --index 3 "iptables -w -t nat -A ${REDIRECT_RULE#-A }"
}

@test "part 2 saves the rules to rules.v4 through iptables-persistent, preseeded, with Docker stopped" {
  use_shared_run
  assert_success
  local rules="$ROOT/etc/iptables/rules.v4"
  run grep -xF -e "$DNAT_RULE" -e "$REDIRECT_RULE" "$rules"
  assert_equal "${#lines[@]}" 2
  run grep -c -e '^#' -e 'DOCKER' "$rules"
  assert_output 0
  run grep -E '^:(PREROUTING|OUTPUT) ' "$rules"
  assert_line ':PREROUTING ACCEPT [0:0]'
  assert_line ':OUTPUT ACCEPT [0:0]'
  run cat "$STUB_STATE/debconf"
  assert_line 'iptables-persistent iptables-persistent/autosave_v4 boolean true'
  [ -f "$STUB_STATE/pkgs/iptables-persistent" ]
  run systemctl is-active --quiet docker.service
  assert_failure
}

@test "part 2 refuses to persist Docker's chains" {
  STUB_IPTABLES_DOCKER=1 run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "the live iptables rules contain Docker's chains"
  [ ! -e "$ROOT/etc/iptables/rules.v4" ]
}

@test "part 2 stops a running Docker before touching iptables" {
  touch "$STUB_STATE/units/docker.service.active" "$STUB_STATE/units/docker.socket.active"
  run_script setup_ami_host.sh
  assert_success
  run grep -nE '^(systemctl stop docker|iptables )' "$STUB_LOG"
  assert_line --index 0 --partial 'systemctl stop docker.socket'
  assert_line --index 1 --partial 'systemctl stop docker.service'
  assert_line --index 2 --partial 'iptables -w -t nat -C PREROUTING'
}

@test "part 2 installs the ECS agent from the instance region's bucket and leaves it off at boot" {
  use_shared_run
  assert_success
  assert_output --partial 'docker.service docker.socket ecs.service are off at boot'
  run calls_matching '^curl .* -o '
  local v
  v=$(versions_value ECS_INIT_VERSION)
  assert_line --index 0 --partial "https://s3.us-west-2.amazonaws.com/amazon-ecs-agent-us-west-2/amazon-ecs-init-$v.amd64.deb"
  assert_line --index 1 --partial "https://s3.us-west-2.amazonaws.com/amazon-ecs-agent-us-west-2/amazon-ecs-init-$v.amd64.deb.asc"
  use_shared_run
  assert_output --partial "verified amazon-ecs-init-$v.amd64.deb (PGP signature by $TEST_KEY_FPR)"
  run calls_matching '^apt-get .* install .*amazon-ecs-init\.deb$'
  refute_output ''
  assert_equal "$(cat "$STUB_STATE/pkgs/amazon-ecs-init")" "$v"
  assert_equal "$(systemctl is-enabled ecs.service)" disabled
  run calls_matching '^systemctl( -[-a-z]+)* (enable|start|restart|unmask) .*ecs'
  assert_output ''
}

@test "part 2 takes the region and ECS init version from the environment" {
  printf 'Package: amazon-ecs-init\nVersion: 1.89.0-1\n' >"$STUB_ECS_DEB"
  sign_with_test_key "$STUB_ECS_DEB"
  AWS_REGION=eu-central-1 ECS_INIT_VERSION=1.89.0-1 run_script setup_ami_host.sh
  assert_success
  run calls_matching '^curl .* -o '
  assert_output --partial 'https://s3.eu-central-1.amazonaws.com/amazon-ecs-agent-eu-central-1/amazon-ecs-init-1.89.0-1.amd64.deb'
  run calls_matching 'meta-data'
  assert_output ''
}

@test "part 2 refuses an ECS init that is not an exact release, before it changes anything" {
  ECS_INIT_VERSION=latest run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "ECS_INIT_VERSION 'latest' is not an exact release such as 1.106.1-1"
  run calls_changing_the_host
  assert_output ''
}

@test "part 2 stops before installing an ECS init whose signature does not match it" {
  echo 'tampered' >>"$STUB_ECS_DEB"
  run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "bad signature for amazon-ecs-init-$(versions_value ECS_INIT_VERSION).amd64.deb"
  run calls_matching '^apt-get .* install .*amazon-ecs-init'
  assert_output ''
  [ ! -f "$STUB_STATE/pkgs/amazon-ecs-init" ]
}

@test "part 2 stops when the signing key is not the pinned one" {
  ECS_PGP_KEY_FINGERPRINT=F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "has fingerprint '$TEST_KEY_FPR', expected 'F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F'"
  [ ! -f "$STUB_STATE/pkgs/amazon-ecs-init" ]
}

@test "part 2 installs a local ECS init (ECS_INIT_DEB) only with its good signature beside it" {
  cp "$STUB_ECS_DEB" "$SANDBOX/local.deb"
  ECS_INIT_DEB="$SANDBOX/local.deb" run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "ECS_INIT_DEB '$SANDBOX/local.deb' must be a .deb file with its signature '$SANDBOX/local.deb.asc' beside it"
  cp "$STUB_ECS_ASC" "$SANDBOX/local.deb.asc"
  ECS_INIT_DEB="$SANDBOX/local.deb" run_script setup_ami_host.sh
  assert_success
  assert_output --partial "installed amazon-ecs-init $(versions_value ECS_INIT_VERSION) from $SANDBOX/local.deb"
  run calls_matching 'amazon-ecs-agent-'
  assert_output ''
}

@test "part 2 disables an ECS agent enabled at boot, and stops if it cannot" {
  versions_value ECS_INIT_VERSION >"$STUB_STATE/pkgs/amazon-ecs-init"
  echo enabled >"$STUB_STATE/units/ecs.service.enabled"
  STUB_FAIL='systemctl:disable ecs.service' run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "stage 'ECS agent (installed, off at boot)' failed"
  run_script setup_ami_host.sh
  assert_success
  assert_equal "$(systemctl is-enabled ecs.service)" disabled
}

@test "part 2 installs the boot bootstrap with its library" {
  use_shared_run
  assert_success
  cmp "$HOST_SCRIPTS/userdata-bootstrap.sh" "$ROOT/usr/share/fractal/userdata-bootstrap.sh"
  cmp "$HOST_SCRIPTS/lib/common.sh" "$ROOT/usr/share/fractal/lib/common.sh"
  assert_equal "$(stat -c %a "$ROOT/usr/share/fractal/userdata-bootstrap.sh")" 755
}

@test "part 2 removes the secrets, cloud-init instance data and ECS data" {
  use_shared_run
  assert_success
  [ ! -e "$ROOT/usr/share/fractal/app_env.env" ]
  [ ! -e "$ROOT/var/lib/cloud/instances" ]
  [ -d "$ROOT/var/lib/ecs/data" ]
  run ls -A "$ROOT/var/lib/ecs/data"
  assert_output ''
}

@test "part 2 skips the host service binary with a log line when none is given" {
  use_shared_run
  assert_success
  assert_output --partial 'HOST_SERVICE_BINARY not set: skipping the host service binary'
  [ ! -e "$ROOT/usr/share/fractal/bin/ecs-host-service" ]
}

@test "part 2 installs the host service binary from a local file, checked against its SHA-256" {
  printf '#!/bin/sh\necho local build\n' >"$SANDBOX/ecs-host-service"
  HOST_SERVICE_BINARY="$SANDBOX/ecs-host-service" \
    HOST_SERVICE_BINARY_SHA256=$(sha256sum "$SANDBOX/ecs-host-service" | cut -d ' ' -f 1) \
    run_script setup_ami_host.sh
  assert_success
  cmp "$SANDBOX/ecs-host-service" "$ROOT/usr/share/fractal/bin/ecs-host-service"
  assert_equal "$(stat -c %a "$ROOT/usr/share/fractal/bin/ecs-host-service")" 755
}

@test "part 2 installs the host service binary from S3, and fails on a missing local file" {
  local sum
  sum=$(printf '#!/bin/sh\necho host service stub\n' | sha256sum | cut -d ' ' -f 1)
  HOST_SERVICE_BINARY=s3://build-artifacts/host-service/ecs-host-service HOST_SERVICE_BINARY_SHA256=$sum \
    run_script setup_ami_host.sh
  assert_success
  run calls_matching '^aws s3 cp'
  assert_output --partial 's3://build-artifacts/host-service/ecs-host-service'
  [ -x "$ROOT/usr/share/fractal/bin/ecs-host-service" ]
  HOST_SERVICE_BINARY=/nonexistent/ecs-host-service HOST_SERVICE_BINARY_SHA256=$sum run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "HOST_SERVICE_BINARY '/nonexistent/ecs-host-service' is not a file"
}

@test "part 2 refuses a host service binary without its SHA-256 before changing anything, or with another" {
  HOST_SERVICE_BINARY=s3://build-artifacts/host-service/ecs-host-service run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "HOST_SERVICE_BINARY_SHA256 '' is not a SHA-256"
  run calls_changing_the_host
  assert_output ''
  local wrong=3333333333333333333333333333333333333333333333333333333333333333
  HOST_SERVICE_BINARY=s3://build-artifacts/host-service/ecs-host-service HOST_SERVICE_BINARY_SHA256=$wrong \
    run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "checksum mismatch for host service binary s3://build-artifacts/host-service/ecs-host-service: expected SHA-256 $wrong, got"
  [ ! -e "$ROOT/usr/share/fractal/bin/ecs-host-service" ]
}

@test "part 2 writes no secret into the image" {
  use_shared_run
  assert_success
  # The shared run started with a leaked environment file in the image.
  run grep -rl 'SECRET=leaked' "$ROOT"
  assert_output ''
  run find "$ROOT" -name 'app_env*'
  assert_output ''
}

@test "part 2 ends by failing when a source tree, scripts folder or .git is left" {
  mkdir -p "$ROOT/home/ubuntu/fractal/.git" "$ROOT/opt/tools/.git"
  run_script setup_ami_host.sh
  assert_failure
  assert_output --partial '/home/ubuntu/fractal'
  assert_output --partial '/opt/tools/.git'
  assert_output --partial "stage 'check: no source tree, scripts folder or .git left"
}

@test "part 2 ignores the folder it runs from in the final check" {
  use_shared_run
  assert_success
  assert_output --partial "verify_no_source_left: clean"
  assert_output --partial "excluded: $HOST_SCRIPTS"
}

@test "part 1 then part 2 on the same host: Docker and the ECS agent off at boot, all in place" {
  rm -rf "$STUB_STATE/pkgs" "$STUB_STATE/units/docker."* "$STUB_STATE/driver_version" "$STUB_STATE/snaps"
  mkdir -p "$STUB_STATE/pkgs" "$STUB_STATE/snaps"
  run_script setup_gpu_host.sh
  assert_success
  rm -f "$STUB_STATE"/units/*.active # the reboot
  run_script setup_ami_host.sh
  assert_success
  local unit
  for unit in docker.service docker.socket ecs.service; do
    assert_equal "$(systemctl is-enabled "$unit")" disabled
  done
  assert_equal "$(jq -r '."default-runtime"' "$ROOT/etc/docker/daemon.json")" nvidia
  [ -x "$ROOT/usr/share/fractal/userdata-bootstrap.sh" ]
}

@test "part 2 run a second time succeeds and changes nothing" {
  # the host the shared first run left
  use_copy_of "$BATS_FILE_TMPDIR/shared"
  local before
  before=$(host_snapshot)
  reset_calls
  run_script setup_ami_host.sh
  assert_success
  assert_equal "$(host_snapshot)" "$before"
  run calls_changing_the_host
  assert_output ''
}

@test "part 2 stops at a failing step with the stage and command" {
  STUB_FAIL='iptables:-A OUTPUT' run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "ERROR: stage 'NAT rules for the ECS task credentials endpoint' failed: command 'iptables -w -t nat -A"
  run calls_matching '^apt-get'
  assert_output ''
}

@test "part 2 refuses to run as non-root and on another OS" {
  STUB_UID=1000 run_script setup_ami_host.sh
  assert_failure
  assert_output --partial 'must run as root'
  write_os_release 18.04 bionic
  run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "unsupported OS 'ubuntu bionic' (/etc/os-release): these scripts support Ubuntu focal jammy noble"
  run calls_matching '^(apt-get|systemctl|iptables)'
  assert_output ''
}

@test "OS_RELEASE_FILE names the file the OS check reads" {
  mv "$ROOT/etc/os-release" "$ROOT/etc/os-release.ubuntu"
  printf '%s\n' 'ID=debian' 'VERSION_ID="12"' 'VERSION_CODENAME=bookworm' >"$ROOT/etc/os-release"
  run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "unsupported OS 'debian bookworm'"
  OS_RELEASE_FILE=/etc/os-release.ubuntu run_script setup_ami_host.sh
  assert_success
  OS_RELEASE_FILE=/etc/missing run_script setup_ami_host.sh
  assert_failure
  assert_output --partial "cannot read $ROOT/etc/missing: unsupported OS"
}
