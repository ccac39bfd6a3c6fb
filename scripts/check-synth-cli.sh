#!/usr/bin/env bash
# What a user sees from the CDK CLI: the default synth writes one template per network stack and no dev
# stack, and the audit report (npm run audit) reads it; bad settings exit non-zero with every problem named,
# no Java stack trace, and no template.
# ASSEMBLY_DIR names a default synth already made (scripts/test-all.sh makes one for every stage that reads
# it); without it this script synthesizes one. That -c overrides reach the tools through the resolved
# settings is shown once elsewhere: BuildImageScriptTest (the CI script), build-image.bats (no settings file),
# and the emulator deploy test (-c developer and -c sshCidr, read back from the synthesized settings).
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

good=${ASSEMBLY_DIR:-$out/good}
if [[ -z "${ASSEMBLY_DIR:-}" ]]; then
  cdk synth --quiet --output "$good" >/dev/null
fi
regions=$(ASSEMBLY_DIR="$good" bash scripts/ci/settings.sh '.activeRegions | length')
templates=$(find "$good" -maxdepth 1 -name 'FractalNetwork-*.template.json' | wc -l)
devs=$(find "$good" -maxdepth 1 -name 'FractalDevInstance-*.template.json' | wc -l)
if ((templates != regions || devs != 0)); then
  echo "check-synth-cli: expected $regions network templates (one per active region) and no dev template," \
    "got $templates and $devs" >&2
  exit 1
fi
echo "ok: default synth writes $regions network templates (one per active region) and no dev template"
# The settings file the CLI's synth wrote is the one its JSON Schema describes (the Java tests check the type).
python3 scripts/check-settings-readers.py --validate "$good/gpu-host-settings.json"

# The audit report over that assembly, as a user runs it; a missing assembly is a clear one-line error.
bash scripts/audit.sh --assembly "$good" --out "$out/audit" >"$out/audit.log" 2>&1 || {
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

# A misspelt key among them is refused too, naming the closest declared key, instead of being ignored while
# the default is deployed. The app exits 2 (invalid settings); the CDK CLI reports that and exits 1.
if cdk synth --quiet --output "$out/bad" -c rootVolumeGiB=8 -c developer=Not_A_Label -c imageVariants=ubuntu22-r570 \
  -c devInstnaceType=g5.xlarge >"$out/bad.log" 2>&1; then
  echo "check-synth-cli: synth with bad settings succeeded" >&2
  exit 1
fi
for expected in 'rootVolumeGiB: "8" is not allowed; allowed: a whole number from 32 to 16384' \
  'developer: "Not_A_Label" is not allowed; allowed: a lowercase DNS label' \
  'imageVariants: "ubuntu22-r570" is not a variant of imageVariantCatalog; allowed: ubuntu24-r580, ubuntu20-r535' \
  '- unknown setting "devInstnaceType"; did you mean "devInstanceType"?' 'Subprocess exited with error 2'; do
  grep -qF -- "$expected" "$out/bad.log" || {
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
echo "ok: bad settings (a misspelt key among them) stop the app with exit 2, name every problem, print no stack" \
  "trace and write no template"
