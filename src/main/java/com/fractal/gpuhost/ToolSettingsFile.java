package com.fractal.gpuhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fractal.gpuhost.network.HostSecurityGroup;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SharingSettings;
import com.fractal.gpuhost.settings.SsmNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The resolved settings that tools outside the CDK app need (CI scripts, the emulator test, workflows,
 * the release command), written into the cloud assembly beside the templates. Tools read this file and
 * never cdk.json, so a {@code -c} override reaches them exactly as it reached the stacks.
 */
public final class ToolSettingsFile {
    /** The file's name inside the cloud assembly folder. */
    public static final String FILE_NAME = "gpu-host-settings.json";
    /** Bumped when a key is renamed or removed, so a tool can refuse a file it does not understand. */
    static final int SCHEMA_VERSION = 2;

    private ToolSettingsFile() {
    }

    /** Writes the file into the assembly folder, creating the folder when needed. */
    public static Path write(final Settings settings, final Path assemblyDir) {
        Path file = assemblyDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(assemblyDir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson(settings));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    static ObjectNode toJson(final Settings settings) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        strings(root.putArray("activeRegions"), settings.activeRegions());
        root.put("buildRegion", settings.buildRegion());
        root.put("ssmPrefix", settings.ssmNames().prefix());
        root.put("rootVolumeGiB", settings.rootVolumeGiB());
        root.putObject("dynamicHostPorts").put("from", settings.dynamicHostPorts().from())
                .put("to", settings.dynamicHostPorts().to());
        ResourceNames resourceNames = settings.names();
        root.put("projectTag", resourceNames.project());

        SsmNames names = settings.ssmNames();
        ObjectNode ssm = root.putObject("ssmNames");
        ssm.put("amiIdPath", names.amiIdPath());
        ssm.put("vpcId", names.vpcId());
        ssm.put("publicSubnetIds", names.publicSubnetIds());
        ObjectNode groups = ssm.putObject("securityGroupIds");
        ObjectNode groupNames = root.putObject("securityGroupNames");
        for (HostSecurityGroup group : HostSecurityGroup.values()) {
            groups.put(group.key(), names.securityGroupId(group.key()));
            groupNames.put(group.key(), group.groupName(resourceNames));
        }

        // Each active variant: what it is built from and on, and the names of its pipeline and parameters.
        strings(root.putArray("imageVariants"), settings.imageVariants().stream().map(ImageVariant::name).toList());
        ObjectNode variants = root.putObject("variants");
        for (ImageVariant variant : settings.imageVariants()) {
            ObjectNode node = variants.putObject(variant.name());
            node.put("osRelease", variant.osRelease());
            node.put("baseImageSsmParameter", variant.baseImageSsmParameter());
            strings(node.putArray("families"), variant.families());
            strings(node.putArray("buildInstanceTypes"), variant.buildInstanceTypes());
            strings(node.putArray("testInstanceTypes"), variant.testInstanceTypes());
            node.put("retiredOn", variant.retiredOn().orElse(""));
            node.put("gridDriverKey", variant.driver().key());
            node.put("imagePipeline", resourceNames.imagePipeline(variant.name()));
            node.put("latestAmiId", names.hostAmiId(variant.name()));
            node.put("imagePipelineArn", names.imagePipelineArn(variant.name()));
        }

        ObjectNode stacks = root.putObject("stacks");
        ObjectNode network = stacks.putObject("network");
        settings.activeRegions().forEach(region -> network.put(region, resourceNames.networkStack(region)));
        stacks.put("imagePipeline", resourceNames.imagePipelineStack());
        settings.devInstance().ifPresent(dev -> {
            stacks.put("devInstance", resourceNames.devInstanceStack(dev.developer()));
            root.putObject("devInstance").put("developer", dev.developer()).put("region", dev.region())
                    .put("instanceType", dev.instanceType()).put("variant", dev.variant().name()).put("subnetIndex", dev.subnetIndex())
                    .put("nameTag", resourceNames.devInstanceNameTag(dev.developer()));
        });
        settings.ci().ifPresent(ci -> stacks.put("ciDeployRole", resourceNames.ciDeployRoleStack()));

        // What the release command needs, so it never reads cdk.json.
        ReleaseSettings release = settings.release();
        ObjectNode releaseNode = root.putObject("release");
        ObjectNode releaseVariants = releaseNode.putObject("variants");
        for (ImageVariant variant : settings.imageVariants()) {
            ObjectNode node = releaseVariants.putObject(variant.name());
            node.put("latestAmiId", names.hostAmiId(variant.name()));
            node.put("madeByTagValue", resourceNames.imagePipeline(variant.name()));
            // The pin (host-scripts/variants/<variant>.env) a production channel's image must match.
            node.put("gridDriverSha256", variant.driver().sha256());
            ObjectNode channels = node.putObject("channels");
            release.channels().forEach(channel -> channels.putObject(channel)
                    .put("ssmName", names.channelAmiId(variant.name(), channel))
                    .put("heldByTagKey", release.heldByTagKey(channel)));
        }
        releaseNode.put("releaseHistoryKept", release.historyKept());
        releaseNode.put("heldByTagValue", ReleaseSettings.HELD_BY_TAG_VALUE);
        releaseNode.put("madeByTagKey", ReleaseSettings.MADE_BY_TAG_KEY);
        strings(releaseNode.putArray("productionChannels"), release.production());
        releaseNode.put("driverSha256TagKey", ReleaseSettings.DRIVER_SHA256_TAG_KEY);
        releaseNode.put("notificationTopicArnSsmName", names.notificationTopicArn());

        // Who else reads the channels: the release command writes each workload account's copy through its role.
        SharingSettings sharing = settings.imagePipeline().sharing();
        ObjectNode sharingNode = root.putObject("sharing");
        strings(sharingNode.putArray("accounts"), sharing.accounts());
        strings(sharingNode.putArray("organizationalUnits"), sharing.organizationalUnits());
        sharingNode.put("organization", sharing.organization().orElse(""));
        strings(sharingNode.putArray("copyToAccounts"), sharing.copyToAccounts());
        sharingNode.put("channelWriterRole", resourceNames.releaseChannelWriterRole());
        return root;
    }

    private static void strings(final ArrayNode array, final List<String> values) {
        values.forEach(array::add);
    }
}
