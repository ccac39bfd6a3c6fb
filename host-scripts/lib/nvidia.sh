# shellcheck shell=bash
#
# Owns what the NVIDIA GRID driver needs around it: its version from the variant's key, its build
# tools, nouveau kept away, and the NVIDIA Container Toolkit (the driver itself: lib/grid_driver.sh).
# Needs lib/common.sh, versions.env and the variant's pin (preflight --variant).

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

# nvidia_apt_sources <keyring>: NVIDIA's sources entry (a flat repository per architecture).
nvidia_apt_sources() {
  echo "deb [signed-by=$1] $NVIDIA_APT_REPO_URL/\$(ARCH) /"
}

# nvidia_pinned_packages: sets PINNED_PACKAGES to the toolkit's four packages at the pinned release.
nvidia_pinned_packages() {
  local v=$NVIDIA_CONTAINER_TOOLKIT_VERSION
  [[ -n "$v" ]] || die "NVIDIA_CONTAINER_TOOLKIT_VERSION must be pinned (versions.env)"
  PINNED_PACKAGES=("nvidia-container-toolkit=$v" "nvidia-container-toolkit-base=$v"
    "libnvidia-container-tools=$v" "libnvidia-container1=$v")
}

# check_nvidia_container_toolkit_repo: before any change: NVIDIA's key by its pinned fingerprint,
# its signed index, the pinned release in it (lib/apt_repos.sh).
check_nvidia_container_toolkit_repo() {
  nvidia_pinned_packages
  check_apt_repo "NVIDIA's apt repository $NVIDIA_APT_REPO_URL" "$NVIDIA_APT_KEY_URL" \
    "$NVIDIA_APT_KEY_FINGERPRINT" "$NVIDIA_KEYRING" nvidia_apt_sources "${PINNED_PACKAGES[@]}"
}

add_nvidia_container_toolkit_repo() {
  add_apt_repo "$NVIDIA_KEYRING" "$NVIDIA_SOURCES" nvidia_apt_sources
}

# install_nvidia_container_toolkit: the pinned release; apt checks it against the repository's
# signed index, whose key check_nvidia_container_toolkit_repo checked by fingerprint.
install_nvidia_container_toolkit() {
  nvidia_pinned_packages
  install_packages "${PINNED_PACKAGES[@]}"
}
