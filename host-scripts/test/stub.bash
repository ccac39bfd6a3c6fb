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
#   STUB_CONTAINER_NVIDIA_SMI_L (what nvidia-smi -L prints inside a container)
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
unit_get() { cat "$state/units/$1.enabled" 2>/dev/null || true; }
unit_start() { touch "$state/units/$1.active"; }
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
      *.deb) pkg=${STUB_DEB_PACKAGE:-amazon-ecs-init} version=1.0-stub ;;
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
      update) ;;
      *) exit 100 ;;
    esac
    ;;
  dpkg-query)
    format='' pkg=''
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
      *Version*) printf '%s' "$(cat "$state/pkgs/$pkg")" ;;
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
          s=$(unit_get "$unit")
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
      https://download.docker.com/linux/ubuntu/gpg) echo "stub key fpr=${STUB_DOCKER_KEY_FPR:-}" >"$dest" ;;
      https://nvidia.github.io/libnvidia-container/gpgkey) echo "stub key fpr=${STUB_NVIDIA_KEY_FPR:-}" >"$dest" ;;
      https://s3.*.amazonaws.com/amazon-ecs-agent-*/amazon-ecs-init-*.amd64.deb) echo "stub deb" >"$dest" ;;
      https://go.dev/dl/*) cp "${STUB_GO_TARBALL:?}" "$dest" ;;
      *)
        echo "curl stub: unexpected URL '$url'" >&2
        exit 22
        ;;
    esac
    ;;
  gpg)
    file=${*: -1}
    fpr=$(sed -n 's/.*fpr=//p' "$file")
    printf 'pub:-:4096:1:0000000000000000:0:::-:::scESC::::::23::0:\nfpr:::::::::%s:\n' "$fpr"
    ;;
  aws)
    mapfile -t args < <(positional_args "$@")
    case "${args[0]:-} ${args[1]:-}" in
      "s3 cp")
        if [[ "${args[2]}" == *.run ]]; then
          printf '#!/bin/sh\nexec "%s/nvidia-installer" "$@"\n' "$STUB_BIN" >"${args[3]}"
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
      pull) touch "$state/image-pulled" ;;
      run)
        [[ -f "$state/image-pulled" ]] || exit 125
        printf '%s\n' "${STUB_CONTAINER_NVIDIA_SMI_L:-${STUB_NVIDIA_SMI_L:-GPU 0: Tesla M60 (UUID: GPU-5a7c3d7e-1111-2222-3333-444455556666)}}"
        ;;
      *) exit 2 ;;
    esac
    ;;
  nvidia-installer)
    printf '%s\n' "${STUB_DRIVER_VERSION:?}" >"$state/driver_version"
    ;;
  modinfo)
    [[ "$*" == "-F version nvidia" && -f "$state/driver_version" ]] || {
      echo "modinfo: ERROR: Module nvidia not found." >&2
      exit 1
    }
    cat "$state/driver_version"
    ;;
  nvidia-smi)
    printf '%s\n' "${STUB_NVIDIA_SMI_L:-GPU 0: Tesla M60 (UUID: GPU-5a7c3d7e-1111-2222-3333-444455556666)}"
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
    touch "$state/iptables.nat"
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
    echo "# Generated by iptables-save v1.8.4 on $(date)"
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
    echo "# Completed on $(date)"
    ;;
  sysctl)
    case "$1" in
      -n) cat "$state/sysctl/$2" 2>/dev/null || echo 0 ;;
      -q)
        kv=${3:?}
        printf '%s\n' "${kv#*=}" >"$state/sysctl/${kv%%=*}"
        ;;
    esac
    ;;
  snap)
    case "$1" in
      list) [[ -f "$state/snaps/$2" ]] || exit 1 ;;
      install) touch "$state/snaps/$2" ;;
    esac
    ;;
  fuser)
    busy=$(cat "$state/fuser_busy" 2>/dev/null || echo 0)
    if ((busy > 0)); then
      echo $((busy - 1)) >"$state/fuser_busy"
      exit 0
    fi
    exit 1
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
  modprobe | update-grub | update-initramfs | udevadm | sleep) ;;
  *)
    echo "stub.bash: no behaviour for '$name'" >&2
    exit 127
    ;;
esac
