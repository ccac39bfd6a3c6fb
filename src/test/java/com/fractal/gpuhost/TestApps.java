package com.fractal.gpuhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * Builds the real app from cdk.json's context plus overrides, as `cdk synth -c key=value` would, and
 * synthesizes each distinct configuration once per test run: every test class shares them. Each configuration
 * costs a whole synthesis, so tests read the named ones below wherever the settings a test is about allow it.
 */
public final class TestApps {
    private static final Map<Map<String, Object>, Synthesized> CACHE = new ConcurrentHashMap<>();

    public static final String SSH_CIDR = "203.0.113.0/24";
    public static final String ORGANIZATION = "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5";
    public static final String OU_PROD = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111";
    public static final String OU_STAGING = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-22222222";
    public static final String SHARED_ACCOUNT = "222233334444";
    public static final String COPY_ACCOUNT = "777788889999";
    public static final String ORGANIZATION_ROOT = "r-ab12";

    /**
     * Every kind of stack at once: the networks with SSH from one network, the pipeline with build notifications,
     * a dev stack from the stable channel, the CI role, and AMIs shared with two OUs and one account and copied to
     * another (a snapshot key stack per region, the workload baseline's StackSet reaching the single accounts
     * through the organization's root). The gates run over it; the tests of each of these features read theirs.
     */
    public static final Map<String, Object> EVERY_STACK = Map.ofEntries(Map.entry("developer", "alice"),
            Map.entry("devImage", "stable"), Map.entry("sshCidr", SSH_CIDR),
            Map.entry("githubRepo", "octo-org/gpu-host-infra"), Map.entry("notificationEmails", "ops@example.com"),
            Map.entry("slackWorkspaceId", "T07EA123LEP"), Map.entry("slackChannelId", "C07EZ1ABC23"),
            Map.entry("shareWithOrganizationalUnits", OU_PROD + "," + OU_STAGING),
            Map.entry("shareWithAccounts", SHARED_ACCOUNT), Map.entry("copyToAccounts", COPY_ACCOUNT),
            Map.entry("organizationRootId", ORGANIZATION_ROOT));

    /**
     * A dev stack from stock Ubuntu, the CI role and SSH from one network, the defaults otherwise. The audit
     * report's project test reads the same settings, so the two share one synthesis.
     */
    public static final Map<String, Object> DEV_CI_SSH = Map.of("developer", "alice", "sshCidr", SSH_CIDR,
            "githubRepo", "octo/repo");

    /** AMIs shared with two accounts, two OUs and the whole organization, copied to a third account. */
    public static final Map<String, Object> SHARED_WITH_THE_ORGANIZATION = Map.of(
            "shareWithAccounts", "111122223333,444455556666", "shareWithOrganizationalUnits", OU_PROD + "," + OU_STAGING,
            "shareWithOrganization", ORGANIZATION, "copyToAccounts", COPY_ACCOUNT,
            "organizationRootId", ORGANIZATION_ROOT);

    /** Both image variants, and a dev stack on the retired variant's instance family from its `latest` image. */
    public static final Map<String, Object> TWO_VARIANTS = Map.of("imageVariants", "ubuntu24-r580,ubuntu20-r535",
            "developer", "dave", "devImage", "latest", "devInstanceType", "g3s.xlarge");

    /**
     * One region, the pipeline configured beyond the defaults (a schedule, the source commit, scanning, retention,
     * a third channel, build notifications) and its AMIs shared with one account alone (no organization, no root,
     * no copy).
     */
    public static final Map<String, Object> CONFIGURED_ONE_REGION = Map.ofEntries(
            Map.entry("activeRegions", "us-east-1"), Map.entry("pipelineSchedule", "cron(0 6 ? * MON *)"),
            Map.entry("shareWithAccounts", SHARED_ACCOUNT), Map.entry("sourceCommit", "0123abc"),
            Map.entry("imageScanning", true), Map.entry("imageRetentionCount", 5),
            Map.entry("channels", "candidate,beta,stable"),
            Map.entry("notificationEmails", "ops@example.com,lead@example.org"),
            Map.entry("slackWorkspaceId", "T07EA123LEP"), Map.entry("slackChannelId", "C07EZ1ABC23"));

    /** A synthesized app: its settings, its stacks, and the cloud assembly on disk. */
    public record Synthesized(Settings settings, List<Stack> stacks, CloudAssembly assembly) {
        public Stack stack(final String name) {
            return stacks.stream().filter(s -> s.getStackName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no stack " + name + " in " + stacks.stream()
                            .map(Stack::getStackName).toList()));
        }
    }

    private TestApps() {
    }

    /** cdk.json's context: the embedded defaults. */
    public static Map<String, Object> defaultContext() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) cdkJson.get("context");
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Defaults with these keys overridden, as -c would. */
    public static Map<String, Object> context(final Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(defaultContext());
        // As the CDK CLI does: each resource's construct path in its Metadata, which cdk-nag's reports name.
        context.put("aws:cdk:enable-path-metadata", true);
        context.putAll(overrides);
        return context;
    }

    public static Settings settings(final Map<String, Object> overrides) {
        return SettingsLoader.load(ContextSource.of(context(overrides)), GpuHostApp.HOST_SCRIPTS_DIR);
    }

    public static Synthesized synthesize(final Map<String, Object> overrides) {
        return CACHE.computeIfAbsent(Map.copyOf(overrides), TestApps::build);
    }

    private static Synthesized build(final Map<String, Object> overrides) {
        try {
            Path outdir = Files.createTempDirectory("cdk-test-");
            Map<String, Object> context = context(overrides);
            App app = new App(AppProps.builder().context(context).outdir(outdir.toString()).build());
            Settings settings = SettingsLoader.load(ContextSource.of(context), GpuHostApp.HOST_SCRIPTS_DIR);
            List<Stack> stacks = GpuHostStacks.addTo(app, settings, Optional.empty());
            GpuHostApp.addNagChecks(app);
            CloudAssembly assembly = app.synth();
            AcceptedRisk.writeExceptions(outdir);
            return new Synthesized(settings, stacks, assembly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
