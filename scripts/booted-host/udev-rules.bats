#!/usr/bin/env bats
#
# host-scripts/udev/90-fractal-input.rules, as systemd's own udevadm reads and applies them. Run by
# scripts/check-booted-host.sh once it has its Debian 13 root (systemd 257), which these tests borrow.

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
}

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
readonly REPO

# --- The udev rules, as systemd's own udevadm reads and applies them ------------------------------
# The contract with the host service: it creates two virtual input devices with these names, and
# each must end up with these properties. systemd >= 253 (udevadm verify) runs from the booted-host
# stage's cached Debian 13 root, in a private mount namespace where a synthetic sysfs (an input
# device with the given name and capabilities, and its event device) covers /sys and the rules
# directory holds only the rules under test; systemd's own rules and builtins (input_id) run too.
readonly RELATIVE_DEVICE="Fractal Virtual Relative Input"
readonly ABSOLUTE_DEVICE="Fractal Virtual Absolute Input"
readonly UDEV_RULES="$REPO/host-scripts/udev/90-fractal-input.rules"

# udev_root: the Debian 13 root (systemd 257) that scripts/check-booted-host.sh caches.
udev_root() {
  local root
  root=$(BOOTED_HOST_SUITE=trixie bash -c \
    'source "$1/scripts/booted-host/container.sh" && realpath -m "$(cached_root_dir)"' _ "$REPO")
  [[ -f "$root/.complete" && -x "$root/usr/bin/udevadm" ]] || {
    echo "no Debian 13 root with udevadm at $root: run the booted-host stage once (scripts/check-booted-host.sh builds it)" >&2
    return 1
  }
  echo "$root"
}

# fake_input_device <sys> <n> <name> <ev> <key> <rel> <abs>: input<n> with event<n> under
# <sys>/devices/virtual/input, its capability bitmaps as the kernel prints them (hex words, highest first).
fake_input_device() {
  local sys=$1 n=$2 name=$3 ev=$4 key=$5 rel=$6 abs=$7
  local input="$sys/devices/virtual/input/input$n"
  mkdir -p "$sys/class/input" "$input/capabilities" "$input/event$n"
  echo "$name" >"$input/name"
  printf 'PRODUCT=6/1/1/1\nNAME="%s"\n' "$name" >"$input/uevent"
  ln -s ../../../../class/input "$input/subsystem"
  echo "$ev" >"$input/capabilities/ev"
  echo "$key" >"$input/capabilities/key"
  echo "$rel" >"$input/capabilities/rel"
  echo "$abs" >"$input/capabilities/abs"
  echo 0 >"$input/properties"
  printf 'MAJOR=13\nMINOR=%s\nDEVNAME=input/event%s\n' "$((64 + n))" "$n" >"$input/event$n/uevent"
  echo "13:$((64 + n))" >"$input/event$n/dev"
  ln -s ../../../../../class/input "$input/event$n/subsystem"
}

# A mouse: EV_SYN, EV_KEY, EV_REL; BTN_LEFT; REL_X, REL_Y, REL_HWHEEL, REL_WHEEL.
fake_mouse() { fake_input_device "$1" "$2" "$3" 7 "10000 0 0 0 0" 143 0; }
# What systemd's input_id takes for a tablet: EV_ABS with ABS_X, ABS_Y; BTN_TOOL_PEN, BTN_TOUCH.
fake_tablet() { fake_input_device "$1" "$2" "$3" b "401 0 0 0 0 0" 0 3; }

# in_udev_root <sys> <rules dir> <command...>: runs a command in the Debian 13 root with <sys> as /sys
# and <rules dir> as /etc/udev/rules.d, in a mount namespace of its own (nothing outside changes).
in_udev_root() {
  local root sys=$1 rules=$2
  shift 2
  root=$(udev_root) || return 1
  local -a private=(--mount)
  [[ "$(id -u)" == 0 ]] || private+=(--map-root-user)
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare "${private[@]}" sh -euc 'root=$1 sys=$2 rules=$3; shift 3
    mount --bind "$sys" "$root/sys"
    mount --bind "$rules" "$root/etc/udev/rules.d"
    mount -t tmpfs tmpfs "$root/run"
    SYSTEMD_DEVICE_VERIFY_SYSFS=0 chroot "$root" "$@"' _ "$root" "$sys" "$rules" "$@"
}

# udev_properties <action> <n>: the properties udevadm test gives event<n> for that action.
udev_properties() {
  local report
  report=$(in_udev_root "$SYS" "$RULES" udevadm test --action="$1" "/sys/devices/virtual/input/input$2/event$2" 2>&1) || {
    echo "$report"
    return 1
  }
  sed -n '/^Properties:/,/^[^ ]/{s/^  //p}' <<<"$report"
}

udev_setup() {
  SYS="$BATS_TEST_TMPDIR/sys" RULES="$BATS_TEST_TMPDIR/rules.d"
  mkdir -p "$SYS" "$RULES"
  cp "$UDEV_RULES" "$RULES/"
}

@test "udev: systemd's udevadm verifies the rules file" {
  udev_setup
  run in_udev_root "$SYS" "$RULES" udevadm verify --resolve-names=never /etc/udev/rules.d/90-fractal-input.rules
  assert_success
  assert_output --partial "Success: 1"
}

@test "udev: the relative device, by its exact name, gets precise scrolling and stays a mouse" {
  udev_setup
  fake_mouse "$SYS" 1 "$RELATIVE_DEVICE"
  fake_mouse "$SYS" 2 "$RELATIVE_DEVICE 2"
  for action in add change; do
    run udev_properties "$action" 1
    assert_success
    assert_line MOUSE_WHEEL_CLICK_ANGLE=1
    assert_line MOUSE_WHEEL_CLICK_COUNT=360
    assert_line ID_INPUT_MOUSE=1
  done
  run udev_properties add 2
  assert_success
  assert_line ID_INPUT_MOUSE=1
  refute_line --partial MOUSE_WHEEL_CLICK_
}

@test "udev: the absolute device, by its exact name, is a mouse where systemd alone makes it a tablet" {
  udev_setup
  fake_tablet "$SYS" 3 "$ABSOLUTE_DEVICE"
  RULES="$BATS_TEST_TMPDIR/no-rules.d" && mkdir "$RULES"
  run udev_properties add 3
  assert_success
  assert_line ID_INPUT_TABLET=1
  refute_line ID_INPUT_MOUSE=1

  RULES="$BATS_TEST_TMPDIR/rules.d"
  for action in add change; do
    run udev_properties "$action" 3
    assert_success
    assert_line ID_INPUT_MOUSE=1
    refute_line --partial ID_INPUT_TABLET
  done
  fake_tablet "$SYS" 4 "${ABSOLUTE_DEVICE,,}"
  run udev_properties add 4
  assert_line ID_INPUT_TABLET=1
}
