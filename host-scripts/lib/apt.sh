# shellcheck shell=bash
#
# Owns getting a fresh host ready for apt (cloud-init finished, apt's background jobs stopped,
# an interrupted dpkg run finished) and installing or removing packages only when needed.
# Needs lib/log.sh and lib/systemd.sh.

APT_LOCK_TIMEOUT="${APT_LOCK_TIMEOUT:-900}"
CLOUD_INIT_TIMEOUT="${CLOUD_INIT_TIMEOUT:-1800}"
# 1 (default) waits for cloud-init; 0 when the caller is cloud-init's own user data, where waiting
# would deadlock (the dev instance's user data sets it).
WAIT_FOR_CLOUD_INIT="${WAIT_FOR_CLOUD_INIT:-1}"

# The timers first, so no new run starts, then the services. They stay masked in the image: hosts
# are replaced by new images, not upgraded in place.
readonly APT_BACKGROUND_UNITS=(apt-daily.timer apt-daily-upgrade.timer apt-daily.service
  apt-daily-upgrade.service unattended-upgrades.service)

# wait_for_cloud_init: waits for cloud-init's boot-finished file (CLOUD_INIT_TIMEOUT seconds).
wait_for_cloud_init() {
  local marker="${ROOT:-}/var/lib/cloud/instance/boot-finished" waited=0
  case "$WAIT_FOR_CLOUD_INIT" in
    0)
      log "not waiting for cloud-init (WAIT_FOR_CLOUD_INIT=0)"
      return 0
      ;;
    1) ;;
    *) die "WAIT_FOR_CLOUD_INIT '$WAIT_FOR_CLOUD_INIT' is not allowed: use 1 (wait) or 0 (from user data)" ;;
  esac
  until [[ -e "$marker" ]]; do
    if ((waited >= CLOUD_INIT_TIMEOUT)); then
      die "cloud-init did not finish within ${CLOUD_INIT_TIMEOUT}s ($marker missing)"
    fi
    sleep 5
    waited=$((waited + 5))
  done
  log "cloud-init has finished (waited ${waited}s)"
}

# prepare_apt: cloud-init done and no background apt job left, before a script installs anything.
# No wait for the dpkg lock of its own: `systemctl stop` returns once the stopped job has exited,
# and every apt-get call waits for the lock itself (apt_get passes DPkg::Lock::Timeout).
prepare_apt() {
  local unit
  stage "wait for cloud-init"
  wait_for_cloud_init

  stage "stop apt background jobs, finish an interrupted dpkg run"
  for unit in "${APT_BACKGROUND_UNITS[@]}"; do
    mask_unit_now "$unit"
  done
  # A job stopped mid-way (or a reboot) can leave packages half configured, and then every
  # apt-get install fails; a no-op otherwise.
  dpkg --configure -a
}

# apt_get <args...>: non-interactive apt-get that waits for the dpkg lock instead of failing.
apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -y -q \
    -o "DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT" \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

APT_LISTS_FRESH=0

# invalidate_apt_lists: a package source changed; the next apt_update refreshes the lists.
invalidate_apt_lists() {
  APT_LISTS_FRESH=0
}

# apt_update: refreshes the package lists once per run (again after a source was added).
apt_update() {
  if [[ "$APT_LISTS_FRESH" == 1 ]]; then
    return 0
  fi
  retry 4 apt_get update
  APT_LISTS_FRESH=1
}

# is_pkg_installed <name[=version]>
is_pkg_installed() {
  local name=${1%%=*} want='' status version
  if [[ "$1" == *=* ]]; then
    want=${1#*=}
  fi
  # shellcheck disable=SC2016 # ${Status} is a dpkg-query format field, not a shell expansion
  status=$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null) || return 1
  [[ "$status" == "install ok installed" ]] || return 1
  if [[ -n "$want" ]]; then
    # shellcheck disable=SC2016 # ${Version} is a dpkg-query format field
    version=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) || return 1
    [[ "$version" == "$want" ]] || return 1
  fi
  return 0
}

# install_packages <name[=version]...>: installs those not installed yet.
install_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    is_pkg_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "already installed: $*"
    return 0
  fi
  apt_update
  log "installing: ${missing[*]}"
  retry 3 apt_get install --no-install-recommends "${missing[@]}"
}

# remove_packages <name...>: purges those installed.
remove_packages() {
  local pkg present=()
  for pkg in "$@"; do
    if is_pkg_installed "$pkg"; then
      present+=("$pkg")
    fi
  done
  if ((${#present[@]} == 0)); then
    return 0
  fi
  log "removing: ${present[*]}"
  apt_get purge "${present[@]}"
}

# autoremove_packages: apt-get autoremove, only when it has something to remove.
autoremove_packages() {
  local plan
  plan=$(apt_get -s autoremove)
  if grep -q '^Remv ' <<<"$plan"; then
    apt_get autoremove --purge
  else
    log "nothing to autoremove"
  fi
}
