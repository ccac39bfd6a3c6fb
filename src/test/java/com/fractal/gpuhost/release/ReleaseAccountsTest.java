package com.fractal.gpuhost.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.ToolSettingsFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The release command across accounts × regions, over an in-memory organization: the build account shares
 * its AMIs with two OUs (one member account in each, the second one in a child OU) and copies them into a
 * third account; each workload account's channel follows the build account's, all or none.
 */
class ReleaseAccountsTest {
    static final String BUILD = "123456789012";
    static final String MANAGEMENT = "999999999999";
    static final String PROD = "111111111111";
    static final String STAGING = "222222222222";
    static final String COPY = "333333333333";
    static final String ORG = "arn:aws:organizations::" + MANAGEMENT + ":organization/o-exampleorgid";
    static final String PROD_OU = "arn:aws:organizations::" + MANAGEMENT + ":ou/o-exampleorgid/ou-ab12-prod0001";
    static final String STAGING_OU = "arn:aws:organizations::" + MANAGEMENT + ":ou/o-exampleorgid/ou-ab12-stag0001";
    static final String ROLE = "fractal-release-channel-writer";

    static Path assembly;
    static ReleaseConfig config;

    InMemoryGateway aws;
    InMemoryAccounts org;
    String out;
    String err;

    @BeforeAll
    static void writeSettings() throws IOException {
        assembly = Files.createTempDirectory("release-accounts-test-");
        ToolSettingsFile.write(TestApps.settings(Map.of("shareWithOrganizationalUnits", List.of(PROD_OU, STAGING_OU),
                "copyToAccounts", List.of(COPY))), assembly);
        config = ReleaseConfig.read(assembly, Optional.empty());
    }

    @BeforeEach
    void freshOrganization() {
        aws = new InMemoryGateway();
        org = new InMemoryAccounts(BUILD, MANAGEMENT);
        org.member("ou-ab12-prod0001", PROD);
        org.child("ou-ab12-stag0001", "ou-ab12-team0001");
        org.member("ou-ab12-team0001", STAGING);
        // The management account sits in an OU here too: StackSets never deploy its role, so it is left out.
        org.member("ou-ab12-prod0001", MANAGEMENT);
        org.accounts.put(COPY, new InMemoryGateway());
    }

    /** A passing build: its AMIs in the build account, shared with both OUs, and the copy account's own copies. */
    void build(final String label) {
        for (int i = 0; i < config.activeRegions().size(); i++) {
            String region = config.activeRegions().get(i);
            String id = ami(label, i);
            String name = "fractal-gpu-host-" + label;
            aws.addImage(region, id, name, Map.of(config.madeByTagKey(), config.madeByTagValue()));
            aws.share(region, id, "OrganizationalUnitArn:" + PROD_OU);
            aws.share(region, id, "OrganizationalUnitArn:" + STAGING_OU);
            aws.putLatest(region, config.latestSsmName(), id);
            org.accounts.get(COPY).addImage(region, copy(label, i), name, Map.of());
        }
    }

    static String ami(final String label, final int region) {
        return "ami-" + label + region;
    }

    static String copy(final String label, final int region) {
        return "ami-copy" + label + region;
    }

    int release(final String... args) {
        ReleaseRun run = ReleaseRun.of(assembly, c -> aws, c -> org, args);
        out = run.out();
        err = run.err();
        return run.code();
    }

    /** What the channel holds in every region of one account ("build" or an account ID), build region first. */
    List<String> channel(final String account, final String channel) {
        InMemoryGateway gateway = "build".equals(account) ? aws : org.accounts.get(account);
        return config.activeRegions().stream().map(region -> gateway.parameter(region,
                config.channel(channel).ssmName()).orElse("-")).toList();
    }

    static List<String> everywhere(final String label, final boolean copies) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < config.activeRegions().size(); i++) {
            ids.add(copies ? copy(label, i) : ami(label, i));
        }
        return ids;
    }

    void assertEveryAccountHolds(final String label, final String why) {
        assertEquals(everywhere(label, false), channel("build", "candidate"), why + ": build account");
        assertEquals(everywhere(label, false), channel(PROD, "candidate"), why + ": " + PROD);
        assertEquals(everywhere(label, false), channel(STAGING, "candidate"), why + ": " + STAGING);
        assertEquals(everywhere(label, true), channel(COPY, "candidate"), why + ": " + COPY + " (its own copies)");
    }

    @Test
    void theSettingsFileNamesTheWorkloadAccountsAndTheWriterRole() {
        assertEquals(new ReleaseConfig.Sharing(List.of(), List.of(PROD_OU, STAGING_OU), Optional.empty(),
                List.of(COPY), ROLE), config.sharing());
    }

    @Test
    void withoutSharingSettingsNoWorkloadAccountIsLookedUp() throws IOException {
        Path single = Files.createTempDirectory("release-single-account-");
        ToolSettingsFile.write(TestApps.settings(Map.of()), single);
        ReleaseConfig alone = ReleaseConfig.read(single, Optional.empty());
        assertFalse(alone.sharing().isActive());
        assertEquals(ROLE, alone.sharing().channelWriterRole());
        build("a");
        List<String> args = List.of("promote", "--to", "candidate", "--assembly", single.toString());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertEquals(0, ReleaseCli.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err,
                c -> aws, c -> {
                    throw new AssertionError("the accounts gateway was asked for without sharing settings");
                }));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("plan: promote ubuntu24-r580 candidate <- latest "
                + "(fractal-gpu-host-a) in 7 regions, all or none:"));
        assertEquals(List.of(), org.assumed);
    }

    @Test
    void promotionAndRollbackMoveEveryAccountInEveryRegion() {
        build("a");
        assertEquals(0, release("promote", "--to", "candidate"), err);
        assertEveryAccountHolds("a", "after the first promotion");
        assertEquals("workload accounts, as the sharing settings and AWS Organizations name them now: " + PROD + ", "
                + STAGING + ", " + COPY + " (its own copies); the management account " + MANAGEMENT + " is left out "
                + "(StackSets deploy no channel writer role there)", out.lines().findFirst().orElseThrow());
        assertTrue(out.contains("\nplan: promote ubuntu24-r580 candidate <- latest (fractal-gpu-host-a) in 7 regions of "
                + "the build account and 3 workload accounts, all or none:"), out);
        assertTrue(out.contains("  " + COPY + " eu-central-1    (none) -> " + copy("a", 6)), out);
        assertEquals(List.of(PROD + "/" + ROLE, STAGING + "/" + ROLE, COPY + "/" + ROLE), org.assumed,
                "the OUs' members (the child OU's included, the management account left out) and the copy account");

        build("b");
        assertEquals(0, release("promote", "--to", "candidate"), err);
        assertEveryAccountHolds("b", "after the second promotion");

        assertEquals(0, release("rollback", "candidate"), err);
        assertEveryAccountHolds("a", "after the rollback");
        assertTrue(out.contains("done: candidate holds fractal-gpu-host-a in 7 regions of the build account and 3 "
                + "workload accounts"), out);
        assertEquals("release: rollback ubuntu24-r580 candidate", org.accounts.get(PROD).history("us-east-2",
                config.channel("candidate").ssmName()).get(2).description());
        assertTrue(aws.tag("us-east-1", ami("a", 0), config.channel("candidate").heldByTagKey()).isPresent(),
                "the held-by tags stay on the build account's AMIs");
        assertTrue(org.accounts.get(COPY).tagCalls.isEmpty(), "a copy account's AMIs are its own: never tagged");
    }

    @Test
    void aFailedWriteInOneAccountsRegionPutsBackEveryWrittenParameterInEveryAccount() {
        build("a");
        release("promote", "--to", "candidate");
        build("b");
        org.accounts.get(STAGING).failWritesIn = "us-west-2";

        assertEquals(1, release("promote", "--to", "candidate"));

        assertEveryAccountHolds("a", "after the failed promotion");
        assertEquals("release: promote ubuntu24-r580 candidate failed in " + STAGING + " us-west-2 (us-west-2: writing "
                + "/fractal/image/ubuntu24-r580/channels/candidate/ami-id: ParameterMaxVersionLimitExceeded: injected); "
                + "put back us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, eu-west-1, eu-central-1, "
                + PROD + " us-east-1, " + PROD + " us-east-2, " + PROD + " us-west-1, " + PROD + " us-west-2, " + PROD
                + " ca-central-1, " + PROD + " eu-west-1, " + PROD + " eu-central-1, " + STAGING + " us-east-1, "
                + STAGING + " us-east-2, " + STAGING + " us-west-1: the channel is unchanged\n",
                err.replace(" <- latest", ""));
        assertFalse(aws.tag("us-east-1", ami("b", 0), config.channel("candidate").heldByTagKey()).isPresent(),
                "the held-by tags it added came off again");
        assertTrue(org.accounts.get(COPY).history("us-east-1", config.channel("candidate").ssmName()).size() == 1,
                "the copy account, after the failing one, was never written");
    }

    @Test
    void aFirstPromotionThatFailsInAWorkloadAccountLeavesNoParameterInAnyAccount() {
        build("a");
        org.accounts.get(COPY).failWritesIn = "eu-west-1";

        assertEquals(1, release("promote", "--to", "candidate"));

        for (String account : List.of("build", PROD, STAGING, COPY)) {
            assertEquals(List.of("-", "-", "-", "-", "-", "-", "-"), channel(account, "candidate"), account);
        }
    }

    @Test
    void anAccountWhoseRoleCannotBeAssumedIsRefusedBeforeAnyWrite() {
        build("a");
        org.unassumable.add(STAGING);
        int writesBefore = aws.writes;

        assertEquals(1, release("promote", "--to", "candidate"));

        assertEquals("release: promote ubuntu24-r580 candidate <- latest refused, nothing changed: account " + STAGING
                + ": cannot assume role " + ROLE + " (sts: assuming arn:aws:iam::" + STAGING + ":role/" + ROLE
                + ": AccessDenied: not authorized to perform sts:AssumeRole); every workload account needs the role "
                + "(the workload baseline deploys it, docs/accounts.md)\n", err);
        assertEquals(writesBefore, aws.writes, "nothing was written in the build account");
        assertEquals(0, org.accounts.get(PROD).writes, "nor in another workload account");
        assertEquals(1, release("rollback", "candidate"));
        assertTrue(err.startsWith("release: rollback ubuntu24-r580 candidate refused, nothing changed: account "
                + STAGING + ": cannot assume role"), err);
    }

    @Test
    void anAmiNotSharedWithAnAccountOrAMissingCopyIsRefusedAndNothingChanges() {
        build("a");
        aws.launchPermissions.get("eu-west-1").get(ami("a", 5)).remove("OrganizationalUnitArn:" + STAGING_OU);
        org.accounts.get(COPY).images.get("us-east-2").remove(copy("a", 1));

        assertEquals(1, release("promote", "--to", "candidate"));

        assertTrue(err.contains(STAGING + " eu-west-1: " + ami("a", 5) + " is not shared with the account (its launch "
                + "permissions: OrganizationalUnitArn:" + PROD_OU + "; the account needs one of: "
                + "OrganizationalUnitArn:" + STAGING_OU + ")"), err);
        assertTrue(err.contains(COPY + " us-east-2: no copy of fractal-gpu-host-a in the account (copyToAccounts: "
                + "Image Builder copies each build there)"), err);
        assertEquals(1, err.lines().count(), err);
        for (String account : List.of("build", PROD, STAGING, COPY)) {
            assertEquals(List.of("-", "-", "-", "-", "-", "-", "-"), channel(account, "candidate"), account);
        }
    }

    @Test
    void statusShowsWhatEachAccountSeesAndFlagsOneThatDiffers() {
        build("a");
        release("promote", "--to", "candidate");
        org.accounts.get(PROD).putImageParameter("ca-central-1", config.channel("candidate").ssmName(), "ami-odd",
                "changed by hand");

        assertEquals(0, release("status"), err);

        List<String> lines = out.lines().toList();
        assertEquals("build account " + BUILD + ":", lines.get(1));
        int prod = lines.indexOf("account " + PROD + " (launches the build account's AMIs):");
        assertTrue(prod > 0, out);
        assertEquals(List.of("region", "candidate", "stable"), List.of(lines.get(prod + 1).split("\\s+")));
        assertTrue(lines.get(prod + 2).matches("us-east-1 +ami-a0 +\\(none\\)"), lines.get(prod + 2));
        assertTrue(lines.get(prod + 6).matches("ca-central-1 +ami-odd ! +\\(none\\)"), lines.get(prod + 6));
        assertTrue(lines.contains("! account " + PROD + " differs from the build account on candidate: the marked "
                + "regions hold another build"), out);
        assertTrue(lines.contains("account " + STAGING + " agrees with the build account on each channel"), out);
        int copies = lines.indexOf("account " + COPY + " (owns copies of the AMIs):");
        assertTrue(lines.get(copies + 2).matches("us-east-1 +ami-copya0 fractal-gpu-host-a +\\(none\\)"),
                lines.get(copies + 2));
        assertTrue(lines.contains("account " + COPY + " agrees with the build account on each channel"), out);

        org.unassumable.add(COPY);
        assertEquals(0, release("status"), err);
        assertTrue(out.contains("! account " + COPY + ": cannot assume role " + ROLE), out);
    }
}
