#!/usr/bin/env bats
#
# test_ami_host.sh and the checks of lib/checks_gpu.sh it runs, on a sandbox host as an instance of
# a GPU family launched from the image boots: part 1, part 2, a reboot on that family (the nvidia
# module loaded with the options the image's modprobe.d gives it, the units enabled at boot running).

load test_helper

readonly IMAGE=nvidia/cuda:12.2.2-base-ubuntu20.04

setup_file() {
  setup_image_host "$BATS_FILE_TMPDIR/image-host"
  unpack_scripts_on_host >/dev/null
}

setup() {
  use_copy_of "$BATS_FILE_TMPDIR/image-host"
  SCRIPTS="$ROOT/var/tmp/host-setup/host-scripts"
  export GPU_TEST_IMAGE=$IMAGE DOCKER_START_TIMEOUT=6
  boot_on g4dn.xlarge
}

# boot_on <instance type>: the image booted on that type. The nvidia module's GSP parameter is what
# the command in the image's modprobe.d install line prints for it; units enabled at boot run.
boot_on() {
  local conf="$ROOT/etc/modprobe.d/fractal-nvidia.conf" helper options gsp=18 unit
  mkdir -p "$ROOT/sys/devices/virtual/dmi/id" "$ROOT/proc/driver/nvidia"
  echo "$1" >"$ROOT/sys/devices/virtual/dmi/id/product_name"
  # shellcheck disable=SC2016 # a sed pattern with a literal $
  helper=$(sed -n 's/^install nvidia .*\$(\(.*\))$/\1/p' "$conf")
  [[ -n "$helper" ]] || {
    echo "no option command in $conf" >&2
    return 1
  }
  options=$(env ROOT="$ROOT" sh "$ROOT$helper")
  [[ "$options" == *NVreg_EnableGpuFirmware=0* ]] && gsp=0
  printf 'EnableGpuFirmware: %s\n' "$gsp" >"$ROOT/proc/driver/nvidia/params"
  for unit in nvidia-gridd.service nvidia-persistenced.service; do
    [[ "$(systemctl is-enabled "$unit")" == enabled ]] && systemctl start "$unit"
  done
  reset_calls
}

# assert_only_failure <check> <reason text>: that check failed with the reason, every other passed.
assert_only_failure() {
  local check
  assert_failure
  assert_line --partial "FAIL $1: "
  assert_line --partial "$2"
  while IFS= read -r check; do
    [[ "$check" == "$1" ]] || assert_line "PASS $check"
  done < <(the_checks)
}

run_tests() {
  run bash "$SCRIPTS/test_ami_host.sh"
}

the_checks() {
  # shellcheck disable=SC1090,SC1091,SC2034 # the script defines TEST_CHECKS and runs nothing when sourced
  (source "$SCRIPTS/test_ami_host.sh" && printf '%s\n' "${TEST_CHECKS[@]}")
}

@test "a booted image passes every check: Docker started on demand, a GPU container, Docker stopped again" {
  run_tests
  assert_success
  run grep -E '^(PASS|FAIL) ' <<<"$output"
  assert_equal "$output" "$(the_checks | sed 's/^/PASS /')"
  run calls_matching '^(systemctl (start|stop)|docker (pull|run))'
  assert_line --index 0 'systemctl start docker.service'
  assert_line --index 1 "docker pull --quiet $IMAGE"
  assert_line --index 2 "docker run --rm --gpus all $IMAGE nvidia-smi -L"
  assert_line --index 3 'systemctl stop docker.socket docker.service'
  run systemctl is-active --quiet docker.service
  assert_failure
}

@test "Docker running after boot fails check_units_not_running, and the others still run" {
  systemctl start docker.socket
  run_tests
  assert_failure
  assert_line 'FAIL check_units_not_running: running, but only the host service may start them: docker.socket'
  assert_line 'PASS check_gpu_container'
  assert_line 'PASS check_docker_stops_again'
}

@test "a container that sees no GPU fails check_gpu_container, and Docker is stopped all the same" {
  STUB_CONTAINER_NVIDIA_SMI_L='No devices were found' run_tests
  assert_failure
  assert_line "FAIL check_gpu_container: nvidia-smi -L in $IMAGE lists no GPU: No devices were found"
  assert_line 'PASS check_docker_stops_again'
  run systemctl is-active --quiet docker.service
  assert_failure
}

@test "an image that cannot be pulled is retried, then fails check_gpu_container" {
  STUB_FAIL='docker:pull' run_tests
  assert_failure
  assert_line "FAIL check_gpu_container: cannot pull $IMAGE: docker: failing on purpose (STUB_FAIL=docker:pull)"
  run calls_matching '^docker pull'
  assert_equal "${#lines[@]}" 3
}

@test "a daemon that never answers, or runs without the nvidia runtime, fails check_docker_starts_on_demand" {
  STUB_FAIL='docker:info' run_tests
  assert_failure
  assert_line 'FAIL check_docker_starts_on_demand: the Docker daemon does not answer 6s after its start'
  jq '.["default-runtime"] = "runc"' "$ROOT/etc/docker/daemon.json" >"$SANDBOX/daemon.json"
  mv "$SANDBOX/daemon.json" "$ROOT/etc/docker/daemon.json"
  run_tests
  assert_failure
  assert_line "FAIL check_docker_starts_on_demand: Docker's default runtime is not nvidia:  Default Runtime: runc"
}

@test "no driver loaded fails check_nvidia_driver_loaded" {
  rm -rf "$ROOT/sys/module/nvidia"
  run_tests
  assert_failure
  assert_line 'FAIL check_nvidia_driver_loaded: the nvidia kernel module is not loaded'
}

@test "a missing or malformed GPU_TEST_IMAGE is refused in one line before anything runs" {
  local bad
  for bad in '' 'bad image' 'Nvidia/CUDA' 'nvidia/cuda:'; do
    GPU_TEST_IMAGE=$bad run_tests
    assert_failure
    assert_output --partial "GPU_TEST_IMAGE='$bad' is not a container image reference"
    assert_equal "${#lines[@]}" 1
  done
  run calls_matching '^(systemctl|docker)'
  assert_output ''
}

@test "no GPU, nouveau, or another driver version fail their checks" {
  STUB_NVIDIA_SMI_L='No devices were found' run_tests
  assert_failure
  assert_line 'FAIL check_gpu_listed: nvidia-smi -L lists no GPU: No devices were found'
  mkdir "$ROOT/sys/module/nouveau"
  run_tests
  assert_only_failure check_nouveau_not_loaded 'the nouveau module is loaded'
  rmdir "$ROOT/sys/module/nouveau"
  echo 470.1 >"$ROOT/sys/module/nvidia/version"
  run_tests
  assert_only_failure check_nvidia_driver_loaded "version '470.1', the pinned GRID driver is $STUB_DRIVER_VERSION"
}

@test "GSP firmware: off on g4dn and g5, the driver's default on g6, gr6 and g6e; the other way round fails" {
  local type
  for type in g4dn.xlarge g5.2xlarge g6.xlarge gr6.4xlarge g6e.xlarge; do
    boot_on "$type"
    run_tests
    assert_success
  done
  boot_on g6.xlarge
  echo 'EnableGpuFirmware: 0' >"$ROOT/proc/driver/nvidia/params"
  run_tests
  assert_only_failure check_gsp_firmware "GSP firmware is off on g6, where the driver's default applies"
  boot_on g5.xlarge
  echo 'EnableGpuFirmware: 18' >"$ROOT/proc/driver/nvidia/params"
  run_tests
  assert_only_failure check_gsp_firmware 'GSP firmware is on (18) on g5, where it must be off'
}

@test "nvidia-gridd stopped or no GRID license, and persistence mode off, fail their checks" {
  systemctl stop nvidia-gridd.service
  run_tests
  assert_only_failure check_gridd_licensed 'nvidia-gridd.service is not running'
  systemctl start nvidia-gridd.service
  STUB_GRID_LICENSE=Unlicensed run_tests
  assert_only_failure check_gridd_licensed 'the GPU holds no GRID license'
  STUB_PERSISTENCE_MODE=Disabled run_tests
  assert_only_failure check_persistence_mode 'persistence mode is not enabled on every GPU: Disabled'
}
