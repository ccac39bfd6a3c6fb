package com.fractal.gpuhost.settings;

import static com.fractal.gpuhost.settings.SettingDeclarations.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the context into {@link Settings}: the only place context is read. It runs each setting's declared
 * check ({@link SettingDeclarations}, nested entries included) and checks itself only what relates settings
 * to each other (a region among the active ones, a variant among the catalog's, a channel among the
 * channels), each such check saying so. Every problem is reported in one {@link InvalidSettingsException},
 * before any stack exists.
 */
public final class SettingsLoader {
    /** Keys this app reads: any other key outside the CDK's own is refused, naming the closest of these. */
    static final Set<String> KNOWN_KEYS = SettingDeclarations.keys();

    private final List<String> problems = new ArrayList<>();
    private final ContextValues values;
    private final ContextSource context;

    private final Path hostScriptsDir;
    private final Optional<String> buildAccount;

    private SettingsLoader(final ContextSource context, final Path hostScriptsDir,
            final Optional<String> buildAccount) {
        this.buildAccount = buildAccount;
        this.values = new ContextValues(context, problems);
        this.context = context;
        this.hostScriptsDir = hostScriptsDir;
    }

    /**
     * Loads and validates everything.
     *
     * @param context        the CDK context (cdk.json's defaults plus -c overrides)
     * @param hostScriptsDir the repository's host-scripts folder
     * @throws InvalidSettingsException listing every problem found
     */
    public static Settings load(final ContextSource context, final Path hostScriptsDir) {
        return load(context, hostScriptsDir, Optional.empty());
    }

    /** As {@link #load(ContextSource, Path)}, refusing to share the AMIs with the build account itself. */
    public static Settings load(final ContextSource context, final Path hostScriptsDir,
            final Optional<String> buildAccount) {
        return new SettingsLoader(context, hostScriptsDir, buildAccount).read();
    }

    private Settings read() {
        UnknownKeys.problems(context.keys(), KNOWN_KEYS, RETIRED.keySet()).forEach(values::bare);
        List<String> activeRegions = ACTIVE_REGIONS.read(values);
        String buildRegion = BUILD_REGION.read(values).orElse(activeRegions.isEmpty() ? "" : activeRegions.get(0));
        requireActive(BUILD_REGION, buildRegion, activeRegions);
        List<ImageVariant> variants = ActiveVariants.read(values, problems, hostScriptsDir);
        int rootVolume = ROOT_VOLUME_GIB.read(values);
        String prefix = SSM_PREFIX.read(values);
        PortRange ports = DYNAMIC_HOST_PORTS.read(values);
        Optional<String> sshCidr = SSH_CIDR.read(values);
        Map<String, ExistingVpc> vpcs = existingVpcs(activeRegions);
        refuseRetiredKeys();
        ReleaseSection release = releaseSettings();
        Optional<DevInstanceSettings> dev = devInstance(buildRegion, activeRegions, release.devImage(), variants);
        PinnedVersions pinned = PinnedVersions.read(hostScriptsDir, problems);
        ImagePipelineSettings pipeline = imagePipeline();
        Optional<CiSettings> ci = CiSettingsParser.parse(values);

        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new Settings(activeRegions, buildRegion, variants, rootVolume, ports, sshCidr, vpcs,
                new SsmNames(prefix), dev, hostScriptsDir, pinned, pipeline, ci, release.release(),
                release.notifications());
    }

    private void requireActive(final Setting<?> setting, final String region, final List<String> activeRegions) {
        if (!activeRegions.isEmpty() && !activeRegions.contains(region)) {
            setting.refuse(values, region, "is not an active region (" + String.join(", ", activeRegions) + ")");
        }
    }

    private ImagePipelineSettings imagePipeline() {
        return new ImagePipelineSettings(IMAGE_RETENTION_COUNT.read(values), PIPELINE_SCHEDULE.read(values),
                SharingRules.read(values, buildAccount), SOURCE_COMMIT.read(values), IMAGE_SCANNING.read(values),
                IMAGE_TEST_TIMEOUT_MINUTES.read(values));
    }

    private Optional<DevInstanceSettings> devInstance(final String buildRegion, final List<String> activeRegions,
            final DevImage image, final List<ImageVariant> variants) {
        Optional<String> developer = DEVELOPER.read(values);
        String region = DEV_REGION.read(values).orElse(buildRegion);
        requireActive(DEV_REGION, region, activeRegions);
        String type = DEV_INSTANCE_TYPE.read(values);
        Optional<ImageVariant> variant = devVariant(type, DEV_VARIANT.read(values), variants);
        Optional<String> keyPair = KEY_PAIR.read(values);
        int subnetIndex = DEV_SUBNET_INDEX.read(values);
        int idleMinutes = DEV_IDLE_STOP_MINUTES.read(values);
        int idleCpu = DEV_IDLE_CPU_PERCENT.read(values);
        return developer.flatMap(name -> variant.map(served -> new DevInstanceSettings(name, region, type, served,
                keyPair, subnetIndex, idleMinutes, idleCpu, image)));
    }

    /**
     * The active variant that serves the dev instance's type: the only one, or the one devVariant names. A
     * type no active variant serves, or served by two without devVariant, is refused with what is allowed.
     */
    private Optional<ImageVariant> devVariant(final String type, final Optional<String> chosen,
            final List<ImageVariant> variants) {
        if (type.isEmpty() || variants.isEmpty()) {
            return Optional.empty();
        }
        List<String> families = variants.stream().flatMap(variant -> variant.families().stream()).distinct().toList();
        List<ImageVariant> serving = variants.stream().filter(variant -> variant.serves(type)).toList();
        if (serving.isEmpty()) {
            String why = InstanceTypes.unusable(InstanceTypes.family(type)).map(reason -> " (" + reason + ")")
                    .or(() -> InstanceTypes.retiredOn(InstanceTypes.family(type))
                            .map(date -> " (retired by AWS on " + date + ")"))
                    .orElse("");
            values.problem(DEV_INSTANCE_TYPE.key(), type, "is not served by an active variant" + why
                    + "; allowed: a type of " + String.join(", ", families) + " (families of "
                    + String.join(", ", variants.stream().map(ImageVariant::name).toList()) + ")");
            return Optional.empty();
        }
        List<String> names = serving.stream().map(ImageVariant::name).toList();
        if (chosen.isPresent()) {
            if (!names.contains(chosen.get())) {
                values.problem(DEV_VARIANT.key(), chosen.get(), "does not serve " + type + " or is not active; "
                        + "allowed: " + String.join(", ", names));
                return Optional.empty();
            }
            return serving.stream().filter(variant -> variant.name().equals(chosen.get())).findFirst();
        }
        if (serving.size() > 1) {
            values.problem(DEV_INSTANCE_TYPE.key(), type, "is served by " + String.join(" and ", names)
                    + "; allowed: set " + DEV_VARIANT.key() + " to one of " + String.join(", ", names));
            return Optional.empty();
        }
        return Optional.of(serving.get(0));
    }

    /** The release settings, the notification settings and the dev image, which may name a channel. */
    record ReleaseSection(ReleaseSettings release, NotificationSettings notifications, DevImage devImage) {
    }

    private ReleaseSection releaseSettings() {
        List<String> channels = CHANNELS.read(values);
        int historyKept = RELEASE_HISTORY_KEPT.read(values);
        List<String> production = PRODUCTION_CHANNELS.read(values);
        production.stream().filter(channel -> !channels.contains(channel)).forEach(channel ->
                PRODUCTION_CHANNELS.refuse(values, channel, "is not a channel (" + String.join(", ", channels) + ")"));

        List<String> emails = NOTIFICATION_EMAILS.read(values);
        Optional<String> workspace = SLACK_WORKSPACE_ID.read(values);
        Optional<String> slackChannel = SLACK_CHANNEL_ID.read(values);
        if (workspace.isPresent() != slackChannel.isPresent()) {
            Setting<Optional<String>> given = workspace.isPresent() ? SLACK_WORKSPACE_ID : SLACK_CHANNEL_ID;
            values.problem(given.key(), workspace.orElseGet(slackChannel::get), "is given alone; allowed: both "
                    + SLACK_WORKSPACE_ID.key() + " and " + SLACK_CHANNEL_ID.key() + ", or neither");
        }
        Optional<NotificationSettings.SlackChannel> slack = workspace.flatMap(team -> slackChannel
                .map(channel -> new NotificationSettings.SlackChannel(team, channel)));

        String devImage = DEV_IMAGE.read(values);
        DevImage image = DevImage.stock();
        if (ReleaseSettings.LATEST.equals(devImage)) {
            image = DevImage.newestBuild();
        } else if (channels.contains(devImage)) {
            image = DevImage.ofChannel(devImage);
        } else if (!DevImage.STOCK.equals(devImage) && !devImage.isEmpty()) {
            DEV_IMAGE.refuse(values, devImage, "is not allowed (channels: " + String.join(", ", channels) + ")");
        }
        return new ReleaseSection(new ReleaseSettings(channels, historyKept, production),
                new NotificationSettings(emails, slack), image);
    }

    /** Keys that were settings once: given anyway, they stop synthesis with what to use instead. */
    private void refuseRetiredKeys() {
        RETIRED.forEach((key, instead) -> {
            Object value = context.get(key);
            if (value != null) {
                values.problem(key, value, "is no longer a setting; " + instead);
            }
        });
    }

    /**
     * The existing VPCs whose entries their declaration accepted, of active regions only: a region among the
     * active ones is a relation between two settings, so the loader checks it.
     */
    private Map<String, ExistingVpc> existingVpcs(final List<String> activeRegions) {
        Setting.Entries<ExistingVpc> vpcs = EXISTING_VPCS.read(values);
        Map<String, ExistingVpc> active = new LinkedHashMap<>();
        for (String region : vpcs.names()) {
            if (!activeRegions.contains(region)) {
                values.problem(EXISTING_VPCS.key(), region, "is not an active region; allowed: "
                        + String.join(", ", activeRegions));
            } else {
                vpcs.get(region).ifPresent(vpc -> active.put(region, vpc));
            }
        }
        return active;
    }
}
