#!/usr/bin/env bash
# AWS Control Tower's proactive controls over every synthesized template, as a gate.
#
# usage: check-control-tower.sh [--results FILE] [ASSEMBLY_DIR...]
#
# Runs cfn-guard with Control Tower's rules (both from the npm package @cdklabs/cdk-validator-cfnguard,
# installed by `npm ci`) over each `*.template.json` of the given cloud assemblies, and reads its structured
# (JSON) results. Without an assembly it synthesizes two: the default app, and one with a dev stack
# (-c developer=...) and the CI role stack (-c githubRepo=...).
# A failure (control x resource) is excepted when the resource's Metadata.AcceptedRisks names an accepted risk
# whose controls include that control: the app's AcceptedRisk registry puts that mark on the construct that
# accepts the risk, and writes each risk's controls and reason into the assembly (control-tower-exceptions.json).
# An accepted risk that no longer fails its control on any resource it marks in a stack is stale.
# --results writes every result (passed, failed, excepted, stale) as JSON, which the audit report reads.
#
# Exit 0: nothing unexcepted, nothing stale; 1: a failure no accepted risk covers, a stale one, or a mark naming a
# risk the assembly does not declare; 2: bad usage, a missing tool or template, or a malformed exceptions file.
# CFN_GUARD and CT_RULES_DIR name another cfn-guard binary or rules directory (default: the npm package's).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
package="$root/node_modules/@cdklabs/cdk-validator-cfnguard"
guard="${CFN_GUARD:-$package/bin/ubuntu/x86_64/cfn-guard}"
rules="${CT_RULES_DIR:-$package/rules/control-tower/cfn-guard}"
exceptions_file=control-tower-exceptions.json
results=""
assemblies=()

die() {
  echo "check-control-tower: $*" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    --results)
      if (($# < 2)) || [[ -z "$2" ]]; then die "$1 needs a file"; fi
      results="$2"
      shift 2
      ;;
    -h | --help)
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
      exit 0
      ;;
    -*) die "unknown option '$1'; allowed: --results FILE, assembly directories" ;;
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
# assemblies is checked once; a stack in both assemblies counts once in the results. Each assembly carries the accepted risks' controls and reasons.
templates=()
for assembly in "${assemblies[@]}"; do
  compgen -G "$assembly/*.template.json" >/dev/null || die "no *.template.json in $assembly"
  # An assembly not synthesized by this app may declare no accepted risks.
  [[ ! -e "$assembly/$exceptions_file" ]] || jq -e '.exceptions | type == "array" and all(.[];
      (.risk | type == "string" and length > 0)
      and (.controls | type == "array" and length > 0 and all(type == "string" and test("^CT\\.[A-Z0-9]+\\.PR\\.[0-9]+$")))
      and (.reason | type == "string" and length > 0))' "$assembly/$exceptions_file" >/dev/null 2>&1 ||
    die "$assembly/$exceptions_file: an entry lacks risk, controls (CT.<SERVICE>.PR.<n>) or reason"
  for template in "$assembly"/*.template.json; do
    for seen in "${templates[@]}"; do
      [[ "${seen##*/}" == "${template##*/}" ]] && cmp -s "$seen" "$template" && continue 2
    done
    templates+=("$template")
  done
done
data=()
for template in "${templates[@]}"; do data+=(-d "$template"); done
status=0
"$guard" validate "${data[@]}" -r "$rules" --structured -o json --show-summary none >"$work/guard.json" 2>"$work/guard.err" ||
  status=$?
# cfn-guard exits 19 when a rule fails; anything else but 0 is an error (a template it cannot read).
((status == 0 || status == 19)) || {
  cat "$work/guard.err" "$work/guard.json" >&2
  die "cfn-guard could not evaluate the templates (exit $status)"
}

# Each rule file's top-level rule, its control (ct-s3-pr-10.guard is CT.S3.PR.10) and what the control requires,
# in Control Tower's words (its "[CT.X.PR.n]: ..." line).
grep -m1 -H -o '^rule [A-Za-z0-9_]* when is_cfn_template' "$rules"/*/ct-*.guard >"$work/names.txt" || true
grep -m1 -H -o '\[CT\.[A-Z0-9]*\.PR\.[0-9]*\]: .*' "$rules"/*/ct-*.guard >"$work/titles.txt" || true
jq -R -n --rawfile titles "$work/titles.txt" '
  ([$titles | split("\n")[] | select(length > 0) | capture("^(?<file>[^:]+):\\[[^]]+\\]: (?<title>.*)$")
    | {(.file): .title}] | add) as $title
  | [inputs | capture("^(?<file>[^:]+):rule (?<name>[A-Za-z0-9_]+) ")
    | {(.name): {control: (.file | sub(".*/"; "") | sub("\\.guard$"; "") | ascii_upcase | gsub("-"; ".")),
                 title: ($title[.file] // "")}}] | add' "$work/names.txt" >"$work/rules.json"

# The accepted risks each template's resources carry.
for template in "${templates[@]}"; do
  stack=${template##*/}
  jq --arg stack "${stack%.template.json}" '[.Resources // {} | to_entries[]
    | select(.value.Metadata.AcceptedRisks != null)
    | {$stack, resource: .key, risks: .value.Metadata.AcceptedRisks}]' "$template"
done | jq -s 'add // []' >"$work/marks.json"
for assembly in "${assemblies[@]}"; do
  [[ ! -e "$assembly/$exceptions_file" ]] || cat "$assembly/$exceptions_file"
done | jq -s '[.[].exceptions[]] | map({(.risk): .}) | add // {}' >"$work/exceptions.json"

jq --slurpfile rules "$work/rules.json" --slurpfile marks "$work/marks.json" --slurpfile risks "$work/exceptions.json" '
  ($rules[0]) as $rules | ($marks[0]) as $marks | ($risks[0]) as $risks
  | def stack: .name | sub(".*/"; "") | sub("\\.template\\.json$"; "");
    def control: $rules[.].control // ("rule " + .);
    def failing: [.. | objects | .path? | strings | capture("^/Resources/(?<id>[^/]+)").id] | unique;
    def risk($stack; $resource; $control): [$marks[] | select(.stack == $stack and .resource == $resource)
      | .risks | to_entries[] | select(.value | index($control)) | .key] | first;
  [.[] | stack as $stack | {stack: $stack,
      passed: [.compliant[] | control],
      failed: [.not_compliant[] | .Rule | (.name | control) as $c | failing[] | {control: $c, resource: .}]}] as $results
  | [$results[] | .stack as $stack | .failed[]
      | risk($stack; .resource; .control) as $risk
      | {control, stack: $stack, resource, excepted: ($risk != null), risk: ($risk // ""),
         reason: (if $risk then $risks[$risk].reason // "" else "" end)}] | unique as $failures
  | {
      controls: ([$rules[] | .control] | unique | length),
      titles: ([$rules[] | {(.control): .title}] | add),
      stacks: [$results[] | .stack] | unique,
      passed: [$results[] | .stack as $stack | .passed[] | {control: ., stack: $stack}] | unique,
      failures: $failures,
      unknown: [$marks[] | .risks | keys[] | select($risks[.] == null)] | unique,
      stale: [$marks | unique | group_by(.stack)[] | .[0].stack as $stack
        | [.[] | .resource as $r | .risks | to_entries[] | .key as $k | .value[] | {risk: $k, control: ., resource: $r}]
        | group_by([.risk, .control])[] | .[0] as $e
        | select(any($failures[]; .stack == $stack and .control == $e.control and .risk == $e.risk) | not)
        | {risk: $e.risk, control: $e.control, stack: $stack, resource: ([.[].resource] | join(", ")),
           reason: ($risks[$e.risk].reason // "")}]
    }' "$work/guard.json" >"$work/results.json"

[[ -z "$results" ]] || cp "$work/results.json" "$results"

jq -r '
  "check-control-tower: \(.stacks | length) templates, \(.controls) controls: \(.failures | length) failures, "
  + "\([.failures[] | select(.excepted)] | length) of them accepted risks, \(.stale | length) stale accepted risks",
  (.failures[] | select(.excepted | not) | "NOT ACCEPTED  \(.control) \(.stack) \(.resource)"),
  (.stale[] | "STALE         \(.risk) \(.control) \(.stack) \(.resource): marked as an accepted risk but no longer fails"),
  (.unknown[] | "UNKNOWN       \(.): a template names this accepted risk, but the assembly does not declare it")
' "$work/results.json"

if jq -e '[.failures[] | select(.excepted | not)] + .stale + .unknown | length > 0' "$work/results.json" >/dev/null; then
  echo "check-control-tower: fix the template, or accept a by-design failure with its reason in AcceptedRisk" \
    "(the construct names the entry); remove an accepted risk that no longer fails" >&2
  exit 1
fi
echo "ok: every Control Tower failure is an accepted risk with its reason, and no accepted risk is stale"
