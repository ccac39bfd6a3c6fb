package com.fractal.gpuhost.drivers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS's GRID driver bucket, as host-scripts/versions.env names it (NVIDIA_DRIVER_BUCKET and its region),
 * so the host scripts and this command cannot name different buckets.
 */
public record UpstreamBucket(String name, String region) {
    static final String FILE_NAME = "versions.env";

    static UpstreamBucket read(final Path hostScripts) {
        Path file = hostScripts.resolve(FILE_NAME);
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                int equals = trimmed.indexOf('=');
                if (!trimmed.startsWith("#") && equals > 0) {
                    values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw DriversException.usage(file + " cannot be read (" + e.getMessage() + "): run the command from "
                    + "the repository's root");
        }
        return new UpstreamBucket(required(values, "NVIDIA_DRIVER_BUCKET", file),
                required(values, "NVIDIA_DRIVER_BUCKET_REGION", file));
    }

    private static String required(final Map<String, String> values, final String name, final Path file) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw DriversException.refused(file + ": " + name + " is missing; allowed: a line " + name + "=VALUE");
        }
        return value;
    }

    @Override
    public String toString() {
        return "s3://" + name + " (" + region + ")";
    }
}
