#!/usr/bin/env bash
# Release channels of the host image: `npm run release -- <verb> [options]` (status, promote, rollback).
# Runs com.fractal.gpuhost.release.ReleaseCli through the app launcher: compiled when a source or pom.xml
# changed, then `java -cp`, without Maven's start-up on every call. Reads the resolved settings in cdk.out
# (run `npm run synth` first), never cdk.json.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/app-launcher.sh --main com.fractal.gpuhost.release.ReleaseCli "$@"
