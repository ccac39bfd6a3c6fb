#!/usr/bin/env bash
# Stops a CI job whose credentials are not for the expected AWS account (repository variable AWS_ACCOUNT_ID),
# before anything is deployed or built there. Without AWS_ACCOUNT_ID it only says which account it is.
set -euo pipefail

actual=$(aws sts get-caller-identity --query Account --output text)
if [[ -z "${AWS_ACCOUNT_ID:-}" ]]; then
  echo "::warning title=AWS_ACCOUNT_ID is not set::credentials are for account $actual; set the repository variable AWS_ACCOUNT_ID to have CI check it"
elif [[ "$actual" != "$AWS_ACCOUNT_ID" ]]; then
  echo "::error title=Wrong AWS account::credentials are for account $actual, but AWS_ACCOUNT_ID is $AWS_ACCOUNT_ID" >&2
  exit 1
else
  echo "Credentials are for account $actual, as AWS_ACCOUNT_ID expects"
fi
