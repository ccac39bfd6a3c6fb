package com.fractal.gpuhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.network.HostSecurityGroup;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SharingSettings;
import com.fractal.gpuhost.settings.SsmNames;
import com.fractal.gpuhost.settings.ToolSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The resolved settings that tools outside the CDK app need (CI scripts, the emulator test, workflows,
 * the release command), made from the app's {@link Settings} and names, and written into the cloud assembly
 * beside the templates as a {@link ToolSettings}. Tools read that file and never cdk.json, so a {@code -c}
 * override reaches them exactly as it reached the stacks.
 */
public final class ToolSettingsFile {
    /** The file's name inside the cloud assembly folder. */
    public static final String FILE_NAME = ToolSettings.FILE_NAME;

    private ToolSettingsFile() {
    }

    /** Writes the file into the assembly folder, creating the folder when needed. */
    public static Path write(final Settings settings, final Path assemblyDir) {
        return of(settings).write(assemblyDir);
    }

    static JsonNode toJson(final Settings settings) {
        return of(settings).toJson();
    }

    static ToolSettings of(final Settings settings) {
        ResourceNames names = settings.names();
        SsmNames ssm = settings.ssmNames();
        Map<String, String> groupIds = new LinkedHashMap<>();
        Map<String, String> groupNames = new LinkedHashMap<>();
        for (HostSecurityGroup group : HostSecurityGroup.values()) {
            groupIds.put(group.key(), ssm.securityGroupId(group.key()));
            groupNames.put(group.key(), group.groupName(names));
        }
        Map<String, String> networkStacks = byKey(settings.activeRegions(), names::networkStack);
        Map<String, ToolSettings.Variant> variants = byVariant(settings, variant -> new ToolSettings.Variant(
                variant.osRelease(), variant.baseImageSsmParameter(), variant.families(),
                variant.buildInstanceTypes(), variant.testInstanceTypes(), variant.retiredOn().orElse(""),
                variant.driver().key(), names.imagePipeline(variant.name()), ssm.hostAmiId(variant.name()),
                ssm.imagePipelineArn(variant.name())));
        return new ToolSettings(ToolSettings.SCHEMA_VERSION, settings.activeRegions(), settings.buildRegion(),
                ssm.prefix(), settings.rootVolumeGiB(), settings.dynamicHostPorts(), names.project(),
                new ToolSettings.NetworkParameters(ssm.amiIdPath(), ssm.vpcId(), ssm.publicSubnetIds(), groupIds),
                groupNames, settings.imageVariants().stream().map(ImageVariant::name).toList(), variants,
                new ToolSettings.Stacks(networkStacks, names.imagePipelineStack(),
                        settings.devInstance().map(dev -> names.devInstanceStack(dev.developer())).orElse(null),
                        settings.ci().map(ci -> names.ciDeployRoleStack()).orElse(null)),
                settings.devInstance().map(dev -> new ToolSettings.DevInstance(dev.developer(), dev.region(),
                        dev.instanceType(), dev.variant().name(), dev.subnetIndex(),
                        names.devInstanceNameTag(dev.developer()))).orElse(null),
                release(settings), sharing(settings));
    }

    private static ToolSettings.Release release(final Settings settings) {
        ResourceNames names = settings.names();
        SsmNames ssm = settings.ssmNames();
        ReleaseSettings release = settings.release();
        Map<String, ToolSettings.ReleaseVariant> variants = byVariant(settings, variant ->
                new ToolSettings.ReleaseVariant(ssm.hostAmiId(variant.name()), names.imagePipeline(variant.name()),
                        // The pin (host-scripts/variants/<variant>.env) a production channel's image must match.
                        variant.driver().sha256(), byKey(release.channels(), channel -> new ToolSettings.Channel(
                                ssm.channelAmiId(variant.name(), channel), release.heldByTagKey(channel)))));
        return new ToolSettings.Release(variants, release.historyKept(), ReleaseSettings.HELD_BY_TAG_VALUE,
                ReleaseSettings.MADE_BY_TAG_KEY, release.production(), ReleaseSettings.DRIVER_SHA256_TAG_KEY,
                ssm.notificationTopicArn());
    }

    // Who else reads the channels: the release command writes each workload account's copy through its role.
    private static ToolSettings.Sharing sharing(final Settings settings) {
        SharingSettings sharing = settings.imagePipeline().sharing();
        return new ToolSettings.Sharing(sharing.accounts(), sharing.organizationalUnits(),
                sharing.organization().orElse(""), sharing.copyToAccounts(),
                settings.names().releaseChannelWriterRole());
    }

    private static <V> Map<String, V> byVariant(final Settings settings, final Function<ImageVariant, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        settings.imageVariants().forEach(variant -> map.put(variant.name(), value.apply(variant)));
        return map;
    }

    private static <V> Map<String, V> byKey(final Iterable<String> keys, final Function<String, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        keys.forEach(key -> map.put(key, value.apply(key)));
        return map;
    }
}
