#!/usr/bin/env bash
# AWS Control Tower's proactive controls over every synthesized template, as a gate.
#
# usage: check-control-tower.sh [--exceptions FILE] [--results FILE] [ASSEMBLY_DIR...]
#
# Runs cfn-guard with Control Tower's rules (both from the npm package @cdklabs/cdk-validator-cfnguard,
# installed by `npm ci`) over each `*.template.json` of the given cloud assemblies. Without an assembly it
# synthesizes two: the default app, and one with a dev stack (-c developer=...) and the CI role stack
# (-c githubRepo=...). Each failure (control x resource, per stack) must be listed in the exceptions file
# (default: control-tower-exceptions.json), and each listed exception must still fail in every checked stack
# its `stacks` patterns match. --results writes every result (passed, failed, excepted, stale) as JSON,
# which the audit report reads.
#
# Exit 0: nothing unlisted, nothing stale; 1: an unlisted failure or a stale exception; 2: bad usage, or a
# missing tool, template or exceptions file.
# CFN_GUARD and CT_RULES_DIR name another cfn-guard binary or rules directory (default: the npm package's).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
package="$root/node_modules/@cdklabs/cdk-validator-cfnguard"
guard="${CFN_GUARD:-$package/bin/ubuntu/x86_64/cfn-guard}"
rules="${CT_RULES_DIR:-$package/rules/control-tower/cfn-guard}"
exceptions="$root/control-tower-exceptions.json"
results=""
assemblies=()

die() {
  echo "check-control-tower: $*" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    --exceptions | --results)
      if (($# < 2)) || [[ -z "$2" ]]; then die "$1 needs a file"; fi
      if [[ "$1" == --exceptions ]]; then exceptions="$2"; else results="$2"; fi
      shift 2
      ;;
    -h | --help)
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
      exit 0
      ;;
    -*) die "unknown option '$1'; allowed: --exceptions FILE, --results FILE, assembly directories" ;;
    *)
      [[ -d "$1" ]] || die "no cloud assembly directory at $1"
      assemblies+=("$1")
      shift
      ;;
  esac
done

[[ -x "$guard" ]] || die "the cfn-guard binary is missing or not executable at $guard: run 'npm ci' (it comes with @cdklabs/cdk-validator-cfnguard)"
compgen -G "$rules/*/ct-*.guard" >/dev/null ||
  die "no Control Tower rules (*/ct-*.guard) under $rules: run 'npm ci' (they come with @cdklabs/cdk-validator-cfnguard)"
[[ -f "$exceptions" ]] || die "no exceptions file at $exceptions"
jq -e '.exceptions | type == "array" and all(.[];
    (.control | type == "string" and test("^CT\\.[A-Z0-9]+\\.PR\\.[0-9]+$"))
    and (.stacks | type == "array" and length > 0 and all(type == "string" and length > 0))
    and (.resources | type == "array" and length > 0 and all(type == "string" and length > 0))
    and (.reason | type == "string" and length > 0))' "$exceptions" >/dev/null 2>&1 ||
  die "$exceptions: each entry of .exceptions needs control (CT.<SERVICE>.PR.<n>), stacks and resources (non-empty lists of names or * patterns) and a reason"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ((${#assemblies[@]} == 0)); then
  command -v cdk >/dev/null || die "the CDK CLI is not on PATH: run this through 'npm test' or pass assembly directories"
  echo "check-control-tower: synthesizing the default app, and one with a dev stack and the CI role stack"
  if ! cdk synth --quiet --output "$work/default" >"$work/synth.log" 2>&1 ||
    ! cdk synth --quiet --output "$work/dev-and-ci" -c developer=ctcheck -c githubRepo=octo-org/gpu-host-infra \
      >>"$work/synth.log" 2>&1; then
    cat "$work/synth.log" >&2
    die "synthesis failed"
  fi
  assemblies=("$work/default" "$work/dev-and-ci")
fi

# Every template in one cfn-guard run (it parses the rules once). A stack whose template is identical in two
# assemblies is checked once.
templates=()
for assembly in "${assemblies[@]}"; do
  compgen -G "$assembly/*.template.json" >/dev/null || die "no *.template.json in $assembly"
  for template in "$assembly"/*.template.json; do
    for seen in "${templates[@]}"; do
      [[ "$(basename "$seen")" == "$(basename "$template")" ]] && cmp -s "$seen" "$template" && continue 2
    done
    templates+=("$template")
  done
done
data=()
for template in "${templates[@]}"; do data+=(-d "$template"); done
status=0
"$guard" validate "${data[@]}" -r "$rules" --show-summary all -o single-line-summary \
  >"$work/guard.out" 2>&1 || status=$?
# cfn-guard exits 19 when a rule fails; anything else but 0 is an error (a template it cannot read).
((status == 0 || status == 19)) || {
  cat "$work/guard.out" >&2
  die "cfn-guard could not evaluate the templates (exit $status)"
}

# One line per rule file and template, "PASS|FAIL|SKIP <tab> control <tab> stack <tab> -", and one per
# non-compliant resource, "RESOURCE <tab> control <tab> stack <tab> logical ID". Control IDs come from the
# rule files' names (ct-s3-pr-10.guard is CT.S3.PR.10); stacks from the template files' names.
awk '
  function control(file) { sub(/\.guard.*/, "", file); gsub(/-/, ".", file); return toupper(file) }
  function stack(file) { sub(/.*\//, "", file); sub(/\.template\.json$/, "", file); return file }
  /^[^ ]+\.template\.json Status = / { current = stack($1) }
  /^ct-[a-z0-9-]+\.guard\/[^ ]+ +(PASS|FAIL|SKIP)$/ { print $NF "\t" control($1) "\t" current "\t-" }
  /^Evaluating data [^ ]+ against rules ct-[a-z0-9-]+\.guard$/ { current = stack($3); rule = control($NF) }
  /^Resource = [^ ]+ \{$/ { print "RESOURCE\t" rule "\t" current "\t" $3 }
' "$work/guard.out" | sort -u >"$work/lines.tsv"

# What each control requires, in Control Tower's words: the first "[CT.X.PR.n]: ..." line of its rule file.
for rule in "$rules"/*/ct-*.guard; do
  grep -m1 -o '\[CT\.[A-Z0-9]*\.PR\.[0-9]*\]: .*' "$rule" || true
done | sed 's/^\[\([^]]*\)\]: /\1\t/' >"$work/titles.tsv"

# Results: every (stack, control) that passed; every failing (stack, control, resource) with the exception
# that lists it; every (exception, stack, resource pattern) that no longer fails.
jq -R -s --slurpfile listed "$exceptions" --rawfile titles "$work/titles.tsv" '
  def glob: "^" + (gsub("(?<c>[.+?^$()|\\[\\]{}\\\\])"; "\\\(.c)") | gsub("\\*"; ".*")) + "$";
  def matches($patterns): . as $name | any($patterns[]; . as $p | $name | test($p | glob));
  [split("\n")[] | select(length > 0) | split("\t") | {kind: .[0], control: .[1], stack: .[2], resource: .[3]}]
  | . as $lines
  | ($listed[0].exceptions) as $exceptions
  | ([$lines[] | .stack] | unique) as $stacks
  | [$lines[] | select(.kind == "RESOURCE")] as $failures
  | {
      controls: ([$lines[] | .control] | unique | length),
      titles: ([$titles | split("\n")[] | select(length > 0) | split("\t") | {(.[0]): .[1]}] | add),
      stacks: $stacks,
      passed: [$lines[] | select(.kind == "PASS") | {control, stack}],
      failures: [$failures[] | . as $f
        | ([$exceptions[] | . as $e | select($e.control == $f.control and ($f.stack | matches($e.stacks))
            and ($f.resource | matches($e.resources)))] | first) as $e
        | {control, stack, resource, excepted: ($e != null), reason: ($e.reason // "")}],
      stale: [$exceptions[] as $e | $stacks[] | select(matches($e.stacks)) as $stack | $e.resources[] as $r
        | select(any($failures[]; .control == $e.control and .stack == $stack and (.resource | matches([$r]))) | not)
        | {control: $e.control, stack: $stack, resource: $r, reason: $e.reason}]
    }' "$work/lines.tsv" >"$work/results.json"

[[ -z "$results" ]] || cp "$work/results.json" "$results"

jq -r '
  "check-control-tower: \(.stacks | length) templates, \(.controls) controls: \(.failures | length) failures, "
  + "\([.failures[] | select(.excepted)] | length) of them listed as exceptions, \(.stale | length) stale exceptions",
  (.failures[] | select(.excepted | not) | "NOT LISTED  \(.control) \(.stack) \(.resource)"),
  (.stale[] | "STALE       \(.control) \(.stack) \(.resource): listed as an exception but no longer fails")
' "$work/results.json"

if jq -e '[.failures[] | select(.excepted | not)] + .stale | length > 0' "$work/results.json" >/dev/null; then
  echo "check-control-tower: fix the template, or list a by-design failure with its reason in $exceptions;" \
    "remove stale exceptions" >&2
  exit 1
fi
echo "ok: every Control Tower failure is a listed exception with its reason, and no exception is stale"
