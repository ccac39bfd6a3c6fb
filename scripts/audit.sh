#!/usr/bin/env bash
# The audit report of a synthesized cloud assembly: `npm run audit -- [--assembly DIR] [--baseline DIR] [--out DIR]`.
# Compiles the app if needed and runs com.fractal.gpuhost.audit.AuditReportCli; it never synthesizes.
set -euo pipefail
cd "$(dirname "$0")/.."

exec bash scripts/app-launcher.sh --main com.fractal.gpuhost.audit.AuditReportCli "$@"
