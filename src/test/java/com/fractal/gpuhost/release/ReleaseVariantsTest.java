package com.fractal.gpuhost.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.ToolSettingsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The release command with two active variants: each has its own channels; a verb must say which one. */
class ReleaseVariantsTest {
    static Path assembly;
    static ReleaseConfig current;
    static ReleaseConfig retired;

    InMemoryGateway aws;
    String out;
    String err;

    @BeforeAll
    static void writeSettings() throws IOException {
        assembly = Files.createTempDirectory("release-variants-");
        ToolSettingsFile.write(TestApps.settings(Map.of("imageVariants", "ubuntu24-r580,ubuntu20-r535")), assembly);
        current = ReleaseConfig.read(assembly, Optional.of("ubuntu24-r580"));
        retired = ReleaseConfig.read(assembly, Optional.of("ubuntu20-r535"));
    }

    @BeforeEach
    void freshAws() {
        aws = new InMemoryGateway();
    }

    void build(final ReleaseConfig config, final String label) {
        for (String region : config.activeRegions()) {
            String id = "ami-" + label + "-" + region;
            aws.addImage(region, id, config.madeByTagValue() + "-" + label,
                    Map.of(config.madeByTagKey(), config.madeByTagValue()));
            aws.putLatest(region, config.latestSsmName(), id);
        }
    }

    int release(final String... args) {
        ReleaseRun run = ReleaseRun.of(assembly, c -> aws, args);
        out = run.out();
        err = run.err();
        return run.code();
    }

    @Test
    void eachVariantHasItsOwnParametersNamedForIt() {
        assertEquals("/imagebuilder/fractal/ubuntu24-r580/ami-id", current.latestSsmName());
        assertEquals("/imagebuilder/fractal/ubuntu20-r535/ami-id", retired.latestSsmName());
        assertEquals("/fractal/image/ubuntu20-r535/channels/stable/ami-id", retired.channel("stable").ssmName());
        assertEquals("fractal-gpu-host-ubuntu20-r535", retired.madeByTagValue());
    }

    @Test
    void withTwoActiveVariantsAVerbWithoutVariantIsRefusedNamingThem() {
        for (List<String> args : List.of(List.of("promote", "--to", "candidate"), List.of("rollback", "stable"))) {
            assertEquals(2, release(args.toArray(String[]::new)), args.toString());
            assertEquals("release: --variant is needed: 2 variants are active (ubuntu24-r580, ubuntu20-r535)\n", err);
        }
        assertEquals(2, release("promote", "--to", "candidate", "--variant", "ubuntu22-r570"));
        assertEquals("release: --variant: \"ubuntu22-r570\" is not an active variant; allowed: ubuntu24-r580, "
                + "ubuntu20-r535\n", err);
    }

    @Test
    void aPromotionMovesOnlyTheNamedVariantsChannel() {
        build(current, "a");
        build(retired, "a");

        assertEquals(0, release("promote", "--to", "candidate", "--variant", "ubuntu20-r535"), err);

        for (String region : current.activeRegions()) {
            assertEquals(Optional.of("ami-a-" + region), aws.parameter(region, retired.channel("candidate").ssmName()));
            assertEquals(Optional.empty(), aws.parameter(region, current.channel("candidate").ssmName()));
        }
    }

    @Test
    void anAmiOfAnotherVariantIsRefused() {
        build(current, "a");
        aws.putLatest("us-east-2", retired.latestSsmName(), "ami-a-us-east-2");
        for (String region : retired.activeRegions()) {
            aws.putLatest(region, retired.latestSsmName(), "ami-a-" + region);
        }
        assertEquals(1, release("promote", "--to", "candidate", "--variant", "ubuntu20-r535"));
        assertTrue(err.contains("was not made by this pipeline (tag fractal:image-pipeline is "
                + "\"fractal-gpu-host-ubuntu24-r580\", expected \"fractal-gpu-host-ubuntu20-r535\")"), err);
    }

    @Test
    void statusShowsEveryVariantOrTheOneNamed() {
        build(current, "a");
        assertEquals(0, release("status"), err);
        assertTrue(out.startsWith("variant ubuntu24-r580:\n"), out);
        assertTrue(out.contains("\nvariant ubuntu20-r535:\n"), out);
        assertTrue(out.contains("ami-a-us-east-1 fractal-gpu-host-ubuntu24-r580-a"), out);

        assertEquals(0, release("status", "--variant", "ubuntu20-r535"), err);
        assertTrue(out.startsWith("variant ubuntu20-r535:\n") && !out.contains("ubuntu24-r580"), out);
    }
}
