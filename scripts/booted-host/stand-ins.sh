# shellcheck shell=bash
#
# Stand-ins for what cannot come from these machines (Ubuntu's archive, Docker's and NVIDIA's
# repositories, the ECS agent bucket, AWS's APIs, cloud-init, the GPU), written into the test
# host's root before it boots. The host scripts learn of them only through their documented
# variables (STAND_IN_ENV below) or find them as the system commands a real host has.
# Sourced by scripts/check-booted-host.sh; defines functions and variables only.

readonly STAND_IN_DIR=/usr/local/lib/stand-ins
# The Ubuntu releases the host scripts support, each with the Debian root that stands in for it:
# "<Debian suite>|<Debian release>|<Ubuntu VERSION_ID>|<Ubuntu codename>|<image variant>|<iptables
# backend of that Ubuntu release>|<GPU it has>". Debian 12 and 13 are the roots reachable here;
# jammy (22.04) has no root of its own: the bats tests cover its pins and repository.
# shellcheck disable=SC2034 # read by check-booted-host.sh
readonly STAND_INS=(
  "bookworm|Debian 12|20.04|focal|ubuntu20-r535|legacy|Tesla M60"
  "trixie|Debian 13|24.04|noble|ubuntu24-r580|nft|Tesla T4"
)
# Set by use_stand_in for the stand-in under test.
STAND_IN_LABEL='' STAND_IN_VERSION_ID='' STAND_IN_CODENAME='' STAND_IN_VARIANT='' STAND_IN_IPTABLES=''
STAND_IN_GPU_NAME='' STAND_IN_DRIVER_VERSION=''
readonly STAND_IN_GPU_UUID=GPU-5e6b4a32-0f1d-4c2e-9a7b-3c8d2e1f0a11
readonly STAND_IN_ENV_CONTENT=HOST_SERVICE_TOKEN=stand-in-not-a-secret
readonly STAND_IN_ECS_INIT_VERSION=1.0.0-1
# moto's S3 (the driver mirror) on the container's loopback: booted-host/part1-driver.sh starts it.
readonly STAND_IN_S3_PORT=4566
STAND_IN_ENV=()

# use_stand_in <entry of STAND_INS> <host-scripts dir>: selects it (BOOTED_HOST_SUITE and the
# STAND_IN_* variables) and resets STAND_IN_ENV, the documented variables through which the setup
# learns of its stand-ins; write_stand_ins adds those that depend on what it built (the signing
# key's fingerprint, the binary's SHA-256).
use_stand_in() {
  local debian_release
  IFS='|' read -r BOOTED_HOST_SUITE debian_release STAND_IN_VERSION_ID STAND_IN_CODENAME \
    STAND_IN_VARIANT STAND_IN_IPTABLES STAND_IN_GPU_NAME <<<"$1"
  STAND_IN_LABEL="$debian_release ($BOOTED_HOST_SUITE) standing in for Ubuntu $STAND_IN_VERSION_ID $STAND_IN_CODENAME"
  # shellcheck disable=SC2034 # read by check-booted-host.sh and booted-host/part1-driver.sh
  STAND_IN_DRIVER_VERSION=$(sed -nE 's/^NVIDIA_GRID_DRIVER_KEY=.*NVIDIA-Linux-x86_64-(.*)-grid-aws\.run$/\1/p' \
    "$2/variants/$STAND_IN_VARIANT.env")
  STAND_IN_ENV=(
    "OS_RELEASE_FILE=$STAND_IN_DIR/os-release"
    "IMAGE_VARIANT=$STAND_IN_VARIANT"
    "ECS_INIT_DEB=$STAND_IN_DIR/amazon-ecs-init.deb"
    "ECS_INIT_VERSION=$STAND_IN_ECS_INIT_VERSION"
    "ECS_PGP_KEY_FILE=$STAND_IN_DIR/ecs-signing-key.asc"
    "HOST_SERVICE_BINARY=$STAND_IN_DIR/ecs-host-service"
    AWS_REGION=us-east-1
    WAIT_FOR_CLOUD_INIT=0
  )
}

# build_deb <out.deb> <name> <version> <description> <files dir> [postinst]: a package made with
# dpkg-deb.
build_deb() {
  local out=$1 name=$2 version=$3 description=$4 files=$5 postinst=${6:-}
  mkdir -p "$files/DEBIAN" "${out%/*}"
  cat >"$files/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: all
Maintainer: booted-host test <nobody@example.invalid>
Description: $description
CONTROL
  if [[ -n "$postinst" ]]; then
    printf '%s\n' '#!/bin/sh' 'set -e' "$postinst" >"$files/DEBIAN/postinst"
    chmod 755 "$files/DEBIAN/postinst"
  fi
  dpkg-deb --root-owner-group --build "$files" "$out" >/dev/null
}

write_unit() {
  install -D -m 644 /dev/stdin "$1"
}

# amazon-ecs-init: installs ecs.service without enabling it, as AWS's package does.
build_ecs_init_stand_in() {
  local root=$1 files=$2/ecs-init
  write_unit "$files/lib/systemd/system/ecs.service" <<'UNIT'
[Unit]
Description=Amazon ECS agent (stand-in built by the booted-host test)
After=docker.service
Requires=docker.service

[Service]
ExecStart=/bin/sleep infinity

[Install]
WantedBy=multi-user.target
UNIT
  build_deb "$root$STAND_IN_DIR/amazon-ecs-init.deb" amazon-ecs-init "$STAND_IN_ECS_INIT_VERSION" \
    "amazon-ecs-init stand-in: only ecs.service" "$files"
}

# build_docker_stand_in <out.deb> <version> <scratch>: docker-ce: docker.socket and docker.service,
# enabled and started on install, and the docker group, as Docker's own package does, so the setup
# has real units to turn off and a group to add its user to (booted-host/apt-repo.sh serves it).
build_docker_stand_in() {
  local out=$1 version=$2 files=$3/docker-ce
  write_unit "$files/lib/systemd/system/docker.socket" <<'UNIT'
[Unit]
Description=Docker Socket for the API (stand-in built by the booted-host test)

[Socket]
ListenStream=/run/docker.sock
SocketMode=0660

[Install]
WantedBy=sockets.target
UNIT
  write_unit "$files/lib/systemd/system/docker.service" <<'UNIT'
[Unit]
Description=Docker Application Container Engine (stand-in built by the booted-host test)
Requires=docker.socket
After=docker.socket

[Service]
ExecStart=/bin/sleep infinity

[Install]
WantedBy=multi-user.target
UNIT
  build_deb "$out" docker-ce "$version" "docker-ce stand-in: only its systemd units" "$files" \
    'getent group docker >/dev/null || groupadd --system docker
systemctl enable docker.socket docker.service && systemctl start docker.socket docker.service'
}

# GPU answers: nvidia-smi and modinfo's view of the nvidia module (other modules: the real modinfo).
write_gpu_stand_ins() {
  local root=$1
  install -D -m 755 /dev/stdin "$root/usr/local/sbin/nvidia-smi" <<SMI
#!/bin/sh
# nvidia-smi stand-in (booted-host test): one $STAND_IN_GPU_NAME.
[ "\$1" = -L ] || { echo "nvidia-smi stand-in: only -L" >&2; exit 2; }
echo "GPU 0: $STAND_IN_GPU_NAME (UUID: $STAND_IN_GPU_UUID)"
SMI
  install -D -m 755 /dev/stdin "$root/usr/local/sbin/modinfo" <<MODINFO
#!/bin/sh
# modinfo stand-in (booted-host test): the nvidia module's version once the driver runfile's stand-in
# installer wrote it, the real modinfo otherwise.
if [ "\$*" = "-F version nvidia" ]; then
  cat $STAND_IN_DIR/nvidia-module-version 2>/dev/null && exit 0
  echo "modinfo: ERROR: Module nvidia not found." >&2; exit 1
fi
exec /sbin/modinfo "\$@"
MODINFO
}

# aws: answers the bootstrap's one SSM call with a fixed, harmless environment.
write_aws_stand_in() {
  local root=$1
  install -D -m 755 /dev/stdin "$root/usr/local/bin/aws" <<AWS
#!/bin/sh
# AWS CLI stand-in (booted-host test): ssm get-parameter --with-decryption, and s3 cp of one object
# from moto's S3 on this container's loopback (port $STAND_IN_S3_PORT), with a plain GET.
case " \$* " in
  *" ssm get-parameter "*"--with-decryption"*) echo "$STAND_IN_ENV_CONTENT" ;;
  *" s3 cp "*" s3://"*)
    for arg; do case "\$arg" in s3://*) src=\$arg ;; -*|s3|cp|[a-z][a-z]-*-[0-9]) ;; *) dest=\$arg ;; esac; done
    exec perl -MIO::Socket::INET -e '
      my (\$path, \$out) = @ARGV;
      my \$s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $STAND_IN_S3_PORT) or die "aws stand-in: no S3 on 127.0.0.1:$STAND_IN_S3_PORT\n";
      binmode \$s; print \$s "GET \$path HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
      local \$/; my (\$head, \$body) = split /\r\n\r\n/, <\$s>, 2;
      \$head =~ m{^HTTP/\S+ 200 } or die "aws stand-in: download failed: " . (split /\r\n/, \$head)[0] . "\n";
      open my \$f, ">", \$out or die "\$out: \$!\n"; binmode \$f; print \$f \$body; close \$f or die;
    ' "/\${src#s3://}" "\$dest" ;;
  *) echo "aws stand-in: unsupported call: \$*" >&2; exit 255 ;;
esac
AWS
}

# cloud-init: a cloud-final.service that runs the instance's user data as cloud-init does (a
# process named cloud-init, so the scripts know they run from user data). Not enabled: the test
# starts it once the boot checks are done.
write_cloud_init_stand_in() {
  local root=$1 cluster=$2
  install -D -m 755 /dev/stdin "$root/usr/bin/cloud-init" <<'CLOUDINIT'
#!/bin/bash
# cloud-init stand-in (booted-host test): runs the user data script, logs like cloud-init.
exec >>/var/log/cloud-init-output.log 2>&1
/var/lib/cloud/instance/scripts/part-001
CLOUDINIT
  write_unit "$root/etc/systemd/system/cloud-final.service" <<'UNIT'
[Unit]
Description=cloud-init final stage (stand-in built by the booted-host test)

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/cloud-init modules --mode=final
UNIT
  install -D -m 755 /dev/stdin "$root/var/lib/cloud/instance/scripts/part-001" <<USERDATA
#!/bin/bash
# User data as the web backend writes it, plus the OS stand-in variable for this Debian host.
export OS_RELEASE_FILE=$STAND_IN_DIR/os-release
/usr/share/fractal/userdata-bootstrap.sh --cluster $cluster \\
  --env-ssm-parameter /fractal/host-service/env --region us-east-1
USERDATA
}

# sign_ecs_init_stand_in <root> <scratch dir>: a detached signature beside the package, by a
# throw-away key whose public half and fingerprint the setup is given (as for AWS's real key).
sign_ecs_init_stand_in() {
  local root=$1 home=$2/gnupg fingerprint
  install -d -m 700 "$home"
  GNUPGHOME=$home gpg --batch --quiet --passphrase '' \
    --quick-gen-key "ECS init stand-in signer (booted-host test)" ed25519 sign never
  fingerprint=$(GNUPGHOME=$home gpg --batch --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }')
  GNUPGHOME=$home gpg --batch --armor --export "$fingerprint" >"$root$STAND_IN_DIR/ecs-signing-key.asc"
  GNUPGHOME=$home gpg --batch --armor --detach-sign --local-user "$fingerprint" \
    --output "$root$STAND_IN_DIR/amazon-ecs-init.deb.asc" "$root$STAND_IN_DIR/amazon-ecs-init.deb"
  gpgconf --homedir "$home" --kill all
  STAND_IN_ENV+=("ECS_PGP_KEY_FINGERPRINT=$fingerprint")
}

# write_stand_ins <root> <scratch dir> <cluster>
write_stand_ins() {
  local root=$1 scratch=$2 cluster=$3
  mkdir -p "$root$STAND_IN_DIR"
  printf '%s\n' 'NAME="Ubuntu"' "VERSION_ID=\"$STAND_IN_VERSION_ID\"" 'ID=ubuntu' \
    "VERSION_CODENAME=$STAND_IN_CODENAME" "PRETTY_NAME=\"Ubuntu $STAND_IN_VERSION_ID stand-in ($STAND_IN_LABEL)\"" \
    >"$root$STAND_IN_DIR/os-release"
  # The iptables backend of the Ubuntu release stood in for (20.04: legacy; 24.04: nft).
  chroot "$root" update-alternatives --quiet --set iptables "/usr/sbin/iptables-$STAND_IN_IPTABLES"
  chroot "$root" update-alternatives --quiet --set ip6tables "/usr/sbin/ip6tables-$STAND_IN_IPTABLES"
  printf '%s\n' '#!/bin/sh' '# ecs-host-service stand-in (booted-host test)' 'exec sleep infinity' |
    install -m 755 /dev/stdin "$root$STAND_IN_DIR/ecs-host-service"
  STAND_IN_ENV+=("HOST_SERVICE_BINARY_SHA256=$(sha256sum <"$root$STAND_IN_DIR/ecs-host-service" | cut -d' ' -f1)")
  build_ecs_init_stand_in "$root" "$scratch"
  sign_ecs_init_stand_in "$root" "$scratch"
  write_gpu_stand_ins "$root"
  write_aws_stand_in "$root"
  write_cloud_init_stand_in "$root" "$cluster"
  # No package source but the stand-ins (booted-host/apt-repo.sh): the container has no network.
  : >"$root/etc/apt/sources.list"
  rm -f "$root"/etc/apt/sources.list.d/*
  # An instance cloud-init already ran on, as on a builder: the setup must remove it.
  mkdir -p "$root/var/lib/cloud/instances/i-0123456789abcdef0"
}
