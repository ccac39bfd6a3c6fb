package com.fractal.gpuhost.ci;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.settings.PinnedVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The real defaults: cdk.json's "context", so tests exercise what `cdk synth` with no flags uses. */
public final class CdkJsonContext {
    private CdkJsonContext() {
    }

    /** A fresh, mutable copy of cdk.json's context, with {@code overrides} put over it. */
    public static Map<String, Object> with(final Map<String, Object> overrides) {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(),
                    new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> context = new LinkedHashMap<>((Map<String, Object>) cdkJson.get("context"));
            context.putAll(overrides);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A host-scripts folder holding only a versions.env, so these tests need nothing from other folders. */
    public static Path hostScriptsIn(final Path dir) {
        try {
            Files.writeString(dir.resolve(PinnedVersions.FILE_NAME), "NVIDIA_DRIVER_BUCKET=ec2-linux-nvidia-drivers\n"
                    + "NVIDIA_GRID_DRIVER_KEY=grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
