package com.fractal.gpuhost.devinstance;

import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.image.DriverMirror;
import com.fractal.gpuhost.image.UnpackCommand;
import com.fractal.gpuhost.settings.ImageVariant;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.UserData;

/**
 * The first-boot script of a dev instance: fetch the host-scripts asset, run the host setup (part 1, the
 * same script the AMI build runs) and the Go install, then reboot so the NVIDIA driver loads.
 * Everything goes to {@value #LOG_FILE} so an engineer can follow it over Session Manager.
 */
final class DevInstanceUserData {
    static final String LOG_FILE = "/var/log/fractal-dev-setup.log";
    static final String SCRIPTS_DIR = "/opt/fractal/host-scripts";
    static final String SCRIPTS_ZIP = "/opt/fractal/host-scripts.zip";
    static final String DRIVER_RUNFILE = "/opt/fractal/nvidia-grid-driver.run";

    private DevInstanceUserData() {
    }

    /** Stock Ubuntu: the full host setup, Go, then a reboot so the NVIDIA driver loads. */
    static UserData hostSetup(final HostScriptsAsset scripts, final Path componentsDir, final String region,
            final ImageVariant variant, final String buildRegion) {
        UserData userData = UserData.forLinux();
        userData.addCommands(fetchScripts(scripts, componentsDir, region, variant));
        userData.addCommands(
                // User data runs inside cloud-init: the scripts must not wait for cloud-init to finish.
                "export TARGET_USER=ubuntu WAIT_FOR_CLOUD_INIT=0",
                // The driver comes only from the mirror, fetched before part 1 as a build's component fetches
                // it, so part 1 checks it before it installs anything.
                Fn.join("", List.of("export NVIDIA_DRIVER_MIRROR_BUCKET=", DriverMirror.bucketName(buildRegion),
                        " NVIDIA_DRIVER_MIRROR_REGION=", buildRegion)),
                "aws s3 cp --only-show-errors --region \"$NVIDIA_DRIVER_MIRROR_REGION\" \"s3://$NVIDIA_DRIVER_MIRROR_BUCKET/"
                        + variant.driver().key() + "\" " + DRIVER_RUNFILE,
                "export NVIDIA_GRID_DRIVER_RUNFILE=" + DRIVER_RUNFILE,
                "bash " + SCRIPTS_DIR + "/setup_gpu_host.sh",
                "bash " + SCRIPTS_DIR + "/install_go.sh",
                "echo \"dev instance setup: done $(date --iso-8601=seconds); rebooting to load the NVIDIA driver\"",
                "reboot");
        return userData;
    }

    /**
     * A published host image already holds the host setup, but not Go (production hosts do not build the
     * host service): install only Go, from the same scripts. No reboot is needed.
     */
    static UserData publishedImage(final HostScriptsAsset scripts, final Path componentsDir, final String region,
            final ImageVariant variant) {
        UserData userData = UserData.forLinux();
        userData.addCommands(fetchScripts(scripts, componentsDir, region, variant));
        userData.addCommands(
                "echo \"dev instance from a published host image: the host setup is baked in; installing Go\"",
                "bash " + SCRIPTS_DIR + "/install_go.sh",
                "echo \"dev instance setup: done $(date --iso-8601=seconds)\"");
        return userData;
    }

    /**
     * Logging, the variant, the AWS CLI, and the host-scripts asset unpacked into {@value #SCRIPTS_DIR} with the
     * image components' own unpack command.
     */
    private static String[] fetchScripts(final HostScriptsAsset scripts, final Path componentsDir, final String region,
            final ImageVariant variant) {
        return new String[] {
            "set -euo pipefail",
            // Every entry script reads the variant (its driver pin) from here.
            "export IMAGE_VARIANT=" + variant.name(),
            "exec > >(tee -a " + LOG_FILE + ") 2>&1",
            "echo \"dev instance setup: start $(date --iso-8601=seconds)\"",
            // The snap-installed AWS CLI lands in /snap/bin, which cloud-init's PATH lacks.
            "export PATH=\"$PATH:/snap/bin\"",
            "command -v aws >/dev/null || snap install aws-cli --classic",
            "mkdir -p " + SCRIPTS_DIR,
            Fn.join("", List.of("aws s3 cp --only-show-errors --region ", region, " 's3://",
                    scripts.bucketName(), "/", scripts.objectKey(), "' " + SCRIPTS_ZIP)),
            UnpackCommand.of(componentsDir, SCRIPTS_ZIP, SCRIPTS_DIR),
        };
    }
}
