#!/usr/bin/env bash
# Prints one value of the resolved settings that synthesis writes beside the templates
# (<cloud assembly>/gpu-host-settings.json): the same values the stacks were built from, -c overrides
# included. Every tool outside the CDK app reads its settings through this, never from the CDK app's
# context file.
#
# Usage: scripts/ci/settings.sh JQ_FILTER      e.g. .buildRegion, '.activeRegions[]', .ssmNames.amiIdPath
# Environment:
#   ASSEMBLY_DIR  the cloud assembly to read (default: cdk.out, where `npm run synth` writes it)
# A list prints one item per line; a missing key is an error, not an empty value.
set -euo pipefail

readonly SCHEMA_VERSION=2

fail() {
  echo "settings: $*" >&2
  exit 1
}

main() {
  (($# == 1)) || fail "usage: settings.sh JQ_FILTER (e.g. .buildRegion)"
  command -v jq >/dev/null 2>&1 || fail "jq is not installed (Debian/Ubuntu: apt-get install jq)"
  local file="${ASSEMBLY_DIR:-cdk.out}/gpu-host-settings.json"
  [[ -f "$file" ]] || fail "$file does not exist: run 'npm run synth' first (add the same -c settings as for the deploy)"
  local version
  version=$(jq -r '.schemaVersion' "$file") || fail "$file is not JSON: run 'npm run synth' again"
  [[ "$version" == "$SCHEMA_VERSION" ]] ||
    fail "$file has schemaVersion $version; this script reads version $SCHEMA_VERSION: run 'npm run synth' again"
  jq -er "$1 | if type == \"array\" then .[] else . end" "$file" ||
    fail "$file has no value at $1"
}

main "$@"
