package com.fractal.gpuhost.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions pinned in host-scripts/versions.env: the one file that both the host scripts and this
 * app read, so a driver or bucket is named in exactly one place.
 */
public record PinnedVersions(Map<String, String> values) {
    public static final String FILE_NAME = "versions.env";

    public PinnedVersions {
        values = Map.copyOf(values);
    }

    public String nvidiaDriverBucket() {
        return values.get("NVIDIA_DRIVER_BUCKET");
    }

    public String nvidiaGridDriverKey() {
        return values.get("NVIDIA_GRID_DRIVER_KEY");
    }

    /** Reads KEY=value lines; blank lines and lines starting with '#' are skipped. */
    static PinnedVersions read(final Path hostScriptsDir, final List<String> problems) {
        Path file = hostScriptsDir.resolve(FILE_NAME);
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals <= 0) {
                    problems.add(file + ": line \"" + trimmed + "\" is malformed; allowed: KEY=value");
                } else {
                    values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e.getMessage() + "); allowed: the host-scripts folder "
                    + "of this repository, with its " + FILE_NAME);
            return new PinnedVersions(values);
        }
        for (String required : List.of("NVIDIA_DRIVER_BUCKET", "NVIDIA_GRID_DRIVER_KEY")) {
            if (!values.containsKey(required) || values.get(required).isBlank()) {
                problems.add(file + ": " + required + " is missing; allowed: a KEY=value line");
            }
        }
        return new PinnedVersions(values);
    }
}
