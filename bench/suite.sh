#!/usr/bin/env bash
# Runs the whole test suite (`npm test`) from a fresh clone and prints the time of each stage, the load
# average before and after, and the machine. apt and `npm ci` are not timed: the clone reuses this
# checkout's node_modules/ when it has one (else runs `npm ci` before the clock starts).
#   bash bench/suite.sh [REF]      REF: the commit to clone (default HEAD)
# A suite that predates the stage table is timed from its "== " stage headers instead.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly REF=${1:-HEAD}
repo=$PWD
clone=$(mktemp -d)
log=$(mktemp --suffix=-suite.log)
trap 'rm -rf "$clone"' EXIT

git clone --quiet --no-checkout "$repo" "$clone/repo"
git -C "$clone/repo" checkout --quiet "$(git rev-parse "$REF")"
cd "$clone/repo"
if [[ -d "$repo/node_modules" ]]; then
  ln -s "$(readlink -f "$repo/node_modules")" node_modules
else
  npm ci --no-audit --no-fund >/dev/null
fi

echo "suite: $(git log -1 --format='%h %s' | cut -c1-100)"
echo "suite: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
microseconds() { echo "${EPOCHREALTIME/./}"; }
start=$(microseconds)
status=0
# Each line of the suite's output, stamped with the seconds since the start.
npm test 2>&1 | while IFS= read -r line; do
  now=$(microseconds)
  printf '%d.%d\t%s\n' $(((now - start) / 1000000)) $(((now - start) / 100000 % 10)) "$line"
done >"$log" || status=$?
total=$((($(microseconds) - start) / 1000000))
echo "suite: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if grep -q $'\tStage times' "$log"; then
  sed -n $'/\tStage times/,$p' "$log" | cut -f2-
else
  # Older suites ran their stages one after another, each announced by a "== " line.
  awk -F'\t' -v total="$total" '
    { gsub(/\033\[[0-9;]*m/, "", $2) }
    $2 ~ /^== / { if (name != "") printf "%7.1f s  %s\n", $1 - began, name; name = substr($2, 4, 90); began = $1 }
    END { if (name != "") printf "%7.1f s  %s\n", total - began, name }' "$log"
fi
printf 'suite: npm test took %d s (exit status %d); its log: %s\n' "$total" "$status" "$log"
if ((status != 0)); then
  tail -40 "$log" | cut -f2-
fi
exit "$status"
