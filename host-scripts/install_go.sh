#!/usr/bin/env bash
#
# install_go.sh: dev instances only. Installs the Go release pinned in versions.env
# (GO_VERSION, checked against GO_SHA256_LINUX_AMD64) into /usr/local/go and puts
# /usr/local/go/bin on every login shell's PATH (/etc/profile.d/go.sh). Idempotent: does
# nothing when that version is already there; replaces another version.
#
# Root rule: runs AS ROOT (user data runs as root; by hand, use sudo) and refuses otherwise.
# Refuses an OS but the Ubuntu releases versions.env pins Docker for, on x86_64.
# Variables: GO_VERSION, GO_SHA256_LINUX_AMD64 (override versions.env).
# Usage: sudo ./install_go.sh

HOST_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_NAME=install_go.sh
# shellcheck source=lib/common.sh
source "$HOST_SCRIPTS_DIR/lib/common.sh"

readonly GO_ROOT=/usr/local/go
readonly GO_PROFILE=/etc/profile.d/go.sh

installed_go_version() {
  if [[ -r "$ROOT$GO_ROOT/VERSION" ]]; then
    head -n 1 "$ROOT$GO_ROOT/VERSION"
  fi
}

install_go() {
  local tmp
  if [[ "$(installed_go_version)" == "go$GO_VERSION" ]]; then
    log "Go $GO_VERSION is already installed in $GO_ROOT"
    return 0
  fi
  tmp=$(mktemp -d)
  download_url "https://go.dev/dl/go$GO_VERSION.linux-amd64.tar.gz" "$tmp/go.tar.gz"
  verify_sha256 "$tmp/go.tar.gz" "$GO_SHA256_LINUX_AMD64" "go$GO_VERSION.linux-amd64.tar.gz"
  mkdir -p "$tmp/extract" "$ROOT${GO_ROOT%/*}"
  tar -C "$tmp/extract" -xzf "$tmp/go.tar.gz"
  [[ "$(head -n 1 "$tmp/extract/go/VERSION")" == "go$GO_VERSION" ]] ||
    die "the archive does not contain go$GO_VERSION"
  rm -rf "$ROOT$GO_ROOT"
  mv "$tmp/extract/go" "$ROOT$GO_ROOT"
  rm -rf "$tmp"
  log "installed Go $GO_VERSION in $GO_ROOT"
}

install_go_profile() {
  install_content "$GO_PROFILE" 644 <<'EOF'
# Installed by host-scripts (install_go.sh): Go on the PATH of login shells.
case ":$PATH:" in
  *:/usr/local/go/bin:*) ;;
  *) export PATH="$PATH:/usr/local/go/bin" ;;
esac
EOF
}

main() {
  begin_entry_script "${BASH_SOURCE[0]}" "$@"

  preflight "$HOST_SCRIPTS_DIR"

  stage "Go $GO_VERSION"
  install_go
  install_go_profile

  stage "done"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
