package com.fractal.gpuhost.drivers;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers command over an in-memory S3, on a copy of the repository's variant pins. The runfiles are
 * small shell stand-ins: the command really runs {@code sh FILE --check} on them, and a corrupt one fails it.
 */
class DriversCommandTest {
    static final String CURRENT = "ubuntu24-r580";
    static final String RETIRED = "ubuntu20-r535";
    static final String PINNED = "grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run";
    static final String NEWER = "grid-19.2/NVIDIA-Linux-x86_64-580.95.05-grid-aws.run";
    static final String CORRUPT = "grid-19.1/NVIDIA-Linux-x86_64-580.82.07-grid-aws.run";
    static final String OTHER_BRANCH = "grid-20.0/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run";
    static final String RETIRED_KEY = "grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run";
    static final String MIRROR = "fractal-gpu-host-drivers-123456789012-us-east-1";

    @TempDir
    Path variants;
    InMemoryDriverGateway aws;
    String out;
    String err;

    /** A stand-in runfile: passes its --check, and differs from every other one. */
    static byte[] runfile(final String version) {
        return ("#!/bin/sh\n# stand-in for " + version + "\n[ \"$1\" = --check ] && { echo 'All good.'; exit 0; }\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] corrupt() {
        return "#!/bin/sh\necho 'Error in SHA256 checksums: abc is different from def'\nexit 1\n"
                .getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void setUp() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("host-scripts/variants"))) {
            for (Path file : files.toList()) {
                Files.copy(file, variants.resolve(file.getFileName()));
            }
        }
        aws = new InMemoryDriverGateway();
        aws.putUpstream(PINNED, runfile("580.65.06"));
        aws.putUpstream(NEWER, runfile("580.95.05"));
        aws.putUpstream(OTHER_BRANCH, runfile("595.45.04"));
        aws.putUpstream("latest/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run", runfile("595.45.04"));
        aws.putUpstream(RETIRED_KEY, runfile("535.183.01"));
        aws.putUpstream(CORRUPT, corrupt());
        aws.mirrorBuckets.add(MIRROR);
    }

    int drivers(final String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--variants", variants.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = DriversCli.run(all, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), bucket -> aws);
        out = stdout.toString(StandardCharsets.UTF_8);
        err = stderr.toString(StandardCharsets.UTF_8);
        return code;
    }

    int qualify(final String... args) {
        List<String> all = new ArrayList<>(List.of("qualify", "--mirror-bucket", MIRROR));
        all.addAll(Arrays.asList(args));
        return drivers(all.toArray(String[]::new));
    }

    String pin(final String variant, final String line) throws IOException {
        return Files.readAllLines(variants.resolve(variant + ".env")).stream()
                .filter(l -> l.startsWith(line + "=")).map(l -> l.substring(line.length() + 1)).findFirst().orElseThrow();
    }

    String pins() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String variant : List.of(CURRENT, RETIRED)) {
            all.append(Files.readString(variants.resolve(variant + ".env")));
        }
        return all.toString();
    }

    static String sha256(final byte[] bytes) throws IOException {
        Path file = Files.createTempFile("runfile", ".run");
        Files.write(file, bytes);
        String sha = Qualifier.sha256(file);
        Files.delete(file);
        return sha;
    }

    void assertOneLineError(final String expected) {
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("drivers: "), err);
        assertTrue(err.contains(expected), err);
    }

    @Test
    void listShowsBranchesNewestFirstWithPinsAndNewerKeys() {
        assertEquals(0, drivers("list"), err);
        List<String> branches = out.lines().filter(l -> l.startsWith("R")).toList();
        assertEquals(List.of("R595 (grid-20)", "R580 (grid-19)", "R535 (grid-16)"), branches);
        assertFalse(out.contains("  latest/"), "latest/ is no branch");
        assertTrue(line(PINNED).endsWith("pinned by " + CURRENT + " (unqualified)"), out);
        assertTrue(line(NEWER).endsWith("newer than " + CURRENT + "'s pin"), out);
        assertTrue(line(CORRUPT).endsWith("newer than " + CURRENT + "'s pin"), out);
        assertFalse(line(OTHER_BRANCH).contains("newer"), "another branch is not newer: " + out);
        assertTrue(line(RETIRED_KEY).endsWith("pinned by " + RETIRED + " (unqualified)"), out);
        assertTrue(out.contains(CURRENT + ": pins " + PINNED + " (R580 (grid-19), unqualified); newer on its branch: "
                + "580.82.07, 580.95.05 (npm run drivers -- qualify --variant " + CURRENT + ")"), out);
        assertTrue(out.contains(RETIRED + ": pins " + RETIRED_KEY + " (R535 (grid-16), unqualified); nothing newer"), out);
    }

    String line(final String key) {
        return out.lines().filter(l -> l.startsWith("  " + key)).findFirst().orElseThrow(() -> new AssertionError(
                key + " not listed: " + out));
    }

    @Test
    void listNewerPrintsOnlyVariantsWithANewerDriver() {
        assertEquals(0, drivers("list", "--newer"), err);
        assertEquals(CURRENT + " " + NEWER + "\n", out);
    }

    @Test
    void listSaysWhenAPinnedKeyLeftTheBucket() {
        aws.upstream.remove(PINNED);
        assertEquals(0, drivers("list"), err);
        assertTrue(out.contains(CURRENT + ": pins " + PINNED + " (R580 (grid-19), unqualified); NOT in the bucket"), out);
    }

    @Test
    void qualifyMirrorsTheNewestOnTheBranchAndWritesThePin() throws IOException {
        List<String> otherLinesBefore = Files.readAllLines(variants.resolve(CURRENT + ".env")).stream()
                .filter(l -> !l.startsWith("NVIDIA_GRID_DRIVER_")).toList();
        String retiredBefore = Files.readString(variants.resolve(RETIRED + ".env"));
        Files.setPosixFilePermissions(variants.resolve(CURRENT + ".env"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, qualify("--variant", CURRENT), err);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(variants.resolve(CURRENT + ".env"))), "the pin file keeps its mode");
        String sha = sha256(runfile("580.95.05"));
        assertTrue(out.startsWith("plan: qualify " + CURRENT + " <- " + NEWER + "\n"), "plan first: " + out);
        assertEquals(NEWER, pin(CURRENT, "NVIDIA_GRID_DRIVER_KEY"));
        assertEquals(sha, pin(CURRENT, "NVIDIA_GRID_DRIVER_SHA256"));
        assertEquals(otherLinesBefore, Files.readAllLines(variants.resolve(CURRENT + ".env")).stream()
                .filter(l -> !l.startsWith("NVIDIA_GRID_DRIVER_")).toList(), "comments stay");
        assertEquals(retiredBefore, Files.readString(variants.resolve(RETIRED + ".env")));
        InMemoryDriverGateway.Stored mirrored = aws.mirror.get(MIRROR + "/" + NEWER);
        assertTrue(Arrays.equals(runfile("580.95.05"), mirrored.bytes()));
        assertEquals(sha, mirrored.metadata().get(Qualifier.META_SHA256));
        assertEquals(aws.upstream.get(NEWER).etag(), mirrored.metadata().get(Qualifier.META_SOURCE_ETAG));
        assertTrue(out.contains("done: " + CURRENT + " pins " + NEWER + " (SHA-256 " + sha + ", "
                + runfile("580.95.05").length + " bytes, upstream ETag " + aws.upstream.get(NEWER).etag() + ")"), out);
    }

    @Test
    void aReRunChangesNothing() throws IOException {
        assertEquals(0, qualify("--variant", CURRENT), err);
        String before = pins();
        assertEquals(0, qualify("--variant", CURRENT), err);
        assertTrue(out.contains("nothing to do: " + CURRENT + " already pins " + NEWER), out);
        assertEquals(before, pins());
        assertEquals(1, aws.puts.size(), "one upload in all");
        assertEquals(1, aws.downloads, "the re-run downloads nothing");
    }

    @Test
    void aGivenKeyOnTheBranchIsPinned() throws IOException {
        assertEquals(0, qualify("--variant", CURRENT, "--key", PINNED), err);
        assertEquals(PINNED, pin(CURRENT, "NVIDIA_GRID_DRIVER_KEY"));
        assertEquals(sha256(runfile("580.65.06")), pin(CURRENT, "NVIDIA_GRID_DRIVER_SHA256"));
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws IOException {
        String before = pins();
        assertEquals(0, qualify("--variant", CURRENT, "--dry-run"), err);
        assertTrue(out.contains("  into: s3://" + MIRROR + "/" + NEWER + " (new)"), out);
        assertTrue(out.endsWith("dry run: nothing changed\n"), out);
        assertEquals(before, pins());
        assertTrue(aws.mirror.isEmpty());
        assertEquals(0, aws.downloads);
    }

    @Test
    void aCorruptRunfileIsRefusedAndNothingIsMirroredOrPinned() throws IOException {
        String before = pins();
        assertEquals(1, qualify("--variant", CURRENT, "--key", CORRUPT));
        assertOneLineError(CORRUPT + ": the runfile's own integrity check (sh NVIDIA-Linux-x86_64-580.82.07-grid-aws.run"
                + " --check) failed (exit 1: Error in SHA256 checksums: abc is different from def); nothing was mirrored");
        assertEquals(before, pins());
        assertTrue(aws.mirror.isEmpty());
    }

    @Test
    void bytesThatDifferFromThePinAreRefusedNamingBothChecksums() throws IOException {
        assertEquals(0, qualify("--variant", CURRENT), err);
        String pinned = pin(CURRENT, "NVIDIA_GRID_DRIVER_SHA256");
        aws.mirror.clear();
        aws.putUpstream(NEWER, runfile("580.95.05, rebuilt by someone"));
        String before = pins();
        assertEquals(1, qualify("--variant", CURRENT));
        assertOneLineError(NEWER + ": the bytes differ from the pin: " + variants.resolve(CURRENT + ".env")
                + " has SHA-256 " + pinned + ", ec2-linux-nvidia-drivers now serves "
                + sha256(runfile("580.95.05, rebuilt by someone")));
        assertEquals(before, pins());
        assertTrue(aws.mirror.isEmpty());
    }

    @Test
    void aFileAwsChangedAfterQualifyingLeavesPinAndMirrorWithAWarning() throws IOException {
        assertEquals(0, qualify("--variant", CURRENT), err);
        String before = pins();
        aws.putUpstream(NEWER, runfile("580.95.05, rebuilt by someone"));
        assertEquals(0, qualify("--variant", CURRENT), err);
        assertTrue(out.contains("warning: " + NEWER + " changed upstream since it was qualified"), out);
        assertEquals(before, pins());
        assertEquals(1, aws.puts.size());
    }

    @Test
    void aMirrorObjectWithOtherBytesIsNeverOverwritten() throws IOException {
        assertEquals(0, qualify("--variant", CURRENT, "--key", PINNED), err);
        aws.mirror.put(MIRROR + "/" + NEWER, new InMemoryDriverGateway.Stored(new byte[] {1},
                "\"x\"", java.util.Map.of(Qualifier.META_SHA256, "0".repeat(64))));
        String before = pins();
        assertEquals(1, qualify("--variant", CURRENT));
        assertOneLineError("s3://" + MIRROR + "/" + NEWER + " holds other bytes (SHA-256 " + "0".repeat(64) + ")");
        assertEquals(before, pins());
    }

    @Test
    void aLargeFileShowsProgressLines() {
        byte[] large = new byte[(int) ProgressLine.LARGE_FILE_BYTES + 1024];
        byte[] script = runfile("580.95.05");
        System.arraycopy(script, 0, large, 0, script.length);
        Arrays.fill(large, script.length, large.length, (byte) '#');
        aws.putUpstream(NEWER, large);
        assertEquals(0, qualify("--variant", CURRENT), err);
        List<String> progress = out.lines().filter(l -> l.startsWith("  downloading " + NEWER + ": ")).toList();
        // A line per tenth reached: 1 MiB steps of an 8 MiB file reach eight or nine of them.
        assertTrue(progress.size() >= 8 && progress.size() <= 10, out);
        assertTrue(progress.get(0).endsWith("1.0 MiB of 8.0 MiB (10%)"), out);
        assertTrue(progress.get(progress.size() - 1).endsWith("(100%)"), out);
    }

    @Test
    void badInputIsOneLineWithTheAllowedValues() {
        assertEquals(2, qualify("--variant", "ubuntu22-r999"));
        assertOneLineError("--variant ubuntu22-r999 is unknown; allowed: " + RETIRED + ", " + CURRENT);
        assertEquals(1, qualify("--variant", CURRENT, "--key", OTHER_BRANCH));
        assertOneLineError("--key " + OTHER_BRANCH + " is on branch R595 (grid-20), not on " + CURRENT
                + "'s branch R580 (grid-19); allowed: " + PINNED + ", " + CORRUPT + ", " + NEWER);
        String missing = "grid-19.9/NVIDIA-Linux-x86_64-580.999.01-grid-aws.run";
        assertEquals(1, qualify("--variant", CURRENT, "--key", missing));
        assertOneLineError("--key " + missing + " is not in s3://ec2-linux-nvidia-drivers (us-east-1)");
        assertEquals(2, qualify("--variant", CURRENT, "--key", "latest/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run"));
        assertOneLineError("is no GRID runfile key");
        assertEquals(2, drivers("qualify"));
        assertOneLineError("qualify needs --variant NAME");
        assertEquals(2, drivers("list", "--variant", CURRENT));
        assertOneLineError("unknown option \"--variant\" for list; allowed: --newer, --variants");
        assertEquals(2, drivers("lsit"));
        assertOneLineError("unknown verb \"lsit\"; allowed: list, qualify");
        assertEquals(2, drivers("qualify", "--variant"));
        assertOneLineError("--variant needs a value");
    }

    @Test
    void aMissingMirrorOrAwsOutOfReachIsRefused() {
        aws.mirrorBuckets.clear();
        assertEquals(1, qualify("--variant", CURRENT));
        assertOneLineError("the mirror bucket " + MIRROR + " does not exist");
        aws.unreachable = true;
        assertEquals(1, drivers("list"));
        assertOneLineError("cannot reach AWS; nothing was changed");
    }

    @Test
    void theDefaultMirrorIsNamedAfterAccountAndBuildRegion(@TempDir final Path assembly) throws IOException {
        // The file as a synthesis with the build region us-west-2 writes it.
        ToolSettingsFile.write(TestApps.settings(Map.of("activeRegions", "us-west-2", "buildRegion", "us-west-2")),
                assembly);
        aws.mirrorBuckets.add("fractal-gpu-host-drivers-123456789012-us-west-2");
        assertEquals(0, drivers("qualify", "--variant", CURRENT, "--dry-run", "--assembly", assembly.toString()), err);
        assertTrue(out.contains("into: s3://fractal-gpu-host-drivers-123456789012-us-west-2/" + NEWER), out);
        assertEquals(2, drivers("qualify", "--variant", CURRENT, "--assembly", assembly.resolve("none").toString()));
        assertOneLineError("gpu-host-settings.json is missing: run `npm run synth` first");
    }

    @Test
    void theRepositoryPinsAreValid() {
        VariantPins pins = VariantPins.read(Path.of("host-scripts/variants"));
        assertEquals(List.of(RETIRED, CURRENT), List.copyOf(pins.pins().keySet()));
        assertEquals("R580 (grid-19)", pins.get(CURRENT).key().branch());
    }
}
