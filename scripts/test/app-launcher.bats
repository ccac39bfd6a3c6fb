#!/usr/bin/env bats
# scripts/app-launcher.sh, the cdk.json app command, run by the CDK CLI in a copy of the project: it builds
# a fresh clone, never runs stale code after a source or pom change, stops on a failed compile, and builds
# once for concurrent synths. The tests share one copy and run in order (each leaves it buildable). Each
# build in the copy costs a Maven compile, so a test that needs one also proves what that build was for
# (the concurrent synths are the changed source's).
# Needs the project's CDK CLI on PATH (npm test puts it there), Java, Maven and a warm local repository.

setup_file() {
  command -v cdk >/dev/null || {
    echo "app-launcher.bats: the CDK CLI is not on PATH; run it through 'npm test'" >&2
    return 1
  }
  export REPO="$BATS_FILE_TMPDIR/repo"
  local root
  root=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
  mkdir -p "$REPO/src" "$REPO/scripts"
  cp -r "$root/pom.xml" "$root/cdk.json" "$root/components" "$root/host-scripts" "$REPO/"
  cp -r "$root/src/main" "$REPO/src/"
  cp "$root/scripts/app-launcher.sh" "$REPO/scripts/"
  export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
}

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  cd "$REPO" || return 1
  OUT="$BATS_TEST_TMPDIR/cdk.out"
}

# One network stack keeps each synth short; what is tested is the launcher, not the stacks.
synth() {
  cdk synth --quiet --no-notices -c activeRegions=us-east-1 --output "${1:-$OUT}" 2>&1
}

template() {
  cat "$OUT/FractalNetwork-us-east-1.template.json"
}

@test "a fresh clone (no target/): the first synth builds, the next runs the app without Maven" {
  [ ! -e target ]
  run synth
  assert_success
  assert_output --partial "app-launcher: building"
  [ -s "$OUT/FractalNetwork-us-east-1.template.json" ]
  grep -q '/aws-cdk-lib-[^/]*\.jar' target/app-launcher/classpath.txt
  [ -s target/app-launcher/app.jsa ] # the class-data archive the first run dumps

  # Maven is not on the hot path: a mvn that fails if called changes nothing.
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  printf '#!/bin/sh\necho "mvn was called" >&2\nexit 99\n' >"$BATS_TEST_TMPDIR/bin/mvn"
  chmod +x "$BATS_TEST_TMPDIR/bin/mvn"
  rm -rf "$OUT"
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" run synth
  assert_success
  refute_output --partial "app-launcher: building"
  refute_output --partial "mvn was called"
  [ -s "$OUT/FractalNetwork-us-east-1.template.json" ]
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
  [ -s "$OUT/FractalNetwork-us-east-1.template.json" ]
}

@test "a failed compile exits non-zero with the compiler's error, runs nothing, and is not forgotten" {
  local app=src/main/java/com/fractal/gpuhost/GpuHostApp.java
  cp "$app" "$BATS_TEST_TMPDIR/GpuHostApp.java"
  echo 'this is not Java' >>"$app"
  run synth
  assert_failure
  assert_output --partial "GpuHostApp.java"
  assert_output --partial "COMPILATION ERROR"
  assert_output --partial "app-launcher: the build failed"
  run compgen -G "$OUT/*.template.json"
  assert_failure

  # The classes of the last good build are still in target/, but the next synth must not run them.
  run synth "$BATS_TEST_TMPDIR/again"
  assert_failure
  assert_output --partial "app-launcher: the build failed"
  cp "$BATS_TEST_TMPDIR/GpuHostApp.java" "$app"
}

# A changed Java source is the change that makes these synths build: both templates show it.
@test "concurrent synths after a changed Java source: one builds, the other waits for it, both show the change" {
  sed -i 's/"GPU host network in "/"GPU host network (edited) in "/' src/main/java/com/fractal/gpuhost/GpuHostStacks.java
  grep -q '(edited)' src/main/java/com/fractal/gpuhost/GpuHostStacks.java
  synth "$BATS_TEST_TMPDIR/one" >"$BATS_TEST_TMPDIR/one.log" &
  local first=$!
  synth "$BATS_TEST_TMPDIR/two" >"$BATS_TEST_TMPDIR/two.log" &
  local second=$!
  wait "$first"
  wait "$second"
  run cat "$BATS_TEST_TMPDIR/one.log" "$BATS_TEST_TMPDIR/two.log"
  [ "$(grep -c 'app-launcher: building' <<<"$output")" -eq 1 ]
  local run
  for run in one two; do
    run jq -r .Description "$BATS_TEST_TMPDIR/$run/FractalNetwork-us-east-1.template.json"
    assert_output --regexp '^GPU host network \(edited\) in us-east-1'
  done
}

@test "--main runs another main class of the same build, without Maven and without a new class-data archive" {
  run synth
  assert_success
  local archive
  archive=$(stat -c '%Y' target/app-launcher/app.jsa)
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  printf '#!/bin/sh\necho "mvn was called" >&2\nexit 99\n' >"$BATS_TEST_TMPDIR/bin/mvn"
  chmod +x "$BATS_TEST_TMPDIR/bin/mvn"
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" run bash scripts/app-launcher.sh --main com.fractal.gpuhost.release.ReleaseCli --help
  assert_success
  assert_output --partial "promote"
  refute_output --partial "mvn was called"
  assert_equal "$(stat -c '%Y' target/app-launcher/app.jsa)" "$archive"
  run bash scripts/app-launcher.sh --main
  assert_failure
  assert_output "app-launcher: --main needs a class name"
}

@test "outside a Maven project it stops with one line naming the folder" {
  cd "$BATS_TEST_TMPDIR"
  run bash "$REPO/scripts/app-launcher.sh"
  assert_failure
  assert_output "app-launcher: no pom.xml in $BATS_TEST_TMPDIR: run the CDK CLI from the project's root"
}
