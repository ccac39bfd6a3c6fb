package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Optional;

/**
 * One image variant: an OS release, a GRID driver and the GPU instance families the image serves. Every
 * variant gets a whole pipeline of its own; the host scripts read the same variant name.
 *
 * @param name                  e.g. ubuntu24-r580: safe in resource names, SSM paths and tags
 * @param osRelease             the Ubuntu release, e.g. 24.04
 * @param baseImageSsmParameter Canonical's SSM parameter that holds the base AMI of that release
 * @param families              the instance families the image serves (dev instances, test instances)
 * @param buildInstanceTypes    where the build runs, preferred first (fallbacks when an AZ lacks capacity)
 * @param testInstanceTypes     GPU types of the variant's families that the test phase launches the image on
 * @param retiredOn             the date AWS retired the variant's instance family, for a retired variant
 * @param driver                the pinned GRID driver, from host-scripts/variants/NAME.env
 */
public record ImageVariant(String name, String osRelease, String baseImageSsmParameter, List<String> families,
        List<String> buildInstanceTypes, List<String> testInstanceTypes, Optional<String> retiredOn,
        GridDriver driver) {

    /**
     * A variant's GRID driver.
     *
     * @param key    the object key in AWS's driver bucket
     * @param sha256 its SHA-256, or "unqualified" until it is qualified
     */
    public record GridDriver(String key, String sha256) {
    }

    public ImageVariant {
        families = List.copyOf(families);
        buildInstanceTypes = List.copyOf(buildInstanceTypes);
        testInstanceTypes = List.copyOf(testInstanceTypes);
    }

    public boolean retired() {
        return retiredOn.isPresent();
    }

    /** True when the type's family is one this variant serves. */
    public boolean serves(final String instanceType) {
        return families.contains(InstanceTypes.family(instanceType));
    }
}
