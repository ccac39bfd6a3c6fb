package com.fractal.gpuhost.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.ToolSettingsFile;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.InvalidSettingsException;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The release command over an in-memory AWS: the settings file is the one synthesis writes (defaults: seven
 * regions, one image variant, candidate and stable, three promotions kept), the gateway a fake that can fail a write in one
 * region or be out of reach.
 */
class ReleaseCommandTest {
    /** The SHA-256 the variant is pinned to in the settings most tests use, and that their builds measured. */
    static final String PINNED = "5d2a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0918273645546372819a0b1c2";
    static final String VARIANT = "ubuntu24-r580";
    static final Path HOST_SCRIPTS = Path.of("host-scripts");

    /** Synthesized with the variant's driver pinned to {@link #PINNED}; {@link #recordMode} as the repo is. */
    static Path assembly;
    static Path recordMode;
    static ReleaseConfig config;

    InMemoryGateway aws;
    String out;
    String err;

    @BeforeAll
    static void writeSettings() throws IOException {
        assembly = Files.createTempDirectory("release-test-");
        ToolSettingsFile.write(SettingsLoader.load(ContextSource.of(TestApps.context(Map.of())),
                hostScriptsPinnedTo(PINNED)), assembly);
        config = ReleaseConfig.read(assembly, Optional.empty());
        recordMode = Files.createTempDirectory("release-test-record-mode-");
        ToolSettingsFile.write(TestApps.settings(Map.of()), recordMode);
    }

    /** A copy of host-scripts/ whose variant pin is the given SHA-256, as `npm run drivers -- qualify` writes it. */
    static Path hostScriptsPinnedTo(final String sha256) throws IOException {
        Path copy = Files.createTempDirectory("host-scripts-");
        try (var files = Files.walk(HOST_SCRIPTS)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(HOST_SCRIPTS.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path pin = copy.resolve("variants/" + VARIANT + ".env");
        Files.writeString(pin, Files.readString(pin).replace("NVIDIA_GRID_DRIVER_SHA256=unqualified",
                "NVIDIA_GRID_DRIVER_SHA256=" + sha256));
        return copy;
    }

    @BeforeEach
    void freshAws() {
        aws = new InMemoryGateway();
    }

    /** A build that passed its tests: one AMI per region, made by the pipeline, and the latest parameters. */
    void build(final String label) {
        build(label, PINNED);
    }

    /** A build whose GRID runfile measured the given SHA-256, as CI tags it from the version manifest. */
    void build(final String label, final String driverSha256) {
        for (int i = 0; i < config.activeRegions().size(); i++) {
            String region = config.activeRegions().get(i);
            String id = ami(label, i);
            aws.addImage(region, id, "fractal-gpu-host-" + label, Map.of(config.madeByTagKey(), config.madeByTagValue(),
                    config.driverGate().sha256TagKey(), driverSha256));
            aws.putLatest(region, config.latestSsmName(), id);
        }
    }

    static String ami(final String label, final int regionIndex) {
        return "ami-" + label + regionIndex;
    }

    int release(final String... args) {
        return releaseWith(assembly, args);
    }

    int releaseWith(final Path settings, final String... args) {
        ReleaseRun run = ReleaseRun.of(settings, c -> aws, args);
        out = run.out();
        err = run.err();
        return run.code();
    }

    /** What a channel holds in every region, build-region first. */
    List<Optional<String>> channel(final String name) {
        return config.activeRegions().stream().map(r -> aws.parameter(r, config.channel(name).ssmName())).toList();
    }

    static List<Optional<String>> everywhere(final String label) {
        List<Optional<String>> ids = new ArrayList<>();
        for (int i = 0; i < config.activeRegions().size(); i++) {
            ids.add(Optional.of(ami(label, i)));
        }
        return ids;
    }

    boolean heldBy(final String channel, final String label) {
        String key = config.channel(channel).heldByTagKey();
        for (int i = 0; i < config.activeRegions().size(); i++) {
            if (aws.tag(config.activeRegions().get(i), ami(label, i), key).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aRecordModeImageGoesToCandidateButStableRefusesItNamingTheCommandThatQualifiesIt() {
        String measured = "0f".repeat(32);
        build("a", measured);
        assertEquals(0, releaseWith(recordMode, "promote", "--to", "candidate"), err);
        assertEquals(everywhere("a"), channel("candidate"));

        assertEquals(1, releaseWith(recordMode, "promote", "--to", "stable", "--from", "candidate"));
        assertEquals(1, err.lines().count(), err);
        assertEquals("release: promote ubuntu24-r580 stable <- candidate refused, nothing changed: variant "
                + "ubuntu24-r580 has no pinned GRID driver, so its images were built in record mode; stable is a "
                + "production channel: qualify the driver with `npm run drivers -- qualify --variant ubuntu24-r580`\n",
                err);
        assertEquals(List.of(), channel("stable").stream().flatMap(Optional::stream).toList(), "stable is untouched");
        assertFalse(heldBy("stable", "a"));
    }

    @Test
    void stableRefusesADriverOtherThanThePinAndOneWithoutItsTagButTakesThePinnedOne() {
        String other = "ee".repeat(32);
        build("a", other);
        assertEquals(1, release("promote", "--to", "stable"));
        assertTrue(err.contains("us-east-1: ami-a0 has GRID driver SHA-256 " + other + ", not the pinned " + PINNED
                + "; us-east-2: ami-a1 has"), err);
        assertTrue(err.endsWith(", not the pinned " + PINNED + "; stable is a production channel: qualify the driver "
                + "with `npm run drivers -- qualify --variant ubuntu24-r580`\n"), err);
        assertEquals(1, err.lines().count(), err);
        assertEquals(List.of(), channel("stable").stream().flatMap(Optional::stream).toList());

        aws.addImage(config.buildRegion(), "ami-untagged", "fractal-gpu-host-b",
                Map.of(config.madeByTagKey(), config.madeByTagValue()));
        aws.putLatest(config.buildRegion(), config.latestSsmName(), "ami-untagged");
        assertEquals(1, release("promote", "--to", "stable"));
        assertTrue(err.contains("us-east-1: ami-untagged has GRID driver SHA-256 (no nvidia-grid-driver-sha256 tag)"),
                err);

        build("c");
        assertEquals(0, release("promote", "--to", "stable"), err);
        assertEquals(everywhere("c"), channel("stable"));
    }

    @Test
    void productionChannelsMustBeChannels() {
        InvalidSettingsException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(Map.of("productionChannels", List.of("stable", "prod"))));
        assertTrue(e.getMessage().contains("productionChannels") && e.getMessage().contains("prod")
                && e.getMessage().contains("candidate, stable"), e.getMessage());
    }

    @Test
    void withoutProductionChannelsStableTakesARecordModeImage() throws IOException {
        Path open = Files.createTempDirectory("release-test-no-gate-");
        ToolSettingsFile.write(TestApps.settings(Map.of("productionChannels", List.of())), open);
        build("a", "0f".repeat(32));
        assertEquals(0, releaseWith(open, "promote", "--to", "stable"), err);
    }

    @Test
    void promotionMovesEveryRegionTagsTheAmiAndItsSnapshotsAndAnnouncesIt() {
        build("a");
        aws.putLatest(config.buildRegion(), config.topicArnSsmName(), "arn:aws:sns:us-east-1:123456789012:topic");

        assertEquals(0, release("promote", "--to", "candidate"), err);

        assertEquals(everywhere("a"), channel("candidate"));
        assertTrue(heldBy("candidate", "a"));
        assertTrue(aws.tagCalls.contains("eu-west-1 ami-a5,snap-a5 fractal:held-by:candidate=true"), aws.tagCalls::toString);
        assertTrue(out.startsWith("plan: promote ubuntu24-r580 candidate <- latest (fractal-gpu-host-a) in 7 regions, all or none:"),
                out);
        assertTrue(out.contains("done: candidate holds fractal-gpu-host-a in 7 regions"), out);
        assertEquals(1, aws.published.size());
        assertEquals(List.of(), channel("stable").stream().flatMap(Optional::stream).toList(), "stable is untouched");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() {
        build("a");
        assertEquals(0, release("promote", "--to", "candidate", "--dry-run"), err);
        assertTrue(out.contains("dry run: nothing changed"), out);
        assertEquals(0, aws.writes - config.activeRegions().size(), "only the latest parameters were written");
        assertFalse(heldBy("candidate", "a"));
    }

    @Test
    void aRegionWithoutItsAmiRefusesThePromotionAndNothingChanges() {
        build("a");
        release("promote", "--to", "candidate");
        build("b");
        aws.images.get("us-west-2").remove(ami("b", 3));

        assertEquals(1, release("promote", "--to", "candidate"));

        assertEquals("release: promote ubuntu24-r580 candidate <- latest refused, nothing changed: us-west-2: ami-b3 does not exist\n",
                err);
        assertEquals(everywhere("a"), channel("candidate"));
        assertFalse(aws.tag("us-east-1", ami("b", 0), config.channel("candidate").heldByTagKey()).isPresent());
    }

    @Test
    void anAmiNotMadeByThisPipelineIsRefused() {
        build("a");
        aws.addImage("eu-central-1", ami("a", 6), "someone-elses-image", Map.of("project", "other"));

        assertEquals(1, release("promote", "--to", "candidate"));

        assertTrue(err.contains("eu-central-1: ami-a6 (someone-elses-image) was not made by this pipeline (tag "
                + "fractal:image-pipeline is absent, expected \"fractal-gpu-host-ubuntu24-r580\")"), err);
        assertEquals(List.of(), channel("candidate").stream().flatMap(Optional::stream).toList());
    }

    @Test
    void aWriteThatFailsHalfwayPutsTheChangedRegionsBack() {
        build("a");
        release("promote", "--to", "candidate");
        build("b");
        aws.failWritesIn = config.activeRegions().get(3);

        assertEquals(1, release("promote", "--to", "candidate"));

        assertEquals(everywhere("a"), channel("candidate"), "every region holds the old build again");
        assertEquals("release: promote ubuntu24-r580 candidate <- latest failed in us-west-2 (us-west-2: writing "
                + "/fractal/image/ubuntu24-r580/channels/candidate/ami-id: ParameterMaxVersionLimitExceeded: injected); put back "
                + "us-east-1, us-east-2, us-west-1: the channel is unchanged\n", err);
        assertTrue(out.contains("  us-east-2: put back to ami-a1"), out);
        assertFalse(heldBy("candidate", "b") || aws.tag("us-east-1", ami("b", 0),
                config.channel("candidate").heldByTagKey()).isPresent(), "the tags it added came off again");
        ReleaseGateway.Version putBack = aws.history("us-east-1", config.channel("candidate").ssmName()).get(2);
        assertEquals("release: put back after a failed release; holds version 1", putBack.description());
    }

    @Test
    void aFirstPromotionThatFailsHalfwayLeavesNoParameterBehind() {
        build("a");
        aws.failWritesIn = config.activeRegions().get(2);

        assertEquals(1, release("promote", "--to", "candidate"));

        assertEquals(List.of(), channel("candidate").stream().flatMap(Optional::stream).toList());
    }

    @Test
    void rollbackGoesBackOneReleaseAtATimeAndStopsAtTheFirst() {
        for (String label : List.of("a", "b", "c")) {
            build(label);
            assertEquals(0, release("promote", "--to", "stable"), err);
        }
        assertEquals(0, release("rollback", "stable"), err);
        assertEquals(everywhere("b"), channel("stable"));
        assertEquals(0, release("rollback", "stable"), err);
        assertEquals(everywhere("a"), channel("stable"), "a repeated rollback goes further back, not forth");

        assertEquals(1, release("rollback", "stable"));
        assertTrue(err.startsWith("release: rollback ubuntu24-r580 stable refused, nothing changed: us-east-1: no release before"),
                err);
        assertEquals(everywhere("a"), channel("stable"));

        build("d");
        release("promote", "--to", "stable");
        assertEquals(0, release("rollback", "stable"), err);
        assertEquals(everywhere("a"), channel("stable"), "after a new release, rollback returns to what it replaced");
    }

    @Test
    void amisOutsideTheLastThreePromotionsLoseTheHeldByTag() {
        for (String label : List.of("a", "b", "c")) {
            build(label);
            release("promote", "--to", "candidate");
        }
        assertTrue(heldBy("candidate", "a") && heldBy("candidate", "b") && heldBy("candidate", "c"));
        build("d");
        assertEquals(0, release("promote", "--to", "candidate"), err);

        assertFalse(heldBy("candidate", "a"), "a is now four promotions back");
        assertTrue(heldBy("candidate", "b") && heldBy("candidate", "c") && heldBy("candidate", "d"));
        assertTrue(out.contains("  retention: untag fractal-gpu-host-a (7 AMIs: out of the last 3 promotions of "
                + "candidate)"), out);
        assertTrue(out.contains("  retention: tag fractal:held-by:candidate=true on fractal-gpu-host-d (7 AMIs, "
                + "7 snapshots)"), out);
    }

    @Test
    void aRollbackKeepsWhatItCouldGoBackToAndANewPromotionMovesTheWindowOn() {
        for (String label : List.of("a", "b", "c")) {
            build(label);
            release("promote", "--to", "stable");
        }
        release("rollback", "stable");
        assertTrue(heldBy("stable", "a") && heldBy("stable", "b") && heldBy("stable", "c"),
                "a rollback is no promotion: the last three promotions stay kept");
        build("d");
        release("promote", "--to", "stable");
        assertFalse(heldBy("stable", "a"));
        assertTrue(heldBy("stable", "b") && heldBy("stable", "c") && heldBy("stable", "d"));
    }

    /**
     * The seed's bug: after rollbacks, a new promotion untagged the AMI a rollback would now return to (it lies
     * outside the last promotions), so retention could delete it and the next rollback had nowhere to go.
     */
    @Test
    void afterRollbacksANewPromotionKeepsWhatTheNextRollbackReaches() {
        for (String label : List.of("a", "b", "c", "d")) {
            build(label);
            assertEquals(0, release("promote", "--to", "stable"), err);
        }
        assertEquals(0, release("rollback", "stable"), err);
        assertEquals(0, release("rollback", "stable"), err);
        assertEquals(everywhere("b"), channel("stable"));
        build("e");
        assertEquals(0, release("promote", "--to", "stable"), err);

        assertTrue(heldBy("stable", "b"), "b is where the next rollback goes: it must keep its held-by tag");
        assertTrue(heldBy("stable", "c") && heldBy("stable", "d") && heldBy("stable", "e"));
        assertFalse(heldBy("stable", "a"), "a is neither recent nor a rollback target");
        assertEquals(0, release("rollback", "stable"), err);
        assertEquals(everywhere("b"), channel("stable"));
        assertTrue(heldBy("stable", "b") && heldBy("stable", "e"), "after that rollback, e is the way forward");
    }

    @Test
    void promotionFromAChannelCopiesItsBuildAndKeepsEachChannelsTagApart() {
        build("a");
        release("promote", "--to", "candidate");
        build("b");
        assertEquals(0, release("promote", "--to", "stable", "--from", "candidate"), err);

        assertEquals(everywhere("a"), channel("stable"));
        assertTrue(heldBy("stable", "a") && heldBy("candidate", "a"));
        assertFalse(heldBy("stable", "b"));
        assertEquals(0, release("promote", "--to", "stable", "--from", "candidate"), err);
        assertTrue(out.contains("nothing to do: stable already holds fractal-gpu-host-a in every region"), out);
    }

    @Test
    void statusShowsEachRegionAndMarksTheOnesThatDisagree() {
        build("a");
        release("promote", "--to", "candidate");
        aws.addImage("ca-central-1", "ami-odd", "fractal-gpu-host-odd", Map.of());
        aws.putLatest("ca-central-1", config.channel("candidate").ssmName(), "ami-odd");

        assertEquals(0, release("status"), err);

        List<String> lines = out.lines().toList();
        assertEquals("variant ubuntu24-r580:", lines.get(0));
        lines = lines.subList(1, lines.size());
        assertEquals(List.of("region", "latest", "candidate", "!", "stable"), List.of(lines.get(0).split("\\s+")));
        assertTrue(lines.get(1).matches("us-east-1 +ami-a0 fractal-gpu-host-a \\(2026-11-30\\) +ami-a0 "
                + "fractal-gpu-host-a \\(2026-11-30\\) +\\(none\\)"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ca-central-1") && l.contains("ami-odd fractal-gpu-host-odd"
                + " (2026-11-30) !")), out);
        assertEquals("! regions disagree on candidate: the marked regions hold another build than the others",
                lines.get(lines.size() - 1));
    }

    @Test
    void badUsageIsOneLineWithExitTwo() {
        Map<List<String>, String> cases = new HashMap<>();
        cases.put(List.of("promote", "--to", "beta"), "release: unknown channel \"beta\"; channels: candidate, stable");
        cases.put(List.of("promote", "--to", "stable", "--from", "stable"),
                "release: cannot promote \"stable\" to itself; --from takes latest or another channel");
        cases.put(List.of("promote"), "release: promote needs --to CHANNEL");
        cases.put(List.of("rollback"), "release: rollback takes one channel, got 0");
        cases.put(List.of("rollback", "beta"), "release: unknown channel \"beta\"; channels: candidate, stable");
        cases.put(List.of("status", "--to", "stable"),
                "release: unknown option \"--to\" for status; allowed: --variant, --assembly");
        cases.put(List.of("ship"), "release: unknown verb \"ship\"; allowed: status, promote, rollback");
        cases.forEach((args, message) -> {
            assertEquals(2, release(args.toArray(String[]::new)), args.toString());
            assertEquals(message + "\n", err, args.toString());
        });
    }

    @Test
    void aMissingSettingsFileSaysToSynthesizeFirst() throws IOException {
        Path empty = Files.createTempDirectory("no-assembly-");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = ReleaseCli.run(List.of("status", "--assembly", empty.toString()), System.out,
                new PrintStream(stderr, true, StandardCharsets.UTF_8), c -> aws);
        assertEquals(2, code);
        assertEquals("release: " + empty.resolve("gpu-host-settings.json") + " is missing: run `npm run synth` first "
                + "(or pass --assembly DIR)\n", stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEndpointThatIsDownIsOneLineWithExitOne() {
        aws.unreachable = true;
        assertEquals(1, release("promote", "--to", "candidate"));
        assertEquals("release: cannot reach AWS at http://127.0.0.1:9 (Connection refused); nothing was changed\n", err);
    }
}
