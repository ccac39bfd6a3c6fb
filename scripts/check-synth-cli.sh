#!/usr/bin/env bash
# What a user sees from the CDK CLI: the default synth writes one template per network stack and no dev
# stack, and the audit report (npm run audit) reads it; -c overrides reach the CI script through the
# resolved settings file; bad settings exit non-zero with every problem named,
# no Java stack trace, and no template.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cdk synth --quiet --output "$out/good" >/dev/null
regions=$(ASSEMBLY_DIR="$out/good" bash scripts/ci/settings.sh '.activeRegions | length')
templates=$(find "$out/good" -maxdepth 1 -name 'FractalNetwork-*.template.json' | wc -l)
devs=$(find "$out/good" -maxdepth 1 -name 'FractalDevInstance-*.template.json' | wc -l)
if ((templates != regions || devs != 0)); then
  echo "check-synth-cli: expected $regions network templates (one per active region) and no dev template," \
    "got $templates and $devs" >&2
  exit 1
fi
echo "ok: default synth writes $regions network templates (one per active region) and no dev template"

# -c overrides reach the tools: the CI script reports what this synthesis resolved, not the defaults.
cdk synth --quiet --output "$out/probe" -c ssmPrefix=/probe -c activeRegions=us-east-1,eu-west-1 >/dev/null
expected=$'buildRegion=us-east-1\nactiveRegions=us-east-1 eu-west-1\nvariant=ubuntu24-r580\npipelineArnParameter=/probe/image/ubuntu24-r580/pipeline-arn\namiIdPath=/imagebuilder/probe/ubuntu24-r580'
actual=$(ASSEMBLY_DIR="$out/probe" bash scripts/ci/build-image.sh --names)
if [[ "$actual" != "$expected" ]]; then
  echo "check-synth-cli: after synth -c ssmPrefix=/probe -c activeRegions=us-east-1,eu-west-1," \
    "build-image.sh --names printed:" >&2
  echo "$actual" >&2
  exit 1
fi
if ASSEMBLY_DIR="$out/none" bash scripts/ci/build-image.sh --names >"$out/none.log" 2>&1 ||
  ! grep -qF "run 'npm run synth' first" "$out/none.log"; then
  echo "check-synth-cli: without a synthesized assembly, build-image.sh must say to run npm run synth:" >&2
  cat "$out/none.log" >&2
  exit 1
fi
echo "ok: -c ssmPrefix and -c activeRegions reach build-image.sh through the synthesized settings;" \
  "without them it says to synthesize first"

# The audit report over that assembly, as a user runs it; a missing assembly is a clear one-line error.
bash scripts/audit.sh --assembly "$out/good" --out "$out/audit" >"$out/audit.log" 2>&1 || {
  echo "check-synth-cli: the audit report failed:" >&2
  cat "$out/audit.log" >&2
  exit 1
}
for report in audit-report.md audit-report.html; do
  [[ -s "$out/audit/$report" ]] || {
    echo "check-synth-cli: the audit report did not write $report" >&2
    exit 1
  }
done
# Facts shared by the seven regions are shown once: the default assembly's report stays readable in one sitting.
readonly MAX_REPORT_LINES=450
lines=$(wc -l <"$out/audit/audit-report.md")
if ((lines > MAX_REPORT_LINES)) || ! grep -q '^## AWS Control Tower proactive controls$' "$out/audit/audit-report.md"; then
  echo "check-synth-cli: the default report has $lines lines (at most $MAX_REPORT_LINES) or lacks its Control Tower section" >&2
  exit 1
fi
if bash scripts/audit.sh --assembly "$out/missing" --out "$out/audit-missing" >"$out/audit-missing.log" 2>&1 ||
  ! grep -qF "audit: no cloud assembly at $out/missing" "$out/audit-missing.log" ||
  grep -qE 'Exception|^\s+at [a-z]' "$out/audit-missing.log"; then
  echo "check-synth-cli: a missing assembly must fail with one clear line:" >&2
  cat "$out/audit-missing.log" >&2
  exit 1
fi
echo "ok: npm run audit writes the Markdown and HTML report ($lines lines, Control Tower included), and names a missing assembly"

if cdk synth --quiet --output "$out/bad" -c rootVolumeGiB=8 -c developer=Not_A_Label -c imageVariants=ubuntu22-r570 \
  >"$out/bad.log" 2>&1; then
  echo "check-synth-cli: synth with bad settings succeeded" >&2
  exit 1
fi
for expected in 'rootVolumeGiB: "8" is not allowed; allowed: a whole number from 32 to 16384' \
  'developer: "Not_A_Label" is not allowed; allowed: a lowercase DNS label' \
  'imageVariants: "ubuntu22-r570" is not a variant of imageVariantCatalog; allowed: ubuntu24-r580, ubuntu20-r535'; do
  grep -qF "$expected" "$out/bad.log" || {
    echo "check-synth-cli: the error output lacks: $expected" >&2
    cat "$out/bad.log" >&2
    exit 1
  }
done
if grep -qE 'Exception|^\s+at [a-z]' "$out/bad.log"; then
  echo "check-synth-cli: the error output holds a stack trace:" >&2
  cat "$out/bad.log" >&2
  exit 1
fi
if compgen -G "$out/bad/*.template.json" >/dev/null; then
  echo "check-synth-cli: bad settings still wrote a template" >&2
  exit 1
fi
echo "ok: bad settings exit non-zero, name every problem, print no stack trace and write no template"
