package com.fractal.gpuhost.settings;

import static com.fractal.gpuhost.settings.SettingDeclarations.IMAGE_VARIANTS;
import static com.fractal.gpuhost.settings.SettingDeclarations.IMAGE_VARIANT_CATALOG;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The active image variants: a relation between two settings, so the loader checks it rather than a
 * declaration. Each name of `imageVariants` (each declared check already run) must be an entry of
 * `imageVariantCatalog` (its entries checked by their declaration), and each active variant needs its
 * driver file host-scripts/variants/NAME.env, which is a file, not a setting. Nothing is thrown.
 */
final class ActiveVariants {
    static final String VARIANTS_DIR = "variants";

    private ActiveVariants() {
    }

    static List<ImageVariant> read(final ContextValues values, final List<String> problems,
            final Path hostScriptsDir) {
        Setting.Entries<VariantCatalogEntry.Definition> catalog = IMAGE_VARIANT_CATALOG.read(values);
        int before = values.problemCount();
        List<String> names = IMAGE_VARIANTS.read(values);
        String defined = String.join(", ", catalog.names());
        if (names.isEmpty() && values.problemCount() == before) {
            values.bare(IMAGE_VARIANTS.key() + ": is missing or empty; allowed: one or more of " + defined);
        }
        List<ImageVariant> variants = new ArrayList<>();
        for (String name : names) {
            if (!catalog.names().contains(name)) {
                values.problem(IMAGE_VARIANTS.key(), name, "is not a variant of " + IMAGE_VARIANT_CATALOG.key()
                        + "; allowed: " + defined);
            } else {
                // An entry its declaration refused was reported already; it is simply not built.
                catalog.get(name).flatMap(definition -> driver(hostScriptsDir, name, problems)
                        .map(driver -> definition.withDriver(name, driver))).ifPresent(variants::add);
            }
        }
        return variants;
    }

    /** The variant's driver file: the one place its GRID driver is pinned, shared with the host scripts. */
    private static Optional<ImageVariant.GridDriver> driver(final Path hostScriptsDir, final String name,
            final List<String> problems) {
        Path file = hostScriptsDir.resolve(VARIANTS_DIR).resolve(name + ".env");
        Optional<Map<String, String>> pins = KeyValueFile.read(file, problems);
        if (pins.isEmpty()) {
            return Optional.empty();
        }
        String key = pins.get().getOrDefault("NVIDIA_GRID_DRIVER_KEY", "");
        String sha = pins.get().getOrDefault("NVIDIA_GRID_DRIVER_SHA256", "");
        if (key.isBlank() || sha.isBlank()) {
            problems.add(file + ": NVIDIA_GRID_DRIVER_KEY and NVIDIA_GRID_DRIVER_SHA256 are required; allowed: "
                    + "KEY=value lines naming the driver's key in AWS's bucket and its SHA-256 (or unqualified)");
            return Optional.empty();
        }
        return Optional.of(new ImageVariant.GridDriver(key, sha));
    }
}
