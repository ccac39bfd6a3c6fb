#!/usr/bin/env bash
# The audit report of a synthesized cloud assembly: `npm run audit -- [--assembly DIR] [--baseline DIR] [--out DIR]`.
# Compiles the app if needed and runs com.fractal.gpuhost.audit.AuditReportCli; it never synthesizes.
set -euo pipefail
cd "$(dirname "$0")/.."

args=""
for arg in "$@"; do
  # exec:java splits exec.args on spaces unless quoted; quote each argument.
  args+="'${arg//\'/\'\\\'\'}' "
done
exec mvn -q -B -ntp -Dstyle.color=never compile exec:java \
  -Dmain.class=com.fractal.gpuhost.audit.AuditReportCli -Dexec.args="$args"
