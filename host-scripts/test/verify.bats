#!/usr/bin/env bats
#
# The checks every download goes through (lib/common.sh): verify_sha256 and verify_pgp_signature,
# with real sha256sum and a real gpg (a throw-away key of this test run), and the Amazon ECS key
# shipped in this folder against its pinned fingerprint.

load test_helper

setup() {
  setup_sandbox
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
  echo 'a downloaded file' >"$SANDBOX/file.bin"
  SUM=$(sha256sum "$SANDBOX/file.bin" | cut -d ' ' -f 1)
}

@test "verify_sha256 accepts the pinned checksum and says so" {
  run verify_sha256 "$SANDBOX/file.bin" "$SUM" tool-1.0.tar.gz
  assert_success
  assert_output --partial "verified tool-1.0.tar.gz (SHA-256 $SUM)"
}

@test "verify_sha256 stops the script on a mismatch, naming the file and both checksums" {
  local pinned=2222222222222222222222222222222222222222222222222222222222222222
  run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; verify_sha256 '$SANDBOX/file.bin' $pinned tool-1.0.tar.gz; echo went on"
  assert_failure 1
  assert_output --partial "ERROR: checksum mismatch for tool-1.0.tar.gz: expected SHA-256 $pinned, got $SUM"
  refute_output --partial 'went on'
}

@test "verify_sha256 refuses a pin that is not a SHA-256, and names the file by default" {
  run verify_sha256 "$SANDBOX/file.bin" ''
  assert_failure
  assert_output --partial "no valid SHA-256 pinned for file.bin: '' (expected 64 lowercase hex digits)"
  run verify_sha256 "$SANDBOX/file.bin" "${SUM^^}"
  assert_failure
}

@test "verify_pgp_signature accepts a good signature by the pinned key" {
  sign_with_test_key "$SANDBOX/file.bin"
  run verify_pgp_signature "$TEST_KEY_FILE" "$TEST_KEY_FPR" "$SANDBOX/file.bin" "$SANDBOX/file.bin.asc" pkg.deb
  assert_success
  assert_output --partial "verified pkg.deb (PGP signature by $TEST_KEY_FPR)"
}

@test "verify_pgp_signature stops on a changed file, a foreign signature or another key" {
  sign_with_test_key "$SANDBOX/file.bin"
  cp "$SANDBOX/file.bin.asc" "$SANDBOX/good.asc"
  echo changed >>"$SANDBOX/file.bin"
  run verify_pgp_signature "$TEST_KEY_FILE" "$TEST_KEY_FPR" "$SANDBOX/file.bin" "$SANDBOX/good.asc" pkg.deb
  assert_failure
  assert_output --partial "bad signature for pkg.deb: $SANDBOX/good.asc is not a valid signature of it by key $TEST_KEY_FPR"
  echo 'not a signature' >"$SANDBOX/junk.asc"
  run verify_pgp_signature "$TEST_KEY_FILE" "$TEST_KEY_FPR" "$SANDBOX/file.bin" "$SANDBOX/junk.asc" pkg.deb
  assert_failure
  assert_output --partial 'bad signature for pkg.deb'
  run verify_pgp_signature "$TEST_KEY_FILE" F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F "$SANDBOX/file.bin" "$SANDBOX/good.asc"
  assert_failure
  assert_output --partial "has fingerprint '$TEST_KEY_FPR', expected 'F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F'"
}

@test "the Amazon ECS key shipped here is the one whose fingerprint versions.env pins" {
  local want got
  want=$(versions_value ECS_PGP_KEY_FINGERPRINT)
  assert_equal "$want" F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F
  mkdir -m 700 "$SANDBOX/gnupg"
  got=$(GNUPGHOME="$SANDBOX/gnupg" "$STUB_REAL_GPG" --batch --show-keys --with-colons \
    "$HOST_SCRIPTS/amazon-ecs-agent.asc" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
  assert_equal "$got" "$want"
  # and the scripts' own check accepts it (the real gpg, through the stub)
  run verify_key_fingerprint "$HOST_SCRIPTS/amazon-ecs-agent.asc" "$want"
  assert_success
}
