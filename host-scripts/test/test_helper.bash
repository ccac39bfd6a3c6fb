# shellcheck shell=bash
#
# Sandbox for the host-script tests: a temporary ROOT (a stock Ubuntu 24.04 host, as far
# as the scripts look at it), HOME and TMPDIR, and stub.bash linked under the name of every
# system command the scripts call, first on PATH. See stub.bash for the switches.

bats_load_library bats-support
bats_load_library bats-assert

HOST_SCRIPTS="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export HOST_SCRIPTS

STUBBED_COMMANDS=(apt-get apt-cache dpkg dpkg-query systemctl id usermod curl gpg aws nvidia-installer
  modinfo nvidia-smi nvidia-ctk iptables iptables-save sysctl snap debconf-set-selections
  uname cloud-init modprobe update-grub update-initramfs udevadm sleep docker)

# The real gpg, for the stub to pass signature work to (never the stub itself).
STUB_REAL_GPG=$(type -aP gpg | grep -v "^$BATS_RUN_TMPDIR/" | head -n 1)
export STUB_REAL_GPG

# stub_driver_sha256: the SHA-256 of the driver installer the aws stub serves (always the same bytes).
stub_driver_sha256() {
  # shellcheck disable=SC2016 # the stub writes "$@" literally
  printf '#!/bin/sh\nexec nvidia-installer "$@"\n' | sha256sum | cut -d ' ' -f 1
}

# test_signing_key: a throw-away signing key for this test run (made once, ed25519, no passphrase).
# Sets TEST_KEY_FILE (its public key, armored), TEST_KEY_FPR and TEST_GNUPGHOME.
test_signing_key() {
  TEST_GNUPGHOME="$BATS_RUN_TMPDIR/test-signing-key"
  TEST_KEY_FILE="$TEST_GNUPGHOME/public.asc"
  if [[ ! -s "$TEST_KEY_FILE" ]]; then
    mkdir -m 700 "$TEST_GNUPGHOME"
    GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --quiet --passphrase '' \
      --quick-gen-key 'Host scripts test <test@example.invalid>' ed25519 sign never 2>/dev/null
    GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --armor --export >"$TEST_KEY_FILE"
  fi
  TEST_KEY_FPR=$(GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --with-colons --fingerprint 2>/dev/null |
    awk -F: '$1 == "fpr" { print $10; exit }')
  export TEST_KEY_FILE TEST_KEY_FPR TEST_GNUPGHOME
}

# sign_with_test_key <file>: writes <file>.asc, a detached armored signature by the test key.
sign_with_test_key() {
  GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --yes --armor --detach-sign --output "$1.asc" "$1" 2>/dev/null
}

# stand_in_ecs_init: what the ECS agent bucket serves in the sandbox: a stand-in .deb of the pinned
# release signed by the test key, which ECS_PGP_KEY_FILE and ECS_PGP_KEY_FINGERPRINT name.
stand_in_ecs_init() {
  test_signing_key
  STUB_ECS_DEB="$SANDBOX/amazon-ecs-init.deb"
  printf 'Package: amazon-ecs-init\nVersion: %s\n' "$(versions_value ECS_INIT_VERSION)" >"$STUB_ECS_DEB"
  sign_with_test_key "$STUB_ECS_DEB"
  STUB_ECS_ASC="$STUB_ECS_DEB.asc"
  export STUB_ECS_DEB STUB_ECS_ASC ECS_PGP_KEY_FILE=$TEST_KEY_FILE ECS_PGP_KEY_FINGERPRINT=$TEST_KEY_FPR
}

# versions_value <KEY>: a value from versions.env, read the simplest way.
versions_value() {
  sed -n "s/^$1=//p" "$HOST_SCRIPTS/versions.env"
}

# The variant the sandbox host is set up for, unless a test names another.
readonly TEST_VARIANT=ubuntu24-r580

# variant_value <KEY> [variant]: a value from a variant's file (default TEST_VARIANT).
variant_value() {
  sed -n "s/^$1=//p" "$HOST_SCRIPTS/variants/${2:-$TEST_VARIANT}.env"
}

# write_os_release <VERSION_ID> <codename>: the sandbox host's /etc/os-release, as Ubuntu writes it.
write_os_release() {
  cat >"$ROOT/etc/os-release" <<EOF
NAME="Ubuntu"
VERSION="$1 LTS"
PRETTY_NAME="Ubuntu $1 LTS"
ID=ubuntu
ID_LIKE=debian
VERSION_ID="$1"
VERSION_CODENAME=$2
UBUNTU_CODENAME=$2
EOF
}

# use_sandbox <dir>: points the variables at the sandbox in <dir> (see setup_sandbox).
use_sandbox() {
  export SANDBOX=$1
  export ROOT="$SANDBOX/root" HOME="$SANDBOX/home" TMPDIR="$SANDBOX/tmp"
  export STUB_LOG="$SANDBOX/calls.log" STUB_STATE="$SANDBOX/state" STUB_BIN="$BATS_RUN_TMPDIR/stub-bin"
  case ":$PATH:" in
    *":$STUB_BIN:"*) ;;
    *) export PATH="$STUB_BIN:$PATH" ;;
  esac
}

# setup_sandbox [dir]: a fresh sandbox (default: in the test's temporary directory).
setup_sandbox() {
  use_sandbox "${1:-$BATS_TEST_TMPDIR/sandbox}"
  mkdir -p "$ROOT" "$HOME" "$TMPDIR" "$STUB_STATE"/{units,groups,pkgs,snaps,sysctl}
  : >"$STUB_LOG"
  local cmd
  # The stubs keep no state of their own: one set serves every test of the run.
  if [[ ! -x "$STUB_BIN/stub" ]]; then
    mkdir -p "$STUB_BIN"
    install -m 755 "$BATS_TEST_DIRNAME/stub.bash" "$STUB_BIN/stub"
    for cmd in "${STUBBED_COMMANDS[@]}"; do
      ln -sf "$STUB_BIN/stub" "$STUB_BIN/$cmd"
    done
  fi
  # Never let a test reach a real system command.
  for cmd in "${STUBBED_COMMANDS[@]}"; do
    if [[ "$(command -v "$cmd")" != "$STUB_BIN/$cmd" ]]; then
      echo "stub for $cmd is not first on PATH" >&2
      return 1
    fi
  done

  # The host: Ubuntu 24.04, stock GRUB defaults, cloud-init finished, apt's lock files.
  mkdir -p "$ROOT/etc/default" "$ROOT/var/lib/cloud/instance" "$ROOT/var/lib/cloud/instances/i-0abc" \
    "$ROOT/var/lib/dpkg" "$ROOT/var/lib/apt/lists" "$ROOT/var/cache/apt/archives"
  write_os_release 24.04 noble
  printf '%s\n' 'GRUB_DEFAULT=0' 'GRUB_TIMEOUT=0' 'GRUB_CMDLINE_LINUX_DEFAULT=""' \
    'GRUB_CMDLINE_LINUX=""' >"$ROOT/etc/default/grub"
  touch "$ROOT/var/lib/cloud/instance/boot-finished" "$ROOT/var/lib/cloud/instances/i-0abc/boot-finished" \
    "$ROOT/var/lib/dpkg/lock-frontend" "$ROOT/var/lib/dpkg/lock" "$ROOT/var/lib/apt/lists/lock" \
    "$ROOT/var/cache/apt/archives/lock"
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer unattended-upgrades.service; do
    echo enabled >"$STUB_STATE/units/$unit.enabled"
    touch "$STUB_STATE/units/$unit.active"
  done
  echo static >"$STUB_STATE/units/apt-daily.service.enabled"
  echo static >"$STUB_STATE/units/apt-daily-upgrade.service.enabled"
  printf '%s\n' adm sudo >"$STUB_STATE/groups/ubuntu"

  # Script settings: no real waiting, nothing from the caller's environment.
  export RETRY_BASE_DELAY=0 WAIT_FOR_CLOUD_INIT=1 CLOUD_INIT_TIMEOUT=10 APT_LOCK_TIMEOUT=10
  unset AWS_REGION AWS_DEFAULT_REGION TARGET_USER HOST_SERVICE_BINARY DOCKER_CE_VERSION CONTAINERD_IO_VERSION \
    ECS_CLUSTER HOST_SERVICE_ENV_SSM_PARAMETER HOST_SERVICE_ENV_SECRET_ID VERIFY_SCAN_DIRS \
    VERIFY_MARKER_NAMES ECS_INIT_DEB ECS_PGP_KEY_FILE BASE_AMI_ID \
    HOST_SERVICE_BINARY_SHA256
  local key
  while IFS= read -r key; do
    unset "$key"
  done < <(sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$HOST_SCRIPTS/versions.env" "$HOST_SCRIPTS"/variants/*.env)
  export IMAGE_VARIANT=$TEST_VARIANT
  # The driver mirror, as the image component and the dev instance's user data pass it.
  export NVIDIA_DRIVER_MIRROR_BUCKET=fractal-gpu-host-drivers-111122223333-eu-west-1 NVIDIA_DRIVER_MIRROR_REGION=eu-west-1
  STUB_DOCKER_KEY_FPR=$(versions_value DOCKER_APT_KEY_FINGERPRINT)
  STUB_NVIDIA_KEY_FPR=$(versions_value NVIDIA_APT_KEY_FINGERPRINT)
  STUB_DRIVER_VERSION=$(variant_value NVIDIA_GRID_DRIVER_KEY | sed -E 's/.*NVIDIA-Linux-x86_64-(.*)-grid-aws\.run/\1/')
  export STUB_DOCKER_KEY_FPR STUB_NVIDIA_KEY_FPR STUB_DRIVER_VERSION
  # The GRID driver's pin, as an operator passes it before it is in the variant's file.
  NVIDIA_GRID_DRIVER_SHA256=$(stub_driver_sha256)
  export NVIDIA_GRID_DRIVER_SHA256
  stand_in_ecs_init
}

# A guard for tests that let scripts delete things: ROOT must be inside the test's temp dir.
assert_sandboxed() {
  [[ -n "${ROOT:-}" && "$ROOT" == "$BATS_RUN_TMPDIR"/* ]] || {
    echo "ROOT '${ROOT:-}' is not inside the test's temporary directory" >&2
    return 1
  }
}

# host_snapshot: every file, directory and link of the host (path, mode, size, checksum) and
# the stubbed host state (packages, units, groups, rules, ...).
host_snapshot() {
  (
    cd "$SANDBOX" || return
    find root state -printf '%p %y %m %s\n' | sort
    find root state -type f -exec sha256sum {} + | sort -k 2
  )
}

# calls_matching <ERE>: logged stub calls that match.
calls_matching() {
  grep -E "$1" "$STUB_LOG" || true
}

# calls_changing_the_host: logged calls of commands that change a host (a re-run must make
# none).
calls_changing_the_host() {
  {
    calls_matching '^(apt-get .* (install|purge|remove|update|autoremove --purge)( |$)|usermod|systemctl( -[-a-z]+)* (enable|disable|mask|unmask|start|stop|restart|daemon-reload)|iptables .* -A |sysctl .*-w|snap install|nvidia-installer|nvidia-ctk|update-grub|update-initramfs|udevadm|modprobe|debconf-set-selections|aws s3 cp|curl .*-o )'
    # apt-get update in a throw-away configuration (lib/apt_repos.sh) writes only to a temporary folder
  } | grep -vF -- '-o Dir::Etc::sourcelist=' || true
}

# reset_calls: forget the calls logged so far (before a second run).
reset_calls() {
  : >"$STUB_LOG"
}

# run_script <name> [args...]: runs an entry script as a command would.
run_script() {
  local script=$1
  shift
  run bash "$HOST_SCRIPTS/$script" "$@"
}

# host_after_part1: the host as part 1 leaves it after the reboot (packages, Docker off).
host_after_part1() {
  local pkg
  mkdir -p "$STUB_STATE/pkgs"
  for pkg in docker-ce docker-ce-cli containerd.io jq curl ca-certificates gnupg psmisc; do
    echo 1.0-stub >"$STUB_STATE/pkgs/$pkg"
  done
  echo disabled >"$STUB_STATE/units/docker.service.enabled"
  echo disabled >"$STUB_STATE/units/docker.socket.enabled"
  echo "$STUB_DRIVER_VERSION" >"$STUB_STATE/driver_version"
  mkdir -p "$ROOT/var/lib/fractal"
  printf '{"key": "%s", "sha256": "%s", "pinned": true}\n' "$(variant_value NVIDIA_GRID_DRIVER_KEY)" \
    "$(stub_driver_sha256)" >"$ROOT/var/lib/fractal/nvidia-grid-driver.json"
  touch "$STUB_STATE/snaps/aws-cli"
}

# run_shared <script> [args...]: for setup_file: runs a script once in a sandbox shared by the
# file's tests (which only read it), keeping its output and status.
run_shared() {
  local script=$1
  shift
  setup_sandbox "$BATS_FILE_TMPDIR/shared"
  local status=0
  bash "$HOST_SCRIPTS/$script" "$@" >"$SANDBOX/output" 2>&1 || status=$?
  echo "$status" >"$SANDBOX/status"
}

# use_shared_run: in a test, the sandbox, output and status of run_shared.
use_shared_run() {
  use_sandbox "$BATS_FILE_TMPDIR/shared"
  # shellcheck disable=SC2034 # output and status are what bats-assert reads
  output=$(cat "$SANDBOX/output")
  status=$(cat "$SANDBOX/status")
}

# expected_stage_lines SCRIPT: how many "==>" stage lines SCRIPT logs: its own stage calls, plus the
# one of preflight and the two of prepare_apt (lib/common.sh).
expected_stage_lines() {
  local script=$1 own preflights apt_preps
  own=$(grep -c '^  stage "' "$script" || true)
  preflights=$(grep -c '^  preflight ' "$script" || true)
  apt_preps=$(grep -c '^  prepare_apt$' "$script" || true)
  echo $((own + preflights + 2 * apt_preps))
}

# setup_image_host <dir>: for setup_file: a sandbox host as the image build leaves it before its
# validate phase: part 1, a reboot (nothing running, the pinned driver loaded), part 2.
setup_image_host() {
  setup_sandbox "$1"
  bash "$HOST_SCRIPTS/setup_gpu_host.sh" >"$SANDBOX/setup.log" 2>&1
  rm -f "$STUB_STATE"/units/*.active
  mkdir -p "$ROOT/sys/module/nvidia"
  echo "$STUB_DRIVER_VERSION" >"$ROOT/sys/module/nvidia/version"
  bash "$HOST_SCRIPTS/setup_ami_host.sh" >>"$SANDBOX/setup.log" 2>&1
  : >"$STUB_LOG"
}

# use_copy_of <dir>: the test's own copy of the sandbox in <dir>, to change as it likes.
use_copy_of() {
  rm -rf "$BATS_TEST_TMPDIR/sandbox"
  cp -a "$1" "$BATS_TEST_TMPDIR/sandbox"
  use_sandbox "$BATS_TEST_TMPDIR/sandbox"
}

# unpack_scripts_on_host: the asset's files where an image component unpacks them
# ($ROOT/var/tmp/host-setup/host-scripts, without what the asset leaves out); prints that folder.
unpack_scripts_on_host() {
  local dir="$ROOT/var/tmp/host-setup/host-scripts"
  mkdir -p "$dir"
  cp -r "$HOST_SCRIPTS/." "$dir"
  rm -rf "$dir/test" "$dir"/*.md
  printf '%s\n' "$dir"
}
