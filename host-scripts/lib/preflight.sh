# shellcheck shell=bash
#
# Owns what every entry script checks before it changes anything: root, x86_64, a supported Ubuntu
# release (from os-release), the pinned versions of versions.env and the image variant's driver pin
# (variants/$IMAGE_VARIANT.env). Needs lib/log.sh.

# The file the OS checks read (under ROOT); a test host that is not Ubuntu names a stand-in here.
OS_RELEASE_FILE="${OS_RELEASE_FILE:-/etc/os-release}"

require_root() {
  if [[ "$(id -u)" != 0 ]]; then
    die "$SCRIPT_NAME must run as root (EC2 user data and Image Builder run it as root; on a shell use sudo). TARGET_USER (default ubuntu) is the user added to the docker group."
  fi
}

# os_release_value <KEY>: a value from ROOT/OS_RELEASE_FILE, without quotes.
os_release_value() {
  local key=$1 line
  line=$(grep -E "^${key}=" "${ROOT:-}$OS_RELEASE_FILE" | head -n 1) || true
  line=${line#*=}
  line=${line#\"}
  line=${line%\"}
  printf '%s\n' "$line"
}

ubuntu_codename() {
  os_release_value VERSION_CODENAME
}

# supported_codenames: the Ubuntu releases these scripts support: those versions.env pins Docker
# for (DOCKER_CE_VERSION_<CODENAME>), so the list is written once, with its pins.
supported_codenames() {
  local name
  for name in $(compgen -v DOCKER_CE_VERSION_); do
    name=${name#DOCKER_CE_VERSION_}
    printf '%s\n' "${name,,}"
  done
}

# require_supported_os: x86_64 and an Ubuntu release with pins in versions.env (load it first).
require_supported_os() {
  local arch id codename supported
  arch=$(uname -m)
  if [[ "$arch" != x86_64 ]]; then
    die "unsupported architecture '$arch': these scripts support x86_64 only (no GRID driver for Arm, e.g. g5g)"
  fi
  [[ -r "${ROOT:-}$OS_RELEASE_FILE" ]] || die "cannot read ${ROOT:-}$OS_RELEASE_FILE: unsupported OS"
  id=$(os_release_value ID)
  codename=$(ubuntu_codename)
  supported=$(supported_codenames | paste -sd ' ')
  if [[ "$id" == ubuntu && " $supported " == *" $codename "* ]]; then
    return 0
  fi
  die "unsupported OS '$id ${codename:-unknown}' ($OS_RELEASE_FILE): these scripts support Ubuntu $supported"
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

# image_variants <scripts dir>: the variants that exist, one per file in variants/.
image_variants() {
  local file
  for file in "$1"/variants/*.env; do
    [[ -f "$file" ]] && basename "$file" .env
  done
}

# load_variant <scripts dir>: the driver pin of IMAGE_VARIANT (variants/<name>.env); refuses a
# missing or unknown variant, naming those that exist.
load_variant() {
  local dir=$1 known
  known=$(image_variants "$dir" | paste -sd ' ' | sed 's/ /, /g')
  [[ -n "${IMAGE_VARIANT:-}" ]] ||
    die "IMAGE_VARIANT is not set: name the image variant to set up (one of: $known)"
  [[ "$IMAGE_VARIANT" =~ ^[a-z0-9][a-z0-9-]*$ && -f "$dir/variants/$IMAGE_VARIANT.env" ]] ||
    die "IMAGE_VARIANT '$IMAGE_VARIANT' is not a known image variant (one of: $known)"
  load_versions "$dir/variants/$IMAGE_VARIANT.env"
}

# docker_pins: DOCKER_CE_VERSION and CONTAINERD_IO_VERSION for this host's Ubuntu release, from
# the per-codename pins of versions.env (a value already set in the environment wins).
docker_pins() {
  local codename
  codename=$(ubuntu_codename)
  codename=${codename^^}
  local ce="DOCKER_CE_VERSION_$codename" containerd="CONTAINERD_IO_VERSION_$codename"
  DOCKER_CE_VERSION=${DOCKER_CE_VERSION:-${!ce:-}}
  CONTAINERD_IO_VERSION=${CONTAINERD_IO_VERSION:-${!containerd:-}}
}

# preflight <scripts dir> [--variant]: root, the pinned versions, a supported OS and architecture
# and, with --variant, the image variant's driver pin.
preflight() {
  local scripts_dir=$1
  stage "preflight: root, OS, architecture, pinned versions${2:+, image variant ${IMAGE_VARIANT:-}}"
  require_root
  load_versions "$scripts_dir/versions.env"
  require_supported_os
  docker_pins
  if [[ "${2:-}" == --variant ]]; then
    load_variant "$scripts_dir"
  fi
}
