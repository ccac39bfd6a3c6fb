package com.fractal.gpuhost.settings;

import static com.fractal.gpuhost.settings.SettingDeclarations.IMAGE_VARIANTS;
import static com.fractal.gpuhost.settings.SettingDeclarations.IMAGE_VARIANT_CATALOG;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The active image variants: the names of `imageVariants`, each defined in `imageVariantCatalog`, each with
 * its driver file host-scripts/variants/NAME.env. Every problem is recorded; nothing is thrown.
 */
final class ImageVariantsParser {
    /** A variant's name: lowercase words joined by '-', safe in resource names, SSM paths and AMI tags. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+){0,5}");
    static final String VARIANTS_DIR = "variants";
    private static final Pattern RELEASE = Pattern.compile("[0-9]{2}\\.[0-9]{2}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private final ContextValues values;
    private final List<String> problems;
    private final Path hostScriptsDir;

    ImageVariantsParser(final ContextValues values, final List<String> problems, final Path hostScriptsDir) {
        this.values = values;
        this.problems = problems;
        this.hostScriptsDir = hostScriptsDir;
    }

    List<ImageVariant> parse() {
        Map<String, Object> catalog = IMAGE_VARIANT_CATALOG.read(values);
        List<String> names = IMAGE_VARIANTS.read(values);
        String defined = String.join(", ", catalog.keySet());
        if (names.isEmpty()) {
            problems.add(IMAGE_VARIANTS.key() + ": is missing or empty; allowed: one or more of " + defined);
        }
        List<ImageVariant> variants = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                values.problem(IMAGE_VARIANTS.key(), name, "is listed twice; allowed: each variant once");
            } else if (!catalog.containsKey(name)) {
                values.problem(IMAGE_VARIANTS.key(), name, "is not a variant of " + IMAGE_VARIANT_CATALOG.key()
                        + "; allowed: " + defined);
            } else {
                variant(name, catalog.get(name)).ifPresent(variants::add);
            }
        }
        return variants;
    }

    private Optional<ImageVariant> variant(final String name, final Object raw) {
        String key = IMAGE_VARIANT_CATALOG.key() + "." + name;
        if (!NAME.matcher(name).matches()) {
            values.problem(IMAGE_VARIANT_CATALOG.key(), name, "is not a variant name; allowed: lowercase words of "
                    + "a-z and 0-9 joined by '-', such as ubuntu24-r580");
            return Optional.empty();
        }
        if (!(raw instanceof Map<?, ?> entry)) {
            values.problem(key, raw, "is malformed; allowed: " + IMAGE_VARIANT_CATALOG.allowed());
            return Optional.empty();
        }
        int before = values.problemCount();
        String release = text(entry, key, "osRelease", RELEASE, "an Ubuntu release such as 24.04");
        String baseImage = text(entry, key, "baseImageSsmParameter", AllowedValues.SSM_PATH,
                "Canonical's SSM parameter path, such as /aws/service/canonical/ubuntu/server/" + release
                        + "/stable/current/amd64/hvm/ebs-gp3/ami-id");
        Optional<String> retiredOn = Optional.ofNullable(entry.get("retiredOn")).map(String::valueOf)
                .filter(date -> !date.isEmpty());
        retiredOn.filter(date -> !DATE.matcher(date).matches()).ifPresent(date ->
                values.problem(key + ".retiredOn", date, "is not a date; allowed: empty or YYYY-MM-DD"));
        List<String> families = list(entry, key, "families");
        families.forEach(family -> family(key + ".families", family, family, retiredOn.isPresent()));
        // One pipeline runs its build and its test phase on the one infrastructure configuration, so build
        // types must be GPU types the image serves (docs/variants.md, "Where builds run").
        List<String> buildTypes = types(entry, key, "buildInstanceTypes", retiredOn.isPresent(), families);
        List<String> testTypes = types(entry, key, "testInstanceTypes", retiredOn.isPresent(), families);
        Optional<ImageVariant.GridDriver> driver = driver(name);
        if (values.problemCount() != before || driver.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ImageVariant(name, release, baseImage, families, buildTypes, testTypes, retiredOn,
                driver.get()));
    }

    /** Refuses a family (or a type of it, the value) that cannot serve, or is retired under a current variant. */
    private void family(final String key, final String value, final String family, final boolean retiredVariant) {
        Optional<String> unusable = InstanceTypes.unusable(family);
        Optional<String> retiredOn = InstanceTypes.retiredOn(family);
        if (unusable.isPresent()) {
            values.problem(key, value, "cannot serve a GPU streaming host (" + unusable.get() + "); allowed: "
                    + InstanceTypes.CURRENT_GPU_FAMILIES);
        } else if (retiredOn.isPresent() && !retiredVariant) {
            values.problem(key, value, "was retired by AWS on " + retiredOn.get() + " and only a retired variant "
                    + "(retiredOn set) may name it; allowed: " + InstanceTypes.CURRENT_GPU_FAMILIES);
        }
    }

    /** Instance types, each a real-looking name, once, of a usable family (of the given ones, when given). */
    private List<String> types(final Map<?, ?> entry, final String variantKey, final String field,
            final boolean retiredVariant, final List<String> families) {
        String key = variantKey + "." + field;
        List<String> types = list(entry, variantKey, field);
        Set<String> seen = new HashSet<>();
        for (String type : types) {
            String family = InstanceTypes.family(type);
            if (!InstanceTypes.isName(type)) {
                values.problem(key, type, "is not an EC2 instance type; allowed: FAMILY.SIZE such as g4dn.xlarge");
            } else if (!seen.add(type)) {
                values.problem(key, type, "is listed twice; allowed: each type once");
            } else if (InstanceTypes.unusable(family).isPresent() || InstanceTypes.retiredOn(family).isPresent()) {
                family(key, type, family, retiredVariant);
            } else if (!families.isEmpty() && !families.contains(family)) {
                values.problem(key, type, "is not of the variant's families; allowed: types of "
                        + String.join(", ", families));
            }
        }
        return types;
    }

    private List<String> list(final Map<?, ?> entry, final String variantKey, final String field) {
        Object raw = entry.get(field);
        if (raw == null) {
            problems.add(variantKey + "." + field + ": is missing; allowed: a list of one or more names");
            return List.of();
        }
        List<String> items = values.toStringList(variantKey + "." + field, raw);
        if (items.isEmpty()) {
            problems.add(variantKey + "." + field + ": is empty; allowed: a list of one or more names");
        }
        return items;
    }

    private String text(final Map<?, ?> entry, final String variantKey, final String field, final Pattern pattern,
            final String allowed) {
        Object raw = entry.get(field);
        String value = raw == null ? "" : String.valueOf(raw);
        if (!pattern.matcher(value).matches()) {
            values.problem(variantKey + "." + field, value, "is not allowed; allowed: " + allowed);
        }
        return value;
    }

    /** The variant's driver file: the one place its GRID driver is pinned, shared with the host scripts. */
    private Optional<ImageVariant.GridDriver> driver(final String name) {
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
