# shellcheck shell=bash
#
# Part 1 (setup_gpu_host.sh) as a whole on the booted host, after its driver stage's facts
# (booted-host/part1-driver.sh) and before part 2, against the signed apt repository stand-ins
# (booted-host/apt-repo.sh). Faults first, on the host as part 1 finds it: a tampered GRID runfile
# handed over as the image component fetches it (NVIDIA_GRID_DRIVER_RUNFILE), Docker's repository
# signed by another key, a pinned version missing from NVIDIA's; each must be refused with its
# message, leaving the dpkg state and every file under /etc as they were. Then part 1 is given the
# good runfile, as the component gives it. Then part 1 runs to the
# end and installs the pinned packages, and a second run changes nothing. Also the stand-ins, written
# before boot, for what part 1 calls that a container lacks: snapd, GRUB's and the initramfs'
# tools, udev's reload of its rules; and the ubuntu user of Ubuntu's images. Sourced by
# scripts/check-booted-host.sh after booted-host/part1-driver.sh; uses its fact, pass, fail.

# Where the stand-ins below record their calls.
readonly STAND_IN_CALLS=/var/lib/stand-ins/calls

# write_part1_stand_ins <root>
write_part1_stand_ins() {
  local root=$1 cmd
  for cmd in update-grub update-initramfs; do
    install -D -m 755 /dev/stdin "$root/usr/local/sbin/$cmd" <<STANDIN
#!/bin/sh
# $cmd stand-in (booted-host test): the container boots without GRUB or an initramfs; records the call.
mkdir -p ${STAND_IN_CALLS%/*} && echo "$cmd\${*:+ \$*}" >>$STAND_IN_CALLS
STANDIN
  done
  install -D -m 755 /dev/stdin "$root/usr/local/bin/snap" <<'STANDIN'
#!/bin/sh
# snap stand-in (booted-host test): no snapd in a container; an install is recorded, list answers from it.
dir=/var/lib/stand-ins/snaps
case "$1" in
  wait) ;;
  list) [ -e "$dir/$2" ] ;;
  install) mkdir -p "$dir" && echo "$*" >"$dir/$2" ;;
  *) echo "snap stand-in: unsupported: $*" >&2; exit 2 ;;
esac
STANDIN
  install -D -m 755 /dev/stdin "$root/usr/local/bin/udevadm" <<STANDIN
#!/bin/sh
# udevadm stand-in (booted-host test): systemd-udevd does not run in a container, so part 1's
# "control --reload-rules" is recorded; anything else (systemd's own calls) goes to the real udevadm.
if [ "\$*" = "control --reload-rules" ]; then
  mkdir -p ${STAND_IN_CALLS%/*} && echo "udevadm \$*" >>$STAND_IN_CALLS
  exit 0
fi
exec /usr/bin/udevadm "\$@"
STANDIN
  # GRUB's settings as Ubuntu's cloud images ship them.
  printf '%s\n' GRUB_DEFAULT=0 GRUB_TIMEOUT_STYLE=hidden GRUB_TIMEOUT=0 \
    'GRUB_CMDLINE_LINUX_DEFAULT="console=tty1 console=ttyS0"' 'GRUB_CMDLINE_LINUX=""' |
    install -D -m 644 /dev/stdin "$root/etc/default/grub"
  chroot "$root" useradd --create-home --shell /bin/bash ubuntu
}

# part1: setup_gpu_host.sh, as the image component runs it.
part1() {
  in_container env "${STAND_IN_ENV[@]}" "${PART1_DRIVER_ENV[@]}" RETRY_BASE_DELAY=0 bash "$SCRIPTS/setup_gpu_host.sh"
}

# fetched_runfile: where components/host-setup.yml's DownloadGridDriver step puts the runfile for
# part 1 (read from there; empty when it says no such thing).
fetched_runfile() {
  local path
  path=$(sed -n "s|^ *destination: '{{ HostScriptsWorkDir }}\(/[^']*\.run\)'\$|\1|p" "$REPO_DIR/components/host-setup.yml")
  [[ -z "$path" ]] || echo "$WORK_DIR$path"
}

# fetch_runfile <runfile> <where>: as the image component's S3Download step puts it, root-only.
fetch_runfile() {
  [[ -n "$2" ]] && install -m 600 "$1" "$RUN_ROOT$2"
}

# shellcheck disable=SC2317 # run by fact
# pinned_packages_installed: Docker's and the toolkit's packages at the versions versions.env pins
# for the release stood in for, from the stand-ins, whose key the keyrings hold.
pinned_packages_installed() {
  local codename=${STAND_IN_CODENAME^^} toolkit want got keyring fpr
  toolkit=$(pin NVIDIA_CONTAINER_TOOLKIT_VERSION)
  want=$(printf '%s\n' "docker-ce=$(pin "DOCKER_CE_VERSION_$codename")" "docker-ce-cli=$(pin "DOCKER_CE_VERSION_$codename")" \
    "containerd.io=$(pin "CONTAINERD_IO_VERSION_$codename")" "nvidia-container-toolkit=$toolkit" \
    "nvidia-container-toolkit-base=$toolkit" "libnvidia-container-tools=$toolkit" "libnvidia-container1=$toolkit" | sort)
  # shellcheck disable=SC2016 # dpkg-query format fields
  got=$(in_container dpkg-query -W -f='${Package}=${Version}\n' docker-ce docker-ce-cli containerd.io \
    nvidia-container-toolkit nvidia-container-toolkit-base libnvidia-container-tools libnvidia-container1 | sort)
  printf 'installed:\n%s\n' "$got"
  [[ "$got" == "$want" ]] || {
    printf 'expected:\n%s\n' "$want"
    return 1
  }
  for keyring in docker.asc nvidia-container-toolkit.asc; do
    fpr=$(gpg --batch --show-keys --with-colons "$RUN_ROOT/etc/apt/keyrings/$keyring" | awk -F: '$1 == "fpr" { print $10; exit }')
    echo "/etc/apt/keyrings/$keyring: $fpr"
    [[ "$fpr" == "$REPO_KEY_FPR" ]] || return 1
  done
  grep -H . "$RUN_ROOT"/etc/apt/sources.list.d/*.list
  grep -qF "$REPO_URL/$DOCKER_REPO_PATH $STAND_IN_CODENAME stable" "$RUN_ROOT/etc/apt/sources.list.d/docker.list" &&
    grep -qF "$REPO_URL/$NVIDIA_REPO_PATH/\$(ARCH) /" "$RUN_ROOT/etc/apt/sources.list.d/nvidia-container-toolkit.list"
}

# shellcheck disable=SC2317 # run by fact
# boot_tools_ran_once: GRUB's settings keep nouveau out, and the stand-ins of update-initramfs,
# update-grub and udevadm control were each called once, over both runs of part 1.
boot_tools_ran_once() {
  grep -x 'GRUB_CMDLINE_LINUX="rdblacklist=nouveau"' "$RUN_ROOT/etc/default/grub" || return 1
  cat "$RUN_ROOT$STAND_IN_CALLS"
  diff <(printf '%s\n' 'update-initramfs -u' update-grub 'udevadm control --reload-rules') "$RUN_ROOT$STAND_IN_CALLS"
}

# shellcheck disable=SC2317 # run by fact
# part1_again_changes_nothing: a second run succeeds, and the dpkg state and /etc stay as they were.
part1_again_changes_nothing() {
  local before=$RUN_DIR/part1.before
  install_state >"$before"
  part1 || return 1
  diff "$before" <(install_state)
}

# check_part1: the facts of part 1 as a whole. The repositories keep serving after it, as on an image
# builder: part 2 refreshes the package lists too (check-booted-host.sh stops them before the reboot).
check_part1() {
  local toolkit name fetched
  toolkit=$(pin NVIDIA_CONTAINER_TOOLKIT_VERSION)
  name=$(sed -n 's/^NVIDIA_GRID_DRIVER_KEY=.*\///p' "$REPO_DIR/host-scripts/variants/$STAND_IN_VARIANT.env")
  copy_scripts_in
  if ! start_apt_repo "$RUN_DIR/apt-repo.log" >"$OUT" 2>&1; then
    fail "part 1: the signed apt repository stand-ins answer over HTTPS on the container's loopback"
    return
  fi
  pass "part 1: the signed apt repository stand-ins (Docker's, NVIDIA's, the archive's; apt-ftparchive, a throw-away key) answer over HTTPS on the container's loopback"
  fetched=$(fetched_runfile)
  PART1_DRIVER_ENV+=(NVIDIA_GRID_DRIVER_RUNFILE="$fetched")
  if ! fetch_runfile "$(tampered_runfile)" "$fetched" >"$OUT" 2>&1; then
    fail "fault injected: a tampered runfile where host-setup.yml's DownloadGridDriver puts it ('$fetched')"
  elif [[ " ${PART1_DRIVER_ENV[*]} " == *" NVIDIA_GRID_DRIVER_SHA256="* ]]; then
    fact "part 1: a tampered runfile handed over as the component fetches it is refused first, naming both checksums; dpkg state and /etc unchanged" \
      refused_unchanged "checksum mismatch for $name: expected SHA-256 $(sha256sum <"$(good_runfile)" | cut -d' ' -f1), got $(sha256sum <"$(tampered_runfile)" | cut -d' ' -f1)" \
      part1
  else
    fact "part 1: a tampered runfile handed over as the component fetches it, in record mode, is refused first by its own --check; dpkg state and /etc unchanged" \
      refused_unchanged "the GRID driver $name fails its own integrity check" part1
  fi
  fetch_runfile "$(good_runfile)" "$fetched" >"$OUT" 2>&1 || fail "restored: the good runfile where the component puts it"
  if docker_repo_signed_by "$REPO_OTHER_KEY_FPR" >"$OUT" 2>&1; then
    fact "part 1: Docker's repository signed by another key is refused naming it; dpkg state and /etc unchanged" \
      refused_unchanged "ERROR: Docker's apt repository $REPO_URL/$DOCKER_REPO_PATH failed its check (apt-get update with only its sources entry and the key $REPO_KEY_FPR): E: The repository '$REPO_URL/$DOCKER_REPO_PATH $STAND_IN_CODENAME InRelease' is not signed." part1
  else
    fail "fault injected: Docker's index signed by another key"
  fi
  docker_repo_signed_by "$REPO_KEY_FPR" >"$OUT" 2>&1 || fail "restored: Docker's index signed by its key"
  if withhold_package yes >"$OUT" 2>&1; then
    fact "part 1: a pinned version missing from NVIDIA's repository ($WITHHELD_PACKAGE $toolkit) is refused naming it; dpkg state and /etc unchanged" \
      refused_unchanged "ERROR: NVIDIA's apt repository $REPO_URL/$NVIDIA_REPO_PATH has no $WITHHELD_PACKAGE version $toolkit (the pinned version)" part1
  else
    fail "fault injected: $WITHHELD_PACKAGE withheld from NVIDIA's index"
  fi
  withhold_package no >"$OUT" 2>&1 || fail "restored: $WITHHELD_PACKAGE back in NVIDIA's index"
  fact "part 1: setup_gpu_host.sh runs to the end against the stand-ins (the fetched runfile checked first, repositories checked in a throw-away apt configuration, then added)" part1
  fact "part 1: Docker's and the toolkit's packages installed at the versions versions.env pins for $STAND_IN_CODENAME, through the checked keyrings" \
    pinned_packages_installed
  fact "part 1: the ubuntu user is in the docker group (made by the docker-ce stand-in's postinst)" \
    sh_in 'id -nG ubuntu | grep -qw docker'
  fact "part 1: a second run succeeds and changes neither the dpkg state nor /etc" part1_again_changes_nothing
  fact "part 1: GRUB_CMDLINE_LINUX has rdblacklist=nouveau; update-initramfs -u, update-grub and udevadm control ran once over both runs" \
    boot_tools_ran_once
}
