# shellcheck shell=bash
#
# Owns the vendors' apt repositories (lib/docker.sh and lib/nvidia.sh say which: key URL, pinned
# key fingerprint, keyring, sources entry, pinned packages): each one is checked before part 1
# changes anything, in a throw-away apt configuration (its key by the pinned fingerprint, its signed
# index by apt, every pinned package version present), and only then are its keyring and sources
# entry installed under /etc/apt. A repository signed by another key, or without a pinned version,
# stops part 1 with nothing written and nothing installed. Needs lib/common.sh.

# The folder of this run's checked keys and throw-away apt configurations (made by check_apt_repo).
APT_REPOS_CHECK_DIR=''

# apt_repos_check_dir: makes the folder once. World-readable: apt fetches and verifies as the
# unprivileged _apt user, which must reach the keys and the lists folder.
apt_repos_check_dir() {
  if [[ -z "$APT_REPOS_CHECK_DIR" ]]; then
    APT_REPOS_CHECK_DIR=$(mktemp -d)
    chmod 755 "$APT_REPOS_CHECK_DIR"
  fi
}

# checked_key_path <keyring>: where check_apt_repo keeps the checked key for that keyring.
checked_key_path() {
  printf '%s/keys/%s\n' "$APT_REPOS_CHECK_DIR" "${1##*/}"
}

# throwaway_apt_options <dir>: apt options that read and write only <dir>: its own sources, lists
# and caches; the host's status file and apt.conf.d (proxies) still apply.
throwaway_apt_options() {
  printf '%s\n' -o "Dir::Etc::sourcelist=$1/sources.list" -o "Dir::Etc::sourceparts=$1/sources.list.d" \
    -o "Dir::State::Lists=$1/lists" -o "Dir::Cache=$1/cache"
}

# update_problem <apt-get update output> <status>: the line that says why apt refused, if it did.
update_problem() {
  local pattern line
  for pattern in '^E:' '^W:' '^Err:'; do
    line=$(grep -m 1 -E "$pattern" <<<"$1") && {
      printf '%s\n' "$line"
      return 0
    }
  done
  if [[ "$2" != 0 ]]; then
    echo "apt-get update exited with status $2"
  fi
}

# throwaway_apt_update <dir> <attempts>: apt-get update in that configuration, again after a
# failure (a network hiccup); prints the last problem, nothing when apt was content.
throwaway_apt_update() {
  local dir=$1 attempts=$2 n=1 rc output problem delay=$RETRY_BASE_DELAY
  local -a options
  mapfile -t options < <(throwaway_apt_options "$dir")
  while :; do
    rc=0
    output=$(apt-get -q "${options[@]}" update 2>&1) || rc=$?
    problem=$(update_problem "$output" "$rc")
    if [[ -z "$problem" ]] || ((n >= attempts)); then
      break
    fi
    log "attempt $n of $attempts: $problem; retrying in ${delay}s"
    sleep "$delay"
    n=$((n + 1))
    delay=$((delay * 2))
  done
  if [[ -n "$problem" ]]; then
    printf '%s\n' "$output" | sed 's/^/    apt: /' >&2
    printf '%s\n' "$problem"
  fi
}

# check_apt_repo <name> <key url> <fingerprint> <keyring> <sources function> <package=version...>:
# stops the script, writing nothing, unless the key has the pinned fingerprint, apt accepts the
# repository's signed index with that key alone and every pinned package version is in it. <sources function> <keyring path> prints
# the repository's sources entry.
check_apt_repo() {
  local name=$1 url=$2 fingerprint=$3 keyring=$4 sources=$5 key dir problem pkg
  shift 5
  apt_repos_check_dir
  # The key already installed (a second run) or downloaded, checked by the pinned fingerprint.
  key=$(checked_key_path "$keyring")
  mkdir -p "${key%/*}"
  chmod 755 "${key%/*}"
  if [[ -s "$ROOT$keyring" ]]; then
    cp "$ROOT$keyring" "$key"
  else
    download_url "$url" "$key"
  fi
  verify_key_fingerprint "$key" "$fingerprint"
  chmod 644 "$key"
  dir=$APT_REPOS_CHECK_DIR/${keyring##*/}.apt
  rm -rf "$dir"
  mkdir -p "$dir/sources.list.d" "$dir/lists/partial" "$dir/cache/archives/partial"
  chmod -R 755 "$dir"
  "$sources" "$key" >"$dir/sources.list"
  problem=$(throwaway_apt_update "$dir" 3)
  [[ -z "$problem" ]] || {
    forget_checked_apt_repos
    die "$name failed its check (apt-get update with only its sources entry and the key $fingerprint): $problem; nothing was installed or written under /etc"
  }
  local -a options
  mapfile -t options < <(throwaway_apt_options "$dir")
  for pkg in "$@"; do
    apt-cache "${options[@]}" show "$pkg" >/dev/null 2>&1 || {
      forget_checked_apt_repos
      die "$name has no ${pkg%%=*} version ${pkg#*=} (the pinned version): nothing was installed or written under /etc"
    }
  done
  log "checked $name: signed by $fingerprint, has ${*}"
}

# add_apt_repo <keyring> <sources file> <sources function>: installs the key check_apt_repo checked
# and the sources entry (apt's lists are refreshed before the next install when either changed).
add_apt_repo() {
  local keyring=$1 sources_file=$2 sources=$3 key changed=0
  key=$(checked_key_path "$keyring")
  [[ -n "$APT_REPOS_CHECK_DIR" && -s "$key" ]] ||
    die "the key for $keyring was not checked first (check_apt_repo runs before any change)"
  install_file "$key" "$keyring" 644
  file_changed && changed=1
  "$sources" "$keyring" | install_content "$sources_file" 644
  if file_changed || ((changed)); then
    invalidate_apt_lists
  fi
}

# forget_checked_apt_repos: removes this run's throw-away configurations and keys.
forget_checked_apt_repos() {
  if [[ -n "$APT_REPOS_CHECK_DIR" ]]; then
    rm -rf "$APT_REPOS_CHECK_DIR"
    APT_REPOS_CHECK_DIR=''
  fi
}
