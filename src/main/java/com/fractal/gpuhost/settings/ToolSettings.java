package com.fractal.gpuhost.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The resolved-settings file that synthesis writes into the cloud assembly (gpu-host-settings.json) for every
 * tool outside the CDK app: the release and drivers commands read it through this type, the CI scripts and
 * workflows through scripts/ci/settings.sh (jq), the emulator harness in Python. One type, written and read
 * with Jackson, so a renamed key is a compile error in Java. Its JSON Schema (gpu-host-settings.schema.json,
 * a resource beside this class) names every key for the readers that are not Java; a test holds the
 * synthesized file to it, and scripts/check-workflows.sh holds every jq path and Python key to it.
 *
 * <p>Adding a key: add a component here (a nested record for an object), the same key to the schema, and bump
 * {@link #SCHEMA_VERSION} only when a key is renamed or removed.
 *
 * @param schemaVersion      {@link #SCHEMA_VERSION} of the app that wrote the file
 * @param activeRegions      regions with a network stack and a copy of every AMI
 * @param buildRegion        where images are built
 * @param ssmPrefix          the prefix of the project's SSM parameters
 * @param rootVolumeGiB      root volume of images and dev instances
 * @param dynamicHostPorts   the host-port range open to clients
 * @param projectTag         the value of the project tag on every resource
 * @param ssmNames           the parameters the network stacks publish
 * @param securityGroupNames each host security group's name, by its key
 * @param imageVariants      the active variants, in the settings' order
 * @param variants           each active variant: what it is built from and on, and its names
 * @param stacks             the stack names
 * @param devInstance        the dev instance, only when a developer is named (else absent)
 * @param release            what the release command needs
 * @param sharing            the accounts that read their own copy of the channels, and the role that writes it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolSettings(int schemaVersion, List<String> activeRegions, String buildRegion, String ssmPrefix,
        int rootVolumeGiB, PortRange dynamicHostPorts, String projectTag, NetworkParameters ssmNames,
        Map<String, String> securityGroupNames, List<String> imageVariants, Map<String, Variant> variants,
        Stacks stacks, DevInstance devInstance, Release release, Sharing sharing) {

    /** The file's name inside the cloud assembly folder. */
    public static final String FILE_NAME = "gpu-host-settings.json";
    /**
     * The one statement of the file's version: bumped when a key is renamed or removed, so a tool refuses a file
     * it does not understand. The schema's {@code schemaVersion} const is held to it by a test, and
     * scripts/ci/settings.sh reads it from the schema.
     */
    public static final int SCHEMA_VERSION = 2;
    /** The JSON Schema, a classpath resource beside this class (src/main/resources/com/fractal/gpuhost/settings/). */
    public static final String SCHEMA_RESOURCE = "gpu-host-settings.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The SSM parameters each network stack writes, in its own region. */
    public record NetworkParameters(String amiIdPath, String vpcId, String publicSubnetIds,
            Map<String, String> securityGroupIds) {
    }

    /** An active image variant: its inputs and the names of its pipeline and parameters. */
    public record Variant(String osRelease, String baseImageSsmParameter, List<String> families,
            List<String> buildInstanceTypes, List<String> testInstanceTypes, String retiredOn, String gridDriverKey,
            String imagePipeline, String latestAmiId, String imagePipelineArn) {
    }

    /** Stack names; the dev and CI stacks only when they are synthesized. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stacks(Map<String, String> network, String imagePipeline, String devInstance, String ciDeployRole) {
    }

    public record DevInstance(String developer, String region, String instanceType, String variant, int subnetIndex,
            String nameTag) {
    }

    /** What the release command needs, so it never reads cdk.json. */
    public record Release(Map<String, ReleaseVariant> variants, int releaseHistoryKept, String heldByTagValue,
            String madeByTagKey, List<String> productionChannels, String driverSha256TagKey,
            String notificationTopicArnSsmName) {
    }

    /** A variant's release names, and the driver pin a production channel's image must match. */
    public record ReleaseVariant(String latestAmiId, String madeByTagValue, String gridDriverSha256,
            Map<String, Channel> channels) {
    }

    public record Channel(String ssmName, String heldByTagKey) {
    }

    /**
     * The sharing settings, for the release command: the accounts (named, under the OUs or in the organization,
     * and those that own copies) whose channels it writes through {@code channelWriterRole} in each.
     * {@code organization} is empty when the AMIs are not shared with the whole organization.
     */
    public record Sharing(List<String> accounts, List<String> organizationalUnits, String organization,
            List<String> copyToAccounts, String channelWriterRole) {
    }

    /** Why a settings file cannot be read; the message names the file and what is wrong with it. */
    public static final class UnreadableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean missing;

        UnreadableException(final String message, final boolean missing) {
            super(message);
            this.missing = missing;
        }

        /** True when there is no file at all (run the synth first), false when it is of another shape or version. */
        public boolean missing() {
            return missing;
        }
    }

    /** Writes the file into the assembly folder, creating the folder when needed. */
    public Path write(final Path assemblyDir) {
        Path file = assemblyDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(assemblyDir);
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /** The file as a JSON tree, as the tools outside Java see it. */
    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    /**
     * Reads the file of an assembly folder.
     *
     * @throws UnreadableException when it is missing, not JSON, of another version, or holds a key this type lacks
     */
    public static ToolSettings read(final Path assemblyDir) {
        Path file = assemblyDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new UnreadableException(file + " is missing", true);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UnreadableException(file + " is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", false);
        }
        if (tree == null || tree.path("schemaVersion").asInt() != SCHEMA_VERSION) {
            throw new UnreadableException(file + " is from another version of the app (schemaVersion "
                    + (tree == null ? "none" : tree.path("schemaVersion").asText("none")) + "; this one reads "
                    + SCHEMA_VERSION + ")", false);
        }
        try {
            return JSON.treeToValue(tree, ToolSettings.class);
        } catch (JsonProcessingException e) {
            throw new UnreadableException(file + " does not match this app's settings file ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")", false);
        }
    }
}
