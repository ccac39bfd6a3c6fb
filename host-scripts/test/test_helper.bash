# shellcheck shell=bash
#
# Sandbox for the host-script tests: a temporary ROOT (a stock Ubuntu 24.04 host, as far
# as the scripts look at it), HOME and TMPDIR, and stub.bash linked under the name of every
# system command the scripts call, first on PATH. See stub.bash for the switches.
# What never changes between tests (the stubs, a signing key, the stock sandbox) is made once per
# run by prepare_test_run (setup_suite.bash); setup_sandbox copies it.

# bats-support and bats-assert: from the copy of their loaders that prepare_test_run made, when it could
if [[ -f "${BATS_LIBS_LOADER:-}" ]]; then
  # shellcheck source=/dev/null
  source "$BATS_LIBS_LOADER"
else
  bats_load_library bats-support
  bats_load_library bats-assert
fi

HOST_SCRIPTS=${HOST_SCRIPTS:-"$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"}
export HOST_SCRIPTS

STUBBED_COMMANDS=(apt-get apt-cache dpkg dpkg-query systemctl id usermod curl gpg aws nvidia-installer
  modinfo nvidia-smi nvidia-ctk iptables iptables-save sysctl snap debconf-set-selections
  uname cloud-init modprobe update-grub update-initramfs udevadm sleep docker)

# stub_driver_sha256: the SHA-256 of the driver installer the aws stub serves (always the same bytes).
stub_driver_sha256() {
  # shellcheck disable=SC2016 # the stub writes "$@" literally
  printf '#!/bin/sh\nexec nvidia-installer "$@"\n' | sha256sum | cut -d ' ' -f 1
}

# sign_with_test_key <file>: writes <file>.asc, a detached armored signature by the run's test key.
sign_with_test_key() {
  GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --yes --armor --detach-sign --output "$1.asc" "$1" 2>/dev/null
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
  export STUB_LOG="$SANDBOX/calls.log" STUB_STATE="$SANDBOX/state"
  # what the ECS agent bucket serves (see prepare_test_run)
  export STUB_ECS_DEB="$SANDBOX/amazon-ecs-init.deb" STUB_ECS_ASC="$SANDBOX/amazon-ecs-init.deb.asc"
}

# setup_sandbox [dir]: a fresh sandbox (default: in the test's temporary directory): a copy of the stock
# one prepare_test_run made, and the script settings it wrote (no real waiting, nothing from the
# caller's environment).
setup_sandbox() {
  [[ -d "${SANDBOX_TEMPLATES:-}/stock" ]] || {
    echo "no stock sandbox: run the tests with bats, which runs setup_suite.bash first" >&2
    return 1
  }
  use_sandbox "${1:-$BATS_TEST_TMPDIR/sandbox}"
  cp -a "$SANDBOX_TEMPLATES/stock/." "$SANDBOX"
  # shellcheck source=/dev/null # written by prepare_test_run
  source "$SANDBOX_TEMPLATES/settings.bash"
}

# prepare_test_run: once per run, from setup_suite.bash: the stubs first on PATH (checked), a throw-away
# signing key, and under SANDBOX_TEMPLATES the stock sandbox, the settings every sandbox starts with
# (settings.bash) and what host_after_part1 adds (after-part1).
prepare_test_run() {
  local cmd key dir
  # The real gpg, for the stub to pass signature work to (never the stub itself).
  STUB_REAL_GPG=$(type -P gpg)
  STUB_BIN="$BATS_RUN_TMPDIR/stub-bin"
  SANDBOX_TEMPLATES="$BATS_RUN_TMPDIR/sandbox-templates"
  export STUB_REAL_GPG STUB_BIN SANDBOX_TEMPLATES PATH="$STUB_BIN:$PATH"
  # The stubs keep no state of their own: one set serves every test of the run. The scripts call them
  # thousands of times, so they start this bash directly rather than through env and a PATH search.
  mkdir -p "$STUB_BIN"
  {
    echo "#!$BASH"
    tail -n +2 "$HOST_SCRIPTS/test/stub.bash"
  } >"$STUB_BIN/stub"
  chmod 755 "$STUB_BIN/stub"
  for cmd in "${STUBBED_COMMANDS[@]}"; do
    ln -s stub "$STUB_BIN/$cmd"
  done
  # Never let a test reach a real system command.
  for cmd in "${STUBBED_COMMANDS[@]}"; do
    if [[ "$(command -v "$cmd")" != "$STUB_BIN/$cmd" ]]; then
      echo "stub for $cmd is not first on PATH" >&2
      return 1
    fi
  done

  # bats-support's and bats-assert's loaders with their folder written in: as shipped, they run dirname
  # (a process) for each of the 18 files they source, in every test.
  local lib loader
  BATS_LIBS_LOADER="$BATS_RUN_TMPDIR/bats-libs.bash"
  for lib in bats-support bats-assert; do
    find_in_bats_lib_path loader "$lib"
    # shellcheck disable=SC2016 # the loader's text, matched literally
    sed 's|$(dirname "${BASH_SOURCE\[0\]}")|'"${loader%/*}"'|' "$loader"
  done >"$BATS_LIBS_LOADER"
  # a loader of another form is used as it is
  if grep -q BASH_SOURCE "$BATS_LIBS_LOADER"; then
    rm "$BATS_LIBS_LOADER"
  else
    export BATS_LIBS_LOADER
  fi

  # A throw-away signing key for this run (ed25519, no passphrase), for the stand-in ECS init.
  TEST_GNUPGHOME="$BATS_RUN_TMPDIR/test-signing-key"
  TEST_KEY_FILE="$TEST_GNUPGHOME/public.asc"
  mkdir -m 700 "$TEST_GNUPGHOME"
  GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --quiet --passphrase '' \
    --quick-gen-key 'Host scripts test <test@example.invalid>' ed25519 sign never 2>/dev/null
  GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --armor --export >"$TEST_KEY_FILE"
  TEST_KEY_FPR=$(GNUPGHOME=$TEST_GNUPGHOME "$STUB_REAL_GPG" --batch --with-colons --fingerprint 2>/dev/null |
    awk -F: '$1 == "fpr" { print $10; exit }')
  export TEST_KEY_FILE TEST_KEY_FPR TEST_GNUPGHOME

  # The stock sandbox: Ubuntu 24.04, stock GRUB defaults, cloud-init finished, apt's lock files.
  dir="$SANDBOX_TEMPLATES/stock"
  use_sandbox "$dir"
  mkdir -p "$ROOT" "$HOME" "$TMPDIR" "$STUB_STATE"/{units,groups,pkgs,snaps,sysctl}
  : >"$STUB_LOG"
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
  # What the ECS agent bucket serves: a stand-in .deb of the pinned release signed by the test key,
  # which ECS_PGP_KEY_FILE and ECS_PGP_KEY_FINGERPRINT name.
  printf 'Package: amazon-ecs-init\nVersion: %s\n' "$(versions_value ECS_INIT_VERSION)" >"$STUB_ECS_DEB"
  sign_with_test_key "$STUB_ECS_DEB"

  # The script settings every sandbox starts with: no real waiting, nothing from the caller's
  # environment (no pin of versions.env or a variant's file overridden).
  {
    echo "unset AWS_REGION AWS_DEFAULT_REGION TARGET_USER HOST_SERVICE_BINARY DOCKER_CE_VERSION" \
      "CONTAINERD_IO_VERSION ECS_CLUSTER HOST_SERVICE_ENV_SSM_PARAMETER HOST_SERVICE_ENV_SECRET_ID" \
      "VERIFY_SCAN_DIRS VERIFY_MARKER_NAMES ECS_INIT_DEB ECS_PGP_KEY_FILE BASE_AMI_ID HOST_SERVICE_BINARY_SHA256"
    while IFS= read -r key; do
      echo "unset $key"
    done < <(sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$HOST_SCRIPTS/versions.env" "$HOST_SCRIPTS"/variants/*.env | sort -u)
    echo "export RETRY_BASE_DELAY=0 WAIT_FOR_CLOUD_INIT=1 CLOUD_INIT_TIMEOUT=10 APT_LOCK_TIMEOUT=10"
    echo "export IMAGE_VARIANT=$TEST_VARIANT"
    # The driver mirror, as the image component and the dev instance's user data pass it.
    echo "export NVIDIA_DRIVER_MIRROR_BUCKET=fractal-gpu-host-drivers-111122223333-eu-west-1 NVIDIA_DRIVER_MIRROR_REGION=eu-west-1"
    echo "export STUB_DOCKER_KEY_FPR=$(versions_value DOCKER_APT_KEY_FINGERPRINT)"
    echo "export STUB_NVIDIA_KEY_FPR=$(versions_value NVIDIA_APT_KEY_FINGERPRINT)"
    echo "export STUB_DRIVER_VERSION=$(variant_value NVIDIA_GRID_DRIVER_KEY | sed -E 's/.*NVIDIA-Linux-x86_64-(.*)-grid-aws\.run/\1/')"
    # The GRID driver's pin, as an operator passes it before it is in the variant's file.
    echo "export NVIDIA_GRID_DRIVER_SHA256=$(stub_driver_sha256)"
    echo "export ECS_PGP_KEY_FILE=$TEST_KEY_FILE ECS_PGP_KEY_FINGERPRINT=$TEST_KEY_FPR"
  } >"$SANDBOX_TEMPLATES/settings.bash"

  # What host_after_part1 adds to a sandbox.
  dir="$SANDBOX_TEMPLATES/after-part1"
  mkdir -p "$dir/state/pkgs" "$dir/state/units" "$dir/state/snaps" "$dir/root/var/lib/fractal"
  for key in docker-ce docker-ce-cli containerd.io jq curl ca-certificates gnupg psmisc; do
    echo 1.0-stub >"$dir/state/pkgs/$key"
  done
  echo disabled >"$dir/state/units/docker.service.enabled"
  echo disabled >"$dir/state/units/docker.socket.enabled"
  variant_value NVIDIA_GRID_DRIVER_KEY | sed -E 's/.*NVIDIA-Linux-x86_64-(.*)-grid-aws\.run/\1/' >"$dir/state/driver_version"
  printf '{"key": "%s", "sha256": "%s", "pinned": true}\n' "$(variant_value NVIDIA_GRID_DRIVER_KEY)" \
    "$(stub_driver_sha256)" >"$dir/root/var/lib/fractal/nvidia-grid-driver.json"
  touch "$dir/state/snaps/aws-cli"
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

# host_after_part1: the host as part 1 leaves it after the reboot (packages, Docker off, the pinned driver
# and its record, the AWS CLI): prepare_test_run's after-part1 added to the sandbox.
host_after_part1() {
  cp -a "$SANDBOX_TEMPLATES/after-part1/." "$SANDBOX"
}

# shared_sandbox [name]: for setup_file: a fresh sandbox that the file's tests share (which only read it),
# named name (default: shared), for a test to prepare before run_in_shared.
shared_sandbox() {
  setup_sandbox "$BATS_FILE_TMPDIR/${1:-shared}"
}

# run_in_shared <script> [args...]: for setup_file: runs a script once in the shared sandbox, keeping
# its output and status for use_shared_run.
run_in_shared() {
  local script=$1 status=0
  shift
  bash "$HOST_SCRIPTS/$script" "$@" >"$SANDBOX/output" 2>&1 || status=$?
  echo "$status" >"$SANDBOX/status"
}

# run_shared <script> [args...]: for setup_file: runs a script once in a fresh sandbox named shared.
run_shared() {
  shared_sandbox shared
  run_in_shared "$@"
}

# use_shared_run [name]: in a test, the sandbox, output and status of run_in_shared (default: shared).
use_shared_run() {
  use_sandbox "$BATS_FILE_TMPDIR/${1:-shared}"
  # shellcheck disable=SC2034 # output and status are what bats-assert reads
  output=$(<"$SANDBOX/output")
  status=$(<"$SANDBOX/status")
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
# validate phase: part 1, a reboot (nothing running, the pinned driver loaded), part 2. The first call
# of a run builds it; later ones (other files) copy it.
setup_image_host() {
  local built="$BATS_RUN_TMPDIR/image-host"
  if [[ ! -d "$built" ]]; then
    setup_sandbox "$built.new"
    bash "$HOST_SCRIPTS/setup_gpu_host.sh" >"$SANDBOX/setup.log" 2>&1
    rm -f "$STUB_STATE"/units/*.active
    mkdir -p "$ROOT/sys/module/nvidia"
    echo "$STUB_DRIVER_VERSION" >"$ROOT/sys/module/nvidia/version"
    bash "$HOST_SCRIPTS/setup_ami_host.sh" >>"$SANDBOX/setup.log" 2>&1
    : >"$STUB_LOG"
    mv "$built.new" "$built"
  fi
  rm -rf "$1"
  cp -a "$built" "$1"
  use_sandbox "$1"
  # shellcheck source=/dev/null # written by prepare_test_run
  source "$SANDBOX_TEMPLATES/settings.bash"
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
