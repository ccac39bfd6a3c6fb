package com.fractal.gpuhost.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the release command knows of the project, read from the resolved settings that synthesis writes
 * into the cloud assembly (gpu-host-settings.json), never from cdk.json: regions, SSM names and channels
 * are the stacks' own.
 *
 * @param variant            the image variant whose channels this is
 * @param activeRegions      every region a release changes, the build region first
 * @param buildRegion        where the notification topic lives
 * @param latestSsmName      the newest build's AMI ID, written by Image Builder's distribution
 * @param channels           each channel's parameter and held-by tag key, in the settings' order
 * @param historyKept        promotions whose AMIs keep the held-by tag
 * @param heldByTagValue     the value of every held-by tag
 * @param madeByTagKey       the tag that this pipeline puts on every AMI it makes
 * @param madeByTagValue     its value
 * @param topicArnSsmName    the parameter (build region) holding the notification topic's ARN
 * @param driverGate         what a promotion into a production channel checks of the image's GRID driver
 * @param sharing            the workload accounts that read the channels (none: the build account alone)
 */
public record ReleaseConfig(String variant, List<String> activeRegions, String buildRegion, String latestSsmName,
        Map<String, Channel> channels, int historyKept, String heldByTagValue, String madeByTagKey,
        String madeByTagValue, String topicArnSsmName, DriverGate driverGate, Sharing sharing) {

    public static final String FILE_NAME = "gpu-host-settings.json";
    /** The settings file's schema this command understands. */
    static final int SCHEMA_VERSION = 2;

    /** A channel's parameter name and its held-by tag key. */
    public record Channel(String name, String ssmName, String heldByTagKey) {
    }

    /**
     * The production channels, the AMI tag that records the installed driver's SHA-256, and the variant's pin
     * ("unqualified" until `npm run drivers -- qualify` writes one).
     */
    public record DriverGate(List<String> productionChannels, String sha256TagKey, String pinnedSha256) {
        public static final String UNQUALIFIED = "unqualified";

        public DriverGate {
            productionChannels = List.copyOf(productionChannels);
        }
    }

    /**
     * The sharing settings as synthesis resolved them: every account they name reads its own copy of each
     * channel, written through the role {@code channelWriterRole} in that account.
     *
     * @param accounts            accounts that launch the shared AMIs
     * @param organizationalUnits OU ARNs whose accounts (children OUs included) launch them
     * @param organization        the organization ARN whose accounts launch them, if any
     * @param copyToAccounts      accounts that own a copy of each AMI
     * @param channelWriterRole   the role's name, the same in every workload account
     */
    public record Sharing(List<String> accounts, List<String> organizationalUnits, Optional<String> organization,
            List<String> copyToAccounts, String channelWriterRole) {
        public Sharing {
            accounts = List.copyOf(accounts);
            organizationalUnits = List.copyOf(organizationalUnits);
            copyToAccounts = List.copyOf(copyToAccounts);
        }

        public static Sharing none() {
            return new Sharing(List.of(), List.of(), Optional.empty(), List.of(), "");
        }

        /** True when some account other than the build account reads the channels. */
        public boolean isActive() {
            return !accounts.isEmpty() || !organizationalUnits.isEmpty() || organization.isPresent()
                    || !copyToAccounts.isEmpty();
        }

        /** A file written before the sharing settings existed has none: the build account alone. */
        static Sharing read(final JsonNode node) {
            if (node.isMissingNode()) {
                return none();
            }
            String organization = node.path("organization").asText("");
            return new Sharing(texts(node.path("accounts")), texts(node.path("organizationalUnits")),
                    organization.isEmpty() ? Optional.empty() : Optional.of(organization),
                    texts(node.path("copyToAccounts")), node.path("channelWriterRole").asText());
        }

        private static List<String> texts(final JsonNode array) {
            List<String> values = new ArrayList<>();
            array.forEach(value -> values.add(value.asText()));
            return values;
        }
    }

    public ReleaseConfig {
        List<String> ordered = new ArrayList<>(List.of(buildRegion));
        activeRegions.stream().filter(region -> !region.equals(buildRegion)).forEach(ordered::add);
        activeRegions = List.copyOf(ordered);
        channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    public Channel channel(final String name) {
        Channel channel = channels.get(name);
        if (channel == null) {
            throw ReleaseException.usage("unknown channel \"" + name + "\"; channels: "
                    + String.join(", ", channels.keySet()));
        }
        return channel;
    }

    /**
     * Reads the settings file of an assembly folder: one config per active variant, in the settings' order.
     * A missing or unreadable file is a usage error.
     */
    public static List<ReleaseConfig> readAll(final Path assemblyDir) {
        Path file = assemblyDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw ReleaseException.usage(file + " is missing: run `npm run synth` first (or pass --assembly DIR)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw ReleaseException.usage(file + " is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "): run `npm run synth` again");
        }
        if (root.path("schemaVersion").asInt() != SCHEMA_VERSION || !root.at("/release/variants").isObject()) {
            throw ReleaseException.usage(file + " is from another version of the app (no release settings per "
                    + "variant or schemaVersion " + root.path("schemaVersion").asText() + "): run `npm run synth` again");
        }
        JsonNode release = root.path("release");
        List<String> regions = new ArrayList<>();
        root.path("activeRegions").forEach(region -> regions.add(region.asText()));
        List<ReleaseConfig> configs = new ArrayList<>();
        List<String> production = new ArrayList<>();
        release.path("productionChannels").forEach(channel -> production.add(channel.asText()));
        Sharing sharing = Sharing.read(root.path("sharing"));
        release.path("variants").fields().forEachRemaining(variant -> {
            Map<String, Channel> channels = new LinkedHashMap<>();
            variant.getValue().path("channels").fields().forEachRemaining(entry -> channels.put(entry.getKey(),
                    new Channel(entry.getKey(), entry.getValue().path("ssmName").asText(),
                            entry.getValue().path("heldByTagKey").asText())));
            configs.add(new ReleaseConfig(variant.getKey(), regions, root.path("buildRegion").asText(),
                    variant.getValue().path("latestAmiId").asText(), channels,
                    release.path("releaseHistoryKept").asInt(), release.path("heldByTagValue").asText(),
                    release.path("madeByTagKey").asText(), variant.getValue().path("madeByTagValue").asText(),
                    release.path("notificationTopicArnSsmName").asText(),
                    new DriverGate(production, release.path("driverSha256TagKey").asText(),
                            variant.getValue().path("gridDriverSha256").asText(DriverGate.UNQUALIFIED)), sharing));
        });
        return configs;
    }

    /**
     * The config of the variant asked for, or of the one active variant when none is named; a name that is
     * not active, or none while several are, is a usage error naming the active variants.
     */
    public static ReleaseConfig read(final Path assemblyDir, final Optional<String> variant) {
        List<ReleaseConfig> configs = readAll(assemblyDir);
        List<String> active = configs.stream().map(ReleaseConfig::variant).toList();
        if (variant.isEmpty()) {
            if (configs.size() != 1) {
                throw ReleaseException.usage("--variant is needed: " + configs.size() + " variants are active ("
                        + String.join(", ", active) + ")");
            }
            return configs.get(0);
        }
        return configs.stream().filter(config -> config.variant().equals(variant.get())).findFirst()
                .orElseThrow(() -> ReleaseException.usage("--variant: \"" + variant.get() + "\" is not an active "
                        + "variant; allowed: " + String.join(", ", active)));
    }
}
