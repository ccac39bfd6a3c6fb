package com.fractal.gpuhost.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the context into {@link Settings}: the only place context is read. Every rule is checked and
 * every problem reported in one {@link InvalidSettingsException}, before any stack exists.
 */
public final class SettingsLoader {
    /** Keys this app reads; listed so that a misspelt key is pointed out. */
    static final Set<String> KNOWN_KEYS = Set.of(
            "activeRegions", "buildRegion", "buildInstanceTypes", "rootVolumeGiB", "baseImageSsmParameter",
            "ssmPrefix", "dynamicHostPorts", "sshCidr", "existingVpcs",
            "developer", "devRegion", "devInstanceType", "keyPair", "devSubnetIndex", "devIdleStopMinutes",
            "devIdleCpuPercent",
            "imageRetentionCount", "pipelineSchedule", "launchPermissionAccounts", "sourceCommit", "imageScanning",
            "imageTestTimeoutMinutes",
            "githubRepo", "githubDeployBranch", "githubEnvironment", "githubOidcProviderArn",
            // Releases (issue 11): see releaseSettings(); devFromPublishedImage is retired and refused there.
            "channels", "releaseHistoryKept", "notificationEmails", "slackWorkspaceId", "slackChannelId", "devImage",
            "devFromPublishedImage");

    /** Image Builder's cron: six fields (minutes to year) inside cron(...). */
    private static final Pattern CRON = Pattern.compile("cron\\((\\S+ ){5}\\S+\\)");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");

    private final List<String> problems = new ArrayList<>();
    private final ContextValues values;
    private final ContextSource context;
    private final List<String> knownRegions;

    private final Path hostScriptsDir;

    private SettingsLoader(final ContextSource context, final List<String> knownRegions, final Path hostScriptsDir) {
        this.values = new ContextValues(context, problems);
        this.context = context;
        this.knownRegions = knownRegions;
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
        return new SettingsLoader(context, AllowedValues.commercialRegions(), hostScriptsDir).read();
    }

    /** Keys that look like ours but are not: likely typos, reported as warnings. */
    public static List<String> unknownKeyWarnings(final ContextSource context) {
        return context.keys().stream()
                .filter(key -> !KNOWN_KEYS.contains(key) && !key.startsWith("@") && !key.contains(":"))
                .filter(key -> key.matches("[a-z][A-Za-z0-9]*"))
                .sorted()
                .map(key -> "Unknown setting \"" + key + "\" is ignored; known settings: "
                        + String.join(", ", KNOWN_KEYS.stream().sorted().toList()))
                .toList();
    }

    private Settings read() {
        List<String> activeRegions = regions();
        String buildRegion = values.string("buildRegion", activeRegions.isEmpty() ? "" : activeRegions.get(0));
        requireActive("buildRegion", buildRegion, activeRegions);
        List<String> buildTypes = instanceTypes("buildInstanceTypes", values.list("buildInstanceTypes"));
        if (values.list("buildInstanceTypes").isEmpty()) {
            problems.add("buildInstanceTypes: is empty; allowed: one or more of " + AllowedValues.G3_INSTANCE_TYPES);
        }
        int rootVolume = values.integer("rootVolumeGiB",
                AllowedValues.MIN_ROOT_VOLUME_GIB, AllowedValues.MAX_ROOT_VOLUME_GIB);
        String baseImage = ssmPath("baseImageSsmParameter", true);
        String prefix = ssmPath("ssmPrefix", false);
        PortRange ports = PortRanges.parse(values, "dynamicHostPorts");
        Optional<String> sshCidr = values.optionalString("sshCidr");
        sshCidr.ifPresent(cidr -> Cidrs.check("sshCidr", cidr, values));
        Map<String, ExistingVpc> vpcs = ExistingVpcs.parse(values, activeRegions);
        ReleaseSection release = releaseSettings();
        Optional<DevInstanceSettings> dev = devInstance(buildRegion, activeRegions, release.devImage());
        PinnedVersions pinned = PinnedVersions.read(hostScriptsDir, problems);
        ImagePipelineSettings pipeline = imagePipeline();
        Optional<CiSettings> ci = CiSettingsParser.parse(values);

        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new Settings(activeRegions, buildRegion, buildTypes, rootVolume, baseImage, ports, sshCidr, vpcs,
                new SsmNames(prefix), dev, hostScriptsDir, pinned, pipeline, ci, release.release(),
                release.notifications());
    }

    private List<String> regions() {
        List<String> regions = values.list("activeRegions");
        if (regions.isEmpty()) {
            problems.add("activeRegions: is missing or empty; allowed: a list of AWS region codes, "
                    + "the build region among them");
            return regions;
        }
        Set<String> seen = new HashSet<>();
        for (String region : regions) {
            if (!knownRegions.contains(region)) {
                values.problem("activeRegions", region,
                        "is not an AWS region code; allowed: " + String.join(", ", knownRegions));
            } else if (!seen.add(region)) {
                values.problem("activeRegions", region, "is listed twice; allowed: each region once");
            }
        }
        return regions;
    }

    private void requireActive(final String key, final String region, final List<String> activeRegions) {
        if (!activeRegions.isEmpty() && !activeRegions.contains(region)) {
            values.problem(key, region, "is not an active region; allowed: " + String.join(", ", activeRegions));
        }
    }

    private List<String> instanceTypes(final String key, final List<String> types) {
        List<String> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String type : types) {
            if (!AllowedValues.G3_INSTANCE_TYPES.contains(type)) {
                values.problem(key, type, "is not a g3 instance type; allowed: "
                        + String.join(", ", AllowedValues.G3_INSTANCE_TYPES));
            } else if (!seen.add(type)) {
                values.problem(key, type, "is listed twice; allowed: each type once");
            } else {
                valid.add(type);
            }
        }
        return valid;
    }

    private String ssmPath(final String key, final boolean mayBeAwsOwned) {
        String value = values.requiredString(key, "an SSM parameter path such as /fractal");
        if (value.isEmpty()) {
            return "/missing";
        }
        boolean reserved = value.toLowerCase().startsWith("/aws") || value.toLowerCase().startsWith("/ssm");
        if (!AllowedValues.SSM_PATH.matcher(value).matches() || (reserved && !mayBeAwsOwned)) {
            values.problem(key, value, "is not allowed; allowed: a path of letters, digits, '_', '.' and '-' "
                    + "segments that starts with '/', does not end with '/'"
                    + (mayBeAwsOwned ? "" : " and is not under /aws or /ssm"));
        }
        return value;
    }

    private ImagePipelineSettings imagePipeline() {
        int retained = values.integer("imageRetentionCount", 1, 1000);
        Optional<String> schedule = values.optionalString("pipelineSchedule");
        schedule.filter(cron -> !CRON.matcher(cron).matches()).ifPresent(cron -> values.problem("pipelineSchedule",
                cron, "is not allowed; allowed: empty (build on demand only) or an Image Builder cron expression "
                        + "with six fields, such as cron(0 6 ? * MON *)"));
        List<String> accounts = values.list("launchPermissionAccounts");
        accounts.stream().filter(id -> !AllowedValues.ACCOUNT_ID.matcher(id).matches()).forEach(id ->
                values.problem("launchPermissionAccounts", id, "is not an AWS account ID; allowed: 12 digits"));
        Optional<String> commit = values.optionalString("sourceCommit");
        commit.filter(sha -> !COMMIT.matcher(sha).matches()).ifPresent(sha -> values.problem("sourceCommit", sha,
                "is not a git commit; allowed: 7 to 40 lowercase hex digits"));
        boolean scanning = values.bool("imageScanning");
        int testTimeout = values.integer("imageTestTimeoutMinutes", 60, 1440);
        return new ImagePipelineSettings(retained, schedule, accounts, commit, scanning, testTimeout);
    }

    private Optional<DevInstanceSettings> devInstance(final String buildRegion, final List<String> activeRegions,
            final DevImage image) {
        Optional<String> developer = values.optionalString("developer");
        developer.filter(name -> !AllowedValues.DEVELOPER_NAME.matcher(name).matches())
                .ifPresent(name -> values.problem("developer", name, "is not allowed; allowed: a lowercase DNS "
                        + "label of 1 to 32 characters (a-z, 0-9 and '-', not starting or ending with '-')"));
        String region = values.string("devRegion", buildRegion);
        requireActive("devRegion", region, activeRegions);
        String type = values.requiredString("devInstanceType", "one of " + AllowedValues.G3_INSTANCE_TYPES);
        if (!type.isEmpty()) {
            instanceTypes("devInstanceType", List.of(type));
        }
        Optional<String> keyPair = values.optionalString("keyPair");
        keyPair.filter(name -> name.length() > 255 || !name.matches("[\\x20-\\x7E]+"))
                .ifPresent(name -> values.problem("keyPair", name,
                        "is not an EC2 key pair name; allowed: 1 to 255 printable ASCII characters"));
        int subnetIndex = values.integer("devSubnetIndex", 0, 5);
        int idleMinutes = values.integer("devIdleStopMinutes", 0, 1440);
        if (idleMinutes % 5 != 0) {
            values.problem("devIdleStopMinutes", idleMinutes,
                    "is not allowed; allowed: 0 (off) or a multiple of 5 from 5 to 1440 (CloudWatch's one-day limit)");
        }
        int idleCpu = values.integer("devIdleCpuPercent", 1, 99);
        return developer.map(name -> new DevInstanceSettings(name, region, type, keyPair, subnetIndex, idleMinutes,
                idleCpu, image));
    }

    // ---- Releases (issue 11): channels, retention window, notifications, the dev instance's image ----------

    /** A release channel's name: lowercase, safe in an SSM path and an AMI tag key. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** Slack IDs as AWS Chatbot takes them: the workspace (team) starts with T, channels with C or G. */
    private static final Pattern SLACK_WORKSPACE = Pattern.compile("T[A-Z0-9]{6,20}");
    private static final Pattern SLACK_CHANNEL = Pattern.compile("[CG][A-Z0-9]{6,20}");
    /** SSM keeps 100 versions of a parameter: the window must fit well inside a channel's history. */
    private static final int MAX_HISTORY_KEPT = 20;

    /** The release settings, the notification settings and the dev image, which may name a channel. */
    record ReleaseSection(ReleaseSettings release, NotificationSettings notifications, DevImage devImage) {
    }

    private ReleaseSection releaseSettings() {
        List<String> channels = values.list("channels");
        if (channels.isEmpty()) {
            problems.add("channels: is missing or empty; allowed: a list of one or more channel names such as "
                    + "candidate,stable");
        }
        Set<String> seen = new HashSet<>();
        for (String channel : channels) {
            if (!CHANNEL.matcher(channel).matches() || ReleaseSettings.LATEST.equals(channel)
                    || DevImage.STOCK.equals(channel)) {
                values.problem("channels", channel, "is not allowed; allowed: 1 to 31 of a-z, 0-9 and '-', starting "
                        + "with a letter, and not \"" + ReleaseSettings.LATEST + "\" or \"" + DevImage.STOCK + "\"");
            } else if (!seen.add(channel)) {
                values.problem("channels", channel, "is listed twice; allowed: each channel once");
            }
        }
        int historyKept = values.integer("releaseHistoryKept", 1, MAX_HISTORY_KEPT);

        List<String> emails = values.list("notificationEmails");
        emails.stream().filter(email -> !EMAIL.matcher(email).matches()).forEach(email -> values.problem(
                "notificationEmails", email, "is not an e-mail address; allowed: addresses such as ops@example.com"));
        Optional<String> workspace = values.optionalString("slackWorkspaceId");
        Optional<String> slackChannel = values.optionalString("slackChannelId");
        workspace.filter(id -> !SLACK_WORKSPACE.matcher(id).matches()).ifPresent(id -> values.problem(
                "slackWorkspaceId", id, "is not a Slack workspace ID; allowed: T and 6 to 20 of A-Z, 0-9"));
        slackChannel.filter(id -> !SLACK_CHANNEL.matcher(id).matches()).ifPresent(id -> values.problem(
                "slackChannelId", id, "is not a Slack channel ID; allowed: C or G and 6 to 20 of A-Z, 0-9"));
        if (workspace.isPresent() != slackChannel.isPresent()) {
            String given = workspace.isPresent() ? "slackWorkspaceId" : "slackChannelId";
            values.problem(given, workspace.orElseGet(slackChannel::get), "is given alone; allowed: both "
                    + "slackWorkspaceId and slackChannelId, or neither");
        }
        Optional<NotificationSettings.SlackChannel> slack = workspace.flatMap(team -> slackChannel
                .map(channel -> new NotificationSettings.SlackChannel(team, channel)));

        if (context.get("devFromPublishedImage") != null) {
            values.problem("devFromPublishedImage", context.get("devFromPublishedImage"), "is no longer a setting; "
                    + "use devImage=latest for the newest build (or devImage=<channel>, devImage=stock)");
        }
        String devImage = values.string("devImage", DevImage.STOCK);
        DevImage image = DevImage.stock();
        if (ReleaseSettings.LATEST.equals(devImage)) {
            image = DevImage.newestBuild();
        } else if (channels.contains(devImage)) {
            image = DevImage.ofChannel(devImage);
        } else if (!DevImage.STOCK.equals(devImage)) {
            values.problem("devImage", devImage, "is not allowed; allowed: " + DevImage.STOCK + ", "
                    + ReleaseSettings.LATEST + " or a channel (" + String.join(", ", channels) + ")");
        }
        return new ReleaseSection(new ReleaseSettings(channels, historyKept),
                new NotificationSettings(emails, slack), image);
    }

    /** Existing VPCs by region, from {"region": {"vpcId": ..., "subnetIds": [...], "availabilityZones": [...]}}. */
    static final class ExistingVpcs {
        private ExistingVpcs() {
        }

        static Map<String, ExistingVpc> parse(final ContextValues values, final List<String> activeRegions) {
            Map<String, ExistingVpc> result = new LinkedHashMap<>();
            values.object("existingVpcs").forEach((region, raw) -> {
                String key = "existingVpcs." + region;
                if (!activeRegions.contains(region)) {
                    values.problem("existingVpcs", region, "is not an active region; allowed: "
                            + String.join(", ", activeRegions));
                    return;
                }
                if (!(raw instanceof Map<?, ?> vpc)) {
                    values.problem(key, raw, "is malformed; allowed: {\"vpcId\": \"vpc-...\", "
                            + "\"subnetIds\": [\"subnet-...\", ...], \"availabilityZones\": [\"...\", ...]}");
                    return;
                }
                int before = values.problemCount();
                String vpcId = String.valueOf(vpc.get("vpcId"));
                if (!AllowedValues.VPC_ID.matcher(vpcId).matches()) {
                    values.problem(key + ".vpcId", vpcId, "is not a VPC ID; allowed: vpc- and 8 or 17 hex digits");
                }
                List<String> subnets = vpc.get("subnetIds") == null ? List.of()
                        : values.toStringList(key + ".subnetIds", vpc.get("subnetIds"));
                subnets.stream().filter(id -> !AllowedValues.SUBNET_ID.matcher(id).matches())
                        .forEach(id -> values.problem(key + ".subnetIds", id,
                                "is not a subnet ID; allowed: subnet- and 8 or 17 hex digits"));
                List<String> zones = vpc.get("availabilityZones") == null ? List.of()
                        : values.toStringList(key + ".availabilityZones", vpc.get("availabilityZones"));
                zones.stream().filter(zone -> !zone.startsWith(region))
                        .forEach(zone -> values.problem(key + ".availabilityZones", zone,
                                "is not an availability zone of " + region + "; allowed: " + region + "a, ..."));
                if (subnets.size() < 2 || subnets.size() != zones.size()) {
                    values.problem(key, raw, "is not allowed; allowed: at least two public subnets, "
                            + "with one availability zone listed per subnet, in the same order");
                }
                if (values.problemCount() == before) {
                    result.put(region, new ExistingVpc(vpcId, subnets, zones));
                }
            });
            return result;
        }
    }
}
