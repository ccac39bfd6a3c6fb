package com.fractal.gpuhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fractal.gpuhost.ci.CiDeployRoleStack;
import com.fractal.gpuhost.image.HostImagePipeline;
import com.fractal.gpuhost.image.HostImagePipelineStack;
import com.fractal.gpuhost.network.HostSecurityGroups;
import com.fractal.gpuhost.network.NetworkStack;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.Settings;
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
    static final int SCHEMA_VERSION = 1;

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

        SsmNames names = settings.ssmNames();
        ObjectNode ssm = root.putObject("ssmNames");
        ssm.put("latestAmiId", names.hostAmiId());
        ssm.put("amiIdPath", names.amiIdPath());
        ssm.put("imagePipelineArn", names.imagePipelineArn());
        ssm.put("vpcId", names.vpcId());
        ssm.put("publicSubnetIds", names.publicSubnetIds());
        ObjectNode groups = ssm.putObject("securityGroupIds");
        for (String key : List.of(HostSecurityGroups.CONTAINER_TESTING, HostSecurityGroups.PRODUCTION_HOSTS,
                HostSecurityGroups.IMAGE_BUILDER)) {
            groups.put(key, names.securityGroupId(key));
        }

        root.putObject("imagePipeline").put("name", HostImagePipeline.NAME);

        ObjectNode stacks = root.putObject("stacks");
        ObjectNode network = stacks.putObject("network");
        settings.activeRegions().forEach(region -> network.put(region, NetworkStack.nameIn(region)));
        stacks.put("imagePipeline", HostImagePipelineStack.NAME);
        settings.devInstance().ifPresent(dev -> stacks.put("devInstance", dev.stackName()));
        settings.ci().ifPresent(ci -> stacks.put("ciDeployRole", CiDeployRoleStack.NAME));

        // Releases (issue 11): what the release command needs, so it never reads cdk.json.
        ReleaseSettings release = settings.release();
        ObjectNode releaseNode = root.putObject("release");
        ObjectNode channels = releaseNode.putObject("channels");
        release.channels().forEach(channel -> channels.putObject(channel)
                .put("ssmName", names.channelAmiId(channel))
                .put("heldByTagKey", release.heldByTagKey(channel)));
        releaseNode.put("releaseHistoryKept", release.historyKept());
        releaseNode.put("heldByTagValue", ReleaseSettings.HELD_BY_TAG_VALUE);
        releaseNode.putObject("madeByTag").put("key", ReleaseSettings.MADE_BY_TAG_KEY).put("value", HostImagePipeline.NAME);
        releaseNode.put("notificationTopicArnSsmName", names.notificationTopicArn());
        return root;
    }

    private static void strings(final ArrayNode array, final List<String> values) {
        values.forEach(array::add);
    }
}
