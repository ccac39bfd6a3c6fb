package com.fractal.gpuhost.release;

import com.fractal.gpuhost.settings.SharingSettings;
import com.fractal.gpuhost.settings.ToolSettings;
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

    public static final String FILE_NAME = ToolSettings.FILE_NAME;

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

        /** True when some account other than the build account reads the channels: the settings' own rule. */
        public boolean isActive() {
            return new SharingSettings(accounts, organizationalUnits, organization, copyToAccounts).isActive();
        }

        /** The file's sharing settings; a file without them (the drivers test writes a partial one): none. */
        static Sharing of(final ToolSettings.Sharing file) {
            if (file == null) {
                return none();
            }
            return new Sharing(file.accounts(), file.organizationalUnits(),
                    Optional.of(file.organization()).filter(organization -> !organization.isEmpty()),
                    file.copyToAccounts(), file.channelWriterRole());
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
        ToolSettings file;
        try {
            file = ToolSettings.read(assemblyDir);
        } catch (ToolSettings.UnreadableException e) {
            throw ReleaseException.usage(e.getMessage() + (e.missing()
                    ? ": run `npm run synth` first (or pass --assembly DIR)" : ": run `npm run synth` again"));
        }
        ToolSettings.Release release = file.release();
        if (release == null || release.variants() == null) {
            throw ReleaseException.usage(assemblyDir.resolve(FILE_NAME) + " has no release settings: run `npm run synth` "
                    + "again");
        }
        List<ReleaseConfig> configs = new ArrayList<>();
        Sharing sharing = Sharing.of(file.sharing());
        release.variants().forEach((variant, names) -> {
            Map<String, Channel> channels = new LinkedHashMap<>();
            names.channels().forEach((channel, parameter) -> channels.put(channel,
                    new Channel(channel, parameter.ssmName(), parameter.heldByTagKey())));
            configs.add(new ReleaseConfig(variant, file.activeRegions(), file.buildRegion(), names.latestAmiId(),
                    channels, release.releaseHistoryKept(), release.heldByTagValue(), release.madeByTagKey(),
                    names.madeByTagValue(), release.notificationTopicArnSsmName(),
                    new DriverGate(release.productionChannels(), release.driverSha256TagKey(),
                            names.gridDriverSha256()), sharing));
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
