#!/usr/bin/env bash
# What the emulator tests share: moto's server (scripts/emulator-server.py) on a free loopback port, with
# dummy credentials and nothing of the caller's AWS configuration, and the PASS/FAIL lines that end with
# "N passed, N failed", and the release tests' AWS helper (release_helper_start, aws_helper). Sourced by
# each scripts/emulator-*-test.sh, and by scripts/test-all.sh, which starts one server for two tests.

readonly EMULATOR_ACCOUNT=123456789012 # moto's default account
# moto imports every service it serves before it listens: 5 s alone, over 30 s beside the whole suite on 2 cores.
readonly EMULATOR_STARTUP_SECONDS=120

# emulator_start WORK_DIR REGION BASE_IMAGE_PARAMETER: starts the server (its log in WORK_DIR/emulator.log),
# points the AWS CLI, the SDKs and the CDK CLI at it, and waits until it answers. Sets server_pid and port,
# which the caller's cleanup uses. Exits, showing the log, when the server does not come up.
# With EMULATOR_ENDPOINT set (a server that scripts/test-all.sh started for both emulator tests, its log in
# EMULATOR_LOG), it empties that server instead (moto's reset; the server seeds its base-image parameter
# again) and leaves it running: one moto start serves both tests.
emulator_start() {
  local work=$1 region=$2 base_image_parameter=$3
  if [[ -n "${EMULATOR_ENDPOINT:-}" ]]; then
    port=${EMULATOR_ENDPOINT##*:}
    server_pid=""
    ln -sf "${EMULATOR_LOG:-/dev/null}" "$work/emulator.log"
    emulator_client_env "$work" "$region"
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], data=b"", timeout=10)' \
      "$AWS_ENDPOINT_URL/moto-api/reset" || {
      echo "$(basename "$0"): the emulator at $EMULATOR_ENDPOINT did not answer its reset" >&2
      exit 1
    }
    echo "== emulator: the running moto on 127.0.0.1:$port, emptied"
    return
  fi
  emulator_serve "$work" "$region" "$base_image_parameter"
  emulator_client_env "$work" "$region"
}

# emulator_serve WORK_DIR REGION BASE_IMAGE_PARAMETER: starts moto's server on a free loopback port and waits
# until it answers. Sets server_pid and port; exits, showing the log, when the server does not come up.
emulator_serve() {
  local work=$1 region=$2 base_image_parameter=$3 deadline
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 scripts/emulator-server.py "$port" "$EMULATOR_ACCOUNT" "$region" "$base_image_parameter" \
    >"$work/emulator.log" 2>&1 &
  server_pid=$!
  echo "== emulator: moto $(python3 -c 'import importlib.metadata as m; print(m.version("moto"))') on 127.0.0.1:$port"
  deadline=$((SECONDS + EMULATOR_STARTUP_SECONDS))
  until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
    "http://127.0.0.1:$port/moto-api/" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "$(basename "$0"): moto did not start within ${EMULATOR_STARTUP_SECONDS}s:" >&2
      cat "$work/emulator.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# emulator_client_env WORK_DIR REGION: dummy credentials, nothing of the caller's AWS configuration, and the
# AWS CLI, the SDKs and the CDK CLI pointed at the server on $port.
emulator_client_env() {
  local work=$1 region=$2
  touch "$work/aws-config"
  export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-config"
  unset AWS_PROFILE AWS_DEFAULT_PROFILE
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
  export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_EC2_METADATA_DISABLED=true
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  # The CDK CLI hands CloudFormation an S3 URL for each template. moto reads that object from its own store
  # and recognises the path-style URL of a local endpoint only under the name localhost (no lookup of that
  # name happens).
  export AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION="http://localhost:$port"
  export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
}

# emulator_stop: stops the server, if it runs.
emulator_stop() {
  if [[ -n "${server_pid:-}" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}

# emulator_test_begin TOOL...: stops with one line when a tool or moto's server is missing; then makes the
# work folder ($work), the counters, and the traps that stop the server and say when the test ended early.
emulator_test_begin() {
  local tool
  for tool in "$@" python3; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "$(basename "$0"): '$tool' is not on PATH" >&2
      exit 1
    }
  done
  # Found, not imported: importing moto's server costs a quarter second, and the test's own steps import it.
  python3 -c 'import importlib.util as u, sys
sys.exit(not all(map(u.find_spec, ("moto", "boto3", "flask", "flask_cors"))))' || {
    echo "$(basename "$0"): moto's server is not installed (pip install \"moto[server]\")" >&2
    exit 1
  }
  work=$(mktemp -d)
  server_pid=""
  helper_pid=""
  finished=""
  passed=0
  failed=0
  trap emulator_test_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# release_helper_start SETTINGS_JSON STATE_JSON: starts scripts/emulator-release-aws.py once, serving
# (through two named pipes in $work) every aws_helper call of the test: one Python start and one import of
# boto3 for the whole test, where a process per call cost more than the emulator's answer.
release_helper_start() {
  mkfifo "$work/helper.in" "$work/helper.out"
  python3 scripts/emulator-release-aws.py "$1" "$2" serve <"$work/helper.in" >"$work/helper.out" &
  helper_pid=$!
  exec {helper_in}>"$work/helper.in" {helper_out}<"$work/helper.out"
}

# aws_helper COMMAND [ARGS...]: one of emulator-release-aws.py's commands, answered by the helper that
# release_helper_start started: prints its output and returns its exit status.
aws_helper() {
  local IFS=$'\t' line
  if ! kill -0 "$helper_pid" 2>/dev/null || ! echo "$*" >&"$helper_in"; then
    echo "$(basename "$0"): the AWS helper is not running" >&2
    return 1
  fi
  while IFS= read -r line <&"$helper_out"; do
    if [[ "$line" == $'\x1e'* ]]; then return "${line#?}"; fi
    printf '%s\n' "$line"
  done
  echo "$(basename "$0"): the AWS helper stopped before its answer to: $*" >&2
  return 1
}

# The emulator's own errors, when a check failed.
emulator_errors() {
  grep -A3 -E 'Traceback|Error' "$work/emulator.log" 2>/dev/null | tail -40 | sed 's/^/emulator: /' >&2 || true
}

# shellcheck disable=SC2317 # run by the EXIT trap
emulator_test_cleanup() {
  local status=$?
  emulator_stop
  if [[ -n "$helper_pid" ]]; then
    kill "$helper_pid" 2>/dev/null || true
    wait "$helper_pid" 2>/dev/null || true
  fi
  if [[ -z "$finished" ]]; then
    echo "FAIL: the test stopped before its end (exit status $status)"
    echo "$passed passed, $((failed + 1)) failed"
    emulator_errors
  fi
  rm -rf "$work"
}

pass() {
  echo "PASS: $1"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL: $1"
  failed=$((failed + 1))
}
check() { # check WHAT EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then pass "$1: $3"; else fail "$1: expected [$2], got [$3]"; fi
}
contains() { # contains WHAT TEXT PATTERN
  if grep -qF -- "$3" <<<"$2"; then pass "$1"; else fail "$1: [$3] not in output:"$'\n'"$2"; fi
}

# finish: the closing line, and exit 1 when any check failed.
finish() {
  finished=yes
  echo "$passed passed, $failed failed"
  if ((failed > 0)); then
    emulator_errors
    exit 1
  fi
  exit 0
}
