#!/usr/bin/env bats
#
# lib/apt_repos.sh: Docker's and NVIDIA's apt repositories are checked in a throw-away apt
# configuration before part 1 changes anything; a repository that fails stops it with nothing
# written under /etc and nothing installed.

load test_helper

setup() {
  setup_sandbox
}

# host_state: what a refused part 1 must leave as it was: every file under ROOT/etc and the
# packages and units the stubs record.
host_state() {
  (
    cd "$SANDBOX" || return
    find root/etc state/pkgs state/units state/groups -printf '%p %y %m %s\n' | sort
    find root/etc state/pkgs state/units state/groups -type f -exec sha256sum {} + | sort -k 2
  )
}

# throwaway_calls <apt-get|apt-cache>: its logged calls on a throw-away configuration.
throwaway_calls() {
  grep -E "^$1 .*-o Dir::Etc::sourcelist=" "$STUB_LOG" || true
}

@test "part 1 checks both repositories and every pinned package in a throw-away configuration before any change" {
  run_script setup_gpu_host.sh
  assert_success
  run throwaway_calls apt-get
  assert_equal "${#lines[@]}" 2
  assert_line --index 0 --regexp 'Dir::Etc::sourceparts=.* -o Dir::State::Lists=.* -o Dir::Cache=.* update$'
  run throwaway_calls apt-cache
  local pin pins=() v
  v=$(versions_value NVIDIA_CONTAINER_TOOLKIT_VERSION)
  pins=("docker-ce=$(versions_value DOCKER_CE_VERSION_NOBLE)" "docker-ce-cli=$(versions_value DOCKER_CE_VERSION_NOBLE)"
  "containerd.io=$(versions_value CONTAINERD_IO_VERSION_NOBLE)" "nvidia-container-toolkit=$v"
  "nvidia-container-toolkit-base=$v" "libnvidia-container-tools=$v" "libnvidia-container1=$v")
  assert_equal "${#lines[@]}" "${#pins[@]}"
  for pin in "${pins[@]}"; do
    assert_line --regexp " show $pin\$"
  done
  # every check is logged before the first change (masking apt's background jobs)
  local last_check first_change
  last_check=$(grep -n 'Dir::Etc::sourcelist=' "$STUB_LOG" | tail -n 1 | cut -d: -f1)
  first_change=$(grep -n '^systemctl mask' "$STUB_LOG" | head -n 1 | cut -d: -f1)
  ((last_check < first_change))
  # the checked keys are the ones installed; the throw-away folder is gone at the end
  assert_equal "$(sed -n 's/^stub key fpr=//p' "$ROOT/etc/apt/keyrings/docker.asc")" "$(versions_value DOCKER_APT_KEY_FINGERPRINT)"
  run find "$TMPDIR" -mindepth 1
  assert_output ''
}

@test "a repository signed by another key stops part 1 naming it; nothing written under /etc, nothing installed" {
  local before
  before=$(host_state)
  STUB_APT_BAD_SIGNER=download.docker.com run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "ERROR: Docker's apt repository https://download.docker.com/linux/ubuntu failed its check (apt-get update with only its sources entry and the key $(versions_value DOCKER_APT_KEY_FINGERPRINT)): E: The repository 'https://download.docker.com/linux/ubuntu InRelease' is not signed.; nothing was installed or written under /etc"
  assert_output --partial 'apt: W: GPG error:'
  assert_equal "$(host_state)" "$before"
  run find "$TMPDIR" -mindepth 1
  assert_output ''
  # a signature is not a network hiccup, but it is not told apart: three attempts, then the refusal
  run throwaway_calls apt-get
  assert_equal "${#lines[@]}" 3
}

@test "a pinned version missing from a repository stops part 1 naming the package and version; nothing changed" {
  local before v
  v=$(versions_value NVIDIA_CONTAINER_TOOLKIT_VERSION)
  before=$(host_state)
  STUB_APT_MISSING="libnvidia-container-tools=$v" run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "ERROR: NVIDIA's apt repository https://nvidia.github.io/libnvidia-container/stable/deb has no libnvidia-container-tools version $v (the pinned version): nothing was installed or written under /etc"
  assert_equal "$(host_state)" "$before"
  run find "$TMPDIR" -mindepth 1
  assert_output ''
}

@test "a key with another fingerprint than the pinned one stops part 1 before apt reads the repository" {
  local before
  before=$(host_state)
  STUB_NVIDIA_KEY_FPR=0000000000000000000000000000000000000000 run_script setup_gpu_host.sh
  assert_failure
  assert_output --partial "has fingerprint '0000000000000000000000000000000000000000', expected '$(versions_value NVIDIA_APT_KEY_FINGERPRINT)'"
  assert_equal "$(host_state)" "$before"
  run throwaway_calls apt-get
  assert_equal "${#lines[@]}" 1
}

@test "the repositories' locations come from versions.env, so one variable points part 1 elsewhere" {
  DOCKER_APT_REPO_URL=https://mirror.example.invalid/docker NVIDIA_APT_REPO_URL=https://mirror.example.invalid/nvidia \
    run_script setup_gpu_host.sh
  assert_success
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/docker.list")" \
    "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://mirror.example.invalid/docker noble stable"
  # shellcheck disable=SC2016 # apt's own variable, written literally
  assert_equal "$(cat "$ROOT/etc/apt/sources.list.d/nvidia-container-toolkit.list")" \
    'deb [signed-by=/etc/apt/keyrings/nvidia-container-toolkit.asc] https://mirror.example.invalid/nvidia/$(ARCH) /'
}

@test "apt-get update that fails without saying why, or only warns, is a refusal after three attempts" {
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
  # shellcheck source=../lib/apt_repos.sh
  source "$HOST_SCRIPTS/lib/apt_repos.sh"
  mkdir -p "$SANDBOX/apt"
  STUB_FAIL='apt-get:update' run throwaway_apt_update "$SANDBOX/apt" 3
  assert_line 'apt-get update exited with status 1'
  run update_problem $'Get:1 https://x stable InRelease\nW: Failed to fetch https://x/InRelease' 0
  assert_output 'W: Failed to fetch https://x/InRelease'
  run update_problem $'Hit:1 https://x stable InRelease\nReading package lists...' 0
  assert_output ''
  run grep -c '^apt-get .* update$' "$STUB_LOG"
  assert_output 3
}

@test "add_apt_repo refuses a key that check_apt_repo did not check" {
  # shellcheck source=../lib/common.sh
  source "$HOST_SCRIPTS/lib/common.sh"
  # shellcheck source=../lib/apt_repos.sh
  source "$HOST_SCRIPTS/lib/apt_repos.sh"
  run add_apt_repo /etc/apt/keyrings/docker.asc /etc/apt/sources.list.d/docker.list true
  assert_failure
  assert_output --partial 'the key for /etc/apt/keyrings/docker.asc was not checked first'
  [ ! -e "$ROOT/etc/apt/keyrings/docker.asc" ]
}
