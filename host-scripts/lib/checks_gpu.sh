# shellcheck shell=bash
#
# Owns the checks that need the driver loaded or a GPU: the test phase runs them on an instance of
# one of the variant's GPU families, launched from the image. Same contract as lib/checks.sh
# (silent and 0 when right, the reason and 1 otherwise). Needs lib/checks.sh and what it needs.

DOCKER_START_TIMEOUT="${DOCKER_START_TIMEOUT:-120}"

check_nvidia_driver_loaded() {
  local module="$ROOT/sys/module/nvidia" want have
  [[ -d "$module" ]] || {
    echo "the nvidia kernel module is not loaded"
    return 1
  }
  want=$(grid_driver_version)
  have=$(cat "$module/version" 2>/dev/null) || true
  [[ "$have" == "$want" ]] || {
    echo "the loaded nvidia module is version '${have:-unknown}', the pinned GRID driver is $want"
    return 1
  }
}

check_gpu_listed() {
  local gpus
  gpus=$(nvidia-smi -L 2>&1) || {
    echo "nvidia-smi -L failed: $gpus"
    return 1
  }
  grep -q '^GPU 0:' <<<"$gpus" || {
    echo "nvidia-smi -L lists no GPU: $gpus"
    return 1
  }
}

check_nouveau_not_loaded() {
  [[ ! -d "$ROOT/sys/module/nouveau" ]] || {
    echo "the nouveau module is loaded"
    return 1
  }
}

# check_gridd_licensed: nvidia-gridd runs and the GPU holds a GRID license.
check_gridd_licensed() {
  local query
  unit_running nvidia-gridd.service || {
    echo "nvidia-gridd.service is not running: without it GRID performance degrades after a day"
    return 1
  }
  query=$(nvidia-smi -q 2>&1) || {
    echo "nvidia-smi -q failed: $query"
    return 1
  }
  grep -Eq '^ *License Status *: *Licensed' <<<"$query" || {
    echo "the GPU holds no GRID license: $(grep -E 'License Status' <<<"$query" || echo 'no License Status line')"
    return 1
  }
}

# check_gsp_firmware: the loaded module has the GSP setting of this instance's family.
check_gsp_firmware() {
  local family want have
  family=$(cut -d. -f1 "$ROOT$INSTANCE_TYPE_FILE" 2>/dev/null) || true
  want=$(gsp_firmware_wanted "$family")
  have=$(sed -n 's/^EnableGpuFirmware: *//p' "$ROOT/proc/driver/nvidia/params" 2>/dev/null) || true
  [[ -n "$have" ]] || {
    echo "/proc/driver/nvidia/params has no EnableGpuFirmware: is the nvidia module loaded?"
    return 1
  }
  if [[ "$want" == 0 && "$have" != 0 ]]; then
    echo "GSP firmware is on ($have) on ${family:-an unknown family}, where it must be off"
    return 1
  fi
  if [[ "$want" == default && "$have" == 0 ]]; then
    echo "GSP firmware is off on ${family:-an unknown family}, where the driver's default applies"
    return 1
  fi
}

# check_persistence_mode: every GPU is in persistence mode.
check_persistence_mode() {
  local modes
  modes=$(nvidia-smi --query-gpu=persistence_mode --format=csv,noheader 2>&1) || {
    echo "nvidia-smi --query-gpu=persistence_mode failed: $modes"
    return 1
  }
  if [[ -z "$modes" ]] || grep -qvx Enabled <<<"$modes"; then
    echo "persistence mode is not enabled on every GPU: $(one_line "${modes:-no GPU listed}")"
    return 1
  fi
}

check_docker_starts_on_demand() {
  local waited=0 info
  systemctl start docker.service || {
    echo "systemctl start docker.service failed"
    return 1
  }
  until info=$(docker info 2>/dev/null); do
    if ((waited >= DOCKER_START_TIMEOUT)); then
      echo "the Docker daemon does not answer ${DOCKER_START_TIMEOUT}s after its start"
      return 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
  grep -qE '^ *Default Runtime: nvidia$' <<<"$info" || {
    echo "Docker's default runtime is not nvidia: $(grep 'Default Runtime' <<<"$info")"
    return 1
  }
}

# check_gpu_container: a container of GPU_TEST_IMAGE sees the GPU through the nvidia runtime.
check_gpu_container() {
  local gpus errors
  errors=$(retry 3 docker pull --quiet "$GPU_TEST_IMAGE" 2>&1 >/dev/null) || {
    # docker's last message, without retry's log lines
    echo "cannot pull $GPU_TEST_IMAGE: $(grep -v " $SCRIPT_NAME: " <<<"$errors" | tail -n 1)"
    return 1
  }
  gpus=$(docker run --rm --gpus all "$GPU_TEST_IMAGE" nvidia-smi -L 2>&1) || {
    echo "nvidia-smi -L in $GPU_TEST_IMAGE failed: $gpus"
    return 1
  }
  grep -q '^GPU 0:' <<<"$gpus" || {
    echo "nvidia-smi -L in $GPU_TEST_IMAGE lists no GPU: $gpus"
    return 1
  }
}

# check_docker_stops_again: leaves the instance as the image ships. The socket goes with the
# service, or the next API call starts Docker again.
check_docker_stops_again() {
  systemctl stop docker.socket docker.service || {
    echo "systemctl stop docker.socket docker.service failed"
    return 1
  }
  check_units_not_running
}
