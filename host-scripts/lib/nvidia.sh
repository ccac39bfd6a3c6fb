# shellcheck shell=bash
#
# Owns the NVIDIA GRID driver of the image variant (variants/$IMAGE_VARIANT.env) from AWS's driver
# bucket, built with DKMS and installed without a GPU present; nouveau kept away; the NVIDIA
# Container Toolkit. Needs lib/common.sh, versions.env and the variant's pin (preflight --variant).

readonly NVIDIA_BLACKLIST_CONF=/etc/modprobe.d/blacklist-fractal-nvidia.conf
readonly NVIDIA_KEYRING=/etc/apt/keyrings/nvidia-container-toolkit.asc
readonly NVIDIA_SOURCES=/etc/apt/sources.list.d/nvidia-container-toolkit.list

# grid_driver_version: the driver version in NVIDIA_GRID_DRIVER_KEY (e.g. 535.183.01).
grid_driver_version() {
  local file=${NVIDIA_GRID_DRIVER_KEY##*/}
  if [[ ! "$file" =~ ^NVIDIA-Linux-x86_64-([0-9]+(\.[0-9]+)+)-grid-aws\.run$ ]]; then
    die "NVIDIA_GRID_DRIVER_KEY '$NVIDIA_GRID_DRIVER_KEY' is not a NVIDIA-Linux-x86_64-<version>-grid-aws.run key"
  fi
  printf '%s\n' "${BASH_REMATCH[1]}"
}

# The placeholder a variant's file holds until a driver is qualified (AWS publishes no checksum).
readonly UNQUALIFIED_DRIVER_SHA256=unqualified

# check_grid_driver_pin: before anything changes, the driver key names a version and the driver has a
# pinned SHA-256, or the operator asked for a first qualification run (NVIDIA_DRIVER_QUALIFICATION_RUN=1).
check_grid_driver_pin() {
  grid_driver_version >/dev/null
  if [[ "$NVIDIA_GRID_DRIVER_SHA256" != "$UNQUALIFIED_DRIVER_SHA256" ]]; then
    [[ "$NVIDIA_GRID_DRIVER_SHA256" =~ ^[0-9a-f]{64}$ ]] ||
      die "NVIDIA_GRID_DRIVER_SHA256 '$NVIDIA_GRID_DRIVER_SHA256' is not a SHA-256 (64 lowercase hex digits) or '$UNQUALIFIED_DRIVER_SHA256'"
    return 0
  fi
  case "${NVIDIA_DRIVER_QUALIFICATION_RUN:-0}" in
    1) log "WARNING: NVIDIA_DRIVER_QUALIFICATION_RUN=1: installing ${NVIDIA_GRID_DRIVER_KEY##*/}, which has no pinned SHA-256; its SHA-256 is printed to pin in variants/$IMAGE_VARIANT.env" ;;
    0) die "the GRID driver ${NVIDIA_GRID_DRIVER_KEY##*/} is not qualified: NVIDIA_GRID_DRIVER_SHA256 is '$UNQUALIFIED_DRIVER_SHA256' in variants/$IMAGE_VARIANT.env. Pin its SHA-256, or run once with NVIDIA_DRIVER_QUALIFICATION_RUN=1 to measure it" ;;
    *) die "NVIDIA_DRIVER_QUALIFICATION_RUN '$NVIDIA_DRIVER_QUALIFICATION_RUN' is not allowed: use 1 (a first qualification run) or 0" ;;
  esac
}

# verify_grid_driver <file>: the pinned SHA-256, or on a qualification run the measured one printed.
verify_grid_driver() {
  local file=$1 name=${NVIDIA_GRID_DRIVER_KEY##*/}
  if [[ "$NVIDIA_GRID_DRIVER_SHA256" == "$UNQUALIFIED_DRIVER_SHA256" ]]; then
    log "QUALIFICATION RUN: pin this line in variants/$IMAGE_VARIANT.env once the driver is qualified: NVIDIA_GRID_DRIVER_SHA256=$(sha256_of "$file")"
    return 0
  fi
  verify_sha256 "$file" "$NVIDIA_GRID_DRIVER_SHA256" "$name"
}

install_driver_build_deps() {
  install_packages gcc make dkms "linux-headers-$(uname -r)"
}

blacklist_nouveau() {
  install_content "$NVIDIA_BLACKLIST_CONF" 644 <<'EOF'
# Installed by host-scripts: the NVIDIA GRID driver needs these modules out of the way.
blacklist vga16fb
blacklist nouveau
blacklist rivafb
blacklist nvidiafb
blacklist rivatv
EOF
  if file_changed; then
    update-initramfs -u
  fi
}

# configure_grub_nouveau: GRUB_CMDLINE_LINUX gets rdblacklist=nouveau (keeps other arguments).
configure_grub_nouveau() {
  local grub=$ROOT/etc/default/grub tmp
  [[ -f "$grub" ]] || die "$grub not found"
  if grep -Eq '^GRUB_CMDLINE_LINUX="([^"]* )?rdblacklist=nouveau( [^"]*)?"' "$grub"; then
    log "up to date: /etc/default/grub"
    return 0
  fi
  tmp=$(mktemp)
  if grep -Eq '^GRUB_CMDLINE_LINUX=' "$grub"; then
    sed -E -e 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="rdblacklist=nouveau"/' -e t \
      -e 's/^GRUB_CMDLINE_LINUX="([^"]+)"/GRUB_CMDLINE_LINUX="\1 rdblacklist=nouveau"/' "$grub" >"$tmp"
  else
    cat "$grub" >"$tmp"
    echo 'GRUB_CMDLINE_LINUX="rdblacklist=nouveau"' >>"$tmp"
  fi
  install_file "$tmp" /etc/default/grub "$(stat -c %a "$grub")"
  rm -f "$tmp"
  update-grub
}

# unload_nouveau: the driver installer refuses to run while nouveau is loaded.
unload_nouveau() {
  if [[ -d "$ROOT/sys/module/nouveau" ]]; then
    modprobe -r nouveau ||
      die "nouveau is loaded and cannot be unloaded: reboot (it is blacklisted now) and run this script again"
    log "unloaded nouveau"
  fi
}

installed_nvidia_driver_version() {
  modinfo -F version nvidia 2>/dev/null || true
}

# install_grid_driver: the pinned GRID driver, silent, built with DKMS so it is rebuilt on kernel
# updates. --skip-module-load: the installer does not test-load the module, so no GPU is needed
# and the build runs on a non-GPU instance, as AWS builds its own GPU AMIs; the module loads at the
# next boot on a GPU instance, where the test phase checks it.
install_grid_driver() {
  local want have tmp
  want=$(grid_driver_version)
  have=$(installed_nvidia_driver_version)
  if [[ "$have" == "$want" ]]; then
    log "NVIDIA driver $want is already installed"
    return 0
  fi
  if [[ -n "$have" ]]; then
    log "replacing NVIDIA driver $have with $want"
  fi
  tmp=$(mktemp -d)
  check_grid_driver_pin
  retry 5 aws s3 cp --no-progress --region "$NVIDIA_DRIVER_BUCKET_REGION" \
    "s3://$NVIDIA_DRIVER_BUCKET/$NVIDIA_GRID_DRIVER_KEY" "$tmp/nvidia-driver.run"
  verify_grid_driver "$tmp/nvidia-driver.run"
  if ! sh "$tmp/nvidia-driver.run" -s --dkms --skip-module-load; then
    if [[ -r "$ROOT/var/log/nvidia-installer.log" ]]; then
      tail -n 30 "$ROOT/var/log/nvidia-installer.log" >&2
    fi
    die "the NVIDIA driver installer failed (log: /var/log/nvidia-installer.log)"
  fi
  rm -rf "$tmp"
  have=$(installed_nvidia_driver_version)
  [[ "$have" == "$want" ]] || die "NVIDIA driver installer finished but the nvidia module reports version '${have:-none}', expected $want"
  log "installed NVIDIA driver $want"
}

add_nvidia_container_toolkit_repo() {
  local tmp
  tmp=$(mktemp -d)
  if [[ ! -s "$ROOT$NVIDIA_KEYRING" ]]; then
    download_url https://nvidia.github.io/libnvidia-container/gpgkey "$tmp/nvidia.asc"
    verify_key_fingerprint "$tmp/nvidia.asc" "$NVIDIA_APT_KEY_FINGERPRINT"
    install_file "$tmp/nvidia.asc" "$NVIDIA_KEYRING" 644
  else
    verify_key_fingerprint "$ROOT$NVIDIA_KEYRING" "$NVIDIA_APT_KEY_FINGERPRINT"
  fi
  install_content "$NVIDIA_SOURCES" 644 <<EOF
deb [signed-by=$NVIDIA_KEYRING] https://nvidia.github.io/libnvidia-container/stable/deb/\$(ARCH) /
EOF
  if file_changed; then
    invalidate_apt_lists
  fi
  rm -rf "$tmp"
}

# install_nvidia_container_toolkit: the pinned release of its four packages; apt checks them against
# the repository's signed index, whose key add_nvidia_container_toolkit_repo checked by fingerprint.
install_nvidia_container_toolkit() {
  local v=$NVIDIA_CONTAINER_TOOLKIT_VERSION
  [[ -n "$v" ]] || die "NVIDIA_CONTAINER_TOOLKIT_VERSION must be pinned (versions.env)"
  install_packages "nvidia-container-toolkit=$v" "nvidia-container-toolkit-base=$v" \
    "libnvidia-container-tools=$v" "libnvidia-container1=$v"
}
