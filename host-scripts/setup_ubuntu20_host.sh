#!/usr/bin/env bash
#
# setup_ubuntu20_host.sh: replaced by setup_gpu_host.sh (part 1 of 2), which sets up every image
# variant and Ubuntu release.
# Prints how to run it and exits 2 without changing anything.

cat >&2 <<'MSG'
setup_ubuntu20_host.sh was replaced by setup_gpu_host.sh, which sets up every image variant and
Ubuntu release (focal, jammy, noble: from /etc/os-release). Name the image variant, a file of
variants/ without .env, for example:
  sudo IMAGE_VARIANT=ubuntu24-r580 bash setup_gpu_host.sh
MSG
exit 2
