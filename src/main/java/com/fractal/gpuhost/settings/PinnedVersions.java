package com.fractal.gpuhost.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions pinned in host-scripts/versions.env: the one file that both the host scripts and this
 * app read, so the driver bucket is named in exactly one place (each variant's driver key is in
 * variants/NAME.env).
 */
public record PinnedVersions(Map<String, String> values) {
    public static final String FILE_NAME = "versions.env";

    public PinnedVersions {
        values = Map.copyOf(values);
    }

    public String nvidiaDriverBucket() {
        return values.get("NVIDIA_DRIVER_BUCKET");
    }

    /** Reads versions.env, which must name the driver bucket (each variant's driver key is in variants/). */
    static PinnedVersions read(final Path hostScriptsDir, final List<String> problems) {
        Path file = hostScriptsDir.resolve(FILE_NAME);
        Map<String, String> values = KeyValueFile.read(file, problems).orElse(Map.of());
        if (!values.isEmpty() && values.getOrDefault("NVIDIA_DRIVER_BUCKET", "").isBlank()) {
            problems.add(file + ": NVIDIA_DRIVER_BUCKET is missing; allowed: a KEY=value line");
        }
        return new PinnedVersions(values);
    }
}
