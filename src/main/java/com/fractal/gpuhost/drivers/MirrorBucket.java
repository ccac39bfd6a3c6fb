package com.fractal.gpuhost.drivers;

import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.ToolSettings;
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
        try {
            String region = ToolSettings.read(assembly).buildRegion();
            if (region == null || region.isBlank()) {
                throw DriversException.usage(assembly.resolve(ToolSettings.FILE_NAME) + " names no buildRegion: run "
                        + "`npm run synth` again");
            }
            return region;
        } catch (ToolSettings.UnreadableException e) {
            throw DriversException.usage(e.getMessage() + (e.missing() ? ": run `npm run synth` first (it names the "
                    + "build region), or pass --mirror-bucket NAME" : ": run `npm run synth` again"));
        }
    }
}
