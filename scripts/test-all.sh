#!/usr/bin/env bash
# Runs every check of the project, in order, and stops at the first that fails.
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
require mvn java cfn-lint shellcheck shfmt bats jq moto_server aws

echo "== Java: settings, stacks, cdk-nag, cfn-lint, component documents (mvn verify)"
mvn -B -ntp verify

echo "== Host scripts: shellcheck, shfmt, bats in a sandbox"
bash scripts/check-host-scripts.sh

echo "== Host scripts on a booted Debian 12 in systemd-nspawn: AMI setup, reboot, validate with faults, bootstrap"
if [[ "$(id -u)" == 0 ]]; then
  bash scripts/check-booted-host.sh
else
  sudo -n bash scripts/check-booted-host.sh
fi

echo "== Benchmark: its floor matches the project and its helpers compile (no timing)"
bash bench/synth.sh --check

echo "== CDK CLI: default synth, the audit report over it, and bad settings, as a user runs them"
bash scripts/check-synth-cli.sh

echo "== AWS Control Tower's proactive controls (cfn-guard): the gate's own tests, then every template"
bats scripts/test/check-control-tower.bats
bash scripts/check-control-tower.sh

echo "== The app launcher: a fresh clone, a changed source or pom, a failed compile, concurrent synths"
bats scripts/test/app-launcher.bats

echo "== Workflows: actionlint, pinned actions, CI scripts and their bats tests"
bash scripts/check-workflows.sh

echo "== Deploy into a local AWS API emulator: cdk bootstrap, deploy, checks, destroy (moto)"
bash scripts/emulator-deploy-test.sh

echo "== The release command against the emulator: promote, status, rollback, refusals, put-back, tags (moto)"
bash scripts/emulator-release-test.sh
