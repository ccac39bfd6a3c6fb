package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Optional;

/**
 * The image pipeline's own settings.
 *
 * @param retainedImages          how many of the newest images (and their AMIs in every region) to keep
 * @param schedule                a cron expression for scheduled builds; empty means builds only on demand
 * @param launchPermissionAccounts other AWS accounts allowed to launch the AMIs
 * @param sourceCommit            the git commit the build comes from, tagged on every AMI
 * @param imageScanning           scan images with Amazon Inspector (it must be enabled in the account)
 * @param testTimeoutMinutes      how long the image tests may take
 */
public record ImagePipelineSettings(
        int retainedImages,
        Optional<String> schedule,
        List<String> launchPermissionAccounts,
        Optional<String> sourceCommit,
        boolean imageScanning,
        int testTimeoutMinutes) {

    public ImagePipelineSettings {
        launchPermissionAccounts = List.copyOf(launchPermissionAccounts);
    }
}
