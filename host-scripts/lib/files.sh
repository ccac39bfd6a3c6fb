# shellcheck shell=bash
#
# Owns writing files on the host only when they differ (install_file, install_content, ensure_dir)
# and the paths the image keeps for the production boot. Every path is prefixed with ROOT (empty on
# a real host), so the tests can point it at a temporary directory. Needs lib/log.sh.

ROOT="${ROOT:-}"
# Set to 1 by install_file/install_content when they wrote the destination, 0 when it was
# already up to date.
CHANGED=0

# Where the image keeps what the production boot needs (bootstrap, host service, its env file).
# shellcheck disable=SC2034 # read by lib/image.sh, lib/checks.sh and userdata-bootstrap.sh
readonly FRACTAL_SHARE_DIR=/usr/share/fractal \
  HOST_SERVICE_BIN_PATH=/usr/share/fractal/bin/ecs-host-service \
  HOST_SERVICE_ENV_FILE=/usr/share/fractal/app_env.env \
  HOST_SERVICE_UNIT=fractal-ecs-host-service.service
# What part 1 installed as the GRID driver (key, SHA-256, pinned or recorded); the manifest reads it.
# shellcheck disable=SC2034 # read by lib/grid_driver.sh and lib/manifest.sh
readonly GRID_DRIVER_RECORD=/var/lib/fractal/nvidia-grid-driver.json

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
