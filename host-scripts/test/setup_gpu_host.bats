#!/usr/bin/env bats
#
# setup_gpu_host.sh (part 1) in the sandbox. Each test asserts what part 1 leaves on the host (files
# under ROOT; packages, units, groups and the driver as the stubs record them), not which commands
# it called, except where the call is the outcome (what it fetched, what it refused to touch).

load test_helper

# Most tests read a shared run of part 1: on a stock Ubuntu 24.04 host with no GPU (the build instance
# of the current variant); on a lived-in one (old Docker packages, kernel arguments and daemon.json keys
# of its own); on Ubuntu 20.04 for the retired g3 variant. The others run it themselves.
setup_file() {
  STUB_NO_GPU=1 STUB_AUTOREMOVE_PLAN='Remv linux-headers-5.4.0-1009-aws [5.4.0-1009.9]' run_shared setup_gpu_host.sh
  shared_sandbox lived-in
  echo 1.0 >"$STUB_STATE/pkgs/docker.io"
  echo 1.0 >"$STUB_STATE/pkgs/runc"
  sed -i 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=ttyS0"/' "$ROOT/etc/default/grub"
  mkdir -p "$ROOT/etc/docker"
  echo '{"log-driver": "journald"}' >"$ROOT/etc/docker/daemon.json"
  run_in_shared setup_gpu_host.sh
  shared_sandbox focal-g3
  write_os_release 20.04 focal
  IMAGE_VARIANT=ubuntu20-r535 STUB_DRIVER_VERSION=535.183.01 run_in_shared setup_gpu_host.sh
}

setup() {
  setup_sandbox
}

# installed <package>: the version the host has, or nothing.
installed() {
  cat "$STUB_STATE/pkgs/$1" 2>/dev/null || true
}

@test "part 1 installs Docker CE pinned for the host's Ubuntu release, through a signed-by keyring" {
  use_shared_run
  assert_success
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/docker.list")" \
    "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu noble stable"
  [ -s "$ROOT/etc/apt/keyrings/docker.asc" ]
  assert_equal "$(installed docker-ce)" "$(versions_value DOCKER_CE_VERSION_NOBLE)"
  assert_equal "$(installed docker-ce-cli)" "$(versions_value DOCKER_CE_VERSION_NOBLE)"
  assert_equal "$(installed containerd.io)" "$(versions_value CONTAINERD_IO_VERSION_NOBLE)"
  assert_equal "$(id -nG ubuntu)" "ubuntu adm sudo docker"
}

@test "one set of scripts for every release: focal and jammy get their own Docker pins and repository" {
  local codename
  for codename in jammy focal; do
    if [[ "$codename" == jammy ]]; then
      write_os_release 22.04 jammy
      run_script setup_gpu_host.sh
    else
      use_shared_run focal-g3 # the shared run of part 1 on Ubuntu 20.04
    fi
    assert_success
    assert_equal "$(installed docker-ce)" "$(versions_value "DOCKER_CE_VERSION_${codename^^}")"
    [[ "$(installed docker-ce)" == *"~$codename" ]]
    run cat "$ROOT/etc/apt/sources.list.d/docker.list"
    assert_output --partial "https://download.docker.com/linux/ubuntu $codename stable"
  done
}

@test "part 1 removes old Docker packages that are installed" {
  use_shared_run lived-in
  assert_success
  [ ! -e "$STUB_STATE/pkgs/docker.io" ]
  [ ! -e "$STUB_STATE/pkgs/runc" ]
}

@test "part 1 refuses a Docker signing key with the wrong fingerprint" {
  STUB_DOCKER_KEY_FPR=0000000000000000000000000000000000000000 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "expected '$(versions_value DOCKER_APT_KEY_FINGERPRINT)'"
  [ ! -e "$ROOT/etc/apt/keyrings/docker.asc" ]
  [ -z "$(installed docker-ce)" ]
}

@test "part 1 leaves daemon.json as the validate check wants it, with the shipped seccomp profile" {
  use_shared_run
  assert_success
  # the same test the image's validate phase applies (lib/docker.sh)
  run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; source '$HOST_SCRIPTS/lib/docker.sh'; docker_daemon_json_ok '$ROOT/etc/docker/daemon.json'"
  assert_success
  cmp "$HOST_SCRIPTS/docker-daemon-config/seccomp-filter.json" "$ROOT/etc/docker/seccomp-filter.json"
}

@test "part 1 keeps other daemon.json keys" {
  use_shared_run lived-in
  assert_success
  assert_equal "$(jq -r '."log-driver"' "$ROOT/etc/docker/daemon.json")" journald
  assert_equal "$(jq -r '."default-runtime"' "$ROOT/etc/docker/daemon.json")" nvidia
}

@test "part 1 leaves docker.service and docker.socket disabled and stopped" {
  use_shared_run
  assert_success
  assert_equal "$(systemctl is-enabled docker.service)" disabled
  assert_equal "$(systemctl is-enabled docker.socket)" disabled
  run systemctl is-active --quiet docker.service
  assert_failure
  run systemctl is-active --quiet docker.socket
  assert_failure
}

@test "part 1 installs the pinned NVIDIA Container Toolkit from NVIDIA's repository" {
  use_shared_run
  assert_success
  local v pkg
  v=$(versions_value NVIDIA_CONTAINER_TOOLKIT_VERSION)
  # shellcheck disable=SC2016 # $(ARCH) is apt's own variable, written literally
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/nvidia-container-toolkit.list")" \
    'deb [signed-by=/etc/apt/keyrings/nvidia-container-toolkit.asc] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /'
  for pkg in nvidia-container-toolkit nvidia-container-toolkit-base libnvidia-container-tools libnvidia-container1; do
    assert_equal "$(installed "$pkg")" "$v"
  done
}

@test "part 1 installs the variant's GRID driver on a build instance without a GPU, after its build tools" {
  use_shared_run
  assert_success
  assert_equal "$(cat "$STUB_STATE/driver_version")" "$STUB_DRIVER_VERSION"
  local pkg
  for pkg in gcc make dkms linux-headers-5.15.0-1051-aws; do
    [ -n "$(installed "$pkg")" ]
  done
  # only from the project's mirror, never from AWS's bucket
  run calls_matching '^aws s3 cp'
  assert_output --regexp "^aws s3 cp --no-progress --region eu-west-1 s3://$NVIDIA_DRIVER_MIRROR_BUCKET/$(variant_value NVIDIA_GRID_DRIVER_KEY) [^ ]*/nvidia-driver.run$"
  refute_output --partial "$(versions_value NVIDIA_DRIVER_BUCKET)"
  # the runfile's own integrity check, then the silent install
  run calls_matching 'nvidia-installer'
  assert_output "nvidia-installer --check
nvidia-installer -s --dkms --skip-module-load"
  # what was installed, for the version manifest
  run jq -c . "$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  assert_output "{\"key\":\"$(variant_value NVIDIA_GRID_DRIVER_KEY)\",\"sha256\":\"$(stub_driver_sha256)\",\"pinned\":true}"
  refute_output --partial 'RECORD MODE'
}

@test "part 1 refuses a missing or bad driver mirror before it changes anything, naming the variable" {
  NVIDIA_DRIVER_MIRROR_BUCKET='' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'NVIDIA_DRIVER_MIRROR_BUCKET is not set: name the project'"'"'s driver mirror bucket'
  NVIDIA_DRIVER_MIRROR_BUCKET='Bad_Bucket' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "NVIDIA_DRIVER_MIRROR_BUCKET 'Bad_Bucket' is not an S3 bucket name"
  NVIDIA_DRIVER_MIRROR_REGION='' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "NVIDIA_DRIVER_MIRROR_REGION '' is not an AWS region (e.g. us-east-1)"
  run calls_changing_the_host
  assert_output ''
}

@test "the retired g3 variant installs its own driver (R535) on Ubuntu 20.04" {
  use_shared_run focal-g3
  assert_success
  assert_equal "$(cat "$STUB_STATE/driver_version")" 535.183.01
  run calls_matching '^aws s3 cp'
  assert_output --partial "s3://$NVIDIA_DRIVER_MIRROR_BUCKET/$(variant_value NVIDIA_GRID_DRIVER_KEY ubuntu20-r535) "
}

@test "part 1 refuses a missing or unknown IMAGE_VARIANT before it changes anything, naming the variants" {
  IMAGE_VARIANT='' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'IMAGE_VARIANT is not set: name the image variant to set up (one of: ubuntu20-r535, ubuntu24-r580)'
  IMAGE_VARIANT=ubuntu22-r550 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "IMAGE_VARIANT 'ubuntu22-r550' is not a known image variant (one of: ubuntu20-r535, ubuntu24-r580)"
  run calls_changing_the_host
  assert_output ''
}

@test "part 1 checks the GRID driver's SHA-256 before running it" {
  use_shared_run
  assert_success
  assert_output --partial "verified ${STUB_DRIVER_FILE:-NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run} (SHA-256 $(stub_driver_sha256))"
}

@test "part 1 stops on a GRID driver whose SHA-256 is not the pinned one, naming both checksums" {
  local pinned=1111111111111111111111111111111111111111111111111111111111111111
  NVIDIA_GRID_DRIVER_SHA256=$pinned run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "checksum mismatch for NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run: expected SHA-256 $pinned, got $(stub_driver_sha256)"
  refute_output --partial '==> NVIDIA Container Toolkit'
  [ ! -f "$STUB_STATE/driver_version" ]
  [ ! -e "$ROOT/var/lib/fractal/nvidia-grid-driver.json" ]
}

@test "part 1 stops on a GRID driver that fails its own --check, pinned or not, before installing it" {
  STUB_DRIVER_CHECK_FAILS=1 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "the GRID driver NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run fails its own integrity check (sh NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run --check): not installed"
  [ ! -f "$STUB_STATE/driver_version" ]
  STUB_DRIVER_CHECK_FAILS=1 NVIDIA_GRID_DRIVER_SHA256=unqualified run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "fails its own integrity check"
  refute_output --partial 'RECORD MODE'
  [ ! -f "$STUB_STATE/driver_version" ]
  [ ! -e "$ROOT/var/lib/fractal/nvidia-grid-driver.json" ]
}

# fetched_runfile [extra bytes]: the runfile as the image build fetches it before part 1 (the aws
# stub's bytes, so it matches the pin), with extra bytes when tampered with; prints its path.
fetched_runfile() {
  local key file
  key=$(variant_value NVIDIA_GRID_DRIVER_KEY)
  file="$BATS_TEST_TMPDIR/fetched/${key##*/}"
  mkdir -p "${file%/*}"
  # shellcheck disable=SC2016 # the runfile's own "$@"
  printf '#!/bin/sh\nexec nvidia-installer "$@"\n%s' "${1:-}" >"$file"
  echo "$file"
}

# calls_touching_the_host: every logged call of a command that reads or changes packages, services
# or the driver (none may run before part 1 has checked a fetched runfile).
calls_touching_the_host() {
  calls_matching '^(apt-get|apt-cache|dpkg|dpkg-query|systemctl|snap|aws|modprobe|nvidia-installer -s)( |$)'
}

@test "part 1 refuses a tampered fetched runfile first, naming it and both checksums, before any apt, dpkg or systemctl call" {
  local file got
  file=$(fetched_runfile 'tampered')
  got=$(sha256sum "$file" | cut -d ' ' -f 1)
  NVIDIA_GRID_DRIVER_RUNFILE=$file run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "checksum mismatch for NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run: expected SHA-256 $(stub_driver_sha256), got $got"
  refute_output --partial "==> check Docker's and NVIDIA's apt repositories"
  run calls_touching_the_host
  assert_output ''
  [ ! -f "$STUB_STATE/driver_version" ]
  [ ! -e "$ROOT/var/lib/fractal/nvidia-grid-driver.json" ]
}

@test "part 1 refuses a fetched runfile that fails its own --check, in record mode too, before any change" {
  local file
  file=$(fetched_runfile)
  STUB_DRIVER_CHECK_FAILS=1 NVIDIA_GRID_DRIVER_RUNFILE=$file run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "the GRID driver NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run fails its own integrity check"
  STUB_DRIVER_CHECK_FAILS=1 NVIDIA_GRID_DRIVER_SHA256=unqualified NVIDIA_GRID_DRIVER_RUNFILE=$file run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "fails its own integrity check"
  refute_output --partial 'RECORD MODE'
  run calls_touching_the_host
  assert_output ''
}

@test "part 1 refuses a NVIDIA_GRID_DRIVER_RUNFILE that is not a file before any change, naming the variable" {
  NVIDIA_GRID_DRIVER_RUNFILE="$BATS_TEST_TMPDIR/missing.run" run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "NVIDIA_GRID_DRIVER_RUNFILE '$BATS_TEST_TMPDIR/missing.run' is not a readable file"
  run calls_touching_the_host
  assert_output ''
}

@test "part 1 checks a good fetched runfile before any apt call and installs it without a download" {
  local file
  file=$(fetched_runfile)
  NVIDIA_GRID_DRIVER_RUNFILE=$file run_script setup_gpu_host.sh
  assert_success
  assert_output --partial "verified NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run (SHA-256 $(stub_driver_sha256))"
  assert_output --partial "installing the fetched runfile $file"
  run calls_matching '^aws s3 cp'
  assert_output ''
  # its own --check runs before the first call that reads or changes packages, services or the driver
  local check first
  check=$(grep -n '^nvidia-installer --check$' "$STUB_LOG" | cut -d: -f1)
  first=$(grep -nE '^(apt-get|apt-cache|dpkg|dpkg-query|systemctl|snap|aws|modprobe)( |$)' "$STUB_LOG" | head -n 1 | cut -d: -f1)
  ((check < first))
  run calls_matching 'nvidia-installer'
  assert_output "nvidia-installer --check
nvidia-installer -s --dkms --skip-module-load"
  assert_equal "$(cat "$STUB_STATE/driver_version")" "$STUB_DRIVER_VERSION"
  run jq -c . "$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  assert_output "{\"key\":\"$(variant_value NVIDIA_GRID_DRIVER_KEY)\",\"sha256\":\"$(stub_driver_sha256)\",\"pinned\":true}"
}

@test "part 1 in record mode checks a fetched runfile first, warns, and records its measured SHA-256" {
  local file
  file=$(fetched_runfile)
  NVIDIA_GRID_DRIVER_SHA256=unqualified NVIDIA_GRID_DRIVER_RUNFILE=$file run_script setup_gpu_host.sh
  assert_success
  assert_output --partial "WARNING: RECORD MODE: the GRID driver NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run"
  run calls_matching '^aws s3 cp'
  assert_output ''
  run jq -c . "$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  assert_output "{\"key\":\"$(variant_value NVIDIA_GRID_DRIVER_KEY)\",\"sha256\":\"$(stub_driver_sha256)\",\"pinned\":false}"
}

@test "part 1 refuses a driver pin that is neither a SHA-256 nor unqualified before it changes anything" {
  NVIDIA_GRID_DRIVER_SHA256=abc run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "NVIDIA_GRID_DRIVER_SHA256 'abc' is not a SHA-256 (64 lowercase hex digits) or 'unqualified'"
  run calls_changing_the_host
  assert_output ''
}

@test "part 1 in record mode (an unqualified driver) installs it, warns, and records the measured SHA-256" {
  NVIDIA_GRID_DRIVER_SHA256=unqualified run_script setup_gpu_host.sh
  assert_success
  assert_output --regexp "WARNING: RECORD MODE: the GRID driver NVIDIA-Linux-x86_64-$STUB_DRIVER_VERSION-grid-aws.run of image variant $TEST_VARIANT is not qualified .*measured SHA-256 $(stub_driver_sha256), recorded in /var/lib/fractal/nvidia-grid-driver.json; .*npm run drivers -- qualify --variant $TEST_VARIANT"
  assert_equal "$(cat "$STUB_STATE/driver_version")" "$STUB_DRIVER_VERSION"
  run jq -c . "$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  assert_output "{\"key\":\"$(variant_value NVIDIA_GRID_DRIVER_KEY)\",\"sha256\":\"$(stub_driver_sha256)\",\"pinned\":false}"
  # a re-run installs nothing again and still warns
  NVIDIA_GRID_DRIVER_SHA256=unqualified run_script setup_gpu_host.sh
  assert_success
  assert_output --partial "NVIDIA driver $STUB_DRIVER_VERSION is already installed"
  assert_output --partial 'WARNING: RECORD MODE'
  [ "$(grep -c 'nvidia-installer -s' "$STUB_LOG")" = 1 ]
}

@test "part 1 fails when the installed driver does not report the pinned version" {
  STUB_DRIVER_VERSION=535.54.03 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "reports version '535.54.03', expected $(variant_value NVIDIA_GRID_DRIVER_KEY | sed -E 's/.*x86_64-(.*)-grid-aws\.run/\1/')"
}

@test "part 1 makes the GRID boot settings: nvidia-gridd and nvidia-persistenced at boot, gridd.conf" {
  use_shared_run
  assert_success
  assert_equal "$(systemctl is-enabled nvidia-gridd.service)" enabled
  assert_equal "$(systemctl is-enabled nvidia-persistenced.service)" enabled
  cmp "$ROOT/etc/nvidia/gridd.conf.template" "$ROOT/etc/nvidia/gridd.conf"
  run grep '^ExecStart=' "$ROOT/etc/systemd/system/nvidia-persistenced.service"
  assert_output 'ExecStart=/usr/bin/nvidia-persistenced --verbose'
}

@test "the nvidia module gets GSP firmware off on g4dn and g5 only: what the installed helper prints per family" {
  use_shared_run
  assert_success
  run grep '^install nvidia ' "$ROOT/etc/modprobe.d/fractal-nvidia.conf"
  # shellcheck disable=SC2016 # modprobe's and the shell's expansions at module load, written literally
  assert_output 'install nvidia /sbin/modprobe --ignore-install nvidia $CMDLINE_OPTS $(/usr/share/fractal/bin/nvidia-module-options)'
  local helper="$ROOT/usr/share/fractal/bin/nvidia-module-options" type
  mkdir -p "$ROOT/sys/devices/virtual/dmi/id"
  for type in g4dn.xlarge g4dn.12xlarge g5.xlarge g5.48xlarge; do
    echo "$type" >"$ROOT/sys/devices/virtual/dmi/id/product_name"
    run env ROOT="$ROOT" sh "$helper"
    assert_output NVreg_EnableGpuFirmware=0
  done
  for type in g6.xlarge gr6.4xlarge g6e.xlarge g3.4xlarge; do
    echo "$type" >"$ROOT/sys/devices/virtual/dmi/id/product_name"
    run env ROOT="$ROOT" sh "$helper"
    assert_output ''
  done
}

@test "part 1 blacklists nouveau and the other modules and sets rdblacklist=nouveau in GRUB" {
  use_shared_run
  assert_success
  run sed -n 's/^blacklist //p' "$ROOT/etc/modprobe.d/blacklist-fractal-nvidia.conf"
  assert_output "$(printf '%s\n' vga16fb nouveau rivafb nvidiafb rivatv)"
  run grep '^GRUB_CMDLINE_LINUX=' "$ROOT/etc/default/grub"
  assert_output 'GRUB_CMDLINE_LINUX="rdblacklist=nouveau"'
}

@test "part 1 keeps existing kernel arguments in GRUB_CMDLINE_LINUX" {
  use_shared_run lived-in
  assert_success
  run grep '^GRUB_CMDLINE_LINUX=' "$ROOT/etc/default/grub"
  assert_output 'GRUB_CMDLINE_LINUX="console=ttyS0 rdblacklist=nouveau"'
}

@test "part 1 unloads a loaded nouveau, and stops with a message when it cannot" {
  mkdir -p "$ROOT/sys/module/nouveau"
  STUB_FAIL='modprobe:-r nouveau' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'nouveau is loaded and cannot be unloaded: reboot'
  [ ! -f "$STUB_STATE/driver_version" ]
}

@test "part 1 installs the shipped udev rules" {
  use_shared_run
  assert_success
  cmp "$HOST_SCRIPTS/udev/90-fractal-input.rules" "$ROOT/etc/udev/rules.d/90-fractal-input.rules"
}

@test "part 1 installs the AWS CLI, rclone, openssl, lsof and jq, and runs autoremove when needed" {
  use_shared_run
  assert_success
  [ -f "$STUB_STATE/snaps/aws-cli" ]
  local pkg
  for pkg in rclone openssl lsof jq; do
    [ -n "$(installed "$pkg")" ]
  done
  run calls_matching '^apt-get .* autoremove --purge$'
  refute_output ''
}

@test "part 1 masks unattended-upgrades and the apt-daily timers before using apt" {
  use_shared_run
  assert_success
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer unattended-upgrades.service; do
    assert_equal "$(cat "$STUB_STATE/units/$unit.enabled")" masked
    [ ! -e "$STUB_STATE/units/$unit.active" ]
  done
  local first_mask first_apt
  first_mask=$(grep -n '^systemctl mask' "$STUB_LOG" | head -n 1 | cut -d: -f1)
  # the first apt-get on the host's own configuration (lib/apt_repos.sh's checks use throw-away ones)
  first_apt=$(grep -n '^apt-get' "$STUB_LOG" | grep -vF 'Dir::Etc::sourcelist=' | head -n 1 | cut -d: -f1)
  ((first_mask < first_apt))
}

@test "part 1 waits for cloud-init and gives up with a message, having installed nothing" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  CLOUD_INIT_TIMEOUT=10 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'cloud-init did not finish within 10s'
  run ls "$STUB_STATE/pkgs"
  assert_output ''
}

@test "part 1 retries a failed download and stops after the last attempt" {
  STUB_FAIL='aws:s3 cp' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'giving up after 5 attempts: aws s3 cp'
  assert_output --partial "stage 'NVIDIA GRID driver $STUB_DRIVER_VERSION' failed"
  run calls_matching '^aws s3 cp'
  assert_equal "${#lines[@]}" 5
}

@test "part 1 stops at a failing step with the stage and command, and goes no further" {
  STUB_FAIL='systemctl:restart docker.service' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "ERROR: stage 'Docker daemon configuration (nvidia default runtime, seccomp profile)' failed: command 'systemctl restart docker.service' exited with status 1"
  assert_equal "$(systemctl is-enabled docker.service)" enabled
  [ ! -e "$ROOT/etc/udev/rules.d/90-fractal-input.rules" ]
}

@test "part 1 logs one line per stage" {
  use_shared_run
  assert_success
  local stages
  stages=$(expected_stage_lines "$HOST_SCRIPTS/setup_gpu_host.sh")
  run grep -c ' setup_gpu_host.sh: ==> ' <<<"$output"
  assert_output "$stages"
}

@test "part 1 run a second time succeeds and changes nothing" {
  # the host the shared first run left
  use_copy_of "$BATS_FILE_TMPDIR/shared"
  local before
  before=$(host_snapshot)
  reset_calls
  run_script setup_gpu_host.sh
  assert_success
  assert_equal "$(host_snapshot)" "$before"
  run calls_changing_the_host
  assert_output ''
}

@test "part 1 refuses non-root, another OS, an unpinned Ubuntu release and another architecture" {
  STUB_UID=1000 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'must run as root'
  sed -i 's/^ID=ubuntu/ID=debian/' "$ROOT/etc/os-release"
  run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "unsupported OS 'debian noble'"
  write_os_release 18.04 bionic
  run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "unsupported OS 'ubuntu bionic' (/etc/os-release): these scripts support Ubuntu focal jammy noble"
  write_os_release 24.04 noble
  STUB_ARCH=aarch64 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "unsupported architecture 'aarch64'"
  run calls_changing_the_host
  assert_output ''
}

@test "part 1 adds TARGET_USER to the docker group and refuses an unknown one" {
  TARGET_USER=dev run_script setup_gpu_host.sh
  assert_success
  run id -nG dev
  assert_output 'dev docker'
  TARGET_USER=nobody-here STUB_NO_USER=nobody-here run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "TARGET_USER 'nobody-here' does not exist"
}
