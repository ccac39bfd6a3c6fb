#!/usr/bin/env bash
# Runs every check of the project and fails when any fails. Stages that share nothing run side by side
# (TEST_JOBS at a time, default: one more than the cores, since every stage also waits on disk, network or
# a server); each stage's output is kept and printed whole when it ends; the time of each stage is printed
# at the end. Stage by stage: docs/testing.md.
# Run it through `npm test`, which puts the project's own Node and CDK CLI first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "test-all: '$tool' is not installed; the README's Prerequisites say how to get it" >&2
      exit 1
    }
  done
}

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 22)); then
  echo "test-all: Node $(node --version) is first on PATH; run this through 'npm test' (Node 22+)" >&2
  exit 1
fi
require mvn java cfn-lint shellcheck shfmt bats jq moto_server aws makeself

readonly JOBS=${TEST_JOBS:-$(($(nproc) + 1))}
readonly ASSEMBLIES=build/test-assemblies
readonly LOGS=build/test-logs
# The assembly of the defaults, and one with a dev stack (as the emulator deploy test deploys it), the
# CI role stack and both image variants (as the emulator tests expect): every stage that reads an assembly reads one of these two, synthesized once.
readonly DEFAULT_ASSEMBLY=$ASSEMBLIES/default DEV_ASSEMBLY=$ASSEMBLIES/dev-and-ci
readonly DEV_FLAGS=(-c developer=testdev -c sshCidr=203.0.113.0/24 -c githubRepo=octo-org/gpu-host-infra
  -c "imageVariants=ubuntu24-r580,ubuntu20-r535")

# --- The stages: what each runs, and which stage must end before it starts --------------------------------
# shellcheck disable=SC2317 # each stage is run by run_stage
stage_assemblies() { # both at once: the app launcher builds once for both (its lock), then each synthesizes
  local first status=0
  rm -rf "$ASSEMBLIES"
  cdk synth --quiet --output "$DEFAULT_ASSEMBLY" &
  first=$!
  cdk synth --quiet --output "$DEV_ASSEMBLY" "${DEV_FLAGS[@]}" || status=$?
  wait "$first" || status=$?
  ((status == 0)) || return "$status"
  echo "synthesized $DEFAULT_ASSEMBLY and $DEV_ASSEMBLY (${DEV_FLAGS[*]})"
}
# shellcheck disable=SC2317
stage_java() { mvn -B -ntp verify; }
# shellcheck disable=SC2317
stage_host_scripts() { bash scripts/check-host-scripts.sh; }
# shellcheck disable=SC2317
stage_booted_host() {
  if [[ "$(id -u)" == 0 ]]; then
    bash scripts/check-booted-host.sh
  else
    sudo -n bash scripts/check-booted-host.sh
  fi
}
# shellcheck disable=SC2317
stage_bench() { bash bench/synth.sh --check; }
# shellcheck disable=SC2317
stage_synth_cli() { ASSEMBLY_DIR=$DEFAULT_ASSEMBLY bash scripts/check-synth-cli.sh; }
# shellcheck disable=SC2317
stage_control_tower() {
  bats scripts/test/check-control-tower.bats
  bash scripts/check-control-tower.sh "$DEFAULT_ASSEMBLY" "$DEV_ASSEMBLY"
}
# shellcheck disable=SC2317
stage_drivers() { bash scripts/emulator-drivers-test.sh; } # reads no assembly: its own moto, from the start
# shellcheck disable=SC2317
stage_app_launcher() { bats scripts/test/app-launcher.bats; }
# shellcheck disable=SC2317
stage_workflows() { bash scripts/check-workflows.sh; }
# shellcheck disable=SC2317
stage_docs() {
  bats scripts/test/check-doc-links.bats
  python3 scripts/check-doc-links.py
}
# shellcheck disable=SC2317
stage_emulator() { # one moto for both tests; each test empties it first
  local work status=0
  work=$(mktemp -d)
  # shellcheck source=lib/emulator.sh
  source scripts/lib/emulator.sh
  emulator_serve "$work" "$(ASSEMBLY_DIR=$DEV_ASSEMBLY bash scripts/ci/settings.sh .devInstance.region)" \
    "$(ASSEMBLY_DIR=$DEV_ASSEMBLY bash scripts/ci/settings.sh '.variants[.devInstance.variant].baseImageSsmParameter')"
  export EMULATOR_ENDPOINT="http://127.0.0.1:$port" EMULATOR_LOG="$work/emulator.log"
  ASSEMBLY_DIR=$DEV_ASSEMBLY bash scripts/emulator-deploy-test.sh || status=$?
  ASSEMBLY_DIR=$DEV_ASSEMBLY bash scripts/emulator-release-test.sh || status=$?
  emulator_stop
  rm -rf "$work"
  return "$status"
}

# shellcheck disable=SC2317
stage_accounts() { # one moto, emptied by each test: the workload baseline, then the release across accounts
  local work status=0
  work=$(mktemp -d)
  # shellcheck source=lib/emulator.sh
  source scripts/lib/emulator.sh
  emulator_serve "$work" "$(ASSEMBLY_DIR=$DEV_ASSEMBLY bash scripts/ci/settings.sh .buildRegion)" \
    /aws/service/unused/base-ami-id
  export EMULATOR_ENDPOINT="http://127.0.0.1:$port" EMULATOR_LOG="$work/emulator.log"
  bash scripts/emulator-stackset-test.sh || status=$?
  ASSEMBLY_DIR=$DEV_ASSEMBLY bash scripts/emulator-accounts-release-test.sh || status=$?
  emulator_stop
  rm -rf "$work"
  return "$status"
}

# name|needs|title, in the order they start: the assemblies first (most stages need them), then the longest
# first among those whose need has passed (the emulator's deploy and release tests, in series, are the
# longest after the assemblies). A new stage: a stage_NAME function above and a line here.
readonly STAGES=(
  "assemblies||Synthesize the default assembly and one with a dev and the CI stack, for every stage below"
  "app_launcher||The app launcher: a fresh clone, a changed source or pom, a failed compile, concurrent synths"
  "booted_host||Host scripts on booted Debian 12 and 13 (systemd-nspawn): part 1 against signed apt repository stand-ins and the driver mirror, with faults; AMI setup, reboot, validate with faults, bootstrap; the udev rules in systemd's udevadm"
  "emulator|assemblies|Deploy, then the release command, against one local AWS API emulator (moto)"
  "accounts|assemblies|Across accounts, against a local AWS API emulator (moto) with an organization: the workload baseline StackSet in two OUs' members, then the release command in every account"
  "java|assemblies|Java: settings, stacks, cdk-nag, cfn-lint, component documents (mvn verify)"
  "host_scripts||Shell: shellcheck and shfmt over every script, bats for the host scripts in a sandbox"
  "drivers||The drivers command against its own local AWS API emulator (moto): list, qualify into the mirror, a corrupt runfile, bad input"
  "control_tower|assemblies|AWS Control Tower's proactive controls (cfn-guard): the gate's own tests, then every template"
  "synth_cli|assemblies|CDK CLI: the default synth, the audit report over it, and bad settings, as a user runs them"
  "bench|assemblies|Benchmark: its floor matches the project and its helpers compile (no timing)"
  "docs||Documentation: every relative link in every Markdown file resolves, and the check's own tests"
  "workflows||Workflows: actionlint, pinned actions, no reads of the context file, the CI scripts' bats tests"
)

# --- The runner ----------------------------------------------------------------------------------------
declare -A pid_stage=() state=() began=() seconds_taken=()
failed=()

field() { # field N "a|b|c"
  local IFS='|' parts
  read -r -a parts <<<"$2"
  echo "${parts[$1]:-}"
}

# The stages the run's wall time waits on (the assemblies, then the emulator's deploy and release tests in
# series): the others yield the CPU to them (nice).
readonly CRITICAL_PATH=" assemblies emulator "

# Starts a stage in the background, its output in its log; its exit status and end time go to files.
start_stage() {
  local name=$1
  state[$name]=running
  began[$name]=$SECONDS
  (
    set +e
    [[ "$CRITICAL_PATH" == *" $name "* ]] || renice -n 10 -p "$BASHPID" >/dev/null
    (
      set -e
      "stage_$name"
    ) >"$LOGS/$name.log" 2>&1
    echo $? >"$LOGS/$name.status"
    times >"$LOGS/$name.cpu" # its second line: the CPU time (user, system) of every process the stage waited for
  ) &
  pid_stage[$!]=$name
}

# Waits for any running stage, prints its log and records its result.
finish_one() {
  local pid name status
  wait -n -p pid "${!pid_stage[@]}" || true
  name=${pid_stage[$pid]}
  unset "pid_stage[$pid]"
  status=$(cat "$LOGS/$name.status" 2>/dev/null || echo 1)
  seconds_taken[$name]=$((SECONDS - began[$name]))
  if ((status == 0)); then state[$name]=passed; else state[$name]=failed; fi
  echo
  echo "== $(title "$name") [${state[$name]} in ${seconds_taken[$name]} s]"
  cat "$LOGS/$name.log"
  ((status == 0)) || {
    failed+=("$name")
    echo "== FAILED: $name (exit status $status; its log: $LOGS/$name.log)"
  }
}

# cpu_seconds NAME: the stage's user + system CPU seconds, from the `times` line its subshell wrote
cpu_seconds() {
  local user system
  [[ -s "$LOGS/$1.cpu" ]] || {
    echo -
    return
  }
  read -r user system < <(sed -n 2p "$LOGS/$1.cpu")
  awk -v u="$user" -v s="$system" 'function sec(t, parts) { split(t, parts, /[ms]/); return parts[1] * 60 + parts[2] }
    BEGIN { printf "%d", sec(u) + sec(s) }'
}

title() {
  local entry
  for entry in "${STAGES[@]}"; do
    [[ "$(field 0 "$entry")" == "$1" ]] && field 2 "$entry"
  done
}

# Sets ready to a stage that may start now (its need has passed), or to nothing. A stage whose need failed
# is not run.
next_ready() {
  local entry name need
  ready=""
  for entry in "${STAGES[@]}"; do
    name=$(field 0 "$entry")
    need=$(field 1 "$entry")
    [[ -z "${state[$name]:-}" ]] || continue
    if [[ -n "$need" && "${state[$need]:-}" == failed ]]; then
      state[$name]="not run"
      failed+=("$name")
      continue
    fi
    if [[ -z "$need" || "${state[$need]:-}" == passed ]]; then
      ready=$name
      return
    fi
  done
}

# Each stage in a process group of its own (job control), so that an interrupted run stops every stage's
# processes too.
set -m
stop_stages() {
  local pid
  for pid in "${!pid_stage[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
}
trap 'stop_stages; exit 130' INT
trap 'stop_stages; exit 143' TERM

rm -rf "$LOGS"
mkdir -p "$LOGS"
echo "test-all: ${#STAGES[@]} stages, $JOBS at a time; each stage's output follows when it ends"
while :; do
  while ((${#pid_stage[@]} < JOBS)); do
    next_ready
    [[ -n "$ready" ]] || break
    start_stage "$ready"
  done
  ((${#pid_stage[@]} > 0)) || break
  finish_one
done

echo
echo "Stage times (wall clock with $JOBS side by side, total $SECONDS s; CPU: user + system of its processes):"
for entry in "${STAGES[@]}"; do
  name=$(field 0 "$entry")
  printf '  %-14s %-8s %5s s wall %5s s CPU\n' "$name" "${state[$name]:-not run}" "${seconds_taken[$name]:--}" \
    "$(cpu_seconds "$name")"
done
if ((${#failed[@]} > 0)); then
  echo "test-all: FAILED: ${failed[*]}"
  exit 1
fi
echo "test-all: every stage passed"
