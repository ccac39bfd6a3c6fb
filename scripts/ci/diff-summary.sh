#!/usr/bin/env bash
# Writes `cdk diff` of every stack the default settings synthesize to the job summary, or why it was skipped.
# The diff needs AWS credentials; on a pull request the deploy role may refuse them (docs/ci.md says why),
# and then the summary says so instead of failing the checks.
#
# Environment (set by the workflow):
#   ROLE_CONFIGURED   "true" when the repository variable AWS_DEPLOY_ROLE_ARN is set
#   CREDENTIALS       the outcome of the step that assumed the role: success, failure or skipped
#   GITHUB_STEP_SUMMARY  the job summary file (default: standard output)
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly SUMMARY="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
readonly FENCE='```'

if [[ "${ROLE_CONFIGURED:-false}" != true ]]; then
  printf '### cdk diff skipped\n\nNo role is configured: set the repository variable AWS_DEPLOY_ROLE_ARN (docs/ci.md).\n' >>"$SUMMARY"
  exit 0
fi
if [[ "${CREDENTIALS:-}" != success ]]; then
  printf '### cdk diff skipped\n\n%s\n' "The deploy role could not be assumed (${CREDENTIALS:-no outcome}). It trusts only pushes to the deploy branch and the configured environment, never a pull request's token (docs/ci.md, Pull requests)." >>"$SUMMARY"
  exit 0
fi

status=0
output=$(cdk diff --no-color 2>&1) || status=$?
{
  printf '### cdk diff\n\n%s\n%s\n%s\n' "$FENCE" "$output" "$FENCE"
} >>"$SUMMARY"
if ((status != 0)); then
  echo "::error title=cdk diff failed::exit code $status; see the job summary" >&2
  exit "$status"
fi
