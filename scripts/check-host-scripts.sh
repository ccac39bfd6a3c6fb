#!/usr/bin/env bash
#
# check-host-scripts.sh: the host scripts' gate. From the repository root:
#   1. shellcheck on every *.sh, *.bash and *.bats file under host-scripts/, scripts/ and bench/;
#   2. shfmt -d (2-space indent, indented case branches) on the same files;
#   3. the generated seccomp profile is up to date;
#   4. bats over host-scripts/test/.
# Fails (never skips) when shellcheck, shfmt, bats, bats-assert, bats-support, jq or gpg is missing
# (the signature tests use the real gpg).
# On Debian/Ubuntu: apt-get install shellcheck shfmt bats bats-assert bats-support jq gnupg
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SHFMT_FLAGS=(-i 2 -ci)
readonly BATS_LIB_DIRS=(/usr/lib/bats /usr/lib/bats-core /usr/local/lib/bats)

fail() {
  echo "check-host-scripts: $*" >&2
  exit 1
}

require_tools() {
  local tool missing=()
  for tool in shellcheck shfmt bats jq gpg; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]} > 0)); then
    fail "missing tool(s): ${missing[*]} (Debian/Ubuntu: apt-get install shellcheck shfmt bats bats-assert bats-support jq gnupg)"
  fi
  local lib dir found lib_dirs=()
  if [[ -n "${BATS_LIB_PATH:-}" ]]; then
    IFS=: read -r -a lib_dirs <<<"$BATS_LIB_PATH"
  fi
  lib_dirs+=("${BATS_LIB_DIRS[@]}")
  for lib in bats-support bats-assert; do
    found=''
    for dir in "${lib_dirs[@]}"; do
      if [[ -f "$dir/$lib/load.bash" ]]; then
        found=1
      fi
    done
    [[ -n "$found" ]] || fail "missing $lib (Debian/Ubuntu: apt-get install $lib)"
  done
}

main() {
  local -a files
  require_tools
  mapfile -t files < <(find host-scripts scripts bench -type f \( -name '*.sh' -o -name '*.bash' -o -name '*.bats' \) | sort)
  ((${#files[@]} > 0)) || fail "no shell files found under host-scripts/, scripts/ and bench/"

  echo "==> shellcheck (${#files[@]} files)"
  shellcheck --external-sources --source-path=SCRIPTDIR "${files[@]}"

  echo "==> shfmt -d ${SHFMT_FLAGS[*]}"
  shfmt -d "${SHFMT_FLAGS[@]}" "${files[@]}"

  echo "==> seccomp profile is generated from Docker's default"
  bash host-scripts/docker-daemon-config/generate-seccomp-filter.sh --check

  echo "==> bats host-scripts/test"
  bats host-scripts/test

  echo "check-host-scripts: all checks passed"
}

main "$@"
