#!/usr/bin/env bash
#
# check-booted-host.sh: the host scripts on a real, booted Linux, once for each Ubuntu release a
# Debian root stands in for (STAND_INS in booted-host/stand-ins.sh: Debian 12 for Ubuntu 20.04
# focal with the g3 image variant, Debian 13 for Ubuntu 24.04 noble with the current one). Boots
# each root (debootstrap, cached for the machine: booted-host/container.sh) from an overlay of its
# own for the run, with systemd-nspawn in its own network namespace, one after the other, installs
# stand-ins for what cannot come from these machines
# (named "stand-in" below, the os-release among them), then runs, inside the container only: part 1's
# GRID driver stage against the driver mirror in moto's S3 on the container's loopback, with a
# tampered runfile refused (booted-host/part1-driver.sh); part 1 as a whole against signed apt
# repositories standing in for Docker's, NVIDIA's and Ubuntu's, served over HTTPS on the same
# loopback, with a repository signed by another key and a pinned version missing refused, leaving
# the dpkg state and /etc unchanged (booted-host/apt-repo.sh, booted-host/part1.sh); the AMI setup
# (part 2), a reboot, a second run of the setup, the validate checks on the correct host and after
# each injected fault, and the boot bootstrap as cloud-init runs it. Prints PASS or FAIL per fact,
# prefixed with the release stood in for, the checks only a GPU instance can show (NOT SHOWN HERE),
# and ends with "N passed, N failed".
#
# Needs root, overlayfs, the Debian/Ubuntu packages debootstrap, debian-archive-keyring,
# systemd-container, makeself, jq, apt-utils (apt-ftparchive), openssl, curl and Python 3, moto's
# server and, the first time on a machine or after scripts/booted-host/root-packages.txt changed,
# Debian's archive. Fails (never skips) when the container cannot be built or booted.
# The container is stopped and its overlay removed at the end, also on failure.
#
# Usage: sudo bash scripts/check-booted-host.sh   (from anywhere; exit 0 only when all passed)
set -uo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_DIR
# shellcheck source=booted-host/container.sh
source "$REPO_DIR/scripts/booted-host/container.sh"
# shellcheck source=booted-host/stand-ins.sh
source "$REPO_DIR/scripts/booted-host/stand-ins.sh"
# shellcheck source=booted-host/apt-repo.sh
source "$REPO_DIR/scripts/booted-host/apt-repo.sh"
# shellcheck source=booted-host/part1-driver.sh
source "$REPO_DIR/scripts/booted-host/part1-driver.sh"
# shellcheck source=booted-host/part1.sh
source "$REPO_DIR/scripts/booted-host/part1.sh"

# Where the image components unpack the host-scripts asset (their HostScriptsWorkDir constant).
readonly WORK_DIR=/var/tmp/host-setup
readonly SCRIPTS="$WORK_DIR/host-scripts"
readonly CLUSTER=booted-host-test
# AWS's documented rules for the ECS task credentials endpoint, as `iptables -S` prints them.
readonly NAT_RULES=(
  "-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 127.0.0.1:51679"
  "-A OUTPUT -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 51679"
)
readonly OFF_AT_BOOT=(docker.service docker.socket ecs.service)
readonly ECS_CONFIG_EXPECTED="ECS_CLUSTER=$CLUSTER
ECS_DATADIR=/var/lib/ecs/data
ECS_ENABLE_TASK_IAM_ROLE=true
ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true
ECS_LOGFILE=/var/log/ecs/ecs-agent.log
ECS_AVAILABLE_LOGGING_DRIVERS=[\"syslog\",\"json-file\",\"journald\",\"awslogs\"]
ECS_LOGLEVEL=info
ECS_ENABLE_GPU_SUPPORT=true
ECS_NVIDIA_RUNTIME=nvidia
ECS_SELINUX_CAPABLE=true"
readonly HOST_SERVICE_UNIT_FILE=/etc/systemd/system/fractal-ecs-host-service.service
# Why the image's test phase (test_ami_host.sh, TEST_CHECKS) cannot run here, per check: each needs
# the GPU, the loaded GRID driver or a real Docker daemon, none of which a container on this machine has.
declare -A NOT_SHOWN_WHY=(
  [check_nvidia_driver_loaded]="the nvidia module loaded on a GPU"
  [check_gpu_listed]="a GPU that nvidia-smi lists"
  [check_nouveau_not_loaded]="the instance's own kernel at boot (a container shares this machine's)"
  [check_gridd_licensed]="a GPU holding a GRID license from nvidia-gridd"
  [check_gsp_firmware]="the loaded nvidia module's GSP setting"
  [check_persistence_mode]="a GPU in persistence mode"
  [check_units_not_running]="the instance after its test boot, with the host service not yet started"
  [check_docker_starts_on_demand]="a real Docker daemon reading daemon.json and the seccomp profile"
  [check_gpu_container]="a real Docker daemon, the nvidia runtime and a GPU"
  [check_docker_stops_again]="a real Docker daemon"
)
# Injected faults: name, what the validate phase must name, how to break, how to restore.
readonly FAULTS=(
  "a NAT rule deleted (and the rules saved)|check_ecs_nat_rules_saved|cp -p /etc/iptables/rules.v4 /root/rules.v4.good && iptables -w -t nat -D OUTPUT -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 51679 && iptables-save >/etc/iptables/rules.v4|mv /root/rules.v4.good /etc/iptables/rules.v4 && iptables-restore </etc/iptables/rules.v4"
  "Docker enabled at boot|check_units_off_at_boot|systemctl enable docker.service|systemctl disable docker.service"
  "route_localnet reset to 0|check_route_localnet|sysctl -q -w net.ipv4.conf.all.route_localnet=0|sysctl -q -w net.ipv4.conf.all.route_localnet=1"
  "a source folder left in /var/tmp|check_no_source_left|mkdir -p /var/tmp/old-build/host-scripts && touch /var/tmp/old-build/host-scripts/setup_ami_host.sh|rm -rf /var/tmp/old-build"
  "the seccomp profile dropped from daemon.json|check_docker_daemon_config|cp -p /etc/docker/daemon.json /root/daemon.json.good && jq 'del(.\"seccomp-profile\")' /root/daemon.json.good >/etc/docker/daemon.json|mv /root/daemon.json.good /etc/docker/daemon.json"
  "nvidia-gridd disabled at boot|check_grid_boot_settings|systemctl disable nvidia-gridd.service|systemctl enable nvidia-gridd.service"
  "the udev rules edited|check_udev_rules|cp -p /etc/udev/rules.d/90-fractal-input.rules /root/udev.rules.good && echo '# edited' >>/etc/udev/rules.d/90-fractal-input.rules|mv /root/udev.rules.good /etc/udev/rules.d/90-fractal-input.rules"
)

PASSED=0
FAILED=0
RUN_DIR=''
RUN_ROOT=''
CACHED_ROOT=''
OUT=''

pass() {
  PASSED=$((PASSED + 1))
  printf 'PASS %s%s\n' "${STAND_IN_CODENAME:+$STAND_IN_CODENAME: }" "$1"
}

fail() {
  FAILED=$((FAILED + 1))
  printf 'FAIL %s%s\n' "${STAND_IN_CODENAME:+$STAND_IN_CODENAME: }" "$1"
  if [[ -s "$OUT" ]]; then
    sed 's/^/    | /' "$OUT" | tail -n 25
  fi
}

# finish: the closing line; the exit status says whether every fact passed.
finish() {
  echo "$PASSED passed, $FAILED failed"
  exit "$((FAILED > 0 ? 1 : 0))"
}

# abort <what>: a step the rest depends on failed.
abort() {
  fail "$1"
  echo "check-booted-host: stopping here: the remaining facts need that step"
  finish
}

# fact <what> <command...>: PASS when the command succeeds; FAIL with its output otherwise.
fact() {
  local what=$1
  shift
  if "$@" >"$OUT" 2>&1; then
    pass "$what"
  else
    fail "$what"
  fi
}

# sh_in <shell code>: bash code run inside the container.
sh_in() {
  in_container bash -c "set -euo pipefail; $1"
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  stop_mirror
  stop_apt_repo
  stop_container
  release_chroot_proc
  if [[ -n "$RUN_DIR" ]]; then
    remove_run_dir "$RUN_DIR"
  fi
}

# ---- the facts ----------------------------------------------------------------------------

# shellcheck disable=SC2317 # run by fact
nat_rules_live() {
  local live rule
  live=$(in_container iptables -w -t nat -S) || return 1
  for rule in "${NAT_RULES[@]}"; do
    grep -qxF -- "$rule" <<<"$live" || {
      echo "not live: $rule"
      echo "$live"
      return 1
    }
  done
}

# shellcheck disable=SC2317 # run by fact
nat_rules_saved() {
  local rule
  for rule in "${NAT_RULES[@]}"; do
    grep -qxF -- "$rule" "$RUN_ROOT/etc/iptables/rules.v4" || {
      echo "not in /etc/iptables/rules.v4: $rule"
      return 1
    }
  done
}

# shellcheck disable=SC2317 # run by fact
# unit_off <unit>: neither enabled nor active.
unit_off() {
  local enabled active
  enabled=$(in_container systemctl is-enabled "$1")
  active=$(in_container systemctl is-active "$1")
  echo "$1: is-enabled $enabled, is-active $active"
  [[ "$enabled" == disabled && "$active" == inactive ]]
}

# shellcheck disable=SC2317 # run by fact
# unit_verifies_cleanly <unit file>: systemd-analyze verify passes and prints nothing (an unknown
# key is only a warning to systemd, but a mistake to us).
unit_verifies_cleanly() {
  local output
  output=$(in_container systemd-analyze verify "$1" 2>&1) || {
    echo "$output"
    return 1
  }
  echo "$output"
  [[ -z "$output" ]]
}

copy_scripts_in() {
  rm -rf "$RUN_ROOT$WORK_DIR"
  install -d -m 700 "$RUN_ROOT$WORK_DIR"
  cp -a "$REPO_DIR/host-scripts" "$RUN_ROOT$SCRIPTS"
}

# shellcheck disable=SC2317 # run by fact
# remove_scripts: a component's last step; it fails if any source is left.
remove_scripts() {
  in_container bash "$SCRIPTS/remove_host_scripts.sh"
}

# shellcheck disable=SC2317 # run by fact
# no_source_left: the repository's verify_no_source_left.sh, run from a copy inside, then removed.
no_source_left() {
  install -m 755 "$REPO_DIR/host-scripts/verify_no_source_left.sh" "$RUN_ROOT/root/verify-clean.sh"
  # shellcheck disable=SC2016 # expanded inside the container
  sh_in 'rc=0; bash /root/verify-clean.sh --exclude /root/verify-clean.sh || rc=$?; rm -f /root/verify-clean.sh; exit $rc'
}

# shellcheck disable=SC2317 # run by fact
# run_setup: the AMI setup component's steps before its clean-up.
run_setup() {
  in_container env "${STAND_IN_ENV[@]}" bash "$SCRIPTS/wait_for_host.sh" &&
    in_container env "${STAND_IN_ENV[@]}" bash "$SCRIPTS/setup_ami_host.sh"
}

# What changes by itself (logs, systemd's state, caches), dpkg's backup of its status file
# (rewritten by every `dpkg --configure -a`; the status file itself is compared) and the scripts folder.
readonly VOLATILE=(-path ./var/log -o -path ./var/lib/systemd -o -path ./var/cache
  -o -path ./var/lib/dpkg/status-old -o -path ".$WORK_DIR")

# shellcheck disable=SC2317 # run by second_run_changes_nothing
# root_entries: every file, link and folder of the run's root with its mode, owner and link target.
root_entries() {
  (cd "$RUN_ROOT" && find . -xdev \( "${VOLATILE[@]}" \) -prune -o -printf '%y %m %u:%g %p -> %l\n' | sort)
}

# shellcheck disable=SC2317 # run by second_run_changes_nothing
# written_files: the regular files of the overlay's upper layer, NUL-separated: every file this run
# wrote (or changed the mode or owner of). Any other file is the cached root's, which nothing writes.
written_files() {
  (cd "$RUN_DIR/upper" && find . -xdev \( "${VOLATILE[@]}" \) -prune -o -type f -print0 | sort -z)
}

# shellcheck disable=SC2317 # run by second_run_changes_nothing
# checksums <dir>: the SHA-256 of each file the NUL-separated list names, read under <dir>.
checksums() {
  (cd "$1" && xargs -0 -r sha256sum 2>/dev/null)
}

# shellcheck disable=SC2317 # run by fact
# second_run_changes_nothing: the setup again; no entry added, removed or changed in mode, owner or
# link, and no file's content changed: the files this run wrote are compared by checksum (those the
# second run writes first against the cached root's), the others are the cached root's, unwritten.
second_run_changes_nothing() {
  local entries=$RUN_DIR/entries written=$RUN_DIR/written sums=$RUN_DIR/checksums
  copy_scripts_in
  root_entries >"$entries.before"
  written_files >"$written.before"
  checksums "$RUN_ROOT" <"$written.before" >"$sums.before"
  run_setup || return 1
  root_entries >"$entries.after"
  written_files >"$written.after"
  comm -z -13 "$written.before" "$written.after" | checksums "$CACHED_ROOT" >>"$sums.before"
  checksums "$RUN_ROOT" <"$written.after" >"$sums.after"
  remove_scripts >/dev/null 2>&1 || return 1
  echo "$(wc -l <"$entries.before") entries compared, $(tr -cd '\0' <"$written.after" | wc -c) of their files written by this run checksummed"
  diff "$entries.before" "$entries.after" && diff <(sort -k2 "$sums.before") <(sort -k2 "$sums.after")
}

# shellcheck disable=SC2317 # run by fact
# validate_fails_with <expected check|-> : runs the validate phase (its output kept in
# $RUN_DIR/validate.out); the checks that fail must be exactly the expected one (- for none, and exit 0).
validate_fails_with() {
  local want=$1 output rc=0 failing
  output=$(in_container env "${STAND_IN_ENV[@]}" bash "$SCRIPTS/validate_ami_host.sh" 2>&1) || rc=$?
  echo "$output" | tee "$RUN_DIR/validate.out"
  failing=$(sed -n 's/^FAIL \([a-z_0-9]*\).*/\1/p' <<<"$output")
  grep -q '^PASS ' <<<"$output" || return 1
  if [[ "$want" == - ]]; then
    [[ "$rc" == 0 && -z "$failing" ]] && return 0
  else
    [[ "$rc" == 1 && "$failing" == "$want" ]] && return 0
  fi
  echo "expected failing: $want; got: ${failing:-none} (exit status $rc)"
  return 1
}

# shellcheck disable=SC2317 # run by fact
# validate_ran_every_check: in the output of the validate run before (validate_fails_with), every
# check of the validate phase printed PASS (none left out).
validate_ran_every_check() {
  local output checks check
  output=$(cat "$RUN_DIR/validate.out")
  checks=$(sed -n '/^readonly VALIDATE_CHECKS=(/,/)/p' "$REPO_DIR/host-scripts/validate_ami_host.sh" |
    grep -oE 'check_[a-z_0-9]+')
  for check in $checks; do
    grep -qx "PASS $check" <<<"$output" || {
      echo "$output"
      echo "not PASS: $check"
      return 1
    }
  done
  echo "$(wc -w <<<"$checks") checks, every one PASS"
}

# report_not_shown: the image's test phase checks, which only a GPU instance shows, and why.
report_not_shown() {
  local check
  sed -n '/^readonly TEST_CHECKS=(/,/)/p' "$REPO_DIR/host-scripts/test_ami_host.sh" | grep -oE 'check_[a-z_0-9]+' |
    while read -r check; do
      echo "NOT SHOWN HERE $STAND_IN_CODENAME: $check (test phase): needs ${NOT_SHOWN_WHY[$check]:-a GPU instance}"
    done
}

check_validate_and_faults() {
  local fault what check break restore
  copy_scripts_in
  [[ -f "$RUN_ROOT$SCRIPTS/validate_ami_host.sh" ]] ||
    abort "host-scripts/validate_ami_host.sh exists (the validate phase's checks)"
  fact "validate: every check passes on the set-up host" validate_fails_with -
  fact "validate: every check of VALIDATE_CHECKS ran and passed (none needs what only a GPU instance has)" validate_ran_every_check
  report_not_shown
  for fault in "${FAULTS[@]}"; do
    IFS='|' read -r what check break restore <<<"$fault"
    if ! sh_in "$break" >"$OUT" 2>&1; then
      fail "fault injected: $what"
      continue
    fi
    fact "validate: fails naming $check after $what" validate_fails_with "$check"
    fact "restored: $what" sh_in "$restore"
  done
  fact "validate: the same checks pass again after the faults were undone" validate_fails_with -
  fact "validate: remove_host_scripts.sh removes the scripts and finds no source left" remove_scripts
}

check_bootstrap() {
  fact "bootstrap: user data ran userdata-bootstrap.sh from the cloud-init stand-in (cloud-final.service)" \
    in_container systemctl start cloud-final.service
  fact "bootstrap: /etc/ecs/ecs.config has exactly the expected keys and values" \
    diff <(printf '%s\n' "$ECS_CONFIG_EXPECTED") "$RUN_ROOT/etc/ecs/ecs.config"
  # shellcheck disable=SC2016 # jq variables
  fact "bootstrap: nvidia-gpu-info.json has DriverVersion $STAND_IN_DRIVER_VERSION and the GPU's UUID (stand-in answers)" \
    jq -e --arg v "$STAND_IN_DRIVER_VERSION" --arg id "$STAND_IN_GPU_UUID" \
    '. == {DriverVersion: $v, GPUIDs: [$id]}' "$RUN_ROOT/var/lib/ecs/gpu/nvidia-gpu-info.json"
  fact "bootstrap: app_env.env from the (stand-in) SSM parameter, mode 600" \
    sh_in "[[ \$(stat -c %a /usr/share/fractal/app_env.env) == 600 ]] &&
      grep -qxF '$STAND_IN_ENV_CONTENT' /usr/share/fractal/app_env.env"
  fact "bootstrap: systemd-analyze verify accepts $HOST_SERVICE_UNIT_FILE, without a warning" \
    unit_verifies_cleanly "$HOST_SERVICE_UNIT_FILE"
  fact "bootstrap: the host service is enabled at boot and running (Restart=no)" \
    sh_in "unit=fractal-ecs-host-service.service; systemctl is-enabled \$unit && systemctl is-active \$unit &&
      [[ \$(systemctl show -P Restart \$unit) == no ]]"
  fact "bootstrap: its Requires= started docker.service; ecs.service stays stopped for the host service" \
    sh_in "systemctl is-active docker.service && ! systemctl is-active ecs.service && ! systemctl is-enabled ecs.service"
}

# check_stand_in <entry of STAND_INS>: every fact on the root standing in for one Ubuntu release.
check_stand_in() {
  local root unit start=$SECONDS
  use_stand_in "$1" "$REPO_DIR/host-scripts"
  echo "== $STAND_IN_LABEL, image variant $STAND_IN_VARIANT (stand-in os-release) =="
  root=$(cached_root_dir)
  if [[ -d "$root" ]]; then
    echo "root: cached $root (scripts/booted-host/root-packages.txt unchanged)"
  else
    echo "root: building $root with debootstrap (no root cached for this root-packages.txt)"
  fi
  CACHED_ROOT=$(ensure_cached_root) || abort "root: $BOOTED_HOST_SUITE root built with debootstrap"
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/booted-host-$BOOTED_HOST_SUITE.XXXXXX")
  RUN_ROOT=$RUN_DIR/root
  mount_run_root "$CACHED_ROOT" "$RUN_DIR" >"$OUT" 2>&1 ||
    abort "root: an overlay of the cached root for this run (mount -t overlay), its changes in $RUN_DIR/upper"
  { write_stand_ins "$RUN_ROOT" "$RUN_DIR/stand-in-packages" "$CLUSTER" &&
    write_apt_repo_stand_ins "$RUN_ROOT" "$RUN_DIR" && write_part1_stand_ins "$RUN_ROOT"; } >"$OUT" 2>&1 ||
    abort "stand-ins: amazon-ecs-init package, signed apt repositories (dpkg-deb, apt-ftparchive), nvidia-smi, modinfo, aws, snap, cloud-init, host service, the Ubuntu $STAND_IN_VERSION_ID os-release"
  echo "stand-ins: amazon-ecs-init (signed with a throw-away key) built with dpkg-deb; Docker's, NVIDIA's and the archive's apt repositories (packages at the $STAND_IN_CODENAME pins, apt-ftparchive, signed with a throw-away key, HTTPS with a throw-away certificate); nvidia-smi ($STAND_IN_GPU_NAME), modinfo (driver $STAND_IN_DRIVER_VERSION once the driver runfile's stand-in installer ran), aws (ssm, and s3 cp from moto), snap, update-grub, update-initramfs, udevadm control, cloud-init (cloud-final.service), the host service binary and an Ubuntu $STAND_IN_VERSION_ID $STAND_IN_CODENAME os-release, all named 'stand-in'"

  boot_container "$RUN_ROOT" "$RUN_DIR/console.log" 2>"$OUT" || {
    tail -n 20 "$RUN_DIR/console.log" >>"$OUT"
    abort "boot: systemd-nspawn boots the root to multi-user within ${BOOT_TIMEOUT}s (its console below)"
  }
  pass "boot: $STAND_IN_LABEL booted to multi-user by systemd-nspawn"
  # shellcheck disable=SC2016 # expanded inside the container
  fact "boot: the container's own network namespace has only a loopback device" \
    sh_in '[[ "$(ls /sys/class/net)" == lo ]]'
  # iptables -V names the nft backend nf_tables
  fact "iptables runs on the $STAND_IN_IPTABLES backend, as on Ubuntu $STAND_IN_VERSION_ID" \
    sh_in "iptables -V | grep -q '(${STAND_IN_IPTABLES/nft/nf_tables})'"
  check_part1_driver
  check_part1

  copy_scripts_in
  fact "AMI setup: wait_for_host.sh and setup_ami_host.sh (part 2) run to the end" run_setup
  fact "AMI setup: the NAT rules are live (iptables -t nat -S)" nat_rules_live
  fact "AMI setup: the NAT rules are in /etc/iptables/rules.v4" nat_rules_saved
  fact "AMI setup: the amazon-ecs-init stand-in is installed through ECS_INIT_DEB" \
    in_container dpkg-query -W amazon-ecs-init
  fact "AMI setup: cloud-init's instance folder is gone" test ! -e "$RUN_ROOT/var/lib/cloud/instances"
  fact "AMI setup: remove_host_scripts.sh removes the scripts and finds no source left" remove_scripts

  # Its process would keep the old network namespace alive; nothing after the reboot fetches packages.
  stop_apt_repo
  reboot_container "$RUN_ROOT" "$RUN_DIR/console.log" 2>"$OUT" || {
    tail -n 20 "$RUN_DIR/console.log" >>"$OUT"
    abort "reboot: systemctl reboot ends the container and it boots again within ${BOOT_TIMEOUT}s (its console below)"
  }
  pass "reboot: systemctl reboot, then the same root booted again"
  fact "after reboot: netfilter-persistent restored the rules at boot (active)" \
    in_container systemctl is-active netfilter-persistent.service
  fact "after reboot: the NAT rules are live" nat_rules_live
  fact "after reboot: the NAT rules are still in /etc/iptables/rules.v4" nat_rules_saved
  # shellcheck disable=SC2016 # expanded inside the container
  fact "after reboot: net.ipv4.conf.all.route_localnet = 1 (from sysctl.d at boot)" \
    sh_in '[[ $(sysctl -n net.ipv4.conf.all.route_localnet) == 1 ]]'
  for unit in "${OFF_AT_BOOT[@]}"; do
    fact "after reboot: $unit not enabled, not active" unit_off "$unit"
  done
  fact "after reboot: no source tree, scripts folder or .git left (verify_no_source_left.sh)" no_source_left
  fact "second run of the setup: succeeds and changes no file (every entry's mode, owner and link; the checksum of every file the run wrote)" second_run_changes_nothing

  check_validate_and_faults
  check_bootstrap

  stop_container
  fact "the container is powered off" test -z "$NSPAWN_PID"
  remove_run_dir "$RUN_DIR"
  RUN_DIR=''
  echo "time ($STAND_IN_CODENAME): $((SECONDS - start)) s"
}

# The udev rules as systemd's udevadm applies them to synthetic devices, in the Debian 13 root built above.
check_udev_rules_applied() {
  STAND_IN_CODENAME=""
  if bats "$REPO_DIR/scripts/booted-host/udev-rules.bats" >"$OUT" 2>&1; then
    pass "udev rules: systemd's udevadm verifies them, and gives each virtual input device, by its exact name, its properties"
  else
    fail "udev rules: scripts/booted-host/udev-rules.bats"
  fi
}

main() {
  local missing stand_in start=$SECONDS
  OUT=$(mktemp)
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  missing=$(missing_host_tools)
  if [[ -n "$missing" ]]; then
    fail "this machine can build and boot the test host: missing $(paste -sd, <<<"$missing" | sed 's/,/, /g') (Debian/Ubuntu: apt-get install debootstrap debian-archive-keyring systemd-container makeself jq apt-utils openssl curl python3; moto[server] from PyPI)"
    finish
  fi
  for stand_in in "${STAND_INS[@]}"; do
    check_stand_in "$stand_in"
  done
  check_udev_rules_applied
  echo "time: $((SECONDS - start)) s"
  finish
}

main "$@"
