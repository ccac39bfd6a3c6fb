# shellcheck shell=bash
#
# Owns the boot settings the GRID driver needs on current GPUs: nvidia-gridd running (it holds the
# license; without it GRID performance degrades after a day), the GSP firmware setting per instance
# family, and persistence mode (nvidia-persistenced). Made by part 1; the validate phase checks
# that they are in place and the test phase, on a GPU, that they took effect (lib/checks_gpu.sh).
# Needs lib/common.sh.

# Families whose GRID driver runs with the GPU System Processor firmware off. AWS's guide
# "Install NVIDIA GRID drivers" (EC2 user guide) turns GSP off for the GRID driver 17 and later on
# G4dn and G5 (options nvidia NVreg_EnableGpuFirmware=0), and awslabs/amazon-eks-ami does the same
# at boot on g4dn, g5 and g5g with the proprietary module; g6, gr6 and g6e keep the default (on).
# g5g (Arm) is not served by these images. G3 (Maxwell) has no GSP: nothing to set.
readonly GSP_OFF_FAMILIES=(g4dn g5)
readonly NVIDIA_MODPROBE_CONF=/etc/modprobe.d/fractal-nvidia.conf
readonly NVIDIA_MODULE_OPTIONS_BIN=/usr/share/fractal/bin/nvidia-module-options
readonly GRIDD_CONF=/etc/nvidia/gridd.conf
readonly PERSISTENCED_UNIT=/etc/systemd/system/nvidia-persistenced.service
# The instance type, as Nitro's firmware reports it (no network needed this early in the boot).
readonly INSTANCE_TYPE_FILE=/sys/devices/virtual/dmi/id/product_name

# nvidia_module_options_script: the boot helper that prints the nvidia module's options for the
# instance's family. One image serves several families, so the choice is made at each boot.
nvidia_module_options_script() {
  cat <<EOS
#!/bin/sh
# Installed by host-scripts (lib/grid_boot.sh): the nvidia module's options for this instance's
# family, read by $NVIDIA_MODPROBE_CONF when the module loads.
family=\$(cut -d. -f1 "\${ROOT:-}$INSTANCE_TYPE_FILE" 2>/dev/null)
case " ${GSP_OFF_FAMILIES[*]} " in
  *" \$family "*) echo NVreg_EnableGpuFirmware=0 ;;
esac
EOS
}

# nvidia_modprobe_conf: modprobe loads nvidia with the helper's options (modprobe runs an install
# command with /bin/sh; --ignore-install stops it from calling itself).
nvidia_modprobe_conf() {
  cat <<EOC
# Installed by host-scripts (lib/grid_boot.sh): the GSP firmware setting per instance family.
install nvidia /sbin/modprobe --ignore-install nvidia \$CMDLINE_OPTS \$($NVIDIA_MODULE_OPTIONS_BIN)
EOC
}

# persistenced_unit: the GRID .run ships nvidia-persistenced but no unit for it.
persistenced_unit() {
  cat <<'EOU'
# Installed by host-scripts (lib/grid_boot.sh): keeps the GPU initialised (persistence mode).
[Unit]
Description=NVIDIA Persistence Daemon
Wants=syslog.target

[Service]
Type=forking
ExecStart=/usr/bin/nvidia-persistenced --verbose
ExecStopPost=/bin/rm -rf /var/run/nvidia-persistenced

[Install]
WantedBy=multi-user.target
EOU
}

configure_gsp_firmware() {
  nvidia_module_options_script | install_content "$NVIDIA_MODULE_OPTIONS_BIN" 755
  nvidia_modprobe_conf | install_content "$NVIDIA_MODPROBE_CONF" 644
}

# enable_gridd: gridd.conf from the driver's template when absent (the driver licenses itself on
# EC2), and nvidia-gridd started at every boot.
enable_gridd() {
  if [[ ! -f "$ROOT$GRIDD_CONF" ]]; then
    [[ -f "$ROOT$GRIDD_CONF.template" ]] ||
      die "$GRIDD_CONF.template is missing: the GRID driver did not install nvidia-gridd"
    install_file "$ROOT$GRIDD_CONF.template" "$GRIDD_CONF" 644
  fi
  enable_unit nvidia-gridd.service
}

enable_persistence_mode() {
  persistenced_unit | install_content "$PERSISTENCED_UNIT" 644
  if file_changed; then
    systemctl daemon-reload
  fi
  enable_unit nvidia-persistenced.service
}

# gsp_firmware_wanted <family>: 0 when GSP is turned off for the family, "default" otherwise.
gsp_firmware_wanted() {
  if [[ " ${GSP_OFF_FAMILIES[*]} " == *" $1 "* ]]; then
    echo 0
  else
    echo default
  fi
}
