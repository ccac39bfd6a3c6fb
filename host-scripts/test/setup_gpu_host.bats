#!/usr/bin/env bats
#
# setup_gpu_host.sh (part 1), run in the sandbox against stubbed system commands.

load test_helper

# Most tests read one shared run of part 1 on a stock host; the others run it themselves.
setup_file() {
  STUB_AUTOREMOVE_PLAN='Remv linux-headers-5.4.0-1009-aws [5.4.0-1009.9]' run_shared setup_gpu_host.sh
}

setup() {
  setup_sandbox
}

@test "part 1 installs Docker CE from Docker's repository through a signed-by keyring" {
  use_shared_run
  assert_success
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/docker.list")" \
    "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu focal stable"
  [ -s "$ROOT/etc/apt/keyrings/docker.asc" ]
  run calls_matching '^apt-key'
  assert_output ''
  local docker containerd
  docker=$(versions_value DOCKER_CE_VERSION)
  containerd=$(versions_value CONTAINERD_IO_VERSION)
  run calls_matching "^apt-get .* install --no-install-recommends docker-ce=$docker docker-ce-cli=$docker containerd\\.io=$containerd\$"
  refute_output ''
  assert_equal "$(cat "$STUB_STATE/pkgs/docker-ce")" "$docker"
  assert_equal "$(cat "$STUB_STATE/pkgs/containerd.io")" "$containerd"
  assert_equal "$(id -nG ubuntu)" "ubuntu adm sudo docker"
}

@test "part 1 removes old Docker packages that are installed, and only those" {
  mkdir -p "$STUB_STATE/pkgs"
  echo 1.0 >"$STUB_STATE/pkgs/docker.io"
  echo 1.0 >"$STUB_STATE/pkgs/runc"
  run_script setup_gpu_host.sh
  assert_success
  run calls_matching '^apt-get .* purge'
  assert_output --regexp ' purge docker\.io runc$'
}

@test "part 1 refuses a Docker signing key with the wrong fingerprint" {
  STUB_DOCKER_KEY_FPR=0000000000000000000000000000000000000000 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "expected '$(versions_value DOCKER_APT_KEY_FINGERPRINT)'"
  [ ! -e "$ROOT/etc/apt/keyrings/docker.asc" ]
}

@test "part 1 writes daemon.json with the nvidia default runtime and the seccomp profile" {
  use_shared_run
  assert_success
  local daemon="$ROOT/etc/docker/daemon.json"
  assert_equal "$(jq -r '."default-runtime"' "$daemon")" nvidia
  assert_equal "$(jq -r '.runtimes.nvidia.path' "$daemon")" nvidia-container-runtime
  assert_equal "$(jq -r '."seccomp-profile"' "$daemon")" /etc/docker/seccomp-filter.json
  run calls_matching '^nvidia-ctk runtime configure --runtime=docker --set-as-default --config='
  refute_output ''
  cmp "$HOST_SCRIPTS/docker-daemon-config/seccomp-filter.json" "$ROOT/etc/docker/seccomp-filter.json"
}

@test "part 1 keeps other daemon.json keys" {
  mkdir -p "$ROOT/etc/docker"
  echo '{"log-driver": "journald"}' >"$ROOT/etc/docker/daemon.json"
  run_script setup_gpu_host.sh
  assert_success
  assert_equal "$(jq -r '."log-driver"' "$ROOT/etc/docker/daemon.json")" journald
  assert_equal "$(jq -r '."default-runtime"' "$ROOT/etc/docker/daemon.json")" nvidia
}

@test "part 1 restarts Docker once for its configuration, then disables docker.service and docker.socket" {
  use_shared_run
  assert_success
  run calls_matching '^systemctl restart docker'
  assert_output 'systemctl restart docker.service'
  assert_equal "$(systemctl is-enabled docker.service)" disabled
  assert_equal "$(systemctl is-enabled docker.socket)" disabled
  run systemctl is-active --quiet docker.service
  assert_failure
  run systemctl is-active --quiet docker.socket
  assert_failure
  # The restart comes after the toolkit install and before the disable.
  run grep -nE '^(apt-get .*nvidia-container-toolkit|systemctl restart docker|systemctl disable docker.service)' "$STUB_LOG"
  assert_line --index 0 --partial nvidia-container-toolkit
  assert_line --index 1 --partial 'restart docker.service'
  assert_line --index 2 --partial 'disable docker.service'
}

@test "part 1 installs the pinned NVIDIA Container Toolkit from NVIDIA's repository" {
  use_shared_run
  assert_success
  local v
  v=$(versions_value NVIDIA_CONTAINER_TOOLKIT_VERSION)
  # shellcheck disable=SC2016 # $(ARCH) is apt's own variable, written literally
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/nvidia-container-toolkit.list")" \
    'deb [signed-by=/etc/apt/keyrings/nvidia-container-toolkit.asc] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /'
  run calls_matching "^apt-get .* install .*nvidia-container-toolkit=$v nvidia-container-toolkit-base=$v libnvidia-container-tools=$v libnvidia-container1=$v"
  refute_output ''
}

@test "part 1 installs the pinned GRID driver silently with DKMS, after gcc, make and the kernel headers" {
  use_shared_run
  assert_success
  run grep -nE '^(apt-get .* install .*gcc make dkms linux-headers-5\.15\.0-1051-aws|aws s3 cp|nvidia-installer)' "$STUB_LOG"
  assert_line --index 0 --partial 'gcc make dkms linux-headers-5.15.0-1051-aws'
  assert_line --index 1 --partial "s3://ec2-linux-nvidia-drivers/grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run"
  assert_line --index 1 --partial '--region us-east-1'
  assert_line --index 2 --regexp 'nvidia-installer -s --dkms$'
}

@test "part 1 checks the GRID driver's SHA-256 before running it" {
  use_shared_run
  assert_success
  assert_output --partial "verified NVIDIA-Linux-x86_64-535.183.01-grid-aws.run (SHA-256 $(stub_driver_sha256))"
}

@test "part 1 stops on a GRID driver whose SHA-256 is not the pinned one, naming both checksums" {
  local pinned=1111111111111111111111111111111111111111111111111111111111111111
  NVIDIA_GRID_DRIVER_SHA256=$pinned run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "checksum mismatch for NVIDIA-Linux-x86_64-535.183.01-grid-aws.run: expected SHA-256 $pinned, got $(stub_driver_sha256)"
  refute_output --partial '==> NVIDIA Container Toolkit'
  run calls_matching '^nvidia-installer'
  assert_output ''
  [ ! -f "$STUB_STATE/driver_version" ]
}

@test "part 1 refuses an unqualified GRID driver before it changes anything" {
  NVIDIA_GRID_DRIVER_SHA256=$(versions_value NVIDIA_GRID_DRIVER_SHA256) run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "the GRID driver NVIDIA-Linux-x86_64-535.183.01-grid-aws.run is not qualified"
  assert_output --partial "NVIDIA_DRIVER_QUALIFICATION_RUN=1"
  run calls_changing_the_host
  assert_output ''
  NVIDIA_GRID_DRIVER_SHA256=unqualified NVIDIA_DRIVER_QUALIFICATION_RUN=yes run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "NVIDIA_DRIVER_QUALIFICATION_RUN 'yes' is not allowed: use 1 (a first qualification run) or 0"
  NVIDIA_GRID_DRIVER_SHA256=abc run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "NVIDIA_GRID_DRIVER_SHA256 'abc' is not a SHA-256"
}

@test "part 1 on a qualification run installs the unpinned driver and prints the SHA-256 to pin" {
  NVIDIA_GRID_DRIVER_SHA256=unqualified NVIDIA_DRIVER_QUALIFICATION_RUN=1 run_script setup_gpu_host.sh
  assert_success
  assert_output --partial "pin this line in versions.env once the driver is qualified: NVIDIA_GRID_DRIVER_SHA256=$(stub_driver_sha256)"
  run calls_matching '^nvidia-installer -s --dkms$'
  refute_output ''
}

@test "part 1 takes the driver key from the environment over versions.env" {
  NVIDIA_GRID_DRIVER_KEY=grid-16.5/NVIDIA-Linux-x86_64-535.161.08-grid-aws.run STUB_DRIVER_VERSION=535.161.08 \
    run_script setup_gpu_host.sh
  assert_success
  run calls_matching '^aws s3 cp'
  assert_output --partial 's3://ec2-linux-nvidia-drivers/grid-16.5/NVIDIA-Linux-x86_64-535.161.08-grid-aws.run'
}

@test "part 1 fails when the installed driver does not report the pinned version" {
  STUB_DRIVER_VERSION=535.54.03 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "reports version '535.54.03', expected 535.183.01"
}

@test "part 1 blacklists nouveau and the other modules and sets rdblacklist=nouveau in GRUB" {
  use_shared_run
  assert_success
  run sed -n 's/^blacklist //p' "$ROOT/etc/modprobe.d/blacklist-fractal-nvidia.conf"
  assert_output "$(printf '%s\n' vga16fb nouveau rivafb nvidiafb rivatv)"
  run grep '^GRUB_CMDLINE_LINUX=' "$ROOT/etc/default/grub"
  assert_output 'GRUB_CMDLINE_LINUX="rdblacklist=nouveau"'
  run calls_matching '^(update-grub|update-initramfs -u)$'
  assert_line 'update-grub'
  assert_line 'update-initramfs -u'
}

@test "part 1 keeps existing kernel arguments in GRUB_CMDLINE_LINUX" {
  sed -i 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=ttyS0"/' "$ROOT/etc/default/grub"
  run_script setup_gpu_host.sh
  assert_success
  run grep '^GRUB_CMDLINE_LINUX=' "$ROOT/etc/default/grub"
  assert_output 'GRUB_CMDLINE_LINUX="console=ttyS0 rdblacklist=nouveau"'
}

@test "part 1 unloads a loaded nouveau, and stops with a message when it cannot" {
  mkdir -p "$ROOT/sys/module/nouveau"
  STUB_FAIL='modprobe:-r nouveau' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'nouveau is loaded and cannot be unloaded: reboot'
  run calls_matching '^nvidia-installer'
  assert_output ''
}

@test "part 1 installs the udev rules for the two virtual input devices" {
  use_shared_run
  assert_success
  local rules="$ROOT/etc/udev/rules.d/90-fractal-input.rules"
  run grep -c '^ACTION=="add|change", SUBSYSTEM=="input", ATTRS{name}==' "$rules"
  assert_output 2
  run grep 'ATTRS{name}=="Fractal Virtual Relative Input"' "$rules"
  assert_output --partial 'ENV{MOUSE_WHEEL_CLICK_ANGLE}="1"'
  assert_output --partial 'ENV{MOUSE_WHEEL_CLICK_COUNT}="360"'
  run grep 'ATTRS{name}=="Fractal Virtual Absolute Input"' "$rules"
  assert_output --partial 'ENV{ID_INPUT_TABLET}=""'
  assert_output --partial 'ENV{ID_INPUT_MOUSE}="1"'
}

@test "part 1 installs the AWS CLI, rclone, openssl, lsof and jq, and runs autoremove when needed" {
  use_shared_run
  assert_success
  [ -f "$STUB_STATE/snaps/aws-cli" ]
  run calls_matching '^snap install'
  assert_output "snap install aws-cli --classic --channel=$(versions_value AWS_CLI_SNAP_CHANNEL)"
  local pkg
  for pkg in rclone openssl lsof jq; do
    [ -f "$STUB_STATE/pkgs/$pkg" ]
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
  first_apt=$(grep -n '^apt-get' "$STUB_LOG" | head -n 1 | cut -d: -f1)
  ((first_mask < first_apt))
}

@test "part 1 waits for the dpkg lock instead of failing" {
  echo 2 >"$STUB_STATE/fuser_busy"
  run_script setup_gpu_host.sh
  assert_success
  assert_output --partial 'waiting for /var/lib/dpkg/lock-frontend'
}

@test "part 1 waits for cloud-init and gives up with a message" {
  rm "$ROOT/var/lib/cloud/instance/boot-finished"
  CLOUD_INIT_TIMEOUT=10 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'cloud-init did not finish within 10s'
  run calls_matching '^apt-get'
  assert_output ''
}

@test "part 1 retries a failed download and stops after the last attempt" {
  STUB_FAIL='aws:s3 cp' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'giving up after 5 attempts: aws s3 cp'
  assert_output --partial "stage 'NVIDIA GRID driver 535.183.01' failed"
  run calls_matching '^aws s3 cp'
  assert_equal "${#lines[@]}" 5
}

@test "part 1 stops at a failing step with the stage and command, and goes no further" {
  STUB_FAIL='systemctl:restart docker.service' run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "ERROR: stage 'Docker daemon configuration (nvidia default runtime, seccomp profile)' failed: command 'systemctl restart docker.service' exited with status 1"
  run calls_matching '^systemctl disable docker'
  assert_output ''
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
  run_script setup_gpu_host.sh
  assert_success
  local before
  before=$(host_snapshot)
  reset_calls
  run_script setup_gpu_host.sh
  assert_success
  assert_equal "$(host_snapshot)" "$before"
  run calls_changing_the_host
  assert_output ''
}

@test "part 1 refuses to run as non-root" {
  STUB_UID=1000 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'must run as root'
  run calls_matching '^(apt-get|systemctl)'
  assert_output ''
}

@test "part 1 refuses another OS, another Ubuntu and another architecture" {
  sed -i 's/^ID=ubuntu/ID=debian/' "$ROOT/etc/os-release"
  run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "unsupported OS 'debian 20.04'"

  setup_sandbox_os 24.04 noble
  run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "unsupported OS 'ubuntu 24.04'"

  setup_sandbox_os 20.04 focal
  STUB_ARCH=aarch64 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "unsupported architecture 'aarch64'"
  run calls_matching '^(apt-get|systemctl)'
  assert_output ''
}

@test "part 1 allows Ubuntu 22.04 only with ALLOW_UNSUPPORTED_OS=1" {
  setup_sandbox_os 22.04 jammy
  run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial 'set ALLOW_UNSUPPORTED_OS=1 to allow Ubuntu 22.04'
  ALLOW_UNSUPPORTED_OS=1 run_script setup_gpu_host.sh
  assert_success
  assert_output --partial 'WARNING: Ubuntu 22.04'
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/docker.list")" \
    "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu jammy stable"
}

@test "part 1 adds TARGET_USER to the docker group and refuses an unknown one" {
  TARGET_USER=dev run_script setup_gpu_host.sh
  assert_success
  run calls_matching '^usermod'
  assert_output 'usermod -aG docker dev'
  TARGET_USER=nobody-here STUB_NO_USER=nobody-here run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "TARGET_USER 'nobody-here' does not exist"
}

# setup_sandbox_os <VERSION_ID> <codename>
setup_sandbox_os() {
  cat >"$ROOT/etc/os-release" <<EOF
ID=ubuntu
VERSION_ID="$1"
VERSION_CODENAME=$2
EOF
}
