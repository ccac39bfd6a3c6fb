# shellcheck shell=bash
#
# Part 1's GRID driver stage on the booted host, before part 2: the driver mirror in moto's S3, served
# on the loopback device of the container's own network namespace (moto runs from this machine, its
# process entered into that namespace only), and a driver runfile made with makeself whose --check is
# real (its payload a stand-in installer that records what it was asked to do). Faults: a tampered
# runfile, pinned and in record mode; each must be refused with its message, leaving the dpkg state
# and /etc as they were. Sourced by scripts/check-booted-host.sh after booted-host/container.sh and
# booted-host/stand-ins.sh; uses its fact, pass, fail and sh_in.

readonly MIRROR_BUCKET=fractal-gpu-host-drivers-123456789012-us-east-1
readonly MIRROR_REGION=us-east-1
# What the stand-in installer writes: its arguments, and the module version modinfo's stand-in reports.
readonly INSTALLER_CALLS=/var/lib/stand-ins/nvidia-installer.calls
# The stand-in whose variant installs in record mode (unqualified, as its file says); the others are
# pinned as `npm run drivers -- qualify` would pin them.
readonly RECORD_MODE_CODENAME=focal
MIRROR_PID=''
# The driver mirror and, for a pinned variant, the pin as qualify writes it: what part 1 is given.
PART1_DRIVER_ENV=()

# mirror_s3 <curl args...> <path>: S3's REST API of moto, in the container's network namespace. moto
# takes unsigned requests, so curl does what would otherwise start the AWS CLI, a second each time.
mirror_s3() {
  nsenter -t "$LEADER_PID" -n curl -fsS -o /dev/null "${@:1:$#-1}" "http://127.0.0.1:$STAND_IN_S3_PORT/${!#}"
}

# mirror_upload <file> <key>: readable without a signature, since the container's AWS CLI stand-in
# fetches with a plain GET (the real mirror is private: builds sign with their instance role).
mirror_upload() {
  mirror_s3 -T "$1" -H 'x-amz-acl: public-read' "$MIRROR_BUCKET/$2"
}

# shellcheck disable=SC2317 # run by cleanup
stop_mirror() {
  if [[ -n "$MIRROR_PID" ]]; then
    kill "$MIRROR_PID" 2>/dev/null || true
    wait "$MIRROR_PID" 2>/dev/null || true
    MIRROR_PID=''
  fi
}

# start_mirror <log>: moto's server on the container's loopback, and the mirror bucket in it.
start_mirror() {
  nsenter -t "$LEADER_PID" -n moto_server -H 127.0.0.1 -p "$STAND_IN_S3_PORT" >"$1" 2>&1 &
  MIRROR_PID=$!
  wait_serving "$MIRROR_PID" "$1" mirror_s3 "" || return 1
  mirror_s3 -X PUT "$MIRROR_BUCKET"
}

# build_driver_runfile <scratch dir> <out>: a makeself archive named like the pinned runfile; its
# header passes unknown options such as -s on to the payload, as NVIDIA's runfiles do.
build_driver_runfile() {
  local scratch=$1 payload=$1/driver-payload
  mkdir -p "$payload"
  cat >"$payload/nvidia-installer" <<INSTALLER
#!/bin/sh
# nvidia-installer stand-in (booted-host test): records its arguments and "installs" the module.
set -e
mkdir -p ${INSTALLER_CALLS%/*}
echo "\$*" >>$INSTALLER_CALLS
echo $STAND_IN_DRIVER_VERSION >$STAND_IN_DIR/nvidia-module-version
# What the GRID runfile installs for its daemons: the license daemon's template, binary and unit, and
# nvidia-persistenced (part 1 writes its unit).
mkdir -p /etc/nvidia /usr/lib/systemd/system
printf '%s\\n' '# gridd.conf template (stand-in)' 'FeatureType=0' >/etc/nvidia/gridd.conf.template
printf '%s\\n' '#!/bin/sh' 'exec sleep infinity' >/usr/bin/nvidia-gridd
printf '%s\\n' '#!/bin/sh' 'sleep infinity >/dev/null 2>&1 &' >/usr/bin/nvidia-persistenced
chmod 755 /usr/bin/nvidia-gridd /usr/bin/nvidia-persistenced
printf '%s\\n' '[Unit]' 'Description=NVIDIA Grid Daemon (stand-in)' '[Service]' 'ExecStart=/usr/bin/nvidia-gridd' \\
  '[Install]' 'WantedBy=multi-user.target' >/usr/lib/systemd/system/nvidia-gridd.service
systemctl daemon-reload
INSTALLER
  chmod 755 "$payload/nvidia-installer"
  sed '/^    -\*)$/,/^	;;$/{s/^	echo Unrecognized flag.*$/	break ;;/;/MS_Help/d;/exit 1/d;/^	;;$/d}' \
    /usr/share/makeself/makeself-header.sh >"$scratch/makeself-header.sh"
  makeself --header "$scratch/makeself-header.sh" --nox11 --sha256 --quiet "$payload" "$2" \
    "NVIDIA GRID driver stand-in (booted-host test)" ./nvidia-installer >/dev/null
}

# good_runfile, tampered_runfile: the runfiles check_part1_driver makes in the run's folder; part 1 as a
# whole (booted-host/part1.sh) is given them too.
good_runfile() { echo "$RUN_DIR/driver.run"; }
tampered_runfile() { echo "$RUN_DIR/driver-tampered.run"; }

# tampered_copy <runfile> <out>: one byte of the payload changed.
tampered_copy() {
  cp "$1" "$2"
  printf 'X' | dd of="$2" bs=1 seek=$(($(stat -c %s "$2") - 20)) conv=notrunc status=none
}

# install_state: what must not change when part 1 refuses: the dpkg state and every file under /etc.
install_state() {
  # shellcheck disable=SC2016 # dpkg-query format fields
  in_container dpkg-query -W -f='${Package} ${Version} ${Status}\n'
  (
    cd "$RUN_ROOT/etc" || exit 1
    find . -printf '%y %m %u:%g %p -> %l\n' | sort
    find . -type f -print0 | sort -z | xargs -0 sha256sum
  )
}

# driver_stage [VAR=value...]: part 1's preflight and GRID driver stage, as setup_gpu_host.sh runs them.
driver_stage() {
  # shellcheck disable=SC2016 # expanded inside the container
  in_container env "${STAND_IN_ENV[@]}" "${PART1_DRIVER_ENV[@]}" RETRY_BASE_DELAY=0 "$@" bash -c '
    HOST_SCRIPTS_DIR=$1 SCRIPT_NAME=setup_gpu_host.sh
    source "$1/lib/common.sh" && source "$1/lib/nvidia.sh" && source "$1/lib/grid_driver.sh"
    enable_strict_mode
    preflight "$1" --variant
    check_grid_driver_pin
    install_grid_driver' _ "$SCRIPTS"
}

# shellcheck disable=SC2317 # run by fact
# refused_unchanged <expected message> <command> [VAR=value...]: the command fails with that message
# and leaves the dpkg state and /etc as they were.
refused_unchanged() {
  local want=$1 command=$2 before=$RUN_DIR/state.before output
  shift 2
  install_state >"$before"
  output=$("$command" "$@" 2>&1) && {
    echo "$output"
    echo "expected a refusal"
    return 1
  }
  echo "$output"
  grep -qF -- "$want" <<<"$output" || {
    echo "expected: $want"
    return 1
  }
  diff "$before" <(install_state)
}

# shellcheck disable=SC2317 # run by fact
# driver_refused_unchanged <expected message> [VAR=value...]: the driver stage is refused with that
# message, installs no driver and changes neither the dpkg state nor /etc.
driver_refused_unchanged() {
  refused_unchanged "$1" driver_stage "${@:2}" || return 1
  [[ ! -e "$RUN_ROOT$INSTALLER_CALLS" && ! -e "$RUN_ROOT/var/lib/fractal/nvidia-grid-driver.json" ]] || {
    echo "the installer ran, or a driver record was written"
    return 1
  }
}

# shellcheck disable=SC2317 # run by fact
# second_run_installs_nothing [VAR=value...]: the stage again: already installed, no second install.
second_run_installs_nothing() {
  local output
  output=$(driver_stage "$@" 2>&1) || {
    echo "$output"
    return 1
  }
  echo "$output"
  grep -q 'is already installed' <<<"$output" && [[ "$(wc -l <"$RUN_ROOT$INSTALLER_CALLS")" == 1 ]]
}

# shellcheck disable=SC2317 # run by fact
# installed_as <pinned: true|false> <sha256> [VAR=value...]: the stage installs the driver from the
# mirror and records it; in record mode it warns.
installed_as() {
  local pinned=$1 sha256=$2 output key
  shift 2
  key=$(sed -n 's/^NVIDIA_GRID_DRIVER_KEY=//p' "$REPO_DIR/host-scripts/variants/$STAND_IN_VARIANT.env")
  output=$(driver_stage "$@" 2>&1) || {
    echo "$output"
    return 1
  }
  echo "$output"
  [[ "$(cat "$RUN_ROOT$INSTALLER_CALLS")" == "-s --dkms --skip-module-load" ]] || return 1
  jq -e --arg k "$key" --arg s "$sha256" --argjson p "$pinned" '. == {key: $k, sha256: $s, pinned: $p}' \
    "$RUN_ROOT/var/lib/fractal/nvidia-grid-driver.json" || return 1
  if [[ "$pinned" == false ]]; then
    grep -q "WARNING: RECORD MODE: .*measured SHA-256 $sha256" <<<"$output"
  else
    ! grep -q 'RECORD MODE' <<<"$output"
  fi
}

# check_part1_driver: the facts of part 1's driver stage.
check_part1_driver() {
  local good bad key name good_sha bad_sha pin=()
  good=$(good_runfile)
  bad=$(tampered_runfile)
  key=$(sed -n 's/^NVIDIA_GRID_DRIVER_KEY=//p' "$REPO_DIR/host-scripts/variants/$STAND_IN_VARIANT.env")
  name=${key##*/}
  PART1_DRIVER_ENV=(NVIDIA_DRIVER_MIRROR_BUCKET="$MIRROR_BUCKET" NVIDIA_DRIVER_MIRROR_REGION="$MIRROR_REGION")
  copy_scripts_in
  if ! { build_driver_runfile "$RUN_DIR" "$good" && tampered_copy "$good" "$bad" &&
    start_mirror "$RUN_DIR/moto.log" && mirror_upload "$bad" "$key"; } >"$OUT" 2>&1; then
    fail "part 1 driver: moto's S3 on the container's loopback holds a tampered makeself runfile at $key"
    return
  fi
  pass "part 1 driver: moto's S3 on the container's loopback (the mirror bucket) holds a tampered makeself runfile at $key"
  good_sha=$(sha256sum <"$good" | cut -d' ' -f1)
  bad_sha=$(sha256sum <"$bad" | cut -d' ' -f1)
  fact "part 1 driver: a tampered runfile against its pin is refused naming both checksums; dpkg state and /etc unchanged" \
    driver_refused_unchanged "checksum mismatch for $name: expected SHA-256 $good_sha, got $bad_sha" NVIDIA_GRID_DRIVER_SHA256="$good_sha"
  fact "part 1 driver: a tampered runfile in record mode is refused by its own --check; dpkg state and /etc unchanged" \
    driver_refused_unchanged "the GRID driver $name fails its own integrity check" NVIDIA_GRID_DRIVER_SHA256=unqualified
  mirror_upload "$good" "$key" >"$OUT" 2>&1 ||
    fail "part 1 driver: the good runfile uploaded to the mirror"
  if [[ "$STAND_IN_CODENAME" == "$RECORD_MODE_CODENAME" ]]; then
    fact "part 1 driver: $STAND_IN_VARIANT (unqualified) installs in record mode: WARNING, measured SHA-256 recorded, installer run with -s --dkms --skip-module-load" \
      installed_as false "$good_sha"
  else
    pin=(NVIDIA_GRID_DRIVER_SHA256="$good_sha")
    PART1_DRIVER_ENV+=("${pin[@]}")
    fact "part 1 driver: $STAND_IN_VARIANT pinned installs from the mirror: SHA-256 and --check pass, recorded as pinned, installer run with -s --dkms --skip-module-load" \
      installed_as true "$good_sha" "${pin[@]}"
  fi
  fact "part 1 driver: a second run finds the driver installed and runs no installer" \
    second_run_installs_nothing "${pin[@]}"
  stop_mirror
}
