# shellcheck shell=bash
#
# Owns systemd units: their enabled state, and stopping, disabling or masking them only when they
# are not already so. Needs lib/log.sh.

# unit_enabled_state <unit>: prints enabled, disabled, masked, static, not-found, ...
unit_enabled_state() {
  local state
  state=$(systemctl is-enabled "$1" 2>/dev/null) || true
  printf '%s\n' "${state:-not-found}"
}

unit_is_active() {
  systemctl is-active --quiet "$1"
}

# enable_unit <unit>: enables a unit at boot unless it already is (does not start it).
enable_unit() {
  if [[ "$(unit_enabled_state "$1")" != enabled ]]; then
    systemctl enable "$1"
    log "enabled $1 at boot"
  fi
}

# disable_unit_now <unit>: stops and disables a unit, changing nothing when it already is.
disable_unit_now() {
  local unit=$1 state
  state=$(unit_enabled_state "$unit")
  if [[ "$state" == enabled || "$state" == enabled-runtime ]]; then
    systemctl disable "$unit"
    log "disabled $unit"
  fi
  if unit_is_active "$unit"; then
    systemctl stop "$unit"
    log "stopped $unit"
  fi
}

# mask_unit_now <unit>: stops and masks a unit unless it is already masked or absent.
mask_unit_now() {
  local unit=$1 state
  state=$(unit_enabled_state "$unit")
  case "$state" in
    masked | not-found) return 0 ;;
  esac
  if unit_is_active "$unit"; then
    systemctl stop "$unit"
  fi
  systemctl mask "$unit"
  log "masked $unit"
}
