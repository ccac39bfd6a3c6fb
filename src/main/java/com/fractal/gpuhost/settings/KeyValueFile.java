package com.fractal.gpuhost.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A KEY=value file as the host scripts source it (versions.env, variants/NAME.env), read the same way here. */
final class KeyValueFile {
    private KeyValueFile() {
    }

    /** Reads KEY=value lines; blank lines and lines starting with '#' are skipped. Empty when unreadable. */
    static Optional<Map<String, String>> read(final Path file, final List<String> problems) {
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
            problems.add(file + ": cannot be read (" + e.getMessage() + "); allowed: a file of this repository's "
                    + "host-scripts folder");
            return Optional.empty();
        }
        return Optional.of(values);
    }
}
