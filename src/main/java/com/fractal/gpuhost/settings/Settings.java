package com.fractal.gpuhost.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the app is configured with, loaded and validated once by {@link SettingsLoader}.
 * Defaults live in cdk.json; stacks and constructs receive these records, never the raw context.
 *
 * @param activeRegions         regions that get a network stack and a copy of every AMI; the build region first
 * @param buildRegion           where Image Builder builds the AMI
 * @param imageVariants         the active image variants, each built by a pipeline of its own
 * @param rootVolumeGiB         root volume of built images and dev instances
 * @param dynamicHostPorts      the host-port range ECS maps container ports to
 * @param sshCidr               the one network allowed SSH into container-testing, when given
 * @param existingVpcs          per region, a VPC to use instead of creating one
 * @param ssmNames              names of the parameters the stacks share
 * @param devInstance           the dev instance to synthesize, only when a developer is named
 * @param hostScriptsDir        the host-scripts folder, shipped to hosts as one asset
 * @param pinnedVersions        the versions pinned in its versions.env
 * @param imagePipeline         the image pipeline's settings
 * @param ci                    who may deploy from CI, only when a GitHub repository is named
 * @param release               the release channels and how many promotions keep their AMIs
 * @param notifications         who hears of builds, promotions and rollbacks
 */
public record Settings(
        List<String> activeRegions,
        String buildRegion,
        List<ImageVariant> imageVariants,
        int rootVolumeGiB,
        PortRange dynamicHostPorts,
        Optional<String> sshCidr,
        Map<String, ExistingVpc> existingVpcs,
        SsmNames ssmNames,
        Optional<DevInstanceSettings> devInstance,
        Path hostScriptsDir,
        PinnedVersions pinnedVersions,
        ImagePipelineSettings imagePipeline,
        Optional<CiSettings> ci,
        ReleaseSettings release,
        NotificationSettings notifications) {

    public Settings {
        activeRegions = List.copyOf(activeRegions);
        imageVariants = List.copyOf(imageVariants);
        existingVpcs = Map.copyOf(existingVpcs);
    }

    /** Every physical name, from the settings that shape names. */
    public ResourceNames names() {
        return new ResourceNames(ssmNames);
    }

    /** The active variant of that name. */
    public Optional<ImageVariant> imageVariant(final String name) {
        return imageVariants.stream().filter(variant -> variant.name().equals(name)).findFirst();
    }

    public Optional<ExistingVpc> existingVpc(final String region) {
        return Optional.ofNullable(existingVpcs.get(region));
    }
}
