#!/usr/bin/env bash
# Release channels of the host image: `npm run release -- <verb> [options]` (status, promote, rollback).
# Compiles the app when a source or pom.xml changed, then runs com.fractal.gpuhost.release.ReleaseCli with
# `java -cp`, without Maven's start-up on every call. Reads the resolved settings in cdk.out (run
# `npm run synth` first), never cdk.json.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly CLASSPATH_FILE=target/release-classpath.txt

if [[ ! -f "$CLASSPATH_FILE" || pom.xml -nt "$CLASSPATH_FILE" ||
  -n "$(find src/main -newer "$CLASSPATH_FILE" -print -quit)" ]]; then
  mvn -q -B -ntp -Dstyle.color=never compile dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" >&2
  touch "$CLASSPATH_FILE"
fi
exec java -cp "target/classes:$(cat "$CLASSPATH_FILE")" com.fractal.gpuhost.release.ReleaseCli "$@"
