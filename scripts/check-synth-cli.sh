#!/usr/bin/env bash
# What a user sees from the CDK CLI: the default synth writes one template per network stack and no dev
# stack; bad settings exit non-zero with every problem named, no Java stack trace, and no template.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cdk synth --quiet --output "$out/good" >/dev/null
templates=$(find "$out/good" -maxdepth 1 -name 'FractalNetwork-*.template.json' | wc -l)
devs=$(find "$out/good" -maxdepth 1 -name 'FractalDevInstance-*.template.json' | wc -l)
if ((templates != 7 || devs != 0)); then
  echo "check-synth-cli: expected 7 network templates and no dev template, got $templates and $devs" >&2
  exit 1
fi
echo "ok: default synth writes 7 network templates and no dev template"

if cdk synth --quiet --output "$out/bad" -c rootVolumeGiB=8 -c developer=Not_A_Label >"$out/bad.log" 2>&1; then
  echo "check-synth-cli: synth with bad settings succeeded" >&2
  exit 1
fi
for expected in 'rootVolumeGiB: "8" is not allowed; allowed: a whole number from 32 to 16384' \
  'developer: "Not_A_Label" is not allowed; allowed: a lowercase DNS label'; do
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
