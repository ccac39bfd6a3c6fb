#!/usr/bin/env bash
#
# check_downloads.bash [DIR]: lists every download the host scripts in DIR (default: this test's
# host-scripts folder) make, and fails on one without a pin and a check, so a new download cannot
# slip in unverified. Read by downloads.bats; run it by hand to see the list.
#
# A download is a line (outside comments and test/) that calls download_url, curl, wget,
# `aws s3 cp` or `snap install`, or installs a versioned apt package (`install_packages` or
# `apt_get install` with NAME=$VERSION, or sets PINNED_PACKAGES to NAME=$VERSION for lib/apt_repos.sh). Its scope is the function it is in, the functions that
# call that function (but main) and the functions it calls. Each download needs, in its scope:
#   - a pin: a variable whose name ends in _VERSION, _SHA256, _FINGERPRINT or _CHANNEL (or has
#     _SHA256_ in it), and every such variable must have a value other than empty or "latest" in
#     versions.env, or in versions.env for every Ubuntu release (<NAME>_<CODENAME>), or in every
#     image variant's file (variants/*.env) (HOST_SERVICE_BINARY_SHA256 is the operator's: it comes
#     with HOST_SERVICE_BINARY);
#   - a check: verify_sha256, verify_pgp_signature or verify_key_fingerprint
#     (for an apt package: a repository key checked by verify_key_fingerprint, or by check_apt_repo
#     with the pinned fingerprint, in the same file;
#     for a snap: snapd's own signature check, so never --dangerous).
# curl inside download_url (the primitive every download goes through) and imds_get (instance
# metadata, not software) are not downloads of their own.
set -euo pipefail

readonly DIR=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
readonly PRIMITIVES='^(download_url|imds_get)$'
readonly CHECKS='verify_sha256|verify_pgp_signature|verify_key_fingerprint'
readonly PIN_NAME='[A-Z][A-Z0-9_]*(_VERSION|_SHA256|_FINGERPRINT|_CHANNEL|_SHA256_[A-Z0-9_]+)'
readonly OPERATOR_PINS='^HOST_SERVICE_BINARY_SHA256$'
# curl or wget as a command (followed by an option), not a package name in a list
readonly FETCH_COMMAND='(^|[[:space:]=(])(curl|wget)[[:space:]]+-'

[[ -r "$DIR/versions.env" ]] || {
  echo "check_downloads: no versions.env in $DIR" >&2
  exit 2
}

mapfile -t FILES < <(find "$DIR" -path "$DIR/test" -prune -o -type f -name '*.sh' -print | sort)

# Every function (shfmt style: `name() {` ... a `}` in column 1): where it is and its body without
# comments. A name defined in several files (main) gets the bodies of all.
declare -A BODY=()
FUNCTIONS=$(awk '/^[a-z_][a-z0-9_]*\(\) \{$/ { name = $1; sub(/\(\).*/, "", name); start = FNR }
  /^\}$/ && name != "" { printf "%s\t%s\t%d\t%d\n", FILENAME, name, start, FNR; name = "" }' "${FILES[@]}")
# (one awk over every file; each body ends with a NUL)
while IFS=$'\t' read -r -d '' fname body; do
  BODY[$fname]+=$body$'\n'
done < <(awk '/^[a-z_][a-z0-9_]*\(\) \{$/ { name = $1; sub(/\(\).*/, "", name); body = "" }
  name != "" { line = $0; sub(/^[[:space:]]*#.*$/, "", line); body = body (body == "" ? "" : "\n") line }
  /^\}$/ && name != "" { printf "%s\t%s%c", name, body, 0; name = "" }' "${FILES[@]}")

function_at() {
  awk -F'\t' -v f="$1" -v l="$2" '$1 == f && $3 <= l && l <= $4 { print $2 }' <<<"$FUNCTIONS"
}

# scope_text <name>: the bodies of the function, of the functions that call it and of those it calls.
scope_text() {
  local name=$1 other text=${BODY[$1]:-}
  printf '%s\n' "$text"
  for other in "${!BODY[@]}"; do
    # main only strings an entry script's stages together: no pin or check of one download is there
    [[ "$other" == "$name" || "$other" == main ]] && continue
    if [[ "${BODY[$other]}" =~ (^|[^a-z0-9_])$name([^a-z0-9_]|$) || "$text" =~ (^|[^a-z0-9_])$other([^a-z0-9_]|$) ]]; then
      printf '%s\n' "${BODY[$other]}"
    fi
  done
}

# Variables the scripts set themselves (constants such as a placeholder) are not pins; one set
# from its own value or a per-release pin (NAME=${NAME:-...}) still is.
mapfile -t SCRIPT_SET < <(grep -ohE "^[[:space:]]*(readonly |local )?$PIN_NAME=" "${FILES[@]}" |
  sed -E 's/^[[:space:]]*(readonly |local )?//; s/=$//' | sort -u |
  while read -r name; do grep -qF "$name=\${$name:-" "${FILES[@]}" || echo "$name"; done)

# pin_problem <NAME>: nothing when NAME is pinned (see above), else what is wrong.
pin_problem() {
  local name=$1 file value values=()
  if grep -q "^$name=" "$DIR/versions.env"; then
    values=("versions.env=$(sed -n "s/^$name=//p" "$DIR/versions.env" | tail -n 1)")
  elif grep -qE "^${name}_[A-Z]+=" "$DIR/versions.env"; then
    mapfile -t values < <(sed -nE "s/^(${name}_[A-Z]+)=/versions.env:\1=/p" "$DIR/versions.env")
  else
    for file in "$DIR"/variants/*.env; do
      values+=("variants/${file##*/}=$(sed -n "s/^$name=//p" "$file" | tail -n 1)")
    done
  fi
  ((${#values[@]} > 0)) || values=("versions.env=")
  for value in "${values[@]}"; do
    if [[ -z "${value#*=}" || "${value#*=}" == latest ]]; then
      echo "$name is not pinned in ${value%%=*} (value '${value#*=}')"
      return
    fi
  done
}

problems=0 sites=0
problem() {
  echo "UNVERIFIED $1" >&2
  problems=$((problems + 1))
}

for file in "${FILES[@]}"; do
  while IFS=: read -r line text; do
    kind=''
    case "$text" in
      *'snap install'*) kind=snap ;;
      *'aws s3 cp'*) kind=s3 ;;
      *download_url\ *) kind=https ;;
      *install_packages\ *=\$* | *'apt_get install '*=\$* | *PINNED_PACKAGES=\(*=\$*) kind=apt ;;
    esac
    if [[ -z "$kind" && "$text" =~ $FETCH_COMMAND ]]; then
      kind=https
    fi
    [[ -n "$kind" ]] || continue
    [[ "$text" =~ ^[[:space:]]*# ]] && continue
    [[ "$text" =~ ^[a-z_]+\(\) ]] && continue
    fname=$(function_at "$file" "$line")
    fname=${fname:-<top level>}
    [[ "$fname" =~ $PRIMITIVES ]] && continue
    where="${file#"$DIR"/}:$line ($fname, $kind)"
    sites=$((sites + 1))
    scope=$(scope_text "$fname")
    mapfile -t pins < <(grep -oE "[$][{]?$PIN_NAME" <<<"$scope" | tr -d '{$' | sort -u)
    ok_pins=()
    for pin in "${pins[@]}"; do
      if [[ " ${SCRIPT_SET[*]} " == *" $pin "* ]]; then
        continue
      fi
      if [[ "$pin" =~ $OPERATOR_PINS ]]; then
        ok_pins+=("$pin")
        continue
      fi
      value=$(pin_problem "$pin")
      if [[ -n "$value" ]]; then
        problem "$where: $value"
      else
        ok_pins+=("$pin")
      fi
    done
    ((${#ok_pins[@]} > 0)) || problem "$where: no pinned version, checksum or fingerprint from versions.env"
    case "$kind" in
      snap)
        [[ "$text" != *--dangerous* ]] || problem "$where: --dangerous turns off snapd's signature check"
        check='snapd signature'
        ;;
      apt)
        check=$(grep -oE "verify_key_fingerprint|check_apt_repo" "$file" | head -n 1 || true)
        [[ -n "$check" ]] || problem "$where: the repository's signing key is not checked (verify_key_fingerprint, or check_apt_repo) in ${file#"$DIR"/}"
        ;;
      *)
        check=$(grep -oE "(^|[^a-z_])($CHECKS)" <<<"$scope" | grep -oE "$CHECKS" | sort -u | paste -sd, || true)
        [[ -n "$check" ]] || problem "$where: nothing checks what it downloads ($CHECKS)"
        ;;
    esac
    echo "download $where pins: ${ok_pins[*]:-none} checks: ${check:-none}"
  done < <(grep -nE "snap install|aws s3 cp|download_url |install_packages |apt_get install |PINNED_PACKAGES=\(|$FETCH_COMMAND" "$file" || true)
done

echo "$sites downloads, $problems unverified"
((sites > 0)) || {
  echo "check_downloads: found no download at all in $DIR: the scan is broken" >&2
  exit 1
}
((problems == 0))
