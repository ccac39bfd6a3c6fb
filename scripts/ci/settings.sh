#!/usr/bin/env bash
# Prints one value of the resolved settings that synthesis writes beside the templates
# (<cloud assembly>/gpu-host-settings.json): the same values the stacks were built from, -c overrides
# included. Every tool outside the CDK app reads its settings through this, never from the CDK app's
# context file.
#
# Usage: scripts/ci/settings.sh JQ_FILTER      e.g. .buildRegion, '.activeRegions[]', .ssmNames.amiIdPath
# Environment:
#   ASSEMBLY_DIR  the cloud assembly to read (default: cdk.out, where `npm run synth` writes it)
# A list prints one item per line; a missing key is an error, not an empty value. Every key is named in the
# file's JSON Schema (SCHEMA below), and scripts/check-workflows.sh holds every filter passed here to it.
set -euo pipefail

# The file's contract, beside the Java type that writes it; its schemaVersion const is the version this reads.
SCHEMA="$(dirname "${BASH_SOURCE[0]}")/../../src/main/resources/com/fractal/gpuhost/settings/gpu-host-settings.schema.json"
readonly SCHEMA

fail() {
  echo "settings: $*" >&2
  exit 1
}

main() {
  (($# == 1)) || fail "usage: settings.sh JQ_FILTER (e.g. .buildRegion)"
  command -v jq >/dev/null 2>&1 || fail "jq is not installed (Debian/Ubuntu: apt-get install jq)"
  local file="${ASSEMBLY_DIR:-cdk.out}/gpu-host-settings.json"
  [[ -f "$file" ]] || fail "$file does not exist: run 'npm run synth' first (add the same -c settings as for the deploy)"
  local version expected
  expected=$(jq -er '.properties.schemaVersion.const' "$SCHEMA") || fail "$SCHEMA names no schemaVersion"
  version=$(jq -r '.schemaVersion' "$file") || fail "$file is not JSON: run 'npm run synth' again"
  [[ "$version" == "$expected" ]] ||
    fail "$file has schemaVersion $version; this script reads version $expected: run 'npm run synth' again"
  jq -er "$1 | if type == \"array\" then .[] else . end" "$file" ||
    fail "$file has no value at $1"
}

main "$@"
