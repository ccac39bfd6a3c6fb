package com.fractal.gpuhost.settings;

import com.fractal.gpuhost.settings.Setting.Boundary;
import com.fractal.gpuhost.settings.Setting.Check;
import com.fractal.gpuhost.settings.Setting.Field;
import com.fractal.gpuhost.settings.Setting.Refusal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One entry of `imageVariantCatalog`, declared field by field with its checks: what the entry may hold
 * whichever variants are active. Which variants are active, and each one's driver file, the loader joins.
 */
final class VariantCatalogEntry {
    /** A variant's name is safe in resource names, SSM paths and AMI tags: at most this many words. */
    static final int MAX_NAME_WORDS = 6;
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+){0," + (MAX_NAME_WORDS - 1) + "}");
    static final String NAME_ALLOWED = "up to " + MAX_NAME_WORDS + " lowercase words of a-z and 0-9 joined by "
            + "'-', such as ubuntu24-r580";
    private static final Pattern RELEASE = Pattern.compile("[0-9]{2}\\.[0-9]{2}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final String FAMILIES_ALLOWED = String.join(", ", InstanceTypes.CURRENT_GPU_FAMILIES);

    static final Field OS_RELEASE = new Field("osRelease", "\"24.04\"", Check.matches(RELEASE, "is not allowed"),
            "an Ubuntu release such as 24.04");
    static final Field BASE_IMAGE = new Field("baseImageSsmParameter", "…",
            Check.matches(AllowedValues.SSM_PATH, "is not allowed"), "Canonical's SSM parameter path, such as "
                    + "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id");
    /** A GPU family: one of the current ones, or a retired one (which only a retired variant may name). */
    static final Field FAMILIES = new Field("families", "[…]", ((Check<String>) family -> InstanceTypes
            .unusable(family).map(reason -> "cannot serve a GPU streaming host (" + reason + ")"))
            .and(Check.that(family -> InstanceTypes.CURRENT_GPU_FAMILIES.contains(family)
                    || InstanceTypes.retiredOn(family).isPresent(), "is not a GPU family a variant can serve")),
            FAMILIES_ALLOWED + "; a retired variant (retiredOn set) also " + String.join(", ",
                    new TreeSet<>(InstanceTypes.RETIRED.keySet())));
    static final Field BUILD_TYPES = instanceTypes("buildInstanceTypes");
    static final Field TEST_TYPES = instanceTypes("testInstanceTypes");
    static final Field RETIRED_ON = new Field("retiredOn", "\"\" or a date", Check.matches(DATE, "is not a date"),
            "empty or YYYY-MM-DD");

    static final List<Field> FIELDS = List.of(OS_RELEASE, BASE_IMAGE, FAMILIES, BUILD_TYPES, TEST_TYPES, RETIRED_ON);
    /** The allowed text of `imageVariantCatalog`, from the declared name rule and fields. */
    static final String ALLOWED = "per variant name (" + NAME_ALLOWED + "), " + Field.shapeOf(FIELDS)
            + "; the driver is pinned in host-scripts/variants/<name>.env";

    /** A catalog entry as the check accepted it; with its driver it is an {@link ImageVariant}. */
    record Definition(String osRelease, String baseImageSsmParameter, List<String> families,
            List<String> buildInstanceTypes, List<String> testInstanceTypes, Optional<String> retiredOn) {
        ImageVariant withDriver(final String name, final ImageVariant.GridDriver driver) {
            return new ImageVariant(name, osRelease, baseImageSsmParameter, families, buildInstanceTypes,
                    testInstanceTypes, retiredOn, driver);
        }
    }

    private VariantCatalogEntry() {
    }

    private static Field instanceTypes(final String name) {
        return new Field(name, "[…]", Check.that(InstanceTypes::isName, "is not an EC2 instance type"),
                "FAMILY.SIZE such as g4dn.xlarge");
    }

    /** The declared check of one entry: each field's own, then what only the entry as a whole shows. */
    static Definition read(final EntryFields entry) {
        String release = entry.text(OS_RELEASE);
        String baseImage = entry.text(BASE_IMAGE);
        Optional<String> retiredOn = entry.optionalText(RETIRED_ON);
        List<String> families = entry.list(FAMILIES);
        families.forEach(family -> refuseRetired(entry, FAMILIES, family, family, retiredOn.isPresent()));
        // One pipeline runs its build and its test phase on the one infrastructure configuration, so build
        // types must be GPU types the image serves (docs/variants.md, "Where builds run").
        List<String> buildTypes = types(entry, BUILD_TYPES, families, retiredOn.isPresent());
        List<String> testTypes = types(entry, TEST_TYPES, families, retiredOn.isPresent());
        return new Definition(release, baseImage, families, buildTypes, testTypes, retiredOn);
    }

    /** A retired family (or a type of it, the value) may be named by a retired variant only. */
    private static void refuseRetired(final EntryFields entry, final Field field, final String value,
            final String family, final boolean retiredVariant) {
        InstanceTypes.retiredOn(family).filter(date -> !retiredVariant).ifPresent(date -> entry.refuse(field, value,
                "was retired by AWS on " + date + " and only a retired variant (retiredOn set) may name it",
                FAMILIES_ALLOWED));
    }

    /** Instance types, each once, of a family a variant may serve, and of this variant's families. */
    private static List<String> types(final EntryFields entry, final Field field, final List<String> families,
            final boolean retiredVariant) {
        List<String> types = entry.list(field);
        Set<String> seen = new HashSet<>();
        for (String type : types) {
            String family = InstanceTypes.family(type);
            Optional<String> familyProblem = FAMILIES.check().problem(family);
            if (!seen.add(type)) {
                entry.refuse(field, type, "is listed twice", "each type once");
            } else if (familyProblem.isPresent() && InstanceTypes.unusable(family).isPresent()) {
                entry.refuse(field, type, familyProblem.get(), FAMILIES_ALLOWED);
            } else if (InstanceTypes.retiredOn(family).isPresent() && !retiredVariant) {
                refuseRetired(entry, field, type, family, false);
            } else if (!families.isEmpty() && !families.contains(family)) {
                entry.refuse(field, type, "is not of the variant's families", "types of "
                        + String.join(", ", families));
            }
        }
        return types;
    }

    /** A catalog whose one entry is a valid variant with the given name, as -c imageVariantCatalog=... gives it. */
    private static String catalogNaming(final String name) {
        return "{\"" + name + "\": {\"osRelease\": \"24.04\", \"baseImageSsmParameter\": "
                + "\"/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id\", "
                + "\"families\": [\"g4dn\"], \"buildInstanceTypes\": [\"g4dn.xlarge\"], "
                + "\"testInstanceTypes\": [\"g4dn.xlarge\"], \"retiredOn\": \"\"}}";
    }

    /** A name of as many words as allowed is accepted; one word more is refused (under the setting's key). */
    static List<Boundary> boundaries(final String key) {
        String longest = "ubuntu24" + "-r580".repeat(MAX_NAME_WORDS - 1);
        String tooLong = longest + "-x";
        return List.of(Boundary.at(catalogNaming(longest)), Boundary.past(catalogNaming(tooLong),
                new Refusal(key, "\"" + tooLong + "\"", ALLOWED)));
    }
}
