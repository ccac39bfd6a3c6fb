package com.fractal.gpuhost.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image variant's GRID driver pin: host-scripts/variants/NAME.env, the one place that names the
 * variant's driver (its key in AWS's bucket and its SHA-256, or "unqualified"). Qualifying rewrites the
 * two pin lines and leaves every other line as it was.
 *
 * @param variant the variant's name (the file's name without .env)
 * @param file    the pin file
 * @param key     the pinned runfile
 * @param sha256  its SHA-256, empty while unqualified
 */
public record VariantPin(String variant, Path file, DriverKey key, Optional<String> sha256) {
    public static final String SUFFIX = ".env";
    static final String KEY_LINE = "NVIDIA_GRID_DRIVER_KEY";
    static final String SHA256_LINE = "NVIDIA_GRID_DRIVER_SHA256";
    static final String UNQUALIFIED = "unqualified";
    private static final String SHA256 = "[0-9a-f]{64}";

    /** Reads a pin file; a file without a valid key or checksum line is refused, naming the file and line. */
    static VariantPin read(final Path file) {
        String variant = file.getFileName().toString().replaceFirst("\\.env$", "");
        List<String> lines = lines(file);
        String key = value(lines, KEY_LINE).orElseThrow(() -> DriversException.refused(file + ": " + KEY_LINE
                + " is missing; allowed: a line " + KEY_LINE + "=<key in AWS's driver bucket>"));
        String sha256 = value(lines, SHA256_LINE).orElse(UNQUALIFIED);
        DriverKey driver = DriverKey.parse(key).orElseThrow(() -> DriversException.refused(file + ": " + KEY_LINE
                + "=" + key + " is no GRID runfile key; allowed: grid-NN.N/NVIDIA-Linux-x86_64-VERSION-grid-aws.run"));
        if (!sha256.equals(UNQUALIFIED) && !sha256.matches(SHA256)) {
            throw DriversException.refused(file + ": " + SHA256_LINE + "=" + sha256 + " is malformed; allowed: 64 "
                    + "lower-case hex digits or " + UNQUALIFIED);
        }
        return new VariantPin(variant, file, driver,
                sha256.equals(UNQUALIFIED) ? Optional.empty() : Optional.of(sha256));
    }

    /** Writes this pin's key and checksum lines into its file (atomically); other lines stay as they were. */
    void write(final DriverKey newKey, final String newSha256) {
        List<String> out = new ArrayList<>();
        for (String line : lines(file)) {
            if (line.startsWith(KEY_LINE + "=")) {
                out.add(KEY_LINE + "=" + newKey.key());
            } else if (line.startsWith(SHA256_LINE + "=")) {
                out.add(SHA256_LINE + "=" + newSha256);
            } else {
                out.add(line);
            }
        }
        if (value(out, SHA256_LINE).isEmpty()) {
            out.add(SHA256_LINE + "=" + newSha256);
        }
        try {
            Path temporary = Files.createTempFile(file.getParent(), "." + variant, ".tmp");
            Files.write(temporary, out, StandardCharsets.UTF_8);
            // A temporary file is private (0600); the pin file keeps its own mode, as the host scripts read it.
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(file));
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw DriversException.refused(file + ": cannot be written (" + e.getMessage() + ")");
        }
    }

    private static List<String> lines(final Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DriversException.refused(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Optional<String> value(final List<String> lines, final String name) {
        return lines.stream().map(String::strip).filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1)).findFirst();
    }
}
