# shellcheck shell=bash
#
# The booted test host: a Debian root file system of the release BOOTED_HOST_SUITE names, made with
# debootstrap and cached for the machine (BOOTED_HOST_CACHE_DIR, below; one root per release, rebuilt
# only when root-packages.txt changes), booted with systemd-nspawn in its own network namespace from
# an overlay that keeps each run's changes apart from the cached root, and driven from outside with
# nsenter into its PID 1's namespaces.
# Sourced by scripts/check-booted-host.sh; defines functions and variables only.

BOOTED_HOST_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BOOTED_HOST_LIB_DIR
readonly ROOT_PACKAGES_FILE="$BOOTED_HOST_LIB_DIR/root-packages.txt"
# The Debian release of the root; check-booted-host.sh sets it for each stand-in.
BOOTED_HOST_SUITE="${BOOTED_HOST_SUITE:-bookworm}"
# The roots belong to the machine, like a package manager's cache: every clone (and every branch)
# with the same root-packages.txt shares them.
BOOTED_HOST_CACHE_DIR="${BOOTED_HOST_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:?}/.cache}/gpu-host-infra/booted-host}"
# A cached root that no run has used for this many days is removed when a newer one is built.
readonly ROOT_KEEP_DAYS=14
# Boot (and reboot) must reach multi-user within this many seconds.
BOOT_TIMEOUT="${BOOT_TIMEOUT:-90}"

NSPAWN_PID=''
LEADER_PID=''
CHROOT_PROC=''

# missing_host_tools: prints what this machine lacks to build and boot the test host.
missing_host_tools() {
  local tool missing=()
  for tool in debootstrap systemd-nspawn nsenter chroot dpkg-deb apt-ftparchive gpg gpgconf openssl curl python3 sha256sum makeself moto_server jq; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [[ ! -r /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
    missing+=(debian-archive-keyring)
  fi
  if [[ "$(id -u)" != 0 ]]; then
    missing+=("root (debootstrap and systemd-nspawn need it)")
  fi
  printf '%s\n' "${missing[@]}"
}

root_packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$ROOT_PACKAGES_FILE"
}

# root_cache_key: of the package list itself, so that editing a comment rebuilds nothing.
root_cache_key() {
  root_packages | sha256sum | cut -c1-16
}

# cached_root_dir: where the root for BOOTED_HOST_SUITE and this package list is, once complete.
cached_root_dir() {
  printf '%s/root-%s-%s\n' "$BOOTED_HOST_CACHE_DIR" "$BOOTED_HOST_SUITE" "$(root_cache_key)"
}

release_chroot_proc() {
  if [[ -n "$CHROOT_PROC" ]] && mountpoint -q "$CHROOT_PROC"; then
    umount "$CHROOT_PROC"
  fi
  CHROOT_PROC=''
}

# build_root <dir>: debootstrap, the listed packages through chroot apt-get (the host's network
# is used here, and only here). No service starts in the chroot.
build_root() {
  local dir=$1
  local -a packages
  mapfile -t packages < <(root_packages)
  chmod 755 "$dir"
  debootstrap --variant=minbase "$BOOTED_HOST_SUITE" "$dir"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
  CHROOT_PROC="$dir/proc"
  mount -t proc proc "$CHROOT_PROC"
  # Saving rules now would read this machine's tables: the test saves them inside the container.
  chroot "$dir" debconf-set-selections <<'SEL'
iptables-persistent iptables-persistent/autosave_v4 boolean false
iptables-persistent iptables-persistent/autosave_v6 boolean false
SEL
  chroot "$dir" apt-get -q update
  DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get -y -q install --no-install-recommends "${packages[@]}"
  chroot "$dir" apt-get clean
  release_chroot_proc
  rm -f "$dir/usr/sbin/policy-rc.d"
  rm -rf "$dir"/var/lib/apt/lists/*
  : >"$dir/etc/machine-id"
}

# remove_cached <dir>: renamed out of the way first (a root is there whole or not at all), then
# removed; a proc left mounted by a build that was killed is unmounted first.
remove_cached() {
  local doomed=$BOOTED_HOST_CACHE_DIR/.partial-removed-$$-${1##*/}
  if [[ "${1##*/}" != .partial-* ]]; then
    mv -T "$1" "$doomed" && rm -f "$1.last-used" || return 1
  else
    doomed=$1
  fi
  if mountpoint -q "$doomed/proc"; then
    umount "$doomed/proc"
  fi
  rm -rf --one-file-system "$doomed"
}

# build_cached_root <dir>: builds the root into a partial folder and renames it to <dir> when
# complete, so that no run ever sees half a root. Holds the cache's lock: a second run waits, then
# finds the root built. Removes what a killed build left, and roots unused for ROOT_KEEP_DAYS.
build_cached_root() {
  local dir=$1 lock partial stale log=$BOOTED_HOST_CACHE_DIR/build-root-$BOOTED_HOST_SUITE.log
  mkdir -p "$BOOTED_HOST_CACHE_DIR"
  exec {lock}>"$BOOTED_HOST_CACHE_DIR/.lock"
  flock "$lock"
  if [[ ! -d "$dir" ]]; then
    for stale in "$BOOTED_HOST_CACHE_DIR"/.partial-*; do
      [[ ! -e "$stale" ]] || remove_cached "$stale"
    done
    partial=$(mktemp -d "$BOOTED_HOST_CACHE_DIR/.partial-$BOOTED_HOST_SUITE-XXXXXX")
    build_root "$partial" >"$log" 2>&1 || {
      release_chroot_proc
      remove_cached "$partial"
      echo "check-booted-host: building the Debian root failed; last lines of $log:" >&2
      tail -n 15 "$log" >&2
      exec {lock}>&-
      return 1
    }
    touch "$partial/.complete"
    mv -T "$partial" "$dir"
    find "$BOOTED_HOST_CACHE_DIR" -maxdepth 1 -name 'root-*.last-used' -mtime "+$ROOT_KEEP_DAYS" -print |
      while read -r stale; do remove_cached "${stale%.last-used}"; done
  fi
  exec {lock}>&-
}

# ensure_cached_root: prints the cached root's path, building it first when there is none for this
# package list. Records its use (ROOT_KEEP_DAYS).
ensure_cached_root() {
  local dir
  dir=$(cached_root_dir)
  [[ -d "$dir" ]] || build_cached_root "$dir" || return 1
  touch "$dir.last-used"
  printf '%s\n' "$dir"
}

# mount_run_root <cached root> <run dir>: <run dir>/root, the root this run boots: an overlay whose
# upper layer (<run dir>/upper) takes every change, so the cached root is read, never written.
mount_run_root() {
  mkdir -p "$2/upper" "$2/work" "$2/root" &&
    mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/root"
}

# remove_run_dir <run dir>: the run's overlay unmounted and its folder removed.
remove_run_dir() {
  if mountpoint -q "$1/root"; then
    umount "$1/root" || return 1
  fi
  rm -rf --one-file-system "$1"
}

# boot_container <root> <console log>: boots the root in the background (own network namespace:
# only a loopback device, nothing leaves this machine) and waits for multi-user.
boot_container() {
  local root=$1 console=$2 waited=0
  setsid systemd-nspawn -q --register=no --keep-unit --private-network --console=read-only \
    -D "$root" -b </dev/null >>"$console" 2>&1 &
  NSPAWN_PID=$!
  LEADER_PID=''
  while [[ -z "$LEADER_PID" ]]; do
    if ! kill -0 "$NSPAWN_PID" 2>/dev/null || ((waited >= BOOT_TIMEOUT * 10)); then
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
    LEADER_PID=$(pgrep -P "$NSPAWN_PID" -x systemd || true)
  done
  # shellcheck disable=SC2016 # the inner bash expands $1
  timeout "$BOOT_TIMEOUT" bash -c 'until [[ -S /proc/$1/root/run/systemd/private ]]; do sleep 0.2; done' _ "$LEADER_PID" &&
    boot_finished
}

# boot_finished: systemd reached multi-user with no failed unit (otherwise they are listed).
boot_finished() {
  local state
  state=$(in_container timeout "$BOOT_TIMEOUT" systemctl is-system-running --wait)
  [[ "$state" == running ]] && return 0
  echo "check-booted-host: the container's systemd is '$state':" >&2
  in_container systemctl --failed --no-legend >&2
  return 1
}

# container_is_ours: LEADER_PID is still the PID 1 of the container this script started, in
# namespaces of its own (never a reused PID of this machine's processes).
container_is_ours() {
  local stat ppid
  [[ -n "$LEADER_PID" && -n "$NSPAWN_PID" ]] || return 1
  stat=$(cat "/proc/$LEADER_PID/stat" 2>/dev/null) || return 1
  read -r _ ppid _ <<<"${stat##*) }"
  [[ "$ppid" == "$NSPAWN_PID" ]] &&
    [[ "$(readlink "/proc/$LEADER_PID/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]] &&
    [[ "$(readlink "/proc/$LEADER_PID/ns/net")" != "$(readlink /proc/self/ns/net)" ]]
}

# in_container <command...>: runs a command in every namespace and the root of the container's
# PID 1, with a clean environment. Nothing of it runs on this machine's own system.
in_container() {
  container_is_ours || {
    echo "check-booted-host: the container is not running" >&2
    return 1
  }
  nsenter -t "$LEADER_PID" -a -r -w /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}

# wait_serving <pid> <log> <probe...>: waits up to 30 s until the probe command succeeds; when the
# server (pid) ends first or the time runs out, prints its log and fails.
wait_serving() {
  local pid=$1 log=$2 waited=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((waited >= 300)) || ! kill -0 "$pid" 2>/dev/null; then
      cat "$log"
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# wait_nspawn_exit <seconds>: true when nspawn ended within that time.
wait_nspawn_exit() {
  local limit=$(($1 * 10)) waited=0
  while kill -0 "$NSPAWN_PID" 2>/dev/null; do
    ((waited < limit)) || return 1
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$NSPAWN_PID" 2>/dev/null || true
}

# reboot_container <root> <console log>: `systemctl reboot` inside ends nspawn; booting the same
# root again is what a reboot does to its files.
reboot_container() {
  in_container systemctl reboot || return 1
  wait_nspawn_exit "$BOOT_TIMEOUT" || return 1
  boot_container "$1" "$2"
}

# stop_container: powers the container off, or else makes the nspawn this script started shut it
# down (SIGTERM), or kills it.
stop_container() {
  [[ -n "$NSPAWN_PID" ]] || return 0
  if kill -0 "$NSPAWN_PID" 2>/dev/null; then
    if ! in_container systemctl poweroff >/dev/null 2>&1 || ! wait_nspawn_exit 30; then
      kill -TERM "$NSPAWN_PID" 2>/dev/null || true
      wait_nspawn_exit 10 || kill -KILL "$NSPAWN_PID" 2>/dev/null || true
    fi
  fi
  wait "$NSPAWN_PID" 2>/dev/null || true
  NSPAWN_PID=''
  LEADER_PID=''
}
