#!/usr/bin/env bats
#
# lib/preflight.sh: versions.env, the image variants, the Ubuntu release and its Docker pins.

load test_helper

setup() {
  setup_sandbox
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
}

@test "load_versions reads KEY=value lines and lets the environment win" {
  printf '%s\n' '# comment' '' 'ALPHA=1' 'BETA=two words' 'GAMMA=' >"$SANDBOX/v.env"
  unset ALPHA BETA GAMMA
  BETA=from-env
  load_versions "$SANDBOX/v.env"
  assert_equal "$ALPHA" 1
  assert_equal "$BETA" from-env
  assert_equal "${GAMMA-unset}" ''
}

@test "load_versions rejects a malformed line" {
  printf '%s\n' 'export ALPHA=1' >"$SANDBOX/v.env"
  run load_versions "$SANDBOX/v.env"
  assert_failure
  assert_output --partial "bad line in $SANDBOX/v.env: 'export ALPHA=1'"
}

@test "versions.env and every variant file are plain KEY=value lines a Java line parser can read" {
  local file line
  for file in "$HOST_SCRIPTS/versions.env" "$HOST_SCRIPTS"/variants/*.env; do
    while IFS= read -r line; do
      [[ -z "$line" || "$line" == \#* ]] && continue
      [[ "$line" =~ ^[A-Z][A-Z0-9_]*=[^\"\'\$\`\\\ ]*$ ]] || {
        echo "$file: not a plain KEY=value line: $line" >&2
        return 1
      }
    done <"$file"
    run bash -c "grep '^[A-Z_0-9]*=' '$file' | cut -d= -f1 | sort | uniq -d"
    assert_output ''
  done
  assert_equal "$(versions_value NVIDIA_DRIVER_BUCKET)" ec2-linux-nvidia-drivers
  [[ "$(versions_value GO_SHA256_LINUX_AMD64)" =~ ^[0-9a-f]{64}$ ]]
}

@test "the driver is each variant's alone: versions.env pins none, every variant pins a GRID .run and its checksum state" {
  run grep -E '^NVIDIA_GRID_DRIVER_(KEY|SHA256)=' "$HOST_SCRIPTS/versions.env"
  assert_output ''
  local variant
  for variant in ubuntu24-r580 ubuntu20-r535; do
    [[ "$(variant_value NVIDIA_GRID_DRIVER_KEY "$variant")" =~ ^grid-[0-9.x]+/NVIDIA-Linux-x86_64-[0-9.]+-grid-aws\.run$ ]]
    [[ "$(variant_value NVIDIA_GRID_DRIVER_SHA256 "$variant")" =~ ^([0-9a-f]{64}|unqualified)$ ]]
  done
  # G3's Tesla M60 is not supported from GRID 17 on; the current variant is on R580.
  [[ "$(variant_value NVIDIA_GRID_DRIVER_KEY ubuntu20-r535)" == grid-16.*-535.* ]]
  [[ "$(variant_value NVIDIA_GRID_DRIVER_KEY ubuntu24-r580)" == grid-19.*-580.* ]]
}

@test "load_variant loads the named variant's pin and refuses a missing or unknown one, naming those that exist" {
  unset NVIDIA_GRID_DRIVER_KEY
  IMAGE_VARIANT=ubuntu20-r535
  load_variant "$HOST_SCRIPTS"
  assert_equal "$NVIDIA_GRID_DRIVER_KEY" "$(variant_value NVIDIA_GRID_DRIVER_KEY ubuntu20-r535)"
  local bad
  for bad in '' ubuntu22-r999 ../versions; do
    IMAGE_VARIANT=$bad run load_variant "$HOST_SCRIPTS"
    assert_failure
    assert_output --partial '(one of: ubuntu20-r535, ubuntu24-r580)'
  done
}

@test "the Ubuntu release comes from os-release and picks its Docker pins; a release without pins is refused" {
  load_versions "$HOST_SCRIPTS/versions.env"
  local release
  for release in "20.04 focal" "22.04 jammy" "24.04 noble"; do
    # shellcheck disable=SC2086 # version and codename
    write_os_release $release
    unset DOCKER_CE_VERSION CONTAINERD_IO_VERSION
    require_supported_os
    docker_pins
    [[ "$DOCKER_CE_VERSION" == *"~ubuntu.${release% *}~${release#* }" ]] || {
      echo "Docker pin '$DOCKER_CE_VERSION' is not built for ${release#* }" >&2
      return 1
    }
    [[ -n "$CONTAINERD_IO_VERSION" ]]
  done
  write_os_release 26.04 resolute
  run require_supported_os
  assert_failure
  assert_output --partial "unsupported OS 'ubuntu resolute' (/etc/os-release): these scripts support Ubuntu focal jammy noble"
  write_os_release 24.04 noble
  STUB_ARCH=aarch64 run require_supported_os
  assert_failure
  assert_output --partial "unsupported architecture 'aarch64'"
}
