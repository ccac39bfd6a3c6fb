# shellcheck shell=bash
#
# Owns the image's version manifest: what an AMI holds (kernel, driver, Docker, containerd, toolkit, ECS
# init, the base AMI it started from, every installed package), as JSON. Needs lib/common.sh and jq
# (part 1 installs it).

# The key versions, "<manifest key> <dpkg package>": the manifest's "versions" object and, through
# it, the tags CI puts on every AMI. kernel and nvidiaDriver come from the running system.
readonly MANIFEST_PACKAGES=(
  "dockerCe docker-ce"
  "dockerCeCli docker-ce-cli"
  "containerd containerd.io"
  "nvidiaContainerToolkit nvidia-container-toolkit"
  "ecsInit amazon-ecs-init"
)

# installed_version <package>: dpkg's version of an installed package, or nothing.
installed_version() {
  if is_pkg_installed "$1"; then
    # shellcheck disable=SC2016 # ${Version} is a dpkg-query format field
    dpkg-query -W -f='${Version}' "$1"
  fi
}

# base_ami_id: BASE_AMI_ID, or the AMI this instance was launched from (IMDSv2).
base_ami_id() {
  local id=${BASE_AMI_ID:-}
  if [[ -z "$id" ]]; then
    id=$(imds_get meta-data/ami-id) || true
  fi
  [[ "$id" =~ ^ami-[0-9a-f]{8,17}$ ]] || die "cannot determine the base AMI ID (got '$id'); set BASE_AMI_ID=ami-..."
  printf '%s\n' "$id"
}

# key_versions: "<key>\t<version>" lines (an empty version when it is missing).
key_versions() {
  local entry
  printf 'kernel\t%s\n' "$(uname -r)"
  printf 'nvidiaDriver\t%s\n' "$(modinfo -F version nvidia 2>/dev/null || true)"
  for entry in "${MANIFEST_PACKAGES[@]}"; do
    printf '%s\t%s\n' "${entry%% *}" "$(installed_version "${entry#* }")"
  done
}

# installed_packages: "<package>\t<version>" of every installed package (dpkg's list).
installed_packages() {
  # shellcheck disable=SC2016 # dpkg-query format fields
  dpkg-query -W -f='${db:Status-Abbrev}\t${binary:Package}\t${Version}\n' |
    awk -F'\t' '$1 ~ /^ii/ { print $2 "\t" $3 }'
}

# grid_driver_record: part 1's record of the GRID driver (lib/grid_driver.sh), or {} when there is none.
grid_driver_record() {
  if [[ -s "$ROOT$GRID_DRIVER_RECORD" ]]; then
    jq -c '{key, sha256, pinned}' "$ROOT$GRID_DRIVER_RECORD"
  else
    echo '{}'
  fi
}

# write_version_manifest <out.json>: writes the manifest (atomically); fails, after writing it, when a
# key version or the GRID driver's record is missing, naming them.
write_version_manifest() {
  local out=$1 tmp base_ami versions packages missing driver
  command -v jq >/dev/null 2>&1 || die "jq is needed to write the version manifest (part 1 installs it)"
  base_ami=$(base_ami_id)
  versions=$(key_versions)
  packages=$(installed_packages)
  driver=$(grid_driver_record)
  tmp=$(mktemp)
  jq -n \
    --arg recordedAt "$(TZ=UTC date +%Y-%m-%dT%H:%M:%SZ)" \
    --arg os "$(os_release_value PRETTY_NAME)" \
    --arg baseAmiId "$base_ami" \
    --arg versions "$versions" \
    --arg packages "$packages" \
    --argjson driver "$driver" \
    'def pairs: split("\n") | map(select(length > 0) | split("\t") | {key: .[0], value: (.[1] // "")});
    {schemaVersion: 1, recordedAt: $recordedAt, os: $os, baseAmiId: $baseAmiId,
     nvidia_grid_driver_key: $driver.key, nvidia_grid_driver_sha256: $driver.sha256,
     nvidia_grid_driver_pinned: $driver.pinned,
     versions: ($versions | pairs | from_entries),
     packages: ($packages | pairs | sort_by(.key) | from_entries)}' >"$tmp"
  install -D -m 644 "$tmp" "$out"
  rm -f "$tmp"
  log "wrote the version manifest $out"
  missing=$(jq -r '[.versions | to_entries[] | select(.value == "") | .key] | join(", ")' "$out")
  [[ -z "$missing" ]] || die "the version manifest has no version for: $missing"
  [[ "$driver" != '{}' ]] ||
    die "the version manifest has no GRID driver SHA-256: $GRID_DRIVER_RECORD is missing (part 1 writes it when it installs the driver)"
}
