#!/usr/bin/env bash
#
# synth.sh: the synthesis benchmark. From anywhere in the repository (after `npm ci`):
#   bash bench/synth.sh [-n RUNS] [--skip-test-command]
#
# After one warm-up synthesis of each case, times RUNS (default 5, or $BENCH_RUNS) whole `cdk synth --quiet`
# runs of each case, in rounds (a b c d e, a b c d e, ...) so that a noisy neighbour hits every case alike:
#   a  bench/init-app: the app `cdk init app --language java` makes (one empty stack, aws-cdk-lib at the
#      project's version, no cdk-nag), with its own cdk.json launcher `mvn -e -q compile exec:java`: what
#      a user would otherwise have (the floor)
#   b  the same app launched by the project's launcher (scripts/app-launcher.sh)
#   c  the full app with the defaults of cdk.json
#   d  the full app with every region of the commercial partition active (the list the settings
#      validator allows, read from aws-cdk-lib's RegionInfo), build region unchanged
#   e  the full app with a dev-instance stack (-c developer=bench)
# Each run synthesizes into a fresh temporary directory. Wall time is the whole CLI process; CPU time is
# the user + system time of the CLI's whole process tree (GNU time; what a busy neighbour inflates least);
# peak memory is the largest sum of the resident set sizes (RSS) of the CLI's whole process tree (CDK CLI, Maven, the
# app's JVM, the jsii runtime's node), sampled every 0.1 s; the largest single process's peak RSS (from
# getrusage, exact) is printed beside it.
# Then, unless --skip-test-command, it runs the README's test command (`npm test`) once with warm caches
# and reports its wall time.
#
# Prints a Markdown table (median and range per case), the ratios against the performance targets (each
# met or missed), the machine, the load average before and after, and the versions. Figures are only
# comparable on an idle machine.
#
#   bash bench/synth.sh --phases [-n RUNS]
# instead splits a synthesis of a, b and c into steps (the CDK CLI alone, the app command alone, Maven's
# up-to-date check, plain `java -cp`) and, inside the full app (bench/PhaseTimes.java), JVM start, jsii
# runtime start, settings, construct tree, and synth with and without cdk-nag's aspect. Medians of RUNS.
#
#   bash bench/synth.sh --check
# only checks that the floor matches the project (aws-cdk-lib and constructs versions, `cdk init`'s
# launcher), that cdk.json runs the project's launcher, and that the helpers and the floor's sources
# compile (one javac against the app's classpath, which the launcher keeps; no Maven run when the app is
# built), and that case d synthesizes (once, untimed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT=$PWD
readonly INIT_APP=bench/init-app
# What `cdk init app --language java` writes into cdk.json, and the project's own launcher.
readonly INIT_LAUNCHER='mvn -e -q compile exec:java'
readonly OUR_LAUNCHER='bash scripts/app-launcher.sh'
readonly OUR_LAUNCHER_IN_INIT_APP="bash '$ROOT/scripts/app-launcher.sh'"
readonly SAMPLE_SECONDS=0.1

runs=${BENCH_RUNS:-5}
skip_test_command=''
mode=benchmark

usage() {
  sed -n '3,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "  -n RUNS              timed runs per case after the warm-up (default 5; env BENCH_RUNS)"
  echo "  --skip-test-command  do not time the README's test command (npm test)"
  echo "  --phases             time the phases of one synthesis instead (see the header of this script)"
  echo "  --check              only check the floor's setup and compile the helpers"
}

fail() {
  echo "bench: $*" >&2
  exit 1
}

parse_args() {
  while (($# > 0)); do
    case "$1" in
      -n | --runs)
        (($# > 1)) || fail "$1 needs a number"
        runs=$2
        shift 2
        ;;
      --skip-test-command)
        skip_test_command=1
        shift
        ;;
      --phases)
        mode=phases
        shift
        ;;
      --check)
        mode=check
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        usage >&2
        fail "unknown argument: $1"
        ;;
    esac
  done
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "the number of runs must be a whole number of at least 1, not '$runs'"
}

# The value of <name>...</name> in a pom.xml.
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$2" | head -n 1
}

check_setup() {
  [[ -x node_modules/.bin/cdk ]] || fail "the project's CDK CLI is missing: run 'npm ci' first"
  PATH="$ROOT/node_modules/.bin:$PATH"
  export PATH
  local tool
  for tool in mvn java node jq ps awk; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is not installed"
  done
  local property
  for property in cdk.version constructs.version; do
    [[ "$(pom_property "$property" pom.xml)" == "$(pom_property "$property" "$INIT_APP/pom.xml")" ]] ||
      fail "$INIT_APP/pom.xml's $property differs from pom.xml's: the floor must use the project's versions"
  done
  [[ "$(jq -r .app "$INIT_APP/cdk.json")" == "$INIT_LAUNCHER" ]] ||
    fail "$INIT_APP/cdk.json's app command is not cdk init's '$INIT_LAUNCHER'"
  [[ "$(jq -r .app cdk.json)" == "$OUR_LAUNCHER" ]] ||
    fail "cdk.json's app command is not the project's launcher '$OUR_LAUNCHER'"
  ! grep -q cdknag "$INIT_APP/pom.xml" || fail "$INIT_APP/pom.xml must not use cdk-nag: cdk init's app has none"
}

# Compiles the helpers in bench/*.java and the floor's sources against the app's runtime classpath (the
# launcher's, built when something changed); the floor's versions are the project's (check_setup), so its
# sources compiling here means they compile in its own build. Sets $classpath to run the helpers with.
compile_helpers() {
  local app_classpath
  app_classpath=$(bash scripts/app-launcher.sh --classpath)
  classpath="$work/helper:$app_classpath"
  mkdir -p "$work/helper"
  javac -Xlint:all -Werror -d "$work/helper" -cp "$classpath" bench/*.java \
    "$INIT_APP"/src/main/java/com/myorg/*.java
}

# The floor built by its own Maven project, as case a and the phases run it.
build_floor() {
  # Maven's output goes to stderr: even with -q it prints colour resets to stdout.
  mvn -B -q -Dstyle.color=never -f "$INIT_APP/pom.xml" compile >&2
}

# Every region the settings validator accepts (AllowedValues.commercialRegions), comma-separated.
commercial_regions() {
  java -cp "$classpath" CommercialRegions
}

# Case d, the largest, synthesizes once: a network template for every commercial region.
check_largest_case() {
  local out count
  out=$(mktemp -d "$work/out.XXXX")
  if ! cdk synth --quiet --output "$out" -c "activeRegions=$regions" >"$out.log" 2>&1; then
    cat "$out.log" >&2
    fail "case d: cdk synth with all $region_count commercial regions active failed (output above)"
  fi
  count=$(compgen -G "$out/FractalNetwork-*.template.json" | wc -l)
  ((count == region_count)) || fail "case d: $count network templates for $region_count active regions"
}

# The summed RSS (KiB) of a process and all its descendants, and the largest single RSS among them.
tree_rss() {
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      for (pid in rss) {
        p = pid
        while (p != "" && p != 0 && p != root) p = parent[p]
        if (p == root) { sum += rss[pid]; if (rss[pid] > max) max = rss[pid] }
      }
      printf "%d %d\n", sum, max
    }'
}

# Runs one synthesis of a case; appends "seconds tree_peak_kib largest_process_kib cpu_seconds" to
# $work/<case>.
run_case() {
  local name=$1 dir=$2 out
  shift 2
  out=$(mktemp -d "$work/out.XXXX")
  local start end pid peak=0 sample sum
  start=$EPOCHREALTIME
  (cd "$dir" && exec /usr/bin/time -f '%M %U %S' -o "$out.rusage" cdk synth --quiet --output "$out" "$@" \
    >"$out.log" 2>&1) &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sample=$(tree_rss "$pid")
    sum=${sample%% *}
    ((sum > peak)) && peak=$sum
    sleep "$SAMPLE_SECONDS"
  done
  if ! wait "$pid"; then
    cat "$out.log" >&2
    fail "case $name: cdk synth failed (output above)"
  fi
  end=$EPOCHREALTIME
  compgen -G "$out/*.template.json" >/dev/null || fail "case $name: cdk synth wrote no template"
  local largest user system
  read -r largest user system < <(tail -n 1 "$out.rusage")
  echo "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') $peak $largest" \
    "$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')" >>"$work/$name"
  rm -rf "$out" "$out.log" "$out.rusage"
}

run_round() {
  run_case a "$INIT_APP"
  run_case b "$INIT_APP" --app "$OUR_LAUNCHER_IN_INIT_APP"
  run_case c .
  run_case d . -c "activeRegions=$regions"
  run_case e . -c developer=bench
}

# "median min max" of column $2 of file $1.
stats() {
  awk -v col="$2" '{ print $col }' "$1" | sort -g | awk '
    { v[NR] = $1 }
    END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s %s %s\n", m, v[1], v[NR]
    }'
}

median() {
  local m _
  read -r m _ < <(stats "$1" "$2")
  echo "$m"
}

ratio() {
  awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'
}

# "met" or "MISSED" for value $1 against the limit $2.
verdict() {
  awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "met" : "MISSED" }'
}

# The line "| what | value | ≤ limit: met/MISSED |" of a target.
target() {
  echo "| $1 | $2 | ≤ $3: $(verdict "$2" "$3") |"
}

report() {
  local name label med min max cmed cmin cmax mmed mmin mmax big
  echo
  echo "| case | wall time, median (range) | CPU time (user + system), median (range) | peak RSS of the process tree, median (range) | largest process |"
  echo "| --- | --- | --- | --- | --- |"
  for name in a b c d e; do
    case "$name" in
      a) label="a: \`cdk init\` app, one empty stack, \`$INIT_LAUNCHER\` (floor)" ;;
      b) label='b: the same app with our launcher' ;;
      c) label='c: our app, defaults' ;;
      d) label="d: our app, all $region_count commercial regions" ;;
      e) label='e: our app with a dev-instance stack' ;;
    esac
    read -r med min max < <(stats "$work/$name" 1)
    read -r cmed cmin cmax < <(stats "$work/$name" 4)
    read -r mmed mmin mmax < <(stats "$work/$name" 2)
    big=$(median "$work/$name" 3)
    printf '| %s | %.1f s (%.1f–%.1f) | %.1f s (%.1f–%.1f) | %d MiB (%d–%d) | %d MiB |\n' "$label" \
      "$med" "$min" "$max" "$cmed" "$cmin" "$cmax" \
      $((${mmed%.*} / 1024)) $((mmin / 1024)) $((mmax / 1024)) $((${big%.*} / 1024))
  done
  local ta tb tc td te ma mc
  ta=$(median "$work/a" 1)
  tb=$(median "$work/b" 1)
  tc=$(median "$work/c" 1)
  td=$(median "$work/d" 1)
  te=$(median "$work/e" 1)
  ma=$(median "$work/a" 2)
  mc=$(median "$work/c" 2)
  echo
  echo "| target (ratio of medians) | value | limit |"
  echo "| --- | --- | --- |"
  target "wall time c/a (defaults against the \`cdk init\` floor)" "$(ratio "$tc" "$ta")" 1.0
  echo "| CPU time c/a (no target) | $(ratio "$(median "$work/c" 4)" "$(median "$work/a" 4)") | |"
  target "wall time c/b (defaults against the bare app with our launcher)" "$(ratio "$tc" "$tb")" 2.0
  target "wall time d/c ($region_count regions against defaults)" "$(ratio "$td" "$tc")" 1.3
  target "peak memory c/a" "$(ratio "$mc" "$ma")" 1.5
  echo "| wall time e/c (dev stack, no target) | $(ratio "$te" "$tc") | |"
  if [[ -n "$test_seconds" ]]; then
    target "\`npm test\`, warm caches, seconds" "$test_seconds" 180
  fi
}

machine() {
  local cpu mem
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo
  echo "Machine: $(nproc) cores, $mem, ${cpu:-unknown CPU}; $(uname -sr)"
  echo "Load average before: $load_before; after: $(cut -d ' ' -f 1-3 /proc/loadavg) (figures are noisy unless both are near 0)"
  echo "Versions: $(java -version 2>&1 | head -n 1); $(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g');" \
    "node $(node --version); CDK CLI $(cdk --version | cut -d ' ' -f 1);" \
    "aws-cdk-lib $(pom_property cdk.version pom.xml); constructs $(pom_property constructs.version pom.xml);" \
    "cdk-nag $(pom_property cdknag.version pom.xml)"
  echo "Runs: $runs per case after one warm-up${regions:+; commercial regions: $regions}"
}

time_test_command() {
  local start end
  echo "bench: npm test (warm caches), log in $work/npm-test.log" >&2
  start=$EPOCHREALTIME
  if ! npm test >"$work/npm-test.log" 2>&1; then
    tail -n 40 "$work/npm-test.log" >&2
    fail "npm test failed (tail of its log above)"
  fi
  end=$EPOCHREALTIME
  test_seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", e - s }')
}

# Seconds taken by a command (its output discarded; a failure stops the benchmark).
seconds_of() {
  local start
  start=$EPOCHREALTIME
  "$@" >"$work/phase.log" 2>&1 || {
    cat "$work/phase.log" >&2
    fail "failed: $*"
  }
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", e - s }'
}

# Runs a command $runs times after a warm-up; prints the median of its seconds.
median_seconds() {
  local round
  seconds_of "$@" >/dev/null
  : >"$work/times"
  for ((round = 1; round <= runs; round++)); do
    seconds_of "$@" >>"$work/times"
  done
  median "$work/times" 1
}

# Median seconds of each phase PhaseTimes prints, over $runs runs after a warm-up. Arguments: with-nag or
# without-nag, and CDK_VALIDATION's value (the launcher's default is false).
app_phases() {
  local round context
  context=$(jq -c .context cdk.json)
  : >"$work/phases"
  for ((round = 0; round <= runs; round++)); do
    CDK_VALIDATION=$2 CDK_CONTEXT_JSON=$context CDK_OUTDIR=$(mktemp -d "$work/out.XXXX") \
      java -cp "$classpath" PhaseTimes "$1" \
      2>/dev/null | awk -v r="$round" 'r > 0' >>"$work/phases"
  done
  awk '{ print $1 }' "$work/phases" | awk '!seen[$0]++' | while read -r phase; do
    awk -v p="$phase" '$1 == p { print $2 }' "$work/phases" >"$work/phase.values"
    echo "$phase $(median "$work/phase.values" 1)"
  done
}

cli_with_app() {
  local dir=$1
  shift
  (cd "$dir" && cdk synth --quiet --output "$(mktemp -d "$work/out.XXXX")" "$@")
}

cli_alone() {
  cdk synth --quiet --app "$1" --output "$(mktemp -d "$work/out.XXXX")"
}

# The context the CDK CLI hands the app of the cdk.json in the current folder: its context, and whether
# to add the version-reporting resource (without it an empty stack fails CDK's template validation).
cli_context() {
  jq -c '(.context // {}) + {"aws:cdk:version-reporting": (if .versionReporting == false then false else true end)}' cdk.json
}

# The app command alone, as the CDK CLI would run it in folder $1.
app_command() {
  (cd "$1" && CDK_CONTEXT_JSON=$(cli_context) CDK_OUTDIR=$(mktemp -d "$work/out.XXXX") bash -c "$2")
}

maven_compile() {
  (cd "$1" && mvn -B -q -Dstyle.color=never compile)
}

java_app() {
  (cd "$1" && CDK_CONTEXT_JSON=$(cli_context) CDK_OUTDIR=$(mktemp -d "$work/out.XXXX") java -cp "$2" "$3")
}

phases() {
  local name dir app main cp assembly
  local -A t
  echo "bench: phases, median of $runs runs each after a warm-up" >&2
  mvn -B -q -Dstyle.color=never -f "$INIT_APP/pom.xml" dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$work/init-classpath.txt" >&2
  echo
  echo "| step (whole process) | a: \`cdk init\` app, its Maven launcher | b: the same app, our launcher | c: our app, our launcher |"
  echo "| --- | --- | --- | --- |"
  for name in a b c; do
    case "$name" in
      a) dir=$INIT_APP app=$INIT_LAUNCHER ;;
      b) dir=$INIT_APP app=$OUR_LAUNCHER_IN_INIT_APP ;;
      c) dir=. app=$OUR_LAUNCHER ;;
    esac
    if [[ "$dir" == "$INIT_APP" ]]; then
      main=com.myorg.InitAppApp cp="$ROOT/$INIT_APP/target/classes:$(cat "$work/init-classpath.txt")"
    else
      main=com.fractal.gpuhost.GpuHostApp cp=$classpath
    fi
    assembly=$(mktemp -d "$work/out.XXXX")
    (cd "$dir" && cdk synth --quiet --app "$app" --output "$assembly" >/dev/null 2>&1)
    t[cli_$name]="$(median_seconds cli_with_app "$dir" --app "$app")"
    t[alone_$name]="$(median_seconds cli_alone "$assembly")"
    t[app_$name]="$(median_seconds app_command "$dir" "$app")"
    t[java_$name]="$(median_seconds java_app "$dir" "$cp" "$main")"
  done
  t[compile_a]="$(median_seconds maven_compile "$INIT_APP")"
  echo "| \`cdk synth --quiet\` (what a user waits for) | ${t[cli_a]} s | ${t[cli_b]} s | ${t[cli_c]} s |"
  echo "| CDK CLI alone, reading a finished assembly (\`cdk synth --app <dir>\`) | ${t[alone_a]} s | ${t[alone_b]} s | ${t[alone_c]} s |"
  echo "| the app command alone | ${t[app_a]} s | ${t[app_b]} s | ${t[app_c]} s |"
  echo "| of which Maven's start-up and up-to-date check (\`mvn compile\`, nothing to compile) | ${t[compile_a]} s | – | – |"
  echo "| the app on plain \`java -cp\` (no launcher, no start-up levers) | ${t[java_a]} s | ${t[java_b]} s | ${t[java_c]} s |"
  echo
  echo "Inside our app's JVM (bench/PhaseTimes.java, plain \`java -cp\`), median seconds:"
  echo
  echo "| phase | as the launcher runs it (aws-cdk-lib's validation off) | the same without cdk-nag's aspects |" \
    "with aws-cdk-lib's validation (\`CDK_VALIDATION=true\`) |"
  echo "| --- | --- | --- | --- |"
  app_phases with-nag false >"$work/with-nag"
  app_phases without-nag false >"$work/without-nag"
  app_phases with-nag true >"$work/with-validation"
  paste -d ' ' "$work/with-nag" "$work/without-nag" "$work/with-validation" |
    awk '{ sub(/^synth-with-cdk-nag$/, "synth (aspects, validation, writing)", $1); printf "| %s | %s s | %s s | %s s |\n", $1, $2, $4, $6 }'
  machine
}

main() {
  parse_args "$@"
  check_setup
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
  test_seconds=''
  regions=''

  compile_helpers
  regions=$(commercial_regions)
  region_count=$(tr ',' '\n' <<<"$regions" | wc -l)
  ((region_count > 7)) || fail "expected more commercial regions than the 7 defaults, got: $regions"
  case "$mode" in
    check)
      check_largest_case
      echo "bench: the floor matches the project, the helpers and the floor's sources compile, and case d" \
        "synthesizes all $region_count commercial regions"
      return
      ;;
  esac
  build_floor
  case "$mode" in
    phases)
      phases
      return
      ;;
  esac

  echo "bench: warm-up (one synthesis of each case)" >&2
  run_round
  rm -f "$work"/[abcde]
  local round
  for ((round = 1; round <= runs; round++)); do
    echo "bench: round $round of $runs" >&2
    run_round
  done
  if [[ -z "$skip_test_command" ]]; then
    time_test_command
  fi
  report
  machine
}

main "$@"
