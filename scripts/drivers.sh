#!/usr/bin/env bash
# GRID drivers of the image variants: `npm run drivers -- <verb> [options]` (list, qualify).
# Runs com.fractal.gpuhost.drivers.DriversCli through the app launcher: compiled when a source or pom.xml
# changed, then `java -cp`, without Maven's start-up on every call. Reads host-scripts/versions.env (AWS's
# driver bucket) and host-scripts/variants/*.env (each variant's pin); qualify writes the latter.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/app-launcher.sh --main com.fractal.gpuhost.drivers.DriversCli "$@"
