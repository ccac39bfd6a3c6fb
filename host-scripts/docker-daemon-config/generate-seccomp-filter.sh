#!/usr/bin/env bash
#
# Generates seccomp-filter.json, the seccomp profile the host's Docker daemon uses
# (daemon.json "seccomp-profile"), from Docker's default profile (see NOTICE) plus two
# unconditional allow rules:
#   - clone and unshare: Chromium's sandbox creates namespaces inside the container;
#   - unshare, mount, umount, umount2: FUSE file systems (cloud storage) inside the container.
# Docker's default allows these only with CAP_SYS_ADMIN (clone only without namespace flags).
#
# Usage: generate-seccomp-filter.sh           rewrite seccomp-filter.json
#        generate-seccomp-filter.sh --check   fail if seccomp-filter.json is not up to date
#        generate-seccomp-filter.sh --stdout  print the generated profile
# Needs jq. Runs anywhere (it only reads and writes files next to it).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE
readonly BASE="$HERE/seccomp-default-docker-20.10.24.json"
readonly OUT="$HERE/seccomp-filter.json"

generate_seccomp_filter() {
  jq '.syscalls += [
    {
      "names": ["clone", "unshare"],
      "action": "SCMP_ACT_ALLOW",
      "args": [],
      "comment": "Fractal: Chromium sandbox (namespaces) in containers",
      "includes": {},
      "excludes": {}
    },
    {
      "names": ["unshare", "mount", "umount", "umount2"],
      "action": "SCMP_ACT_ALLOW",
      "args": [],
      "comment": "Fractal: FUSE file systems in containers",
      "includes": {},
      "excludes": {}
    }
  ]' "$BASE"
}

main() {
  case "${1:-}" in
    "")
      generate_seccomp_filter >"$OUT.tmp"
      mv "$OUT.tmp" "$OUT"
      echo "wrote $OUT" >&2
      ;;
    --stdout) generate_seccomp_filter ;;
    --check)
      if ! generate_seccomp_filter | cmp -s - "$OUT"; then
        echo "$OUT is not what $(basename "$0") generates; run it and commit the result" >&2
        exit 1
      fi
      ;;
    *)
      echo "usage: $(basename "$0") [--check|--stdout]" >&2
      exit 2
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
