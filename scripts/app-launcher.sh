#!/usr/bin/env bash
#
# app-launcher.sh: the cdk.json `app` command. Runs the compiled CDK app of the Maven project in the
# current directory straight on the JVM, without Maven's start-up (about 4 s) on every synth:
#   bash scripts/app-launcher.sh [ARGS...]
# The project's other commands (the release command, the audit report) run their own main class on the
# same build and classpath:
#   bash scripts/app-launcher.sh --main CLASS [ARGS...]
# and tools that compile against the app (the benchmark's helpers) ask for the same classpath, absolute:
#   bash scripts/app-launcher.sh --classpath
#
# Maven runs only when something that feeds the build changed since the last build: pom.xml, any file
# under src/main/ (sources and resources) or .mvn/, or a jar of the kept classpath has gone from the
# local repository. Then it compiles and writes the runtime classpath to target/app-launcher/. Nothing
# else is built: components/ and host-scripts/ are read from the working tree at synth time. A fingerprint
# of the inputs (names and contents) decides, taken before the build, so an edit made during a build is
# picked up by the next synth. A lock makes concurrent synths wait for one build instead of racing it. A
# failed build exits non-zero with Maven's output (the compiler's errors) on stderr and runs nothing.
#
# The main class is the pom's <main.class> property, or else exec-maven-plugin's <mainClass>.
# Start-up levers kept because they measurably help (bench/README.md): the C1 compiler only and the
# serial collector, and class-data sharing: the build packs target/classes into a jar (the JVM archives
# classes from jars only), the first run after it dumps the classes it loaded into an archive under
# target/, and later runs map that archive instead of loading and verifying those classes again.
# Not a start-up lever but the largest cost of a synth: aws-cdk-lib's built-in template validation
# (cfn-lint's rules compiled to WebAssembly, run inside app.synth() since 2.262) took about 70 % of the
# CPU time of a synth with the defaults. It changes no template; the project runs cfn-lint itself over
# every template in its tests, with no error and no warning allowed. The launcher turns it off unless the
# caller set CDK_VALIDATION (`CDK_VALIDATION=true npx cdk synth` runs it).
set -euo pipefail

export CDK_VALIDATION=${CDK_VALIDATION:-false}

readonly STATE_DIR=target/app-launcher
readonly CLASSPATH_FILE=$STATE_DIR/classpath.txt
readonly MAIN_CLASS_FILE=$STATE_DIR/main-class.txt
readonly FINGERPRINT_FILE=$STATE_DIR/inputs.sha256
readonly LOCK_FILE=$STATE_DIR/lock
readonly APP_JAR=$STATE_DIR/app.jar
readonly CDS_ARCHIVE=$STATE_DIR/app.jsa
# Start-up flags for a short-lived JVM whose run is mostly spent waiting for the jsii runtime's Node.
# JVM warnings go to stderr, never into the app's stdout.
# A 16 MB stack for the main thread: the jsii runtime's Java side handles each callback from Node one
# level deeper than the one before, until app.synth() returns, and cdk-nag's pack written in Java is
# called back for every construct (about 60 per region). With the default 1 MB, all 34 commercial regions
# active (which the settings allow) overflowed it, 27 did not; 4 MB was enough for 34.
readonly JVM_OPTIONS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss16m -Xlog:disable -Xlog:all=warning:stderr)
# Pinned here rather than in each pom, so that any Maven project can use the launcher.
readonly BUILD_CLASSPATH=org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath

fail() {
  echo "app-launcher: $*" >&2
  exit 1
}

# The names and contents of everything that feeds the build, and which JVM runs it (a class-data archive
# belongs to one JVM build), as one SHA-256.
inputs_fingerprint() {
  local -a inputs=(pom.xml src/main)
  if [[ -d .mvn ]]; then inputs+=(.mvn); fi
  {
    find "${inputs[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    stat -L -c '%n %s %Y' "$(command -v java)"
  } | sha256sum | cut -d ' ' -f 1
}

# True when the last build's outputs exist and every jar of its classpath is still there.
outputs_present() {
  [[ -s "$CLASSPATH_FILE" && -s "$MAIN_CLASS_FILE" && -s "$APP_JAR" ]] || return 1
  local entry
  local -a entries
  IFS=: read -r -a entries <"$CLASSPATH_FILE"
  for entry in "${entries[@]}"; do
    [[ -e "$entry" ]] || return 1
  done
}

up_to_date() {
  [[ -f "$FINGERPRINT_FILE" && "$(cat "$FINGERPRINT_FILE")" == "$1" ]] && outputs_present
}

main_class_of_pom() {
  local class
  class=$(sed -n 's:.*<main\.class>\(.*\)</main\.class>.*:\1:p' pom.xml | head -n 1)
  [[ -n "$class" ]] || class=$(sed -n 's:.*<mainClass>\([^$]*\)</mainClass>.*:\1:p' pom.xml | head -n 1)
  [[ -n "$class" ]] || fail "pom.xml names no main class (<main.class> property or exec-maven-plugin's <mainClass>)"
  echo "$class"
}

build() {
  local fingerprint=$1 main_class
  main_class=$(main_class_of_pom)
  rm -f "$FINGERPRINT_FILE" "$CDS_ARCHIVE"
  echo "app-launcher: building (pom.xml, src/main/ or .mvn/ changed since the last build)" >&2
  # Maven's output goes to stderr: the CDK CLI shows it, and stdout stays the app's.
  if ! mvn -B -q -Dstyle.color=never compile "$BUILD_CLASSPATH" -DincludeScope=runtime \
    -Dmdep.outputFile="$CLASSPATH_FILE" >&2; then
    fail "the build failed (Maven's output above); nothing was run"
  fi
  rm -f "$APP_JAR"
  jar cf "$APP_JAR" -C target/classes .
  echo "$main_class" >"$MAIN_CLASS_FILE"
  echo "$fingerprint" >"$FINGERPRINT_FILE"
}

main() {
  local main_class="" print_classpath=""
  if [[ "${1:-}" == --classpath ]]; then
    (($# == 1)) || fail "--classpath takes no other argument"
    print_classpath=1
    shift
  elif [[ "${1:-}" == --main ]]; then
    [[ -n "${2:-}" ]] || fail "--main needs a class name"
    main_class=$2
    shift 2
  fi
  [[ -f pom.xml ]] || fail "no pom.xml in $PWD: run the CDK CLI from the project's root"
  local tool
  for tool in java jar mvn flock sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is not installed"
  done
  mkdir -p "$STATE_DIR"
  local fingerprint lock
  fingerprint=$(inputs_fingerprint)
  if ! up_to_date "$fingerprint"; then
    exec {lock}>"$LOCK_FILE"
    flock "$lock"
    # Another synth may have built while this one waited.
    fingerprint=$(inputs_fingerprint)
    up_to_date "$fingerprint" || build "$fingerprint"
    exec {lock}>&-
  fi
  if [[ -n "$print_classpath" ]]; then
    echo "$PWD/$APP_JAR:$(cat "$CLASSPATH_FILE")"
    return
  fi
  local -a app=(-cp "$APP_JAR:$(cat "$CLASSPATH_FILE")" "${main_class:-$(cat "$MAIN_CLASS_FILE")}" "$@")
  if [[ -f "$CDS_ARCHIVE" ]]; then
    exec java "${JVM_OPTIONS[@]}" -XX:SharedArchiveFile="$CDS_ARCHIVE" "${app[@]}"
  fi
  # The archive holds what a synth loads: another main class runs without writing one.
  if [[ -n "$main_class" ]]; then
    exec java "${JVM_OPTIONS[@]}" "${app[@]}"
  fi
  run_and_archive "${app[@]}"
}

# Runs the app once with the JVM dumping its loaded classes at exit into a file of its own, then moves
# that file into place, so a concurrent run never maps a half-written archive. The app's exit status wins.
run_and_archive() {
  local dump="$CDS_ARCHIVE.$$" status=0
  # Classes an archive cannot hold are skipped with a warning each: not worth showing.
  java "${JVM_OPTIONS[@]}" -Xlog:all=warning,cds*=off:stderr -XX:ArchiveClassesAtExit="$dump" "$@" || status=$?
  if ((status == 0)) && [[ -s "$dump" ]]; then
    mv -f "$dump" "$CDS_ARCHIVE"
  fi
  rm -f "$dump"
  return "$status"
}

main "$@"
