# shellcheck shell=bash
#
# Owns downloads and their verification: HTTPS with retries, SHA-256 checks, PGP signatures by a
# pinned key, key fingerprints. Needs lib/log.sh.

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
