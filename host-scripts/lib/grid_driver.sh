# shellcheck shell=bash
#
# Owns the image variant's NVIDIA GRID driver itself: downloaded only from the project's driver mirror
# (NVIDIA_DRIVER_MIRROR_BUCKET, never AWS's bucket, whose files may change or go), by the variant's
# pinned key, checked against the pinned SHA-256 (or measured, in record mode), its own --check run,
# installed with DKMS without a GPU, and what was installed recorded for the version manifest. The
# image build fetches the runfile before part 1 runs (NVIDIA_GRID_DRIVER_RUNFILE), so part 1 checks it
# before it changes anything; without that variable part 1 downloads it in the driver stage.
# Needs lib/common.sh, lib/nvidia.sh and the variant's pin (preflight --variant).

# The placeholder a variant's file holds until a driver is qualified (AWS publishes no checksum). The
# Java side (drivers command, release gate) reads the same word.
readonly UNQUALIFIED_DRIVER_SHA256=unqualified

# grid_driver_pinned: whether the variant's file pins a SHA-256 (else: record mode).
grid_driver_pinned() {
  [[ "$NVIDIA_GRID_DRIVER_SHA256" != "$UNQUALIFIED_DRIVER_SHA256" ]]
}

# check_grid_driver_pin: before anything changes: the driver key names a version, the pin is a SHA-256
# or "unqualified" (record mode), and the caller named the driver mirror and its region.
check_grid_driver_pin() {
  grid_driver_version >/dev/null
  if grid_driver_pinned && [[ ! "$NVIDIA_GRID_DRIVER_SHA256" =~ ^[0-9a-f]{64}$ ]]; then
    die "NVIDIA_GRID_DRIVER_SHA256 '$NVIDIA_GRID_DRIVER_SHA256' is not a SHA-256 (64 lowercase hex digits) or '$UNQUALIFIED_DRIVER_SHA256'"
  fi
  [[ -n "${NVIDIA_DRIVER_MIRROR_BUCKET:-}" ]] ||
    die "NVIDIA_DRIVER_MIRROR_BUCKET is not set: name the project's driver mirror bucket (fractal-gpu-host-drivers-<account>-<region>); the GRID driver is downloaded only from there"
  [[ "$NVIDIA_DRIVER_MIRROR_BUCKET" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] ||
    die "NVIDIA_DRIVER_MIRROR_BUCKET '$NVIDIA_DRIVER_MIRROR_BUCKET' is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-')"
  [[ "${NVIDIA_DRIVER_MIRROR_REGION:-}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] ||
    die "NVIDIA_DRIVER_MIRROR_REGION '${NVIDIA_DRIVER_MIRROR_REGION:-}' is not an AWS region (e.g. us-east-1): name the driver mirror's region"
}

# warn_record_mode: the loud line of a build whose driver nobody reviewed yet.
warn_record_mode() {
  log "WARNING: RECORD MODE: the GRID driver ${NVIDIA_GRID_DRIVER_KEY##*/} of image variant $IMAGE_VARIANT is not qualified (NVIDIA_GRID_DRIVER_SHA256=$UNQUALIFIED_DRIVER_SHA256 in variants/$IMAGE_VARIANT.env): installed with its measured SHA-256 $1, recorded in $GRID_DRIVER_RECORD; an image with it cannot be promoted to a production channel until the driver is qualified (npm run drivers -- qualify --variant $IMAGE_VARIANT)"
}

# check_grid_driver <file>: the pinned SHA-256 first (a mismatch stops, naming both checksums), then
# the runfile's own integrity check (makeself's embedded checksums). Sets GRID_DRIVER_SHA256.
check_grid_driver() {
  local file=$1 name=${NVIDIA_GRID_DRIVER_KEY##*/}
  if grid_driver_pinned; then
    verify_sha256 "$file" "$NVIDIA_GRID_DRIVER_SHA256" "$name"
  fi
  sh "$file" --check ||
    die "the GRID driver $name fails its own integrity check (sh $name --check): not installed"
  GRID_DRIVER_SHA256=$(sha256_of "$file")
  grid_driver_pinned || warn_record_mode "$GRID_DRIVER_SHA256"
}

# check_given_grid_driver: part 1's first check when the caller fetched the runfile
# (NVIDIA_GRID_DRIVER_RUNFILE): the same checks as a downloaded one, before anything changes, so a
# tampered or wrong runfile leaves the host as it was. Without the variable: nothing (downloaded later).
check_given_grid_driver() {
  [[ -n "${NVIDIA_GRID_DRIVER_RUNFILE:-}" ]] || return 0
  stage "check the fetched GRID driver runfile before any change: pinned SHA-256, its own --check"
  [[ -f "$NVIDIA_GRID_DRIVER_RUNFILE" && -r "$NVIDIA_GRID_DRIVER_RUNFILE" ]] ||
    die "NVIDIA_GRID_DRIVER_RUNFILE '$NVIDIA_GRID_DRIVER_RUNFILE' is not a readable file: name the fetched GRID runfile ${NVIDIA_GRID_DRIVER_KEY##*/}, or leave it unset to download it from the mirror"
  check_grid_driver "$NVIDIA_GRID_DRIVER_RUNFILE"
}

# record_grid_driver <sha256>: what was installed, for write_version_manifest.sh (and so the Java
# side's tags and release gate): the key, the SHA-256 and whether it was the pinned one.
record_grid_driver() {
  local pinned=false
  grid_driver_pinned && pinned=true
  install_content "$GRID_DRIVER_RECORD" 644 <<EOF
{"key": "$NVIDIA_GRID_DRIVER_KEY", "sha256": "$1", "pinned": $pinned}
EOF
}

# install_grid_driver: the variant's GRID driver (the runfile check_given_grid_driver checked, else
# downloaded from the mirror and checked here), silent, built with DKMS so it is
# rebuilt on kernel updates. --skip-module-load: the installer does not test-load the module, so no
# GPU is needed and the build runs on a non-GPU instance, as AWS builds its own GPU AMIs; the module
# loads at the next boot on a GPU instance, where the test phase checks it.
install_grid_driver() {
  local want have tmp
  want=$(grid_driver_version)
  have=$(installed_nvidia_driver_version)
  if [[ "$have" == "$want" && -s "$ROOT$GRID_DRIVER_RECORD" ]]; then
    log "NVIDIA driver $want is already installed ($(cat "$ROOT$GRID_DRIVER_RECORD"))"
    if grep -q '"pinned": false' "$ROOT$GRID_DRIVER_RECORD"; then
      warn_record_mode "$(sed -E 's/.*"sha256": "([0-9a-f]*)".*/\1/' "$ROOT$GRID_DRIVER_RECORD")"
    fi
    return 0
  fi
  if [[ -n "$have" ]]; then
    log "replacing NVIDIA driver $have with $want"
  fi
  check_grid_driver_pin
  tmp=$(mktemp -d)
  local runfile=$tmp/nvidia-driver.run
  if [[ -n "${NVIDIA_GRID_DRIVER_RUNFILE:-}" ]]; then
    # Checked by check_given_grid_driver at the start (GRID_DRIVER_SHA256 is its measure); the caller
    # keeps it in a root-only folder.
    runfile=$NVIDIA_GRID_DRIVER_RUNFILE
    log "installing the fetched runfile $runfile, checked before any change"
  else
    retry 5 aws s3 cp --no-progress --region "$NVIDIA_DRIVER_MIRROR_REGION" \
      "s3://$NVIDIA_DRIVER_MIRROR_BUCKET/$NVIDIA_GRID_DRIVER_KEY" "$runfile"
    check_grid_driver "$runfile"
  fi
  if ! sh "$runfile" -s --dkms --skip-module-load; then
    if [[ -r "$ROOT/var/log/nvidia-installer.log" ]]; then
      tail -n 30 "$ROOT/var/log/nvidia-installer.log" >&2
    fi
    die "the NVIDIA driver installer failed (log: /var/log/nvidia-installer.log)"
  fi
  rm -rf "$tmp"
  have=$(installed_nvidia_driver_version)
  [[ "$have" == "$want" ]] || die "NVIDIA driver installer finished but the nvidia module reports version '${have:-none}', expected $want"
  record_grid_driver "$GRID_DRIVER_SHA256"
  log "installed NVIDIA driver $want"
}
