#!/usr/bin/env bash
#
# One stub for every system command the host scripts call. test_helper.bash puts a wrapper
# named after each command (calling this with STUB_NAME set) in a directory first on PATH. Each call is logged as
# "<command> <args...>" to STUB_LOG, and the host state the command would change (packages,
# units, groups, iptables rules, sysctl values, driver, snaps) is kept as files under
# STUB_STATE, so that a second run sees what the first one did.
#
# Switches:
#   STUB_FAIL=<command>[:<text>]   that command fails (status STUB_FAIL_STATUS, default 1)
#                                  when its arguments contain <text>
#   STUB_UID, STUB_ARCH, STUB_NO_USER, STUB_IPTABLES_DOCKER=1, STUB_NVIDIA_SMI_L,
#   STUB_SSM_VALUE, STUB_SECRET_VALUE, STUB_IMDS_REGION, STUB_DOCKER_KEY_FPR,
#   STUB_NVIDIA_KEY_FPR, STUB_DRIVER_VERSION, STUB_GO_TARBALL, STUB_AUTOREMOVE_PLAN,
#   STUB_CONTAINER_NVIDIA_SMI_L (what nvidia-smi -L prints inside a container),
#   STUB_DRIVER_CHECK_FAILS=1 (the driver runfile fails its own --check)
#   STUB_APT_BAD_SIGNER=<text> (apt-get update refuses a sources list containing <text>: its
#   index is signed by another key), STUB_APT_MISSING="<name=version>..." (apt-cache finds no such
#   version)
set -euo pipefail

name=${STUB_NAME:-${0##*/}}
state=${STUB_STATE:?STUB_STATE must be set}
printf '%s\n' "$name${*:+ $*}" >>"${STUB_LOG:?STUB_LOG must be set}"

if [[ -n "${STUB_FAIL:-}" ]]; then
  fail_cmd=${STUB_FAIL%%:*}
  fail_text=''
  if [[ "$STUB_FAIL" == *:* ]]; then
    fail_text=${STUB_FAIL#*:}
  fi
  if [[ "$fail_cmd" == "$name" && "$*" == *"$fail_text"* ]]; then
    echo "$name: failing on purpose (STUB_FAIL=$STUB_FAIL)" >&2
    exit "${STUB_FAIL_STATUS:-1}"
  fi
fi

unit_set() { printf '%s\n' "$2" >"$state/units/$1.enabled"; }
# file_text <file>: its first line, or nothing when it does not exist (read: the stub runs thousands of
# times per test run, so it starts no process where the shell can do the work)
file_text() { if [[ -f "$1" ]]; then IFS= read -r REPLY <"$1" || true; else REPLY=''; fi; }
unit_start() { : >>"$state/units/$1.active"; }
unit_stop() { rm -f "$state/units/$1.active"; }

# positional_args <args...>: the arguments that are not options (options taking a value
# are listed here).
positional_args() {
  while (($# > 0)); do
    case "$1" in
      -o | -X | -H | -f | -t | --proto | --retry | --connect-timeout | --region | --name | --query | --output | --secret-id | --config)
        shift 2
        ;;
      -*) shift ;;
      *)
        printf '%s\n' "$1"
        shift
        ;;
    esac
  done
}

apt_get_install() {
  local arg pkg version
  for arg in "$@"; do
    case "$arg" in
      *.deb)
        pkg=${STUB_DEB_PACKAGE:-amazon-ecs-init}
        version=$(sed -n 's/^Version: //p' "$arg")
        version=${version:-1.0-stub}
        ;;
      *=*) pkg=${arg%%=*} version=${arg#*=} ;;
      *) pkg=$arg version=1.0-stub ;;
    esac
    printf '%s\n' "$version" >"$state/pkgs/$pkg"
    case "$pkg" in
      docker-ce)
        # Docker's package enables and starts the daemon and its socket.
        unit_set docker.service enabled
        unit_set docker.socket enabled
        unit_start docker.service
        unit_start docker.socket
        ;;
      amazon-ecs-init) unit_set ecs.service disabled ;;
      # Its package enables the unit that restores rules.v4 at boot.
      iptables-persistent) unit_set netfilter-persistent.service enabled ;;
    esac
  done
}

case "$name" in
  apt-get)
    mapfile -t args < <(positional_args "$@")
    case "${args[0]:-}" in
      install) apt_get_install "${args[@]:1}" ;;
      purge | remove) for pkg in "${args[@]:1}"; do rm -f "$state/pkgs/$pkg"; done ;;
      autoremove)
        if [[ " $* " == *" -s "* ]]; then
          printf '%s' "${STUB_AUTOREMOVE_PLAN:-}"
        fi
        ;;
      update)
        sources=''
        for arg in "$@"; do
          [[ "$arg" != Dir::Etc::sourcelist=* ]] || sources=${arg#Dir::Etc::sourcelist=}
        done
        if [[ -n "${STUB_APT_BAD_SIGNER:-}" && -n "$sources" ]] && grep -qF "$STUB_APT_BAD_SIGNER" "$sources"; then
          url=$(grep -oE 'https?://[^ ]+' "$sources" | head -n 1)
          echo "W: GPG error: $url InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 0123456789ABCDEF"
          echo "E: The repository '$url InRelease' is not signed."
          exit 100
        fi
        ;;
      *) exit 100 ;;
    esac
    ;;
  apt-cache)
    pkg=${*: -1}
    if [[ " ${STUB_APT_MISSING:-} " == *" $pkg "* ]]; then
      echo "E: Version '${pkg#*=}' for '${pkg%%=*}' was not found" >&2
      exit 100
    fi
    printf 'Package: %s\nVersion: %s\n' "${pkg%%=*}" "${pkg#*=}"
    ;;
  dpkg-query)
    format='' pkg=''
    if [[ "$*" == *'binary:Package'* ]]; then
      # the list of every package, as dpkg-query -W prints it with that format
      for file in "$state"/pkgs/*; do
        [[ -f "$file" ]] && file_text "$file" && printf 'ii \t%s\t%s\n' "${file##*/}" "$REPLY"
      done
      exit 0
    fi
    for arg in "$@"; do
      case "$arg" in
        -f=*) format=${arg#-f=} ;;
        -*) ;;
        *) pkg=$arg ;;
      esac
    done
    if [[ ! -f "$state/pkgs/$pkg" ]]; then
      echo "dpkg-query: no packages found matching $pkg" >&2
      exit 1
    fi
    case "$format" in
      *Status*) printf 'install ok installed' ;;
      *Version*)
        file_text "$state/pkgs/$pkg"
        printf '%s' "$REPLY"
        ;;
    esac
    ;;
  dpkg)
    if [[ "$*" == --print-architecture ]]; then
      echo amd64
    fi
    ;;
  systemctl)
    quiet=0 now=0 verb='' units=()
    for arg in "$@"; do
      case "$arg" in
        --quiet | -q) quiet=1 ;;
        --now) now=1 ;;
        --no-block) ;;
        -*) ;;
        *) if [[ -z "$verb" ]]; then verb=$arg; else units+=("$arg"); fi ;;
      esac
    done
    for unit in "${units[@]}"; do
      case "$verb" in
        is-enabled)
          file_text "$state/units/$unit.enabled"
          s=$REPLY
          [[ -n "$s" ]] || exit 1
          echo "$s"
          [[ "$s" == enabled || "$s" == static ]] || exit 1
          ;;
        is-active)
          if [[ -f "$state/units/$unit.active" ]]; then
            ((quiet)) || echo active
          else
            ((quiet)) || echo inactive
            exit 3
          fi
          ;;
        enable) unit_set "$unit" enabled && if ((now)); then unit_start "$unit"; fi ;;
        disable) unit_set "$unit" disabled && if ((now)); then unit_stop "$unit"; fi ;;
        mask) unit_set "$unit" masked && if ((now)); then unit_stop "$unit"; fi ;;
        start | restart) unit_start "$unit" ;;
        stop) unit_stop "$unit" ;;
      esac
    done
    ;;
  id)
    case "${1:-}" in
      -u) echo "${STUB_UID:-0}" ;;
      -nG)
        groups=$(paste -sd ' ' "$state/groups/$2" 2>/dev/null || true)
        echo "$2${groups:+ $groups}"
        ;;
      *)
        if [[ "${1:-}" == "${STUB_NO_USER:-}" ]]; then
          echo "id: '$1': no such user" >&2
          exit 1
        fi
        echo "uid=1000($1) gid=1000($1)"
        ;;
    esac
    ;;
  usermod)
    [[ "$1" == -aG ]] && printf '%s\n' "$2" >>"$state/groups/$3"
    ;;
  curl)
    dest='' url=''
    while (($# > 0)); do
      case "$1" in
        -o)
          dest=$2
          shift 2
          ;;
        -X | -H | --proto | --retry | --connect-timeout) shift 2 ;;
        -*) shift ;;
        *)
          url=$1
          shift
          ;;
      esac
    done
    case "$url" in
      */latest/api/token) echo stub-token ;;
      */meta-data/placement/region) echo "${STUB_IMDS_REGION:-us-west-2}" ;;
      # the base AMI (STUB_IMDS_AMI_ID); the ECS agent bucket serves STUB_ECS_DEB and STUB_ECS_ASC
      */meta-data/ami-id) echo "${STUB_IMDS_AMI_ID:-ami-0abcdef1234567890}" ;;
      https://download.docker.com/linux/ubuntu/gpg) echo "stub key fpr=${STUB_DOCKER_KEY_FPR:-}" >"$dest" ;;
      https://nvidia.github.io/libnvidia-container/gpgkey) echo "stub key fpr=${STUB_NVIDIA_KEY_FPR:-}" >"$dest" ;;
      https://s3.*.amazonaws.com/amazon-ecs-agent-*/amazon-ecs-init-*.amd64.deb) cp "${STUB_ECS_DEB:?}" "$dest" ;;
      https://s3.*.amazonaws.com/amazon-ecs-agent-*/amazon-ecs-init-*.amd64.deb.asc) cp "${STUB_ECS_ASC:?}" "$dest" ;;
      https://go.dev/dl/*) cp "${STUB_GO_TARBALL:?}" "$dest" ;;
      *)
        echo "curl stub: unexpected URL '$url'" >&2
        exit 22
        ;;
    esac
    ;;
  gpg)
    # Fakes only the stand-in repository keys ("stub key fpr=..."); anything else (the ECS key, the
    # test run's signing key, signatures) goes to the real gpg, STUB_REAL_GPG.
    file=${*: -1}
    if [[ -f "$file" ]] && grep -q '^stub key fpr=' "$file"; then
      fpr=$(sed -n 's/.*fpr=//p' "$file")
      printf 'pub:-:4096:1:0000000000000000:0:::-:::scESC::::::23::0:\nfpr:::::::::%s:\n' "$fpr"
    else
      exec "${STUB_REAL_GPG:?}" "$@"
    fi
    ;;
  aws)
    mapfile -t args < <(positional_args "$@")
    case "${args[0]:-} ${args[1]:-}" in
      "s3 cp")
        if [[ "${args[2]}" == *.run ]]; then
          # The same bytes on every run, so its SHA-256 can be pinned (stub_driver_sha256).
          printf '#!/bin/sh\nexec nvidia-installer "$@"\n' >"${args[3]}"
        else
          printf '#!/bin/sh\necho host service stub\n' >"${args[3]}"
        fi
        ;;
      "ssm get-parameter") printf '%s\n' "${STUB_SSM_VALUE:-FROM_SSM=1}" ;;
      "secretsmanager get-secret-value") printf '%s\n' "${STUB_SECRET_VALUE:-FROM_SECRETS_MANAGER=1}" ;;
      *) exit 2 ;;
    esac
    ;;
  docker)
    # The daemon answers only while docker.service runs; its default runtime is what
    # daemon.json says.
    case "${1:-}" in
      info)
        [[ -f "$state/units/docker.service.active" ]] || {
          echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2
          exit 1
        }
        runtime=$(jq -r '.["default-runtime"] // "runc"' "$ROOT/etc/docker/daemon.json" 2>/dev/null || echo runc)
        printf ' Runtimes: io.containerd.runc.v2 nvidia runc\n Default Runtime: %s\n' "$runtime"
        ;;
      pull) : >>"$state/image-pulled" ;;
      run)
        [[ -f "$state/image-pulled" ]] || exit 125
        printf '%s\n' "${STUB_CONTAINER_NVIDIA_SMI_L:-${STUB_NVIDIA_SMI_L:-GPU 0: Tesla M60 (UUID: GPU-5a7c3d7e-1111-2222-3333-444455556666)}}"
        ;;
      *) exit 2 ;;
    esac
    ;;
  nvidia-installer)
    # The runfile's own integrity check (makeself's --check): fails when STUB_DRIVER_CHECK_FAILS is set.
    if [[ " $* " == *" --check "* ]]; then
      [[ -z "${STUB_DRIVER_CHECK_FAILS:-}" ]] || {
        echo "Verifying archive integrity... Error in MD5 checksums" >&2
        exit 1
      }
      echo "Verifying archive integrity...  100%   MD5 checksums are OK. All good."
      exit 0
    fi
    # Without a GPU the real installer fails its test load of the module, unless told to skip it.
    if [[ -n "${STUB_NO_GPU:-}" && " $* " != *" --skip-module-load "* ]]; then
      echo "ERROR: Unable to load the kernel module 'nvidia.ko' (no NVIDIA GPU found)" >&2
      exit 1
    fi
    printf '%s\n' "${STUB_DRIVER_VERSION:?}" >"$state/driver_version"
    # What the GRID .run installs for the license daemon: its template and unit.
    mkdir -p "$ROOT/etc/nvidia"
    printf '%s\n' '# gridd.conf template (stub)' 'FeatureType=0' >"$ROOT/etc/nvidia/gridd.conf.template"
    printf '%s\n' disabled >"$state/units/nvidia-gridd.service.enabled"
    ;;
  modinfo)
    [[ "$*" == "-F version nvidia" && -f "$state/driver_version" ]] || {
      echo "modinfo: ERROR: Module nvidia not found." >&2
      exit 1
    }
    file_text "$state/driver_version"
    printf '%s\n' "$REPLY"
    ;;
  nvidia-smi)
    case "${1:-}" in
      -q) printf '%s\n' '==============NVSMI LOG==============' "    vGPU Software Licensed Product" \
        "        License Status                    : ${STUB_GRID_LICENSE:-Licensed (Expiry: 2027-1-1 0:0:0 GMT)}" ;;
      --query-gpu=persistence_mode) printf '%s\n' "${STUB_PERSISTENCE_MODE:-Enabled}" ;;
      *) printf '%s\n' "${STUB_NVIDIA_SMI_L:-GPU 0: Tesla T4 (UUID: GPU-5a7c3d7e-1111-2222-3333-444455556666)}" ;;
    esac
    ;;
  nvidia-ctk)
    config=
    for arg in "$@"; do
      [[ "$arg" == --config=* ]] && config=${arg#--config=}
    done
    jq '.["default-runtime"] = "nvidia" | .runtimes.nvidia = {"args": [], "path": "nvidia-container-runtime"}' \
      "$config" >"$config.new"
    mv "$config.new" "$config"
    ;;
  iptables)
    op='' rule=()
    while (($# > 0)); do
      case "$1" in
        -w) shift ;;
        -t) shift 2 ;;
        -C | -A)
          op=$1
          rule=(-A "${@:2}")
          break
          ;;
        *) exit 2 ;;
      esac
    done
    : >>"$state/iptables.nat"
    if [[ "$op" == -C ]]; then
      grep -qxF -- "${rule[*]}" "$state/iptables.nat" || {
        echo "iptables: Bad rule (does a matching rule exist in that chain?)." >&2
        exit 1
      }
    else
      printf '%s\n' "${rule[*]}" >>"$state/iptables.nat"
    fi
    ;;
  iptables-save)
    printf '# Generated by iptables-save v1.8.4 on %(%c)T\n' -1
    echo '*nat'
    echo ":PREROUTING ACCEPT [$RANDOM:$RANDOM]"
    echo ':INPUT ACCEPT [0:0]'
    echo ":OUTPUT ACCEPT [$RANDOM:$RANDOM]"
    echo ':POSTROUTING ACCEPT [0:0]'
    if [[ "${STUB_IPTABLES_DOCKER:-0}" == 1 ]]; then
      echo ':DOCKER - [0:0]'
    fi
    cat "$state/iptables.nat" 2>/dev/null || true
    echo 'COMMIT'
    printf '# Completed on %(%c)T\n' -1
    ;;
  sysctl)
    case "$1" in
      -n)
        file_text "$state/sysctl/$2"
        printf '%s\n' "${REPLY:-0}"
        ;;
      -q)
        kv=${3:?}
        printf '%s\n' "${kv#*=}" >"$state/sysctl/${kv%%=*}"
        ;;
    esac
    ;;
  snap)
    case "$1" in
      list) [[ -f "$state/snaps/$2" ]] || exit 1 ;;
      install) : >>"$state/snaps/$2" ;;
    esac
    ;;
  debconf-set-selections)
    cat >>"$state/debconf"
    ;;
  uname)
    case "${1:-}" in
      -m) echo "${STUB_ARCH:-x86_64}" ;;
      -r) echo 5.15.0-1051-aws ;;
      *) echo Linux ;;
    esac
    ;;
  cloud-init)
    echo "status: done"
    ;;
  sleep)
    # Counts the waits; cloud-init finishes after STUB_CLOUD_INIT_SLEEPS of them, when set.
    file_text "$state/sleeps"
    n=$((${REPLY:-0} + 1))
    echo "$n" >"$state/sleeps"
    if [[ -n "${STUB_CLOUD_INIT_SLEEPS:-}" ]] && ((n >= STUB_CLOUD_INIT_SLEEPS)); then
      : >>"$ROOT/var/lib/cloud/instance/boot-finished"
    fi
    ;;
  modprobe | update-grub | update-initramfs | udevadm) ;;
  *)
    echo "stub.bash: no behaviour for '$name'" >&2
    exit 127
    ;;
esac
