# shellcheck shell=bash
#
# Helpers shared by the host scripts: logging and error reporting, preflight checks (root, OS,
# architecture), pinned versions, waiting for cloud-init and for the dpkg/apt locks, apt,
# retries, systemd units and check-before-change file installs.
#
# This file only defines variables and functions; sourcing it changes nothing on the host.
# Every path the scripts write is prefixed with ROOT (empty on a real host), so the tests can
# point it at a temporary directory.

# Sourced once: a second source (a script and its test both loading it) changes nothing.
if [[ -n "${HOST_SCRIPTS_COMMON_LOADED:-}" ]]; then
  return 0
fi
HOST_SCRIPTS_COMMON_LOADED=1

ROOT="${ROOT:-}"
SCRIPT_NAME="${SCRIPT_NAME:-host-scripts}"
CURRENT_STAGE="${CURRENT_STAGE:-start}"
RETRY_BASE_DELAY="${RETRY_BASE_DELAY:-5}"
APT_LOCK_TIMEOUT="${APT_LOCK_TIMEOUT:-900}"
CLOUD_INIT_TIMEOUT="${CLOUD_INIT_TIMEOUT:-1800}"
WAIT_FOR_CLOUD_INIT="${WAIT_FOR_CLOUD_INIT:-auto}"
ALLOW_UNSUPPORTED_OS="${ALLOW_UNSUPPORTED_OS:-0}"
# The file the OS checks read (under ROOT); a test host that is not Ubuntu names a stand-in here.
OS_RELEASE_FILE="${OS_RELEASE_FILE:-/etc/os-release}"
# Set to 1 by install_file/install_content when they wrote the destination, 0 when it was
# already up to date.
CHANGED=0

# Where the image keeps what the production boot needs (bootstrap, host service, its env file).
# shellcheck disable=SC2034 # read by lib/ami.sh and userdata-bootstrap.sh
readonly FRACTAL_SHARE_DIR=/usr/share/fractal \
  HOST_SERVICE_BIN_PATH=/usr/share/fractal/bin/ecs-host-service \
  HOST_SERVICE_ENV_FILE=/usr/share/fractal/app_env.env \
  HOST_SERVICE_UNIT=fractal-ecs-host-service.service

# The timers first, so no new run starts, then the services (a run stopped mid-way is finished by
# finish_interrupted_dpkg). They stay masked in the image: hosts are replaced by new images, not
# upgraded in place.
readonly APT_BACKGROUND_UNITS=(apt-daily.timer apt-daily-upgrade.timer apt-daily.service
  apt-daily-upgrade.service unattended-upgrades.service)
readonly DPKG_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock
  /var/cache/apt/archives/lock)

# print_script_help <file>: the comment block at the top of a script, without the "# ".
print_script_help() {
  sed -n '3,/^[^#]/{/^#/p}' "$1" | sed 's/^# \{0,1\}//'
}

log() {
  TZ=UTC printf '%(%Y-%m-%dT%H:%M:%SZ)T %s: %s\n' -1 "$SCRIPT_NAME" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# stage <description>: one log line per stage; the ERR trap names the stage that failed.
stage() {
  CURRENT_STAGE="$1"
  log "==> $1"
}

on_error() {
  local rc=$1 cmd=$2 line=$3
  log "ERROR: stage '$CURRENT_STAGE' failed: command '$cmd' exited with status $rc (line $line)"
}

# enable_strict_mode: called first by every entry script's main.
enable_strict_mode() {
  set -Eeuo pipefail
  trap 'on_error "$?" "$BASH_COMMAND" "$LINENO"' ERR
  export DEBIAN_FRONTEND=noninteractive
  umask 022
}

# retry <attempts> <command...>: runs an external command until it succeeds, doubling the
# delay between attempts (RETRY_BASE_DELAY seconds first). Only for simple commands: a shell
# function called here runs without errexit.
retry() {
  local attempts=$1 n=1 delay=$RETRY_BASE_DELAY
  shift
  until "$@"; do
    if ((n >= attempts)); then
      log "giving up after $n attempts: $*"
      return 1
    fi
    log "attempt $n of $attempts failed, retrying in ${delay}s: $*"
    sleep "$delay"
    n=$((n + 1))
    delay=$((delay * 2))
  done
}

require_root() {
  if [[ "$(id -u)" != 0 ]]; then
    die "$SCRIPT_NAME must run as root (EC2 user data and Image Builder run it as root; on a shell use sudo). TARGET_USER (default ubuntu) is the user added to the docker group."
  fi
}

# os_release_value <KEY>: a value from ROOT/OS_RELEASE_FILE, without quotes.
os_release_value() {
  local key=$1 line
  line=$(grep -E "^${key}=" "$ROOT$OS_RELEASE_FILE" | head -n 1) || true
  line=${line#*=}
  line=${line#\"}
  line=${line%\"}
  printf '%s\n' "$line"
}

# require_supported_os: Ubuntu 20.04 on x86_64; Ubuntu 22.04 only with ALLOW_UNSUPPORTED_OS=1.
require_supported_os() {
  local arch id version
  arch=$(uname -m)
  if [[ "$arch" != x86_64 ]]; then
    die "unsupported architecture '$arch': these scripts support x86_64 only (g3 instances)"
  fi
  [[ -r "$ROOT$OS_RELEASE_FILE" ]] || die "cannot read $ROOT$OS_RELEASE_FILE: unsupported OS"
  id=$(os_release_value ID)
  version=$(os_release_value VERSION_ID)
  if [[ "$id" == ubuntu && "$version" == 20.04 ]]; then
    return 0
  fi
  if [[ "$id" == ubuntu && "$version" == 22.04 && "$ALLOW_UNSUPPORTED_OS" == 1 ]]; then
    log "WARNING: Ubuntu 22.04 is not the supported base; continuing because ALLOW_UNSUPPORTED_OS=1"
    return 0
  fi
  die "unsupported OS '$id $version': these scripts support Ubuntu 20.04 (set ALLOW_UNSUPPORTED_OS=1 to allow Ubuntu 22.04)"
}

ubuntu_codename() {
  os_release_value VERSION_CODENAME
}

# load_versions <file>: reads KEY=value lines (see versions.env) into global variables; a
# variable already set in the environment wins.
load_versions() {
  local file=$1 line key value
  [[ -r "$file" ]] || die "cannot read versions file $file"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    if [[ ! "$line" =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]]; then
      die "bad line in $file: '$line' (expected KEY=value)"
    fi
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    if [[ -z "${!key+set}" ]]; then
      printf -v "$key" '%s' "$value"
    fi
  done <"$file"
}

# is_under_cloud_init: true when an ancestor process is cloud-init (we are its user data):
# its name, or the program it runs (python3 /usr/bin/cloud-init ...), is cloud-init.
is_under_cloud_init() {
  local pid=$PPID comm stat rest argv=()
  while [[ -n "$pid" && "$pid" -gt 1 && -r "/proc/$pid/stat" ]]; do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    mapfile -d '' -t argv <"/proc/$pid/cmdline" 2>/dev/null || argv=()
    if [[ "$comm" == cloud-init || "${argv[0]##*/}" == cloud-init || "${argv[1]:-}" == */cloud-init ]]; then
      return 0
    fi
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    rest=${stat##*) }
    read -r _ pid _ <<<"$rest"
  done
  return 1
}

# wait_for_cloud_init: waits for cloud-init to finish (its boot-finished file), unless this
# script is itself run by cloud-init (user data), where waiting would deadlock.
# WAIT_FOR_CLOUD_INIT=auto|1|0.
wait_for_cloud_init() {
  local marker="$ROOT/var/lib/cloud/instance/boot-finished" waited=0
  case "$WAIT_FOR_CLOUD_INIT" in
    0)
      log "not waiting for cloud-init (WAIT_FOR_CLOUD_INIT=0)"
      return 0
      ;;
    auto)
      if is_under_cloud_init; then
        log "running from cloud-init (user data): not waiting for cloud-init to finish"
        return 0
      fi
      ;;
  esac
  until [[ -e "$marker" ]]; do
    if ((waited >= CLOUD_INIT_TIMEOUT)); then
      die "cloud-init did not finish within ${CLOUD_INIT_TIMEOUT}s ($marker missing)"
    fi
    sleep 5
    waited=$((waited + 5))
  done
  log "cloud-init has finished"
}

# unit_enabled_state <unit>: prints enabled, disabled, masked, static, not-found, ...
unit_enabled_state() {
  local state
  state=$(systemctl is-enabled "$1" 2>/dev/null) || true
  printf '%s\n' "${state:-not-found}"
}

unit_is_active() {
  systemctl is-active --quiet "$1"
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

# stop_apt_background_jobs: unattended-upgrades and the apt-daily timers take the dpkg lock
# right after boot; stop and mask them (APT_BACKGROUND_UNITS).
stop_apt_background_jobs() {
  local unit
  for unit in "${APT_BACKGROUND_UNITS[@]}"; do
    mask_unit_now "$unit"
  done
}

# wait_for_apt_locks: waits until no process holds a DPKG_LOCKS lock (APT_LOCK_TIMEOUT seconds).
wait_for_apt_locks() {
  local waited=0 lock busy
  while :; do
    busy=
    for lock in "${DPKG_LOCKS[@]}"; do
      if [[ -e "$ROOT$lock" ]] && fuser "$ROOT$lock" >/dev/null 2>&1; then
        busy=$lock
        break
      fi
    done
    [[ -z "$busy" ]] && return 0
    if ((waited >= APT_LOCK_TIMEOUT)); then
      die "$busy is still held after ${APT_LOCK_TIMEOUT}s"
    fi
    log "waiting for $busy"
    sleep 5
    waited=$((waited + 5))
  done
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

# file_changed: whether the last install_file/install_content wrote its destination.
file_changed() {
  [[ "$CHANGED" == 1 ]]
}

# install_file <src> <dest> <mode>: copies src to ROOT-prefixed dest when content or mode
# differ; sets CHANGED.
install_file() {
  local src=$1 dest=$ROOT$2 mode=$3
  CHANGED=0
  if [[ -f "$dest" ]] && cmp -s "$src" "$dest" && [[ "$(stat -c %a "$dest")" == "$mode" ]]; then
    log "up to date: $2"
    return 0
  fi
  install -D -m "$mode" "$src" "$dest"
  CHANGED=1
  log "wrote $2"
}

# install_content <dest> <mode>: like install_file, with the content on stdin.
install_content() {
  local dest=$1 mode=$2 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  install_file "$tmp" "$dest" "$mode"
  rm -f "$tmp"
}

# ensure_dir <dir> [mode]
ensure_dir() {
  local dir=$ROOT$1 mode=${2:-755}
  if [[ ! -d "$dir" ]]; then
    install -d -m "$mode" "$dir"
    log "created $1"
  fi
}

# download_url <url> <dest>: HTTPS download with retries and backoff. Every caller checks what it
# got (verify_sha256, verify_pgp_signature or verify_key_fingerprint) before using it.
download_url() {
  retry 5 curl -fsSL --proto '=https' --retry 3 --connect-timeout 20 -o "$2" "$1"
}

# sha256_of <file>: the file's SHA-256, lowercase hex.
sha256_of() {
  local sum
  sum=$(sha256sum "$1")
  printf '%s\n' "${sum%% *}"
}

# verify_sha256 <file> <expected sha256> [name]: stops the script unless the file has that SHA-256,
# naming the file (or name) and both checksums. The one checksum check of every download.
verify_sha256() {
  local file=$1 want=$2 name=${3:-${1##*/}} got
  [[ "$want" =~ ^[0-9a-f]{64}$ ]] || die "no valid SHA-256 pinned for $name: '$want' (expected 64 lowercase hex digits)"
  got=$(sha256_of "$file")
  [[ "$got" == "$want" ]] || die "checksum mismatch for $name: expected SHA-256 $want, got $got"
  log "verified $name (SHA-256 $got)"
}

# verify_pgp_signature <key file> <fingerprint> <file> <detached .asc> [name]: stops the script
# unless the key file's primary key has the pinned fingerprint and the signature over the file is
# good and made by that key. A throw-away keyring: the host's keyrings are never touched.
verify_pgp_signature() {
  local key=$1 want=$2 file=$3 sig=$4 name=${5:-${3##*/}} home status
  verify_key_fingerprint "$key" "$want"
  home=$(mktemp -d)
  if ! GNUPGHOME=$home gpg --batch --quiet --import "$key" 2>/dev/null; then
    rm -rf "$home"
    die "cannot import signing key $key for $name"
  fi
  status=$(GNUPGHOME=$home gpg --batch --status-fd 1 --verify "$sig" "$file" 2>/dev/null) || true
  rm -rf "$home"
  # VALIDSIG's last field is the primary key's fingerprint, whichever subkey signed.
  if ! grep -Eq "^\[GNUPG:\] VALIDSIG .* $want\$" <<<"$status"; then
    die "bad signature for $name: $sig is not a valid signature of it by key $want"
  fi
  log "verified $name (PGP signature by $want)"
}

# verify_key_fingerprint <key file> <expected fingerprint>
verify_key_fingerprint() {
  local file=$1 want=$2 got
  got=$(gpg --batch --show-keys --with-colons "$file" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
  if [[ "$got" != "$want" ]]; then
    die "signing key $file has fingerprint '${got:-none}', expected '$want'"
  fi
}

# imds_get <path>: reads instance metadata with IMDSv2.
imds_get() {
  local token
  token=$(curl -fsS -X PUT --connect-timeout 5 --retry 3 \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)
  curl -fsS --connect-timeout 5 --retry 3 -H "X-aws-ec2-metadata-token: $token" \
    "http://169.254.169.254/latest/$1"
}

# aws_region: AWS_REGION, AWS_DEFAULT_REGION, or the instance's region from IMDS.
aws_region() {
  local region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
  if [[ -z "$region" ]]; then
    region=$(imds_get meta-data/placement/region)
  fi
  [[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "cannot determine the AWS region (got '$region'); set AWS_REGION"
  printf '%s\n' "$region"
}

# begin_entry_script SCRIPT [ARGS...]: how an entry script that takes no arguments starts: --help prints
# SCRIPT's header and exits, any other argument is refused, then strict mode.
begin_entry_script() {
  local script=$1
  shift
  if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    print_script_help "$script"
    exit 0
  fi
  [[ $# -eq 0 ]] || die "unexpected arguments: $* (see --help)"
  enable_strict_mode
}

# preflight: the checks every entry script starts with: root, a supported OS and architecture, and
# the pinned versions loaded from versions.env in the scripts folder.
preflight() {
  local scripts_dir=$1
  stage "preflight: root, OS, architecture, pinned versions"
  require_root
  require_supported_os
  load_versions "$scripts_dir/versions.env"
}

# prepare_apt: cloud-init done (unless we are its user data) and no background apt job holding the
# dpkg lock, before a script installs anything.
prepare_apt() {
  stage "wait for cloud-init"
  wait_for_cloud_init

  stage "stop apt background jobs and wait for the dpkg lock"
  stop_apt_background_jobs
  wait_for_apt_locks
  finish_interrupted_dpkg
}

# finish_interrupted_dpkg: a job stopped mid-way (or a reboot) can leave packages half
# configured, and then every apt-get install fails; a no-op otherwise.
finish_interrupted_dpkg() {
  dpkg --configure -a
}

# add_snap_paths: the AWS CLI is a snap; user data and AWSTOE do not always have /snap/bin.
add_snap_paths() {
  case ":$PATH:" in
    *:/snap/bin:*) ;;
    *) PATH="$PATH:/snap/bin" ;;
  esac
}
