#!/usr/bin/env bats
#
# install_go.sh (dev instances), with a small stand-in for the Go archive.

load test_helper

setup() {
  setup_sandbox
  # A stand-in archive for the pinned version and its checksum.
  GO_VERSION=$(versions_value GO_VERSION)
  mkdir -p "$SANDBOX/go-src/go/bin"
  echo "go$GO_VERSION" >"$SANDBOX/go-src/go/VERSION"
  printf '#!/bin/sh\necho go version go%s linux/amd64\n' "$GO_VERSION" >"$SANDBOX/go-src/go/bin/go"
  chmod 755 "$SANDBOX/go-src/go/bin/go"
  tar -C "$SANDBOX/go-src" -czf "$SANDBOX/go.tar.gz" go
  export STUB_GO_TARBALL="$SANDBOX/go.tar.gz"
  GO_SHA256_LINUX_AMD64=$(sha256sum "$SANDBOX/go.tar.gz" | cut -d ' ' -f 1)
  export GO_SHA256_LINUX_AMD64
}

@test "installs the pinned Go into /usr/local/go with a PATH entry for login shells" {
  run_script install_go.sh
  assert_success
  run calls_matching '^curl '
  assert_output --partial "https://go.dev/dl/go$GO_VERSION.linux-amd64.tar.gz"
  assert_equal "$(head -n 1 "$ROOT/usr/local/go/VERSION")" "go$GO_VERSION"
  [ -x "$ROOT/usr/local/go/bin/go" ]
  run env -i PATH=/usr/bin:/bin sh -c ". '$ROOT/etc/profile.d/go.sh'; . '$ROOT/etc/profile.d/go.sh'; echo \$PATH"
  assert_output '/usr/bin:/bin:/usr/local/go/bin'
}

@test "refuses an archive whose checksum does not match" {
  GO_SHA256_LINUX_AMD64=0000000000000000000000000000000000000000000000000000000000000000 run_script install_go.sh
  assert_failure
  assert_output --partial "checksum mismatch for go$GO_VERSION.linux-amd64.tar.gz: expected SHA-256 0000000000000000000000000000000000000000000000000000000000000000, got $(sha256sum "$SANDBOX/go.tar.gz" | cut -d ' ' -f 1)"
  [ ! -e "$ROOT/usr/local/go" ]
}

@test "replaces another Go version" {
  mkdir -p "$ROOT/usr/local/go"
  echo go1.20.1 >"$ROOT/usr/local/go/VERSION"
  touch "$ROOT/usr/local/go/stale-file"
  run_script install_go.sh
  assert_success
  assert_equal "$(head -n 1 "$ROOT/usr/local/go/VERSION")" "go$GO_VERSION"
  [ ! -e "$ROOT/usr/local/go/stale-file" ]
}

@test "a second run changes nothing and downloads nothing" {
  run_script install_go.sh
  assert_success
  local before
  before=$(host_snapshot)
  reset_calls
  run_script install_go.sh
  assert_success
  assert_output --partial "Go $GO_VERSION is already installed"
  assert_equal "$(host_snapshot)" "$before"
  run calls_changing_the_host
  assert_output ''
}

@test "refuses to run as non-root or on another architecture" {
  STUB_UID=1000 run_script install_go.sh
  assert_failure
  assert_output --partial 'must run as root'
  STUB_ARCH=aarch64 run_script install_go.sh
  assert_failure
  assert_output --partial "unsupported architecture 'aarch64'"
}
