package com.fractal.gpuhost.drivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.release.ReleaseConfig;
import com.fractal.gpuhost.settings.ResourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The mirror bucket's name: given with --mirror-bucket, or else the project's name for it in the build
 * account (the caller's) and the build region (from the resolved settings that synthesis writes).
 */
final class MirrorBucket {
    private MirrorBucket() {
    }

    static String resolve(final Optional<String> given, final Path assembly, final DriverGateway gateway) {
        if (given.isPresent()) {
            return given.get();
        }
        return ResourceNames.driverMirrorBucket(gateway.account(), buildRegion(assembly));
    }

    static String buildRegion(final Path assembly) {
        Path file = assembly.resolve(ReleaseConfig.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw DriversException.usage(file + " is missing: run `npm run synth` first (it names the build region), "
                    + "or pass --mirror-bucket NAME");
        }
        try {
            JsonNode region = new ObjectMapper().readTree(file.toFile()).path("buildRegion");
            if (!region.isTextual() || region.asText().isBlank()) {
                throw DriversException.usage(file + " names no buildRegion: run `npm run synth` again");
            }
            return region.asText();
        } catch (IOException e) {
            throw DriversException.usage(file + " is not JSON: run `npm run synth` again");
        }
    }
}
