package com.fractal.gpuhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * Builds the real app from cdk.json's context plus overrides, as `cdk synth -c key=value` would, and
 * synthesizes each distinct configuration once per test run: every test class shares them.
 */
public final class TestApps {
    private static final Map<Map<String, Object>, Synthesized> CACHE = new ConcurrentHashMap<>();

    /** A synthesized app: its settings, its stacks, and the cloud assembly on disk. */
    public record Synthesized(Settings settings, List<Stack> stacks, CloudAssembly assembly) {
        public Stack stack(final String name) {
            return stacks.stream().filter(s -> s.getStackName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no stack " + name + " in " + stacks.stream()
                            .map(Stack::getStackName).toList()));
        }
    }

    private TestApps() {
    }

    /** cdk.json's context: the embedded defaults. */
    public static Map<String, Object> defaultContext() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) cdkJson.get("context");
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Defaults with these keys overridden, as -c would. */
    public static Map<String, Object> context(final Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(defaultContext());
        // As the CDK CLI does: each resource's construct path in its Metadata, which cdk-nag's reports name.
        context.put("aws:cdk:enable-path-metadata", true);
        context.putAll(overrides);
        return context;
    }

    public static Settings settings(final Map<String, Object> overrides) {
        return SettingsLoader.load(ContextSource.of(context(overrides)), GpuHostApp.HOST_SCRIPTS_DIR);
    }

    public static Synthesized synthesize(final Map<String, Object> overrides) {
        return CACHE.computeIfAbsent(Map.copyOf(overrides), TestApps::build);
    }

    private static Synthesized build(final Map<String, Object> overrides) {
        try {
            Path outdir = Files.createTempDirectory("cdk-test-");
            Map<String, Object> context = context(overrides);
            App app = new App(AppProps.builder().context(context).outdir(outdir.toString()).build());
            Settings settings = SettingsLoader.load(ContextSource.of(context), GpuHostApp.HOST_SCRIPTS_DIR);
            List<Stack> stacks = GpuHostStacks.addTo(app, settings, Optional.empty());
            GpuHostApp.addNagChecks(app);
            CloudAssembly assembly = app.synth();
            AcceptedRisk.writeExceptions(outdir);
            return new Synthesized(settings, stacks, assembly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
