#!/usr/bin/env bash
# The drivers command (npm run drivers) against moto, a local AWS API emulator started on a free loopback
# port. AWS's driver bucket is stood in for by a bucket of the same name in moto, holding stand-in runfiles
# made with makeself (so `--check` is real) on three branches, a latest/ folder, and a copy with one byte
# flipped. Checks: list by branch with each variant's pin and what is newer; qualify writes the pin and the
# mirror object; a re-run changes nothing; a corrupt runfile is refused; bad input (an unknown variant, a
# key on another branch, a key that does not exist, no mirror bucket). It works on a copy of the variants
# folder: the repository's files are never changed. Run it alone:
#   bash scripts/emulator-drivers-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh

emulator_test_begin aws mvn java makeself sha256sum

one_line_error() { # one_line_error WHAT: the last command's error is one line, last, with no stack trace
  check "$1: one error line" 1 "$(grep -c '^drivers: ' <<<"$output")"
  contains "$1: the error comes last" "$(tail -1 <<<"$output")" "drivers: "
  check "$1: no stack trace" 0 "$(grep -c -E '^\s+at |Exception' <<<"$output" || true)"
}
env_value() { sed -n "s/^$2=//p" "$1"; }
pins() { cat "$1"/*.env | sha256sum | cut -c 1-16; } # pins FOLDER: one checksum over every pin file

UPSTREAM=$(env_value host-scripts/versions.env NVIDIA_DRIVER_BUCKET)
REGION=$(env_value host-scripts/versions.env NVIDIA_DRIVER_BUCKET_REGION)
readonly UPSTREAM REGION
readonly CURRENT=ubuntu24-r580 RETIRED=ubuntu20-r535
readonly MIRROR="fractal-gpu-host-drivers-$EMULATOR_ACCOUNT-$REGION"
readonly PINNED=grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run
readonly NEWER=grid-19.2/NVIDIA-Linux-x86_64-580.95.05-grid-aws.run
readonly CORRUPT=grid-19.1/NVIDIA-Linux-x86_64-580.82.07-grid-aws.run
readonly OTHER_BRANCH=grid-20.0/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run
readonly RETIRED_KEY=grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run
readonly MISSING=grid-19.9/NVIDIA-Linux-x86_64-580.999.01-grid-aws.run

variants="$work/variants"
cp -r host-scripts/variants "$variants"
check "the copy pins $CURRENT's current key" "$PINNED" "$(env_value "$variants/$CURRENT.env" NVIDIA_GRID_DRIVER_KEY)"
repo_before=$(pins host-scripts/variants)

# --- Stand-in runfiles: makeself archives whose --check verifies their embedded SHA-256 ----------------
runfile() { # runfile VERSION [PAYLOAD_BYTES]: a makeself archive named like NVIDIA's, in $work/runfiles
  local payload="$work/payload-$1"
  mkdir -p "$payload" "$work/runfiles"
  printf 'stand-in for the GRID driver %s\n' "$1" >"$payload/README"
  head -c "${2:-65536}" /dev/urandom >"$payload/blob"
  rm -f "$work/runfiles/$1.run"
  makeself --quiet --sha256 --nomd5 --nocrc "$payload" "$work/runfiles/$1.run" "stand-in GRID $1" true >/dev/null
  echo "$work/runfiles/$1.run"
}

emulator_start "$work" "$REGION" /aws/service/unused/base-ami-id
aws s3api create-bucket --bucket "$UPSTREAM" >/dev/null
# AWS's bucket is public: anyone may read its objects, as the command does (anonymously). The first ones
# are laid out in a folder as in the bucket and uploaded by one AWS CLI run.
upstream="$work/upstream"
stage_upstream() { mkdir -p "$(dirname "$upstream/$1")" && cp "$2" "$upstream/$1"; } # stage_upstream KEY FILE
put_upstream() { aws s3 cp --quiet --acl public-read "$2" "s3://$UPSTREAM/$1"; }     # put_upstream KEY FILE
stage_upstream "$PINNED" "$(runfile 580.65.06)"
# Large enough (random bytes do not compress) for the progress lines of a large copy.
stage_upstream "$NEWER" "$(runfile 580.95.05 $((9 * 1024 * 1024)))"
stage_upstream "$OTHER_BRANCH" "$(runfile 595.45.04)"
stage_upstream "latest/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run" "$work/runfiles/595.45.04.run"
stage_upstream "$RETIRED_KEY" "$(runfile 535.183.01)"
stage_upstream "g4/grid-12.0/NVIDIA-Linux-x86_64-460.32.03-grid-aws.run" "$(runfile 460.32.03)"
corrupt="$work/runfiles/corrupt.run"
cp "$(runfile 580.82.07)" "$corrupt"
# One byte near the end of the embedded archive, inverted: the file keeps its size and its name.
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-100] ^= 0xFF; open(p, "wb").write(b)' "$corrupt"
if sh "$corrupt" --check >/dev/null 2>&1; then fail "the corrupt stand-in fails its own --check"; else
  pass "the corrupt stand-in fails its own --check"
fi
stage_upstream "$CORRUPT" "$corrupt"
aws s3 cp --quiet --recursive --acl public-read "$upstream" "s3://$UPSTREAM/"
check "AWS's bucket holds the seven stand-ins" 7 \
  "$(aws s3api list-objects-v2 --bucket "$UPSTREAM" --query 'length(Contents)' --output text)"
NEWER_SHA256=$(sha256sum "$work/runfiles/580.95.05.run" | cut -d ' ' -f 1)
readonly NEWER_SHA256

# drivers ARGS...: runs the command as `npm run drivers` runs it (scripts/drivers.sh; npm's own start, once
# per run, is left out: the first run below goes through npm) on the copy of the variants folder, prints its
# output, keeps its exit status in $code and its stdout+stderr in $output.
drivers() {
  set +e
  output=$(bash scripts/drivers.sh "$@" --variants "$variants" 2>&1)
  code=$?
  set -e
  echo "\$ drivers $* (exit $code)"
  local line
  while IFS= read -r line; do echo "  | $line"; done <<<"$output"
}
# shellcheck disable=SC2016 # a JMESPath literal, not a shell expansion
mirror_versions() { aws s3api list-object-versions --bucket "$MIRROR" --query 'length(Versions || `[]`)' --output text; }

echo "== compile once; npm runs it as a user does"
usage=$(npm run -s drivers -- --help)
check "npm run drivers -- --help: its usage" "usage: npm run drivers -- <verb> [options]" "${usage%%$'\n'*}"

echo "== list: AWS's bucket by branch"
drivers list
check "list: exit" 0 "$code"
check "list: branches, newest first" "R595 (grid-20) R580 (grid-19) R535 (grid-16)" \
  "$(grep -E '^R[0-9]+ ' <<<"$output" | tr '\n' ' ' | sed 's/ $//')"
check "list: latest/ and nested family folders are no branch" 0 "$(grep -c -E '^  (latest|g4)/' <<<"$output" || true)"
contains "list: pin marked unqualified" "$(grep -F "  $PINNED" <<<"$output")" "pinned by $CURRENT (unqualified)"
contains "list: newer key on the same branch marked" "$(grep -F "  $NEWER" <<<"$output")" "newer than $CURRENT's pin"
check "list: a key on another branch is not marked newer" "" \
  "$(grep -F "  $OTHER_BRANCH" <<<"$output" | grep -o 'newer than.*' || true)"
contains "list: the retired variant's pin" "$(grep -F "  $RETIRED_KEY" <<<"$output")" "pinned by $RETIRED"
contains "list: per variant, what is newer" "$output" "$CURRENT: pins $PINNED"
contains "list: per variant, the command that qualifies it" "$output" "qualify --variant $CURRENT"
drivers list --newer
check "list --newer: only the variant with a newer driver, and the newest key" "$CURRENT $NEWER" "$output"

echo "== qualify, before the mirror exists: refused"
drivers qualify --variant "$CURRENT" --mirror-bucket "$MIRROR"
check "no mirror bucket: exit" 1 "$code"
contains "no mirror bucket: named" "$output" "the mirror bucket $MIRROR does not exist"
one_line_error "no mirror bucket"

aws s3api create-bucket --bucket "$MIRROR" >/dev/null
aws s3api put-bucket-versioning --bucket "$MIRROR" --versioning-configuration Status=Enabled

echo "== qualify --dry-run: the plan, nothing changed"
# The default mirror name: the build account (STS) and the build region of the resolved settings.
mkdir -p "$work/cdk.out"
jq -n --arg region "$REGION" '{schemaVersion: input.properties.schemaVersion.const, buildRegion: $region}' \
  src/main/resources/com/fractal/gpuhost/settings/gpu-host-settings.schema.json >"$work/cdk.out/gpu-host-settings.json"
before=$(pins "$variants")
drivers qualify --variant "$CURRENT" --dry-run --assembly "$work/cdk.out"
check "dry run: exit" 0 "$code"
contains "dry run: the plan first" "$(head -1 <<<"$output")" "plan: qualify $CURRENT <- $NEWER"
contains "dry run: the mirror named after account and region" "$output" "into: s3://$MIRROR/$NEWER (new)"
check "dry run: pin files unchanged" "$before" "$(pins "$variants")"
check "dry run: mirror empty" 0 "$(mirror_versions)"

echo "== qualify: the newest key on the variant's branch"
drivers qualify --variant "$CURRENT" --assembly "$work/cdk.out"
check "qualify: exit" 0 "$code"
contains "qualify: --check passed" "$output" "--check passed"
contains "qualify: a progress line while the large file downloads" "$output" "  downloading $NEWER: "
contains "qualify: a progress line while it uploads, to the end" "$output" "  uploading to s3://$MIRROR: "
contains "qualify: the upload's progress reaches the end" "$(grep -F "  uploading to" <<<"$output" | tail -1)" "(100%)"
check "qualify: pin key" "$NEWER" "$(env_value "$variants/$CURRENT.env" NVIDIA_GRID_DRIVER_KEY)"
check "qualify: pin SHA-256 is the runfile's" "$NEWER_SHA256" "$(env_value "$variants/$CURRENT.env" NVIDIA_GRID_DRIVER_SHA256)"
check "qualify: only the two pin lines changed" 2 \
  "$(diff <(grep -v '^NVIDIA_GRID_DRIVER_' host-scripts/variants/$CURRENT.env) \
    <(grep -v '^NVIDIA_GRID_DRIVER_' "$variants/$CURRENT.env") >/dev/null && grep -c '^NVIDIA_GRID_DRIVER_' "$variants/$CURRENT.env")"
check "qualify: the pin file keeps its mode" "$(stat -c %a "$variants/$RETIRED.env")" "$(stat -c %a "$variants/$CURRENT.env")"
check "qualify: the other variant unchanged" "$(sha256sum <host-scripts/variants/$RETIRED.env)" \
  "$(sha256sum <"$variants/$RETIRED.env")"
aws s3 cp --quiet "s3://$MIRROR/$NEWER" "$work/mirrored.run"
check "qualify: the mirror holds the same bytes" "$NEWER_SHA256" "$(sha256sum "$work/mirrored.run" | cut -d ' ' -f 1)"
check "qualify: the mirror object records the SHA-256" "$NEWER_SHA256" \
  "$(aws s3api head-object --bucket "$MIRROR" --key "$NEWER" --query Metadata.sha256 --output text)"
check "qualify: the mirror object records the upstream ETag" \
  "$(aws s3api head-object --bucket "$UPSTREAM" --key "$NEWER" --query ETag --output text)" \
  "$(aws s3api head-object --bucket "$MIRROR" --key "$NEWER" --query '"Metadata"."source-etag"' --output text)"
contains "qualify: size recorded in the report" "$output" "$(stat -c %s "$work/runfiles/580.95.05.run") bytes"

echo "== qualify again: nothing changes"
after=$(pins "$variants")
drivers qualify --variant "$CURRENT" --mirror-bucket "$MIRROR"
check "re-run: exit" 0 "$code"
contains "re-run: nothing to do" "$output" "nothing to do: $CURRENT already pins $NEWER"
check "re-run: pin files unchanged" "$after" "$(pins "$variants")"
check "re-run: no new mirror version" 1 "$(mirror_versions)"
drivers list --newer
check "list --newer after qualifying: nothing newer" "" "$output"

echo "== a corrupt runfile: refused by its own --check"
drivers qualify --variant "$CURRENT" --key "$CORRUPT" --mirror-bucket "$MIRROR"
check "corrupt: exit" 1 "$code"
contains "corrupt: names the key and the check" "$output" "$CORRUPT: the runfile's own integrity check"
one_line_error "corrupt"
check "corrupt: pin files unchanged" "$after" "$(pins "$variants")"
check "corrupt: not mirrored" 1 "$(mirror_versions)"

echo "== bad input"
drivers qualify --variant ubuntu22-r999 --mirror-bucket "$MIRROR"
check "unknown variant: exit" 2 "$code"
contains "unknown variant: names the variants" "$output" "--variant ubuntu22-r999 is unknown; allowed: $RETIRED, $CURRENT"
one_line_error "unknown variant"
drivers qualify --variant "$CURRENT" --key "$OTHER_BRANCH" --mirror-bucket "$MIRROR"
check "key on another branch: exit" 1 "$code"
contains "key on another branch: names both branches" "$output" "is on branch R595 (grid-20), not on $CURRENT's branch R580 (grid-19)"
one_line_error "key on another branch"
drivers qualify --variant "$CURRENT" --key "$MISSING" --mirror-bucket "$MIRROR"
check "missing key: exit" 1 "$code"
contains "missing key: named" "$output" "--key $MISSING is not in s3://$UPSTREAM"
one_line_error "missing key"
drivers qualify --variant "$CURRENT" --key latest/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run --mirror-bucket "$MIRROR"
check "latest/ key: exit" 2 "$code"
one_line_error "latest/ key"
check "bad input: pin files unchanged" "$after" "$(pins "$variants")"

echo "== AWS changes a qualified file upstream: the pin and the mirror stay"
put_upstream "$NEWER" "$(runfile 580.95.05)"
drivers qualify --variant "$CURRENT" --mirror-bucket "$MIRROR"
check "changed upstream, mirrored: exit" 0 "$code"
contains "changed upstream, mirrored: warned" "$output" "changed upstream since it was qualified"
aws s3 rm --quiet "s3://$MIRROR/$NEWER"
drivers qualify --variant "$CURRENT" --mirror-bucket "$MIRROR"
check "changed upstream, not mirrored: exit" 1 "$code"
contains "changed upstream, not mirrored: both checksums" "$output" "has SHA-256 $NEWER_SHA256"
one_line_error "changed upstream"
check "changed upstream: pin files unchanged" "$after" "$(pins "$variants")"

echo "== AWS out of reach, no credentials: one line, nothing pinned"
saved_endpoint=$AWS_ENDPOINT_URL
export AWS_ENDPOINT_URL="http://127.0.0.1:9"
drivers list
check "endpoint down: exit" 1 "$code"
contains "endpoint down: named" "$output" "cannot reach AWS at http://127.0.0.1:9"
one_line_error "endpoint down"
export AWS_ENDPOINT_URL=$saved_endpoint
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
drivers qualify --variant "$CURRENT" --assembly "$work/cdk.out"
check "no credentials: exit" 1 "$code"
contains "no credentials: said" "$output" "no AWS credentials"
one_line_error "no credentials"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
check "AWS out of reach: pin files unchanged" "$after" "$(pins "$variants")"

check "the repository's pin files are untouched" "$repo_before" "$(pins host-scripts/variants)"
finish
