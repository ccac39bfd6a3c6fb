package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the project knows of EC2 instance types. Image Builder does not check type names, so the settings
 * do: a name must look like an EC2 type, and families that cannot run this workload are refused with why.
 */
public final class InstanceTypes {
    /** family.size, e.g. g4dn.xlarge, c6i.2xlarge, g6e.metal-48xl. */
    private static final Pattern NAME = Pattern.compile(
            "[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)");

    /** Families that can never serve a GPU streaming host, and why (NVENC capture needs NVIDIA's GRID driver). */
    static final Map<String, String> UNUSABLE = Map.of(
            "g5g", "Arm (Graviton) with NVIDIA T4G: AWS publishes no GRID driver for Arm",
            "g4ad", "AMD Radeon Pro V520 GPU: no NVIDIA driver, so no NVENC or NvFBC");

    /** Families AWS retired, and when; only a retired variant may name them. */
    static final Map<String, String> RETIRED = Map.of("g3", "2025-10-31", "g3s", "2025-10-31");

    /**
     * The families a current variant may serve: NVIDIA GPUs with NVENC that GRID R580 supports. The catalog's
     * check and its allowed text both come from this list.
     */
    static final List<String> CURRENT_GPU_FAMILIES = List.of("g4dn", "g5", "g6", "gr6", "g6e", "g6f", "gr6f");

    /** GPU families on the Xen hypervisor rather than Nitro (Control Tower's Nitro controls fail on them). */
    static final java.util.Set<String> XEN = java.util.Set.of("g3", "g3s");

    private InstanceTypes() {
    }

    public static boolean isName(final String type) {
        return NAME.matcher(type).matches();
    }

    /** The family: what comes before the dot (g4dn of g4dn.xlarge). */
    public static String family(final String type) {
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(0, dot);
    }

    /** Whether the type runs on Nitro (every GPU family a current variant serves does; g3 is Xen). */
    public static boolean isNitro(final String type) {
        return !XEN.contains(family(type));
    }

    /** Why a family cannot be used, when it cannot. */
    static Optional<String> unusable(final String family) {
        return Optional.ofNullable(UNUSABLE.get(family));
    }

    static Optional<String> retiredOn(final String family) {
        return Optional.ofNullable(RETIRED.get(family));
    }
}
