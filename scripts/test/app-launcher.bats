#!/usr/bin/env bats
# scripts/app-launcher.sh, the cdk.json app command, run by the CDK CLI in a copy of a minimal CDK Java
# project (fixtures/cdk-app: one stack with one resource, and a second main class): it builds a fresh
# clone, never runs stale code after a source or pom change, stops on a failed compile, and builds once for
# concurrent synths. The launcher runs Maven on whatever pom.xml it finds, so the fixture proves the same
# behaviour as the real app at the cost of compiling two small files. The real project's own first build
# from a fresh clone is still exercised by every `npm test`: its assemblies stage synthesizes through the
# launcher. The tests share one copy and run in order (each leaves it buildable).
# Needs the project's CDK CLI on PATH (npm test puts it there), Java, Maven and a warm local repository.

setup_file() {
  command -v cdk >/dev/null || {
    echo "app-launcher.bats: the CDK CLI is not on PATH; run it through 'npm test'" >&2
    return 1
  }
  export REPO="$BATS_FILE_TMPDIR/repo"
  local root
  root=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
  mkdir -p "$REPO/scripts"
  cp -r "$BATS_TEST_DIRNAME/fixtures/cdk-app/." "$REPO/"
  cp "$root/scripts/app-launcher.sh" "$REPO/scripts/"
  jq '{app}' "$root/cdk.json" >"$REPO/cdk.json" # the project's app command, as a user's synth runs it
  take_versions_from "$root/pom.xml" "$REPO/pom.xml"
  export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
}

# Fills each PROJECT value of the fixture's pom with the project's: the versions are stated once.
take_versions_from() {
  local project_pom=$1 fixture_pom=$2 property value
  for property in maven.compiler.release cdk.version junit.version maven-compiler-plugin.version; do
    if [[ $property == maven-compiler-plugin.version ]]; then
      value=$(grep -A 1 '<artifactId>maven-compiler-plugin</artifactId>' "$project_pom" |
        sed -n 's:.*<version>\(.*\)</version>.*:\1:p')
    else
      value=$(sed -n "s:.*<$property>\(.*\)</$property>.*:\1:p" "$project_pom" | head -n 1)
    fi
    [[ -n "$value" ]] || {
      echo "app-launcher.bats: $project_pom states no $property for the fixture" >&2
      return 1
    }
    sed -i "s:<$property>PROJECT</$property>:<$property>$value</$property>:" "$fixture_pom"
  done
  ! grep -n ">PROJECT<" "$fixture_pom" >&2
}

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  cd "$REPO" || return 1
  OUT="$BATS_TEST_TMPDIR/cdk.out"
}

synth() {
  cdk synth --quiet --no-notices --output "${1:-$OUT}" 2>&1
}

# The fixture's one template.
readonly TEMPLATE=FixtureStack.template.json

# A mvn first on PATH that fails if called: what runs without it does not need Maven.
mvn_that_fails() {
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  printf '#!/bin/sh\necho "mvn was called" >&2\nexit 99\n' >"$BATS_TEST_TMPDIR/bin/mvn"
  chmod +x "$BATS_TEST_TMPDIR/bin/mvn"
}

@test "a fresh clone (no target/): the first synth builds, the next runs the app without Maven" {
  [ ! -e target ]
  run synth
  assert_success
  assert_output --partial "app-launcher: building"
  [ -s "$OUT/$TEMPLATE" ]
  grep -q '/aws-cdk-lib-[^/]*\.jar' target/app-launcher/classpath.txt
  [ -s target/app-launcher/app.jsa ] # the class-data archive the first run dumps

  mvn_that_fails
  rm -rf "$OUT"
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" run synth
  assert_success
  refute_output --partial "app-launcher: building"
  refute_output --partial "mvn was called"
  [ -s "$OUT/$TEMPLATE" ]
}

@test "a pom change is picked up: the kept classpath follows the pom" {
  run grep -c junit-jupiter-api target/app-launcher/classpath.txt
  assert_output 0
  # JUnit moves from the test scope to the runtime scope: only a new build puts it on the classpath.
  python3 - <<'EOF'
import re
pom = open("pom.xml").read()
pom, count = re.subn(r"(<artifactId>junit-jupiter</artifactId>\s*<version>[^<]*</version>\s*)<scope>test</scope>",
                     r"\1<scope>runtime</scope>", pom)
assert count == 1, "junit-jupiter's test scope not found in pom.xml"
open("pom.xml", "w").write(pom)
EOF
  run synth
  assert_success
  assert_output --partial "app-launcher: building"
  grep -q '/junit-jupiter-api-[^/]*\.jar' target/app-launcher/classpath.txt
  [ -s "$OUT/$TEMPLATE" ]
}

@test "a failed compile exits non-zero with the compiler's error, runs nothing, and is not forgotten" {
  local app=src/main/java/com/example/launcher/FixtureApp.java
  cp "$app" "$BATS_TEST_TMPDIR/FixtureApp.java"
  echo 'this is not Java' >>"$app"
  run synth
  assert_failure
  assert_output --partial "FixtureApp.java"
  assert_output --partial "COMPILATION ERROR"
  assert_output --partial "app-launcher: the build failed"
  run compgen -G "$OUT/*.template.json"
  assert_failure

  # The classes of the last good build are still in target/, but the next synth must not run them.
  run synth "$BATS_TEST_TMPDIR/again"
  assert_failure
  assert_output --partial "app-launcher: the build failed"
  cp "$BATS_TEST_TMPDIR/FixtureApp.java" "$app"
}

# A changed Java source is the change that makes these synths build: both templates show it.
@test "concurrent synths after a changed Java source: one builds, the other waits for it, both show the change" {
  local app=src/main/java/com/example/launcher/FixtureApp.java
  sed -i 's/"Launcher fixture"/"Launcher fixture (edited)"/' "$app"
  grep -q '(edited)' "$app"
  synth "$BATS_TEST_TMPDIR/one" >"$BATS_TEST_TMPDIR/one.log" &
  local first=$!
  synth "$BATS_TEST_TMPDIR/two" >"$BATS_TEST_TMPDIR/two.log" &
  local second=$!
  wait "$first"
  wait "$second"
  local builds
  builds=$(cat "$BATS_TEST_TMPDIR/one.log" "$BATS_TEST_TMPDIR/two.log" | grep -c 'app-launcher: building')
  assert_equal "$builds" 1
  local run
  for run in one two; do
    run jq -r .Description "$BATS_TEST_TMPDIR/$run/$TEMPLATE"
    assert_output "Launcher fixture (edited)"
  done
}

@test "--main runs another main class of the same build, without Maven and without a new class-data archive" {
  [ -s target/app-launcher/app.jsa ] # dumped by the last synth
  local archive
  archive=$(stat -c '%.9Y' target/app-launcher/app.jsa)
  mvn_that_fails
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" run bash scripts/app-launcher.sh --main com.example.launcher.SecondMain one two
  assert_success
  assert_output "second main class, arguments: one two"
  assert_equal "$(stat -c '%.9Y' target/app-launcher/app.jsa)" "$archive"
  run bash scripts/app-launcher.sh --main
  assert_failure
  assert_output "app-launcher: --main needs a class name"
}

@test "--classpath prints the app's jar and runtime classpath, absolute, without Maven, for tools that compile against the app" {
  mvn_that_fails
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" run bash scripts/app-launcher.sh --classpath
  assert_success
  local entries entry
  IFS=: read -r -a entries <<<"$output"
  assert_equal "${entries[0]}" "$REPO/target/app-launcher/app.jar"
  for entry in "${entries[@]}"; do
    [[ "$entry" == /* && -e "$entry" ]] || fail "not an absolute path to a file: $entry"
  done
  grep -q '/aws-cdk-lib-[^/]*\.jar$' <(tr ':' '\n' <<<"$output")
  # What it prints compiles against the app: the fixture's own class is on it.
  jar tf "${entries[0]}" | grep -qx 'com/example/launcher/SecondMain.class'
  run bash scripts/app-launcher.sh --classpath extra
  assert_failure
  assert_output "app-launcher: --classpath takes no other argument"
}

@test "outside a Maven project it stops with one line naming the folder" {
  cd "$BATS_TEST_TMPDIR"
  run bash "$REPO/scripts/app-launcher.sh"
  assert_failure
  assert_output "app-launcher: no pom.xml in $BATS_TEST_TMPDIR: run the CDK CLI from the project's root"
}
