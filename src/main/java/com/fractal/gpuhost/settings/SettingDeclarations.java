package com.fractal.gpuhost.settings;

import static com.fractal.gpuhost.settings.Setting.Group.CI;
import static com.fractal.gpuhost.settings.Setting.Group.DEV_INSTANCE;
import static com.fractal.gpuhost.settings.Setting.Group.GENERAL;
import static com.fractal.gpuhost.settings.Setting.Group.IMAGE_PIPELINE;
import static com.fractal.gpuhost.settings.Setting.Group.SHARING;

import com.fractal.gpuhost.settings.Setting.Check;
import com.fractal.gpuhost.settings.Setting.Length;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every setting of the app, each declared once with its check, in the order the documentation lists them.
 * Adding a setting: declare it here (key, type, allowed text, check, description), put its default in
 * cdk.json (unless it is only ever given with -c), and read it where it is used; the known keys, the
 * checks and the documentation tables follow from this. What no single value shows (a region among the
 * active ones, a channel among the channels) the loader checks, naming the same allowed text.
 */
public final class SettingDeclarations {
    /** Image Builder's cron: six fields (minutes to year) inside cron(...). */
    private static final Pattern CRON = Pattern.compile("cron\\((\\S+ ){5}\\S+\\)");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]*");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]*");
    /** A lowercase DNS label: safe in stack names, tags and host names (its length is checked apart). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    /** A release channel's name: lowercase, safe in an SSM path and an AMI tag key (its length is checked apart). */
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** Slack IDs as AWS Chatbot takes them: the workspace (team) starts with T, channels with C or G. */
    private static final Pattern SLACK_WORKSPACE = Pattern.compile("T[A-Z0-9]*");
    private static final Pattern SLACK_CHANNEL = Pattern.compile("[CG][A-Z0-9]*");

    private static final Length DEVELOPER_LENGTH = new Length(1, 32, "", 'a');
    private static final Length KEY_PAIR_LENGTH = new Length(1, 255, "", 'k');
    private static final Length COMMIT_LENGTH = new Length(7, 40, "", 'a');
    private static final Length CHANNEL_LENGTH = new Length(1, 31, "", 'c');
    private static final Length SLACK_WORKSPACE_LENGTH = new Length(6, 20, "T", 'A');
    private static final Length SLACK_CHANNEL_LENGTH = new Length(6, 20, "C", 'A');
    private static final Length GITHUB_NAME_LENGTH = new Length(1, 255, "", 'e');
    /** Below 1024 are the well-known and registered service ports, never the ECS host-port range. */
    private static final int LOWEST_DYNAMIC_PORT = 1024;
    private static final int HIGHEST_PORT = 65535;
    /** Wider than a /8 is not one office or VPN: treat it as open to the world. */
    private static final int WIDEST_SSH_PREFIX = 8;

    private static final List<Setting<?>> ALL = new ArrayList<>();

    /** Keys that were settings once, and what to use instead; the loader refuses them. */
    public static final Map<String, String> RETIRED = Map.of("devFromPublishedImage",
            "use devImage=latest for the newest build (or devImage=<channel>, devImage=stock)",
            "launchPermissionAccounts", "use shareWithAccounts (or shareWithOrganizationalUnits, "
                    + "shareWithOrganization), which also encrypts the AMIs with a key those accounts may use; "
                    + "copyToAccounts for accounts that must own a copy",
            "buildInstanceTypes", "each variant names its own: buildInstanceTypes of its entry in imageVariantCatalog",
            "baseImageSsmParameter", "each variant names its own: baseImageSsmParameter of its entry in "
                    + "imageVariantCatalog (see docs/variants.md)");

    public static final Setting<List<String>> ACTIVE_REGIONS = add(Setting.list("activeRegions", GENERAL, true, true,
            Check.that(AllowedValues.commercialRegions()::contains, "is not an AWS region code"),
            "AWS region codes such as us-east-1, each once, the build region among them",
            "regions that get a network stack (and a copy of every AMI)"));
    public static final Setting<Optional<String>> BUILD_REGION = add(Setting.optionalText("buildRegion", GENERAL,
            true, "the first active region", Check.none(), "one of `activeRegions`",
            "where images are built"));
    public static final Setting<List<String>> IMAGE_VARIANTS = add(Setting.list("imageVariants", GENERAL, false,
            true, Check.matches(VariantCatalogEntry.NAME, "is not a variant name"),
            "each variant once, one or more names of `imageVariantCatalog`",
            "the image variants built, each by a whole pipeline of its own (docs/variants.md)"));
    public static final Setting<Setting.Entries<VariantCatalogEntry.Definition>> IMAGE_VARIANT_CATALOG = add(
            Setting.entries("imageVariantCatalog", GENERAL, Check.matches(VariantCatalogEntry.NAME,
                    "is not a variant name"), VariantCatalogEntry.FIELDS, VariantCatalogEntry.ALLOWED,
                    "every variant that can be built: OS, base image, GPU families, build and test instance types",
                    VariantCatalogEntry::read).bounded(VariantCatalogEntry.boundaries("imageVariantCatalog")));
    public static final Setting<Integer> ROOT_VOLUME_GIB = add(Setting.wholeNumber("rootVolumeGiB", GENERAL,
            AllowedValues.MIN_ROOT_VOLUME_GIB, AllowedValues.MAX_ROOT_VOLUME_GIB,
            "root volume of images and dev instances, in GiB"));
    public static final Setting<String> SSM_PREFIX = add(Setting.text("ssmPrefix", GENERAL,
            Check.matches(AllowedValues.SSM_PATH, "is not allowed").and(Check.that(
                    path -> !path.toLowerCase(Locale.ROOT).startsWith("/aws")
                            && !path.toLowerCase(Locale.ROOT).startsWith("/ssm"), "is reserved for AWS")),
            "an SSM parameter path of letters, digits, '_', '.' and '-' segments that starts with '/', does not end "
                    + "with '/' and is not under /aws or /ssm, such as /fractal",
            "where the stacks publish shared IDs and tools find them"));
    public static final Setting<PortRange> DYNAMIC_HOST_PORTS = add(Setting.portRange("dynamicHostPorts", GENERAL,
            LOWEST_DYNAMIC_PORT, HIGHEST_PORT, "the host-port range ECS maps container ports to; open to clients"));
    public static final Setting<Optional<String>> SSH_CIDR = add(Setting.cidrBlock("sshCidr", GENERAL,
            WIDEST_SSH_PREFIX, "one network allowed SSH into `container-testing`; empty: no SSH (Session Manager "
                    + "needs none)"));
    public static final Setting<Setting.Entries<ExistingVpc>> EXISTING_VPCS = add(Setting.entries("existingVpcs",
            GENERAL, Check.none(), ExistingVpcEntry.FIELDS, ExistingVpcEntry.ALLOWED,
            "VPCs to use instead of creating one", ExistingVpcEntry::read).bounded(ExistingVpcEntry.boundaries("existingVpcs")));

    public static final Setting<Optional<String>> DEVELOPER = add(Setting.optionalText("developer", DEV_INSTANCE,
            false, "none: no dev stack", Check.matches(DNS_LABEL, "is not allowed").and(DEVELOPER_LENGTH.check()),
            "a lowercase DNS label of " + DEVELOPER_LENGTH.min() + " to " + DEVELOPER_LENGTH.max()
                    + " characters (a-z, 0-9 and '-', not starting or ending with '-')",
            "your name: adds `FractalDevInstance-<developer>`").bounded(DEVELOPER_LENGTH.boundaries()));
    public static final Setting<Optional<String>> DEV_REGION = add(Setting.optionalText("devRegion", DEV_INSTANCE,
            false, "the build region", Check.none(), "one of `activeRegions`", "where your dev instance runs"));
    public static final Setting<String> DEV_INSTANCE_TYPE = add(Setting.text("devInstanceType", DEV_INSTANCE,
            Check.that(InstanceTypes::isName, "is not an EC2 instance type"),
            "a type of a family that an active variant serves, such as g4dn.xlarge",
            "your dev instance's type; it boots the image of the variant that serves its family"));
    public static final Setting<Optional<String>> DEV_VARIANT = add(Setting.optionalText("devVariant", DEV_INSTANCE,
            false, "the one active variant that serves `devInstanceType`", Check.none(),
            "an active variant that serves `devInstanceType`",
            "which variant's image your dev instance boots, when two active variants serve its type"));
    public static final Setting<Optional<String>> KEY_PAIR = add(Setting.optionalText("keyPair", DEV_INSTANCE, false,
            "none", Check.matches(PRINTABLE_ASCII, "is not an EC2 key pair name").and(KEY_PAIR_LENGTH.check()),
            KEY_PAIR_LENGTH.min() + " to " + KEY_PAIR_LENGTH.max() + " printable ASCII characters",
            "an existing EC2 key pair, if you want SSH as well as Session Manager")
            .bounded(KEY_PAIR_LENGTH.boundaries()));
    public static final Setting<Integer> DEV_SUBNET_INDEX = add(Setting.wholeNumber("devSubnetIndex", DEV_INSTANCE,
            0, 5, "which public subnet (AZ) to launch in: try `1` if an AZ has no capacity for your type"));
    public static final Setting<Integer> DEV_IDLE_STOP_MINUTES = add(Setting.multipleOf("devIdleStopMinutes",
            DEV_INSTANCE, 5, 0, 1440, " (0 turns it off; 1440 is CloudWatch's one-day limit)",
            "stop the instance after this long below `devIdleCpuPercent` CPU; `0` turns it off"));
    public static final Setting<Integer> DEV_IDLE_CPU_PERCENT = add(Setting.wholeNumber("devIdleCpuPercent",
            DEV_INSTANCE, 1, 99, "average CPU below which the instance counts as idle"));
    public static final Setting<String> DEV_IMAGE = add(Setting.text("devImage", DEV_INSTANCE, Check.none(),
            "`stock`, `latest` or one of `channels`",
            "what your dev instance boots: `stock` is Ubuntu plus the host setup at first boot; `latest` the newest "
                    + "build; a channel the AMI that channel holds (Go is installed at boot either way)"));

    public static final Setting<Integer> IMAGE_RETENTION_COUNT = add(Setting.wholeNumber("imageRetentionCount",
            IMAGE_PIPELINE, 1, 1000, "newest images kept; older AMIs are deregistered and their snapshots deleted in "
                    + "every region (the newest, which SSM points to, is always kept, and so is every AMI a release channel holds "
                    + "or held in its last `releaseHistoryKept` promotions)"));
    public static final Setting<Optional<String>> PIPELINE_SCHEDULE = add(Setting.optionalText("pipelineSchedule",
            IMAGE_PIPELINE, true, "", Check.matches(CRON, "is not allowed"),
            "empty (build on demand only) or an Image Builder cron expression with six fields, such as "
                    + "cron(0 6 ? * MON *)",
            "a scheduled build that runs only when Image Builder finds a dependency update"));
    public static final Setting<Optional<String>> SOURCE_COMMIT = add(Setting.optionalText("sourceCommit",
            IMAGE_PIPELINE, true, "", Check.matches(HEX, "is not a git commit").and(COMMIT_LENGTH.check()),
            COMMIT_LENGTH.min() + " to " + COMMIT_LENGTH.max() + " lowercase hex digits",
            "git commit tagged on every AMI (CI passes it)").bounded(COMMIT_LENGTH.boundaries()));
    public static final Setting<Boolean> IMAGE_SCANNING = add(Setting.flag("imageScanning", IMAGE_PIPELINE,
            "scan images with Amazon Inspector (enable Inspector first)"));
    public static final Setting<Integer> IMAGE_TEST_TIMEOUT_MINUTES = add(Setting.wholeNumber(
            "imageTestTimeoutMinutes", IMAGE_PIPELINE, 60, 1440, "limit for the test phase, in minutes"));

    public static final Setting<List<String>> CHANNELS = add(Setting.list("channels", IMAGE_PIPELINE, true, true,
            Check.matches(CHANNEL, "is not allowed").and(CHANNEL_LENGTH.check())
                    .and(Check.that(name -> !ReleaseSettings.LATEST.equals(name) && !DevImage.STOCK.equals(name),
                            "is reserved")),
            "one or more names of " + CHANNEL_LENGTH.min() + " to " + CHANNEL_LENGTH.max()
                    + " of a-z, 0-9 and '-', starting with a letter, each once, not `"
                    + ReleaseSettings.LATEST + "` or `" + DevImage.STOCK + "`",
            "release channels of every variant, each one AMI per region in "
                    + "`<ssmPrefix>/image/<variant>/channels/<channel>/ami-id`; "
                    + "production reads `stable`; moved with `npm run release`").bounded(CHANNEL_LENGTH.boundaries()));
    public static final Setting<Integer> RELEASE_HISTORY_KEPT = add(Setting.wholeNumber("releaseHistoryKept",
            IMAGE_PIPELINE, 1, 20, "AMIs of a channel's last N promotions keep its held-by tag, so retention never "
                    + "deletes what a rollback needs"));
    public static final Setting<List<String>> PRODUCTION_CHANNELS = add(Setting.list("productionChannels",
            IMAGE_PIPELINE, false, true, Check.none(), "zero or more of `channels`, each once",
            "channels that production reads: `npm run release -- promote` into one refuses an image whose GRID "
                    + "driver SHA-256 (its AMI tag) differs from the variant's pin, or whose variant has no pin yet"));
    public static final Setting<List<String>> NOTIFICATION_EMAILS = add(Setting.list("notificationEmails",
            IMAGE_PIPELINE, false, false, Check.matches(EMAIL, "is not an e-mail address"),
            "addresses such as ops@example.com", "subscribed to the build topic (build outcomes, promotions, "
                    + "rollbacks); each recipient confirms once"));
    public static final Setting<Optional<String>> SLACK_WORKSPACE_ID = add(Setting.optionalText("slackWorkspaceId",
            IMAGE_PIPELINE, true, "", Check.matches(SLACK_WORKSPACE, "is not a Slack workspace ID")
                    .and(SLACK_WORKSPACE_LENGTH.check()),
            "empty, or T and " + SLACK_WORKSPACE_LENGTH.min() + " to " + SLACK_WORKSPACE_LENGTH.max()
                    + " of A-Z, 0-9, together with `slackChannelId`",
            "Slack workspace (authorised once in the AWS Chatbot console) that gets the build topic")
            .bounded(SLACK_WORKSPACE_LENGTH.boundaries()));
    public static final Setting<Optional<String>> SLACK_CHANNEL_ID = add(Setting.optionalText("slackChannelId",
            IMAGE_PIPELINE, true, "", Check.matches(SLACK_CHANNEL, "is not a Slack channel ID")
                    // C and G channels have the same length rule: check the rest as a C channel's.
                    .and(id -> SLACK_CHANNEL_LENGTH.check().problem("C" + id.substring(1))),
            "empty, or C or G and " + SLACK_CHANNEL_LENGTH.min() + " to " + SLACK_CHANNEL_LENGTH.max()
                    + " of A-Z, 0-9, together with `slackWorkspaceId`",
            "Slack channel that AWS Chatbot posts the build topic to").bounded(SLACK_CHANNEL_LENGTH.boundaries()));

    public static final Setting<List<String>> SHARE_WITH_ACCOUNTS = add(Setting.list("shareWithAccounts", SHARING,
            false, true, Check.matches(AllowedValues.ACCOUNT_ID, "is not an AWS account ID"),
            "account IDs of 12 digits, each once, not the build account",
            "accounts that may launch the AMIs (shared by launch permission in every active region, not copied)"));
    public static final Setting<List<String>> SHARE_WITH_ORGANIZATIONAL_UNITS = add(Setting.list(
            "shareWithOrganizationalUnits", SHARING, SharingSettings.MAX_ORGANIZATION_ARNS,
            i -> String.format("arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-ab12-%08d", i),
            Check.matches(AllowedValues.ORGANIZATIONAL_UNIT_ARN, "is not an OU ARN"),
            "up to " + SharingSettings.MAX_ORGANIZATION_ARNS + " OU ARNs (Image Builder's limit; or share with the "
                    + "whole organization), each once, such as "
                    + "arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-ab12-cdefgh34",
            "organizational units whose accounts (children included) may launch the AMIs"));
    public static final Setting<Optional<String>> SHARE_WITH_ORGANIZATION = add(Setting.optionalText(
            "shareWithOrganization", SHARING, true, "",
            Check.matches(AllowedValues.ORGANIZATION_ARN, "is not an organization ARN"),
            "empty, or an organization ARN such as arn:aws:organizations::111111111111:organization/o-exampleorgid",
            "the organization whose every account may launch the AMIs"));
    public static final Setting<List<String>> COPY_TO_ACCOUNTS = add(Setting.list("copyToAccounts", SHARING,
            false, true, Check.matches(AllowedValues.ACCOUNT_ID, "is not an AWS account ID"),
            "account IDs of 12 digits, each once, not the build account and not in `shareWithAccounts`",
            "accounts that must own their AMIs: each gets a copy in every active region (each needs the role "
                    + "`EC2ImageBuilderDistributionCrossAccountRole`, docs/accounts.md)"));
    public static final Setting<Optional<String>> ORGANIZATION_ROOT_ID = add(Setting.optionalText(
            "organizationRootId", SHARING, true, "", Check.matches(AllowedValues.ORGANIZATION_ROOT_ID, "is not an organization root ID"),
            "empty, or the root ID that `aws organizations list-roots` shows, such as r-ab12",
            "the organization's root, where the workload baseline StackSet reaches `shareWithOrganization` and the "
                    + "single accounts of `shareWithAccounts` and `copyToAccounts` (docs/accounts.md)"));

    public static final Setting<Optional<String>> GITHUB_REPO = add(Setting.optionalText("githubRepo", CI, true, "",
            Check.that(CiSettingsParser::isRepository, "is not a GitHub repository"),
            "OWNER/NAME exactly as GitHub spells it (owner: letters, digits and single hyphens, up to 39; name: "
                    + "letters, digits, '.', '_' and '-', up to 100; no wildcard, no URL), such as "
                    + "octo-org/gpu-host-infra, or empty for no CI deploy role",
            "the repository whose workflows may assume the role; empty: no `FractalCiDeployRole` stack is "
                    + "synthesized (so `cdk synth` and CI need no value)"));
    public static final Setting<String> GITHUB_DEPLOY_BRANCH = add(Setting.text("githubDeployBranch", CI,
            ((Check<String>) branch -> branch.startsWith("refs/") ? Optional.of("is a full ref: give the branch name "
                    + "alone, such as " + branch.replaceFirst("^refs/heads/", "")) : Optional.empty())
                    .and(Check.matches(CiSettingsParser.BRANCH, "is not allowed"))
                    .and(GITHUB_NAME_LENGTH.check()),
            "one exact branch name of " + GITHUB_NAME_LENGTH.min() + " to " + GITHUB_NAME_LENGTH.max()
                    + " letters, digits, '.', '_', '-' and '/', without refs/heads/ and without wildcards (no '..', "
                    + "no leading '-' or '/', no trailing '/', '.' or '.lock'), such as main or release/2026",
            "the one branch whose jobs may assume the role (token subject `repo:OWNER/NAME:ref:refs/heads/BRANCH`)")
            .bounded(GITHUB_NAME_LENGTH.boundaries()));
    public static final Setting<Optional<String>> GITHUB_ENVIRONMENT = add(Setting.optionalText("githubEnvironment",
            CI, true, "", Check.matches(CiSettingsParser.ENVIRONMENT, "is not allowed").and(GITHUB_NAME_LENGTH.check()),
            "one exact GitHub environment name of " + GITHUB_NAME_LENGTH.min() + " to " + GITHUB_NAME_LENGTH.max()
                    + " letters, digits, '.', '_' and '-' (no wildcard), such as production",
            "a GitHub environment whose jobs may also assume the role (subject `repo:OWNER/NAME:environment:ENV`)")
            .bounded(GITHUB_NAME_LENGTH.boundaries()));
    public static final Setting<Optional<String>> GITHUB_OIDC_PROVIDER_ARN = add(Setting.optionalText(
            "githubOidcProviderArn", CI, true, "",
            Check.matches(CiSettingsParser.OIDC_PROVIDER_ARN, "is not allowed"),
            "the ARN of the account's GitHub OIDC provider, arn:aws:iam::ACCOUNT:oidc-provider/"
                    + CiSettings.GITHUB_OIDC_HOST + ", or empty to create one",
            "an existing GitHub OIDC provider to trust instead of creating one"));

    private SettingDeclarations() {
    }

    private static <T> Setting<T> add(final Setting<T> setting) {
        ALL.add(setting);
        return setting;
    }

    /** Every declaration, in documentation order. */
    public static List<Setting<?>> all() {
        return List.copyOf(ALL);
    }

    public static List<Setting<?>> in(final Setting.Group group) {
        return ALL.stream().filter(setting -> setting.group() == group).toList();
    }

    public static Set<String> keys() {
        return ALL.stream().map(Setting::key).collect(Collectors.toUnmodifiableSet());
    }
}
