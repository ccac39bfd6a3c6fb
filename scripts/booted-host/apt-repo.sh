# shellcheck shell=bash
#
# Signed apt repositories standing in for Docker's, NVIDIA's (container toolkit) and, for what part 1
# installs from Ubuntu's archive and a Debian root lacks, the archive: tiny packages made with
# dpkg-deb, named and versioned exactly as host-scripts/versions.env pins them for the Ubuntu release
# stood in for, indexed with apt-ftparchive and signed with a throw-away GnuPG key made here. Served
# over HTTPS (a throw-away certificate the container trusts) on the container's loopback by this
# machine's Python, its process entered into the container's network namespace only. Part 1 learns
# of them through versions.env's own variables (STAND_IN_ENV), as it would of a mirror. Faults: Docker's
# index signed by another key; a pinned package withheld from NVIDIA's index. Sourced by
# scripts/check-booted-host.sh after booted-host/stand-ins.sh.

readonly REPO_PORT=8443
readonly REPO_URL=https://127.0.0.1:$REPO_PORT
# Where each stand-in lives under the served folder (the vendors' own layouts).
readonly DOCKER_REPO_PATH=docker/linux/ubuntu NVIDIA_REPO_PATH=nvidia/stable/deb ARCHIVE_REPO_PATH=ubuntu
# The pinned package the missing-version fault withholds from NVIDIA's index.
readonly WITHHELD_PACKAGE=libnvidia-container1
REPO_PID=''
REPO_ROOT=''
REPO_GNUPGHOME=''
REPO_KEY_FPR=''
# shellcheck disable=SC2034 # read by booted-host/part1.sh
REPO_OTHER_KEY_FPR=''

repo_gpg() {
  GNUPGHOME=$REPO_GNUPGHOME gpg --batch --quiet "$@"
}

# new_repo_key <name>: a throw-away ed25519 signing key; prints its fingerprint.
new_repo_key() {
  repo_gpg --passphrase '' --quick-gen-key "$1 (booted-host test)" ed25519 sign never
  repo_gpg --with-colons --list-keys "$1 (booted-host test)" | awk -F: '$1 == "fpr" { print $10; exit }'
}

# sign_release <dir> <fingerprint>: InRelease and Release.gpg over <dir>/Release, by that key.
sign_release() {
  rm -f "$1/InRelease" "$1/Release.gpg"
  repo_gpg --local-user "$2" --clearsign --output "$1/InRelease" "$1/Release"
  repo_gpg --local-user "$2" --armor --detach-sign --output "$1/Release.gpg" "$1/Release"
}

# index_suite <repo> <codename> <component>: dists/<codename> for the packages under pool/.
index_suite() {
  local repo=$1 suite=$2 component=$3 dists=$1/dists/$2
  mkdir -p "$dists/$component/binary-amd64"
  (cd "$repo" && apt-ftparchive packages pool) >"$dists/$component/binary-amd64/Packages"
  gzip -kf "$dists/$component/binary-amd64/Packages"
  apt-ftparchive -o "APT::FTPArchive::Release::Suite=$suite" -o "APT::FTPArchive::Release::Codename=$suite" \
    -o "APT::FTPArchive::Release::Components=$component" -o APT::FTPArchive::Release::Architectures=amd64 \
    release "$dists" >"$repo/Release.new"
  mv "$repo/Release.new" "$dists/Release"
  sign_release "$dists" "$REPO_KEY_FPR"
}

# index_flat <dir>: a flat repository (NVIDIA's layout): Packages and Release beside the packages.
index_flat() {
  (cd "$1" && apt-ftparchive packages .) >"$1/Packages"
  gzip -kf "$1/Packages"
  rm -f "$1/Release"
  apt-ftparchive release "$1" >"$1/../Release.new"
  mv "$1/../Release.new" "$1/Release"
  sign_release "$1" "$REPO_KEY_FPR"
}

# pin <KEY>: a value of versions.env.
pin() {
  # shellcheck disable=SC2153 # REPO_DIR: the repository, set by check-booted-host.sh
  sed -n "s/^$1=//p" "$REPO_DIR/host-scripts/versions.env"
}

# build_vendor_packages <scratch>: the stand-ins, each named and versioned as versions.env pins it.
build_vendor_packages() {
  local scratch=$1 codename=${STAND_IN_CODENAME^^} docker pool nvidia toolkit pkg
  docker=$(pin "DOCKER_CE_VERSION_$codename")
  pool=$REPO_ROOT/$DOCKER_REPO_PATH/pool/stable
  build_docker_stand_in "$pool/docker-ce.deb" "$docker" "$scratch"
  printf '%s\n' '#!/bin/sh' 'echo "docker stand-in (booted-host test): no Docker daemon here" >&2' 'exit 1' |
    install -D -m 755 /dev/stdin "$scratch/docker-ce-cli/usr/bin/docker"
  build_deb "$pool/docker-ce-cli.deb" docker-ce-cli "$docker" "docker-ce-cli stand-in: a docker that says so" "$scratch/docker-ce-cli"
  build_deb "$pool/containerd.io.deb" containerd.io "$(pin "CONTAINERD_IO_VERSION_$codename")" "containerd.io stand-in" "$scratch/containerd"
  index_suite "$REPO_ROOT/$DOCKER_REPO_PATH" "$STAND_IN_CODENAME" stable

  toolkit=$(pin NVIDIA_CONTAINER_TOOLKIT_VERSION)
  nvidia=$REPO_ROOT/$NVIDIA_REPO_PATH/amd64
  # nvidia-ctk runtime configure --runtime=docker --set-as-default --config=FILE, as the real one
  # writes it: the nvidia runtime added and made the default, every other key kept.
  install -D -m 755 /dev/stdin "$scratch/toolkit-base/usr/bin/nvidia-ctk" <<'CTK'
#!/bin/sh
# nvidia-ctk stand-in (booted-host test): only "runtime configure --runtime=docker --set-as-default --config=FILE".
set -e
[ "$1 $2 $3 $4" = "runtime configure --runtime=docker --set-as-default" ] || { echo "nvidia-ctk stand-in: unsupported: $*" >&2; exit 2; }
config=${5#--config=}
jq '.["default-runtime"] = "nvidia" | .runtimes.nvidia = {"args": [], "path": "nvidia-container-runtime"}' "$config" >"$config.new"
mv "$config.new" "$config"
CTK
  build_deb "$nvidia/nvidia-container-toolkit-base.deb" nvidia-container-toolkit-base "$toolkit" \
    "nvidia-container-toolkit-base stand-in: nvidia-ctk" "$scratch/toolkit-base"
  for pkg in nvidia-container-toolkit libnvidia-container-tools libnvidia-container1; do
    build_deb "$nvidia/$pkg.deb" "$pkg" "$toolkit" "$pkg stand-in" "$scratch/$pkg"
  done
  index_flat "$nvidia"

  # What part 1 takes from Ubuntu's archive and the Debian root has not: the driver's build tools,
  # the running kernel's headers, rclone.
  pool=$REPO_ROOT/$ARCHIVE_REPO_PATH/pool/main
  for pkg in gcc make dkms "linux-headers-$(uname -r)" rclone; do
    build_deb "$pool/$pkg.deb" "$pkg" 0.0-stand-in "$pkg stand-in (Ubuntu archive)" "$scratch/archive-$pkg"
  done
  index_suite "$REPO_ROOT/$ARCHIVE_REPO_PATH" "$STAND_IN_CODENAME" main
}

# trust_certificate <root> <certificate>: what `update-ca-certificates` does for one local
# certificate (it links it into /etc/ssl/certs, under its name and its OpenSSL hash, and appends it to
# the bundle apt and curl read), done here because that tool rehashes every certificate, seconds each run.
trust_certificate() {
  local root=$1 name=booted-host-apt-repo
  install -D -m 644 "$2" "$root/usr/local/share/ca-certificates/$name.crt"
  ln -s "/usr/local/share/ca-certificates/$name.crt" "$root/etc/ssl/certs/$name.pem"
  ln -s "$name.pem" "$root/etc/ssl/certs/$(openssl x509 -hash -noout -in "$2").0"
  cat "$2" >>"$root/etc/ssl/certs/ca-certificates.crt"
}

# write_apt_repo_stand_ins <root> <scratch>: the keys, packages, indexes and certificate; the root
# trusts the certificate and has the archive stand-in as its one package source; STAND_IN_ENV
# points part 1 at the vendors' stand-ins.
write_apt_repo_stand_ins() {
  local root=$1 scratch=$2/apt-repo
  REPO_ROOT=$scratch/served REPO_GNUPGHOME=$scratch/gnupg
  mkdir -p "$REPO_ROOT" && install -d -m 700 "$REPO_GNUPGHOME"
  REPO_KEY_FPR=$(new_repo_key "apt repository stand-in signer")
  # shellcheck disable=SC2034 # read by booted-host/part1.sh
  REPO_OTHER_KEY_FPR=$(new_repo_key "another signer")
  build_vendor_packages "$scratch/packages"
  repo_gpg --armor --export "$REPO_KEY_FPR" | tee "$REPO_ROOT/$DOCKER_REPO_PATH/gpg" >"$root$STAND_IN_DIR/archive-key.asc"
  repo_gpg --armor --export "$REPO_KEY_FPR" >"$REPO_ROOT/nvidia/gpgkey"
  gpgconf --homedir "$REPO_GNUPGHOME" --kill all
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=apt repository stand-in (booted-host test)" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$scratch/tls.key" -out "$scratch/tls.crt" 2>/dev/null
  trust_certificate "$root" "$scratch/tls.crt"
  echo "deb [signed-by=$STAND_IN_DIR/archive-key.asc] $REPO_URL/$ARCHIVE_REPO_PATH $STAND_IN_CODENAME main" \
    >"$root/etc/apt/sources.list"
  STAND_IN_ENV+=(
    "DOCKER_APT_REPO_URL=$REPO_URL/$DOCKER_REPO_PATH" "DOCKER_APT_KEY_URL=$REPO_URL/$DOCKER_REPO_PATH/gpg"
    "DOCKER_APT_KEY_FINGERPRINT=$REPO_KEY_FPR" "NVIDIA_APT_REPO_URL=$REPO_URL/$NVIDIA_REPO_PATH"
    "NVIDIA_APT_KEY_URL=$REPO_URL/nvidia/gpgkey" "NVIDIA_APT_KEY_FINGERPRINT=$REPO_KEY_FPR"
  )
}

# start_apt_repo <log>: the HTTPS server on the container's loopback, answering.
start_apt_repo() {
  local scratch=${REPO_ROOT%/served}
  nsenter -t "$LEADER_PID" -n python3 "$BOOTED_HOST_LIB_DIR/https-server.py" "$REPO_ROOT" "$REPO_PORT" \
    "$scratch/tls.crt" "$scratch/tls.key" >"$1" 2>&1 &
  REPO_PID=$!
  wait_serving "$REPO_PID" "$1" \
    nsenter -t "$LEADER_PID" -n curl -fsS --cacert "$scratch/tls.crt" -o /dev/null "$REPO_URL/nvidia/gpgkey"
}

# shellcheck disable=SC2317 # run by cleanup
stop_apt_repo() {
  if [[ -n "$REPO_PID" ]]; then
    kill "$REPO_PID" 2>/dev/null || true
    wait "$REPO_PID" 2>/dev/null || true
    REPO_PID=''
  fi
  if [[ -n "$REPO_GNUPGHOME" && -d "$REPO_GNUPGHOME" ]]; then
    gpgconf --homedir "$REPO_GNUPGHOME" --kill all 2>/dev/null || true
  fi
}

# docker_repo_signed_by <fingerprint>: Docker's index (re)signed by that key (the fault and its undoing).
docker_repo_signed_by() {
  sign_release "$REPO_ROOT/$DOCKER_REPO_PATH/dists/$STAND_IN_CODENAME" "$1"
}

# withhold_package <yes|no>: NVIDIA's index without, or again with, WITHHELD_PACKAGE.
withhold_package() {
  local dir=$REPO_ROOT/$NVIDIA_REPO_PATH/amd64
  if [[ "$1" == yes ]]; then
    mv "$dir/$WITHHELD_PACKAGE.deb" "$REPO_ROOT/../$WITHHELD_PACKAGE.deb"
  else
    mv "$REPO_ROOT/../$WITHHELD_PACKAGE.deb" "$dir/$WITHHELD_PACKAGE.deb"
  fi
  index_flat "$dir"
}
