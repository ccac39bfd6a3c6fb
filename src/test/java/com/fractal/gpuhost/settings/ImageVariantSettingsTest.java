package com.fractal.gpuhost.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Image variants as settings: the catalog's definitions, the driver files of host-scripts/variants/, and
 * every bad input refused before synthesis with the setting, the value and what is allowed.
 */
class ImageVariantSettingsTest {
    private static final Path HOST_SCRIPTS = Path.of("host-scripts");

    @SuppressWarnings("unchecked")
    static Map<String, Object> catalog() {
        return (Map<String, Object>) TestApps.defaultContext().get("imageVariantCatalog");
    }

    /** The default catalog with one field of one variant replaced. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> catalogWith(final String variant, final String field, final Object value) {
        Map<String, Object> copy = new LinkedHashMap<>();
        catalog().forEach((name, entry) -> copy.put(name, new LinkedHashMap<>((Map<String, Object>) entry)));
        ((Map<String, Object>) copy.get(variant)).put(field, value);
        return copy;
    }

    static List<String> problems(final Map<String, Object> overrides) {
        return problems(overrides, HOST_SCRIPTS);
    }

    static List<String> problems(final Map<String, Object> overrides, final Path hostScripts) {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> SettingsLoader.load(ContextSource.of(TestApps.context(overrides)), hostScripts));
        return error.problems();
    }

    static void assertProblem(final List<String> problems, final String start) {
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith(start)),
                () -> "expected a problem starting with\n  " + start + "\nbut got\n  " + problems);
    }

    @Test
    void bothVariantsReadTheirDriverFromTheirOwnFile() throws IOException {
        Settings settings = TestApps.settings(Map.of("imageVariants", "ubuntu24-r580,ubuntu20-r535"));
        for (ImageVariant variant : settings.imageVariants()) {
            String file = Files.readString(HOST_SCRIPTS.resolve("variants/" + variant.name() + ".env"));
            assertTrue(file.contains("\nNVIDIA_GRID_DRIVER_KEY=" + variant.driver().key() + "\n"), variant.name());
        }
        ImageVariant retired = settings.imageVariant("ubuntu20-r535").orElseThrow();
        assertEquals(Optional.of("2025-10-31"), retired.retiredOn());
        assertEquals("20.04", retired.osRelease());
        assertEquals(List.of("g3", "g3s"), retired.families());
        assertTrue(retired.driver().key().startsWith("grid-16."), retired.driver().key());
    }

    @Test
    void aG3TypeUnderTheCurrentVariantIsRefused() {
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "buildInstanceTypes",
                List.of("g4dn.xlarge", "g3.4xlarge")))), "imageVariantCatalog.ubuntu24-r580.buildInstanceTypes: "
                + "\"g3.4xlarge\" was retired by AWS on 2025-10-31 and only a retired variant (retiredOn set) may name "
                + "it; allowed: g4dn, g5, g6, gr6, g6e, g6f, gr6f");
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "families",
                List.of("g4dn", "g3")))), "imageVariantCatalog.ubuntu24-r580.families: \"g3\" was retired by AWS");
    }

    @Test
    void armAndAmdFamiliesAreRefusedWithTheReason() {
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "families",
                List.of("g4dn", "g5g")))), "imageVariantCatalog.ubuntu24-r580.families: \"g5g\" cannot serve a GPU "
                + "streaming host (Arm (Graviton) with NVIDIA T4G: AWS publishes no GRID driver for Arm); allowed: g4dn");
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "testInstanceTypes",
                List.of("g4ad.xlarge")))), "imageVariantCatalog.ubuntu24-r580.testInstanceTypes: \"g4ad.xlarge\" "
                + "cannot serve a GPU streaming host (AMD Radeon Pro V520 GPU: no NVIDIA driver, so no NVENC or NvFBC)");
    }

    @Test
    void instanceTypeNamesAndFamiliesAreChecked() {
        List<String> problems = problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580",
                "testInstanceTypes", List.of("g4dn.xlarge", "g4dn.xlarge", "g5.huge", "c6i.2xlarge"))));
        assertProblem(problems, "imageVariantCatalog.ubuntu24-r580.testInstanceTypes: \"g4dn.xlarge\" is listed twice");
        assertProblem(problems, "imageVariantCatalog.ubuntu24-r580.testInstanceTypes: \"g5.huge\" is not an EC2 "
                + "instance type; allowed: FAMILY.SIZE such as g4dn.xlarge");
        assertProblem(problems, "imageVariantCatalog.ubuntu24-r580.testInstanceTypes: \"c6i.2xlarge\" is not of the "
                + "variant's families; allowed: types of g4dn, g5, g6, gr6, g6e");
    }

    @Test
    void aBadCatalogEntryNamesTheFieldAndWhatIsAllowed() {
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "osRelease", "noble"))),
                "imageVariantCatalog.ubuntu24-r580.osRelease: \"noble\" is not allowed; allowed: an Ubuntu release");
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "retiredOn", "soon"))),
                "imageVariantCatalog.ubuntu24-r580.retiredOn: \"soon\" is not a date");
    }

    @Test
    void everyCatalogEntryIsHeldToItsDeclaredFieldsActiveOrNot() {
        // ubuntu20-r535 is not active by default: its entry's declared check runs all the same.
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu20-r535", "osRelease", "focal"))),
                "imageVariantCatalog.ubuntu20-r535.osRelease: \"focal\" is not allowed; allowed: an Ubuntu release "
                        + "such as 24.04");
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "familes",
                List.of("g4dn")))), "imageVariantCatalog.ubuntu24-r580: \"familes\" is not a field; allowed: "
                + "osRelease, baseImageSsmParameter, families, buildInstanceTypes, testInstanceTypes, retiredOn");
    }

    @Test
    void aFamilyOutsideTheGpuFamiliesIsRefusedNamingThem() {
        assertProblem(problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "families",
                List.of("g4dn", "p3")))), "imageVariantCatalog.ubuntu24-r580.families: \"p3\" is not a GPU family a "
                + "variant can serve; allowed: g4dn, g5, g6, gr6, g6e, g6f, gr6f");
    }

    @Test
    void aRefusedEntryIsReportedAtItsFieldNotAlsoAsAnUndefinedVariant() {
        List<String> problems = problems(Map.of("imageVariantCatalog", catalogWith("ubuntu24-r580", "osRelease",
                "noble")));
        assertEquals(List.of("imageVariantCatalog.ubuntu24-r580.osRelease: \"noble\" is not allowed; allowed: an "
                + "Ubuntu release such as 24.04"), problems.stream().filter(problem -> problem.startsWith("image"))
                .toList());
    }

    @Test
    void aVariantWithoutItsDriverFileIsRefused() throws IOException {
        Path scripts = Files.createTempDirectory("host-scripts-");
        Files.copy(HOST_SCRIPTS.resolve("versions.env"), scripts.resolve("versions.env"));
        Files.createDirectories(scripts.resolve("variants"));
        assertProblem(problems(Map.of(), scripts), scripts.resolve("variants/ubuntu24-r580.env") + ": cannot be read");
        Files.writeString(scripts.resolve("variants/ubuntu24-r580.env"), "NVIDIA_GRID_DRIVER_KEY=grid-19.0/x.run\n");
        assertProblem(problems(Map.of(), scripts), scripts.resolve("variants/ubuntu24-r580.env")
                + ": NVIDIA_GRID_DRIVER_KEY and NVIDIA_GRID_DRIVER_SHA256 are required");
    }

    /** Two active variants that both serve g4dn: a second current variant, with its own driver file. */
    static Map<String, Object> twoServingG4dn(final Path scripts) throws IOException {
        Files.copy(HOST_SCRIPTS.resolve("versions.env"), scripts.resolve("versions.env"));
        Files.createDirectories(scripts.resolve("variants"));
        for (String name : List.of("ubuntu24-r580", "ubuntu22-r580")) {
            Files.copy(HOST_SCRIPTS.resolve("variants/ubuntu24-r580.env"), scripts.resolve("variants/" + name + ".env"));
        }
        Map<String, Object> catalog = new LinkedHashMap<>(catalog());
        @SuppressWarnings("unchecked")
        Map<String, Object> jammy = new LinkedHashMap<>((Map<String, Object>) catalog.get("ubuntu24-r580"));
        jammy.put("osRelease", "22.04");
        jammy.put("baseImageSsmParameter", "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/"
                + "ebs-gp2/ami-id");
        jammy.put("families", List.of("g4dn"));
        jammy.put("buildInstanceTypes", List.of("g4dn.xlarge"));
        jammy.put("testInstanceTypes", List.of("g4dn.xlarge"));
        catalog.put("ubuntu22-r580", jammy);
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("imageVariantCatalog", catalog);
        overrides.put("imageVariants", List.of("ubuntu24-r580", "ubuntu22-r580"));
        overrides.put("developer", "ada");
        return overrides;
    }

    @Test
    void aDevTypeThatTwoVariantsServeNeedsDevVariant() throws IOException {
        Path scripts = Files.createTempDirectory("host-scripts-");
        Map<String, Object> overrides = twoServingG4dn(scripts);

        assertProblem(problems(overrides, scripts), "devInstanceType: \"g4dn.xlarge\" is served by ubuntu24-r580 and "
                + "ubuntu22-r580; allowed: set devVariant to one of ubuntu24-r580, ubuntu22-r580");

        overrides.put("devVariant", "ubuntu20-r535");
        assertProblem(problems(overrides, scripts), "devVariant: \"ubuntu20-r535\" does not serve g4dn.xlarge or is "
                + "not active; allowed: ubuntu24-r580, ubuntu22-r580");

        overrides.put("devVariant", "ubuntu22-r580");
        Settings settings = SettingsLoader.load(ContextSource.of(TestApps.context(overrides)), scripts);
        assertEquals("ubuntu22-r580", settings.devInstance().orElseThrow().variant().name());
        overrides.put("devInstanceType", "g5.xlarge");
        overrides.remove("devVariant");
        settings = SettingsLoader.load(ContextSource.of(TestApps.context(overrides)), scripts);
        assertEquals("ubuntu24-r580", settings.devInstance().orElseThrow().variant().name(),
                "only ubuntu24-r580 serves g5");
    }

    @Test
    void aG3DevInstanceIsServedByTheRetiredVariantWhenItIsActive() {
        Settings settings = TestApps.settings(Map.of("imageVariants", "ubuntu24-r580,ubuntu20-r535",
                "developer", "ada", "devInstanceType", "g3s.xlarge"));
        assertEquals("ubuntu20-r535", settings.devInstance().orElseThrow().variant().name());
    }
}
