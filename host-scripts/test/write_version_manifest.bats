#!/usr/bin/env bats
#
# write_version_manifest.sh in the sandbox, on a host as both setup parts leave it: the JSON it
# writes (parsed with jq), where the base AMI ID comes from, and its bad inputs.

load test_helper

setup() {
  setup_sandbox
  host_after_part1
  local pkg
  printf '%s\n' 5:27.5.1-1~ubuntu.20.04~focal >"$STUB_STATE/pkgs/docker-ce"
  printf '%s\n' 5:27.5.1-1~ubuntu.20.04~focal >"$STUB_STATE/pkgs/docker-ce-cli"
  printf '%s\n' 1.7.25-1 >"$STUB_STATE/pkgs/containerd.io"
  for pkg in nvidia-container-toolkit nvidia-container-toolkit-base; do
    printf '%s\n' 1.18.1-1 >"$STUB_STATE/pkgs/$pkg"
  done
  printf '%s\n' 1.106.1-1 >"$STUB_STATE/pkgs/amazon-ecs-init"
  OUT="$SANDBOX/out/manifest.json"
  mkdir -p "$SANDBOX/out"
}

@test "the manifest is valid JSON with the key versions, the base AMI and every package" {
  local before
  before=$(host_snapshot)
  run_script write_version_manifest.sh "$OUT"
  assert_success
  assert_output --partial "wrote the version manifest $OUT"
  run jq -c '.versions' "$OUT"
  assert_output '{"kernel":"5.15.0-1051-aws","nvidiaDriver":"'"$STUB_DRIVER_VERSION"'","dockerCe":"5:27.5.1-1~ubuntu.20.04~focal","dockerCeCli":"5:27.5.1-1~ubuntu.20.04~focal","containerd":"1.7.25-1","nvidiaContainerToolkit":"1.18.1-1","ecsInit":"1.106.1-1"}'
  assert_equal "$(jq -r .baseAmiId "$OUT")" ami-0abcdef1234567890
  assert_equal "$(jq -r .os "$OUT")" 'Ubuntu 24.04 LTS'
  assert_equal "$(jq -r .schemaVersion "$OUT")" 1
  [[ "$(jq -r .recordedAt "$OUT")" =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]
  # every installed package, with its version
  assert_equal "$(jq -r '.packages | keys | join(" ")' "$OUT")" "$(find "$STUB_STATE/pkgs" -type f -printf '%f\n' | sort | paste -sd ' ')"
  assert_equal "$(jq -r '.packages["containerd.io"]' "$OUT")" 1.7.25-1
  assert_equal "$(jq -r '.packages.jq' "$OUT")" 1.0-stub
  assert_equal "$(stat -c %a "$OUT")" 644
  # it changes nothing on the host
  assert_equal "$(host_snapshot)" "$before"
  run calls_changing_the_host
  assert_output ''
}

@test "BASE_AMI_ID names the base AMI instead of instance metadata, and a bad one is refused" {
  BASE_AMI_ID=ami-0fedcba9876543210 run_script write_version_manifest.sh "$OUT"
  assert_success
  assert_equal "$(jq -r .baseAmiId "$OUT")" ami-0fedcba9876543210
  run calls_matching 'meta-data'
  assert_output ''
  rm -f "$OUT"
  BASE_AMI_ID=ubuntu-20.04 run_script write_version_manifest.sh "$OUT"
  assert_failure
  assert_output --partial "cannot determine the base AMI ID (got 'ubuntu-20.04'); set BASE_AMI_ID=ami-..."
  [ ! -e "$OUT" ]
}

@test "a missing key version fails, naming it, after writing a manifest that still parses" {
  rm "$STUB_STATE/pkgs/amazon-ecs-init" "$STUB_STATE/driver_version"
  run_script write_version_manifest.sh "$OUT"
  assert_failure
  assert_output --partial 'the version manifest has no version for: nvidiaDriver, ecsInit'
  assert_equal "$(jq -r '.versions.ecsInit' "$OUT")" ''
  assert_equal "$(jq -r '.versions.dockerCe' "$OUT")" 5:27.5.1-1~ubuntu.20.04~focal
}

@test "the manifest carries the GRID driver part 1 installed: key, SHA-256, pinned or recorded" {
  run_script write_version_manifest.sh "$OUT"
  assert_success
  run jq -c '[.nvidia_grid_driver_key, .nvidia_grid_driver_sha256, .nvidia_grid_driver_pinned]' "$OUT"
  assert_output "[\"$(variant_value NVIDIA_GRID_DRIVER_KEY)\",\"$(stub_driver_sha256)\",true]"
  # record mode: the measured SHA-256, not pinned
  printf '{"key": "k.run", "sha256": "%s", "pinned": false}\n' "$(printf x | sha256sum | cut -c1-64)" \
    >"$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  run_script write_version_manifest.sh "$OUT"
  assert_success
  run jq -c '[.nvidia_grid_driver_key, .nvidia_grid_driver_sha256, .nvidia_grid_driver_pinned]' "$OUT"
  assert_output "[\"k.run\",\"$(printf x | sha256sum | cut -c1-64)\",false]"
}

@test "a missing GRID driver record fails, naming the file, after writing a manifest that still parses" {
  rm "$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  run_script write_version_manifest.sh "$OUT"
  assert_failure
  assert_output --partial 'the version manifest has no GRID driver SHA-256: /var/lib/fractal/nvidia-grid-driver.json is missing'
  assert_equal "$(jq -r '.nvidia_grid_driver_sha256' "$OUT")" null
}

@test "it takes exactly one argument, OUT_JSON, in an existing directory" {
  run_script write_version_manifest.sh
  assert_failure
  assert_output --partial 'usage: write_version_manifest.sh OUT_JSON (got 0 arguments: )'
  run_script write_version_manifest.sh "$OUT" extra
  assert_failure
  assert_output --partial "usage: write_version_manifest.sh OUT_JSON (got 2 arguments: $OUT extra)"
  run_script write_version_manifest.sh "$SANDBOX/no-such-dir/manifest.json"
  assert_failure
  assert_output --partial "OUT_JSON '$SANDBOX/no-such-dir/manifest.json': its directory does not exist"
  run cat "$STUB_LOG"
  assert_output ''
  run_script write_version_manifest.sh --help
  assert_success
  assert_line --index 0 'write_version_manifest.sh OUT_JSON: writes the image'"'"'s version manifest to OUT_JSON, as JSON:'
}

@test "sourcing the script or its library defines functions and runs nothing" {
  run bash -c "source '$HOST_SCRIPTS/write_version_manifest.sh'; declare -F write_version_manifest main >/dev/null"
  assert_success
  assert_output ''
  run cat "$STUB_LOG"
  assert_output ''
}
