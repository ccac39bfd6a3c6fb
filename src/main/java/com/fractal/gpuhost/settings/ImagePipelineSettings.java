package com.fractal.gpuhost.settings;

import java.util.Optional;

/**
 * The image pipeline's own settings.
 *
 * @param retainedImages          how many of the newest images (and their AMIs in every region) to keep
 * @param schedule                a cron expression for scheduled builds; empty means builds only on demand
 * @param sharing                 the accounts, OUs or organization that launch or copy the AMIs
 * @param sourceCommit            the git commit the build comes from, tagged on every AMI
 * @param imageScanning           scan images with Amazon Inspector (it must be enabled in the account)
 * @param testTimeoutMinutes      how long the image tests may take
 */
public record ImagePipelineSettings(
        int retainedImages,
        Optional<String> schedule,
        SharingSettings sharing,
        Optional<String> sourceCommit,
        boolean imageScanning,
        int testTimeoutMinutes) {
}
